variable "app_name" {
  description = "The seed app these tables belong to (names the inline IAM policies)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.app_name))
    error_message = "app_name must be 2-41 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "tables" {
  description = <<-EOT
    The app's table schemas keyed by seed table name: partition_key, and optionally sort_key,
    global_secondary_indexes, local_secondary_indexes, ttl_attribute_name and stream_view_type,
    as the dynamodb-table module takes them.
  EOT
  type        = any
}

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

variable "autoscaling" {
  description = "dynamodb-table autoscaling settings per seed table name (tables not listed are not autoscaled; applies to PROVISIONED tables only)."
  type        = any
  default     = {}
  nullable    = false
}

variable "iam_role_names" {
  description = "Existing IAM role names that get this app's read_only / read_write policy attached inline (e.g. the Lambda execution role of seed 004)."
  type = object({
    read_only  = optional(set(string), [])
    read_write = optional(set(string), [])
    per_user   = optional(set(string), [])
  })
  default  = {}
  nullable = false
}
