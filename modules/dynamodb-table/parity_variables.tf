# Inputs of the parity features: replicas (global tables), import from S3, restore, resource
# policy, contributor insights, Kinesis streaming destination and timeouts.

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
