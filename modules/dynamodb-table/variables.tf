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

variable "replicas" {
  description = <<-EOT
    Replicas of a global table (version 2019.11.21), one per region other than the provider's:
    region_name, kms_key_arn (a key in that region; required when encryption_key_type is
    CUSTOMER_MANAGED, refused otherwise), point_in_time_recovery (null: the table's setting) and
    propagate_tags (default true). Replicas need streams with NEW_AND_OLD_IMAGES, which the module
    switches on. deletion_protection_enabled cannot be set per replica: the hashicorp/aws 5.x
    provider has no such argument (neither in the replica block nor in aws_dynamodb_table_replica);
    the table's deletion_protection_enabled covers this region's table only.
  EOT
  type = list(object({
    region_name                 = string
    kms_key_arn                 = optional(string)
    point_in_time_recovery      = optional(bool)
    propagate_tags              = optional(bool, true)
    deletion_protection_enabled = optional(bool)
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for r in var.replicas : can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", r.region_name))])
    error_message = "replicas[*].region_name must be an AWS region name such as us-west-2."
  }

  validation {
    condition     = length(distinct([for r in var.replicas : r.region_name])) == length(var.replicas)
    error_message = "replicas lists a region more than once: ${join(", ", distinct([for r in var.replicas : r.region_name if length([for o in var.replicas : o if o.region_name == r.region_name]) > 1]))}."
  }

  validation {
    condition     = length(var.replicas) == 0 || var.stream_view_type == null || var.stream_view_type == "NEW_AND_OLD_IMAGES"
    error_message = "replicas need stream_view_type NEW_AND_OLD_IMAGES (or null, which the module turns into it); got ${coalesce(var.stream_view_type, "-")}."
  }

  validation {
    condition     = alltrue([for r in var.replicas : r.deletion_protection_enabled == null])
    error_message = "replicas[*].deletion_protection_enabled cannot be set: the hashicorp/aws 5.x provider has no per-replica deletion protection (set it on each replica outside Terraform)."
  }

  validation {
    condition     = var.encryption_key_type != "CUSTOMER_MANAGED" || alltrue([for r in var.replicas : r.kms_key_arn != null])
    error_message = "replicas[*].kms_key_arn is required for every replica when encryption_key_type is CUSTOMER_MANAGED (a key in the replica's region); missing for: ${join(", ", [for r in var.replicas : r.region_name if r.kms_key_arn == null])}."
  }

  validation {
    condition     = var.encryption_key_type == "CUSTOMER_MANAGED" || alltrue([for r in var.replicas : r.kms_key_arn == null])
    error_message = "replicas[*].kms_key_arn may only be set when encryption_key_type is CUSTOMER_MANAGED."
  }

  validation {
    condition     = alltrue([for r in var.replicas : r.kms_key_arn == null || try(split(":", r.kms_key_arn)[3] == r.region_name, false)])
    error_message = "replicas[*].kms_key_arn must be a KMS key ARN in the replica's own region; wrong for: ${join(", ", [for r in var.replicas : r.region_name if r.kms_key_arn != null && try(split(":", r.kms_key_arn)[3] != r.region_name, true)])}."
  }
}

variable "import_table" {
  description = <<-EOT
    Create the table pre-loaded from S3 (ImportTable): input_format DYNAMODB_JSON, ION or CSV;
    input_compression_type NONE, GZIP or ZSTD; s3_bucket_source {bucket, bucket_owner,
    key_prefix}; csv {delimiter, header_list} only with CSV. Used only when the table is created;
    cannot be combined with restore or local_secondary_indexes (ImportTable creates GSIs only).
  EOT
  type = object({
    input_format           = string
    input_compression_type = optional(string, "NONE")
    s3_bucket_source = object({
      bucket       = string
      bucket_owner = optional(string)
      key_prefix   = optional(string)
    })
    csv = optional(object({
      delimiter   = optional(string)
      header_list = optional(list(string))
    }))
  })
  default = null

  validation {
    condition     = var.import_table == null || try(contains(["DYNAMODB_JSON", "ION", "CSV"], var.import_table.input_format), false)
    error_message = "import_table.input_format must be one of DYNAMODB_JSON, ION, CSV."
  }

  validation {
    condition     = var.import_table == null || try(contains(["NONE", "GZIP", "ZSTD"], var.import_table.input_compression_type), false)
    error_message = "import_table.input_compression_type must be one of NONE, GZIP, ZSTD."
  }

  validation {
    condition     = try(var.import_table.csv, null) == null || try(var.import_table.input_format, "") == "CSV"
    error_message = "import_table.csv options apply only when import_table.input_format is CSV."
  }

  validation {
    condition     = try(var.import_table.csv.delimiter, null) == null || try(contains([",", "\t", ":", ";", "|", " "], var.import_table.csv.delimiter), false)
    error_message = "import_table.csv.delimiter must be one of comma, tab, colon, semicolon, pipe or space."
  }

  validation {
    condition     = try(var.import_table.csv.header_list, null) == null || try(length(var.import_table.csv.header_list) > 0, false)
    error_message = "import_table.csv.header_list must name at least one column when set (omit it to read the header from the files)."
  }

  validation {
    condition     = var.import_table == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.import_table.s3_bucket_source.bucket))
    error_message = "import_table.s3_bucket_source.bucket must be an S3 bucket name (3-63 lowercase letters, digits, '.' or '-')."
  }

  validation {
    condition     = var.import_table == null || try(var.import_table.s3_bucket_source.bucket_owner, null) == null || can(regex("^[0-9]{12}$", try(var.import_table.s3_bucket_source.bucket_owner, "")))
    error_message = "import_table.s3_bucket_source.bucket_owner must be a 12-digit AWS account ID."
  }

  validation {
    condition     = var.import_table == null || var.restore == null
    error_message = "import_table cannot be combined with restore: a table is created either from S3 or from another table."
  }

  validation {
    condition     = var.import_table == null || length(var.local_secondary_indexes) == 0
    error_message = "import_table cannot create local_secondary_indexes (ImportTable creates GSIs only)."
  }
}

variable "restore" {
  description = <<-EOT
    Create the table by restoring another table's point-in-time recovery data: source_table_name
    or source_table_arn (exactly one), and date_time (RFC 3339) or latest = true (exactly one).
    Used only when the table is created; restoring from an on-demand backup is not supported by
    the provider.
  EOT
  type = object({
    source_table_name = optional(string)
    source_table_arn  = optional(string)
    date_time         = optional(string)
    latest            = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.restore == null || (try(var.restore.source_table_name, null) == null) != (try(var.restore.source_table_arn, null) == null)
    error_message = "restore needs exactly one source: restore.source_table_name or restore.source_table_arn."
  }

  validation {
    condition     = var.restore == null || (try(var.restore.date_time, null) == null) == try(var.restore.latest, false)
    error_message = "restore needs exactly one of restore.date_time or restore.latest = true."
  }

  validation {
    condition     = try(var.restore.date_time, null) == null || can(formatdate("YYYY", try(var.restore.date_time, "")))
    error_message = "restore.date_time must be an RFC 3339 timestamp such as 2026-11-01T12:00:00Z."
  }

  validation {
    condition     = try(var.restore.source_table_arn, null) == null || can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$", try(var.restore.source_table_arn, "")))
    error_message = "restore.source_table_arn must be a DynamoDB table ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME)."
  }
}

variable "resource_policy" {
  description = "Resource-based policy of the table (a JSON IAM policy document); null attaches none."
  type        = string
  default     = null

  validation {
    condition     = var.resource_policy == null || can(jsondecode(var.resource_policy).Statement)
    error_message = "resource_policy must be a JSON policy document with a Statement."
  }
}

variable "contributor_insights" {
  description = "CloudWatch Contributor Insights: table (default true) for the table itself, indexes for these GSIs; null turns it off."
  type = object({
    table   = optional(bool, true)
    indexes = optional(set(string), [])
  })
  default = null

  validation {
    condition     = length(setsubtract(try(var.contributor_insights.indexes, []), keys(var.global_secondary_indexes))) == 0
    error_message = "contributor_insights.indexes names unknown global secondary indexes: ${join(", ", setsubtract(try(var.contributor_insights.indexes, []), keys(var.global_secondary_indexes)))}."
  }
}

variable "kinesis_stream_arn" {
  description = "Kinesis data stream to which item changes are streamed (Kinesis Data Streams for DynamoDB); null: none."
  type        = string
  default     = null

  validation {
    condition     = var.kinesis_stream_arn == null || can(regex("^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[A-Za-z0-9_.-]{1,128}$", coalesce(var.kinesis_stream_arn, "-")))
    error_message = "kinesis_stream_arn must be a Kinesis stream ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)."
  }
}

variable "timeouts" {
  description = "Timeouts of the table's create, update and delete (Go durations such as 30m or 1h30m; null: the provider's defaults). Replicas, imports and restores can take hours."
  type = object({
    create = optional(string)
    update = optional(string)
    delete = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for t in values(var.timeouts) : t == null || can(regex("^([0-9]+(\\.[0-9]+)?(h|m|s))+$", coalesce(t, "-")))])
    error_message = "timeouts.create/update/delete must be durations such as 30m, 2h or 1h30m."
  }
}
