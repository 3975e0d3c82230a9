variable "name_prefix" {
  description = "Prepended to every seed table name."
  type        = string
  default     = ""
  nullable    = false
}

variable "name_suffix" {
  description = "Appended to every seed table name."
  type        = string
  default     = ""
  nullable    = false
}

variable "table_settings" {
  description = <<-EOT
    Operational settings per table, keyed by seed table name; each value holds the dynamodb-table
    inputs billing_mode, read_capacity, write_capacity, point_in_time_recovery_enabled,
    point_in_time_recovery_period_in_days, deletion_protection_enabled, encryption_key_type,
    kms_key_arn and table_class. The root stack resolves defaults and per-table overrides into it;
    the dynamodb-table module validates every value.
  EOT
  type        = map(any)
}

variable "tags" {
  description = "Tags for every table of the app."
  type        = map(string)
  default     = {}
  nullable    = false
}
