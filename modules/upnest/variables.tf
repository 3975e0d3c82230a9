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

variable "per_user_isolation" {
  description = "Also build a policy that limits each caller to items whose partition key is their own user ID (dynamodb:LeadingKeys), for web-identity principals such as Cognito users."
  type        = bool
  default     = false
  nullable    = false
}

variable "user_id_policy_variable" {
  description = "IAM policy variable holding the caller's user ID, compared with dynamodb:LeadingKeys."
  type        = string
  default     = "$${cognito-identity.amazonaws.com:sub}"
  nullable    = false
}
