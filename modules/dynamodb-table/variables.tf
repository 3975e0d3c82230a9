variable "name" {
  description = "Physical table name: 3-255 characters of letters, digits, '_', '-' or '.'."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3-255 characters of letters, digits, '_', '-' or '.'."
  }
}

variable "partition_key" {
  description = "Partition (hash) key: name and type (S, N or B)."
  type = object({
    name = string
    type = optional(string, "S")
  })

  validation {
    condition     = contains(["S", "N", "B"], var.partition_key.type)
    error_message = "partition_key.type must be one of S, N, B."
  }
}

variable "sort_key" {
  description = "Sort (range) key: name and type (S, N or B); null for a partition-key-only table."
  type = object({
    name = string
    type = optional(string, "S")
  })
  default = null

  validation {
    condition     = var.sort_key == null || contains(["S", "N", "B"], try(var.sort_key.type, ""))
    error_message = "sort_key.type must be one of S, N, B."
  }
}

variable "global_secondary_indexes" {
  description = <<-EOT
    Global secondary indexes keyed by index name. Keys are {name, type}; projection_type is ALL,
    KEYS_ONLY or INCLUDE (with non_key_attributes). read_capacity/write_capacity apply under
    PROVISIONED (default: the table's); max_*_request_units cap on-demand throughput.
  EOT
  type = map(object({
    partition_key = object({
      name = string
      type = optional(string, "S")
    })
    sort_key = optional(object({
      name = string
      type = optional(string, "S")
    }))
    projection_type         = optional(string, "ALL")
    non_key_attributes      = optional(list(string), [])
    read_capacity           = optional(number)
    write_capacity          = optional(number)
    max_read_request_units  = optional(number)
    max_write_request_units = optional(number)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for g in values(var.global_secondary_indexes) : contains(["ALL", "KEYS_ONLY", "INCLUDE"], g.projection_type)])
    error_message = "global_secondary_indexes[*].projection_type must be one of ALL, KEYS_ONLY, INCLUDE."
  }

  validation {
    condition = alltrue([for g in values(var.global_secondary_indexes) :
      (g.projection_type == "INCLUDE") == (length(g.non_key_attributes) > 0)
    ])
    error_message = "global_secondary_indexes[*].non_key_attributes must be set exactly when projection_type is INCLUDE."
  }

  validation {
    condition = alltrue(flatten([for g in values(var.global_secondary_indexes) : [
      for k in compact([g.partition_key.type, try(g.sort_key.type, "")]) : contains(["S", "N", "B"], k)
    ]]))
    error_message = "global_secondary_indexes[*] key types must be one of S, N, B."
  }

  validation {
    condition     = length(var.global_secondary_indexes) <= 20
    error_message = "global_secondary_indexes allows at most 20 indexes per table."
  }
}

variable "local_secondary_indexes" {
  description = "Local secondary indexes keyed by index name: an alternative sort key and projection. They can only be created with the table."
  type = map(object({
    sort_key = object({
      name = string
      type = optional(string, "S")
    })
    projection_type    = optional(string, "ALL")
    non_key_attributes = optional(list(string), [])
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for l in values(var.local_secondary_indexes) : contains(["ALL", "KEYS_ONLY", "INCLUDE"], l.projection_type) && contains(["S", "N", "B"], l.sort_key.type)])
    error_message = "local_secondary_indexes[*].projection_type must be one of ALL, KEYS_ONLY, INCLUDE and sort_key.type one of S, N, B."
  }

  validation {
    condition     = length(var.local_secondary_indexes) <= 5
    error_message = "local_secondary_indexes allows at most 5 indexes per table."
  }
}

variable "billing_mode" {
  description = "PAY_PER_REQUEST (on-demand) or PROVISIONED."
  type        = string
  default     = "PAY_PER_REQUEST"
  nullable    = false

  validation {
    condition     = contains(["PAY_PER_REQUEST", "PROVISIONED"], var.billing_mode)
    error_message = "billing_mode must be one of PAY_PER_REQUEST, PROVISIONED."
  }
}

variable "read_capacity" {
  description = "Provisioned read capacity units of the table (and default for its GSIs); used only when billing_mode is PROVISIONED."
  type        = number
  default     = 5
  nullable    = false

  validation {
    condition     = var.billing_mode != "PROVISIONED" || var.read_capacity >= 1
    error_message = "read_capacity must be at least 1 when billing_mode is PROVISIONED."
  }
}

variable "write_capacity" {
  description = "Provisioned write capacity units of the table (and default for its GSIs); used only when billing_mode is PROVISIONED."
  type        = number
  default     = 5
  nullable    = false

  validation {
    condition     = var.billing_mode != "PROVISIONED" || var.write_capacity >= 1
    error_message = "write_capacity must be at least 1 when billing_mode is PROVISIONED."
  }
}

variable "on_demand_throughput" {
  description = "Maximum read/write request units per second for an on-demand table (null: unlimited)."
  type = object({
    max_read_request_units  = optional(number)
    max_write_request_units = optional(number)
  })
  default = null

  validation {
    condition     = var.on_demand_throughput == null || var.billing_mode == "PAY_PER_REQUEST"
    error_message = "on_demand_throughput applies only when billing_mode is PAY_PER_REQUEST."
  }
}

variable "ttl_attribute_name" {
  description = "Attribute holding the expiry time (epoch seconds); null leaves TTL disabled."
  type        = string
  default     = null
}

variable "stream_view_type" {
  description = "Enables DynamoDB Streams with this view type: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES; null disables streams."
  type        = string
  default     = null

  validation {
    condition     = var.stream_view_type == null || contains(["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"], coalesce(var.stream_view_type, "-"))
    error_message = "stream_view_type must be one of KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES (or null)."
  }
}

variable "point_in_time_recovery_enabled" {
  description = "Continuous backups (point-in-time recovery)."
  type        = bool
  default     = true
  nullable    = false
}

variable "point_in_time_recovery_period_in_days" {
  description = "How many days of point-in-time recovery to keep (1-35); null keeps AWS's default of 35."
  type        = number
  default     = null

  validation {
    condition     = var.point_in_time_recovery_period_in_days == null || (coalesce(var.point_in_time_recovery_period_in_days, 0) >= 1 && coalesce(var.point_in_time_recovery_period_in_days, 0) <= 35)
    error_message = "point_in_time_recovery_period_in_days must be between 1 and 35."
  }
}

variable "encryption_key_type" {
  description = "Key for encryption at rest: AWS_OWNED (free, no KMS), AWS_MANAGED (the aws/dynamodb KMS key) or CUSTOMER_MANAGED (kms_key_arn)."
  type        = string
  default     = "AWS_OWNED"
  nullable    = false

  validation {
    condition     = contains(["AWS_OWNED", "AWS_MANAGED", "CUSTOMER_MANAGED"], var.encryption_key_type)
    error_message = "encryption_key_type must be one of AWS_OWNED, AWS_MANAGED, CUSTOMER_MANAGED."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key ARN; required when encryption_key_type is CUSTOMER_MANAGED."
  type        = string
  default     = null

  validation {
    condition     = (var.encryption_key_type == "CUSTOMER_MANAGED") == (var.kms_key_arn != null)
    error_message = "kms_key_arn must be set exactly when encryption_key_type is CUSTOMER_MANAGED."
  }
}

variable "deletion_protection_enabled" {
  description = "Refuse DeleteTable while enabled."
  type        = bool
  default     = true
  nullable    = false
}

variable "table_class" {
  description = "STANDARD or STANDARD_INFREQUENT_ACCESS."
  type        = string
  default     = "STANDARD"
  nullable    = false

  validation {
    condition     = contains(["STANDARD", "STANDARD_INFREQUENT_ACCESS"], var.table_class)
    error_message = "table_class must be one of STANDARD, STANDARD_INFREQUENT_ACCESS."
  }
}

variable "tags" {
  description = "Tags for the table."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "autoscaling" {
  description = <<-EOT
    Target-tracking autoscaling of a PROVISIONED table and its GSIs (ignored when on-demand).
    read/write: {min, max, target} (defaults from seed 004: 5, 100, 70 % utilisation); indexes:
    per-GSI overrides of read/write keyed by index name (unset fields follow the table's).
  EOT
  type = object({
    enabled = optional(bool, false)
    read = optional(object({
      min    = optional(number, 5)
      max    = optional(number, 100)
      target = optional(number, 70)
    }), {})
    write = optional(object({
      min    = optional(number, 5)
      max    = optional(number, 100)
      target = optional(number, 70)
    }), {})
    indexes = optional(map(object({
      read = optional(object({
        min    = optional(number)
        max    = optional(number)
        target = optional(number)
      }), {})
      write = optional(object({
        min    = optional(number)
        max    = optional(number)
        target = optional(number)
      }), {})
    })), {})
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue(flatten([for s in [var.autoscaling.read, var.autoscaling.write] : [
      s.min >= 1, s.max >= s.min, s.target >= 20, s.target <= 90,
    ]]))
    error_message = "autoscaling.read/write need min >= 1, max >= min and target between 20 and 90 (percent utilisation)."
  }

  validation {
    condition = alltrue(flatten([for i in values(var.autoscaling.indexes) : [
      for s in [i.read, i.write] : [
        s.min == null || try(s.min >= 1, false),
        s.target == null || try(s.target >= 20 && s.target <= 90, false),
      ]
    ]]))
    error_message = "autoscaling.indexes[*].read/write need min >= 1 and target between 20 and 90 (percent utilisation)."
  }

  validation {
    condition     = length(setsubtract(keys(var.autoscaling.indexes), keys(var.global_secondary_indexes))) == 0
    error_message = "autoscaling.indexes names unknown global secondary indexes: ${join(", ", setsubtract(keys(var.autoscaling.indexes), keys(var.global_secondary_indexes)))}."
  }
}
