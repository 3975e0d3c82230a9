variable "region" {
  description = "AWS region of the stack."
  type        = string
  default     = "us-east-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "environment" {
  description = "Deployment environment (e.g. development, staging, production), tagged on every table; production, prod and prd turn on the strict plan-guard checks (check-plan --strict-environments)."
  type        = string
  default     = "production"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.environment))
    error_message = "environment must be 1-32 lowercase letters, digits or '-', starting with a letter (e.g. development, production)."
  }
}

variable "apps" {
  description = "Seed apps to deploy: any of fusion-health, schizodot, mediphant, upnest, iops-dashboard. Removing an app destroys its tables."
  type        = set(string)
  default     = ["fusion-health", "schizodot", "mediphant", "upnest", "iops-dashboard"]
  nullable    = false

  validation {
    condition     = length(setsubtract(var.apps, keys(local.seed_tables))) == 0
    error_message = "apps has unknown entries: ${join(", ", setsubtract(var.apps, keys(local.seed_tables)))}; allowed: fusion-health, schizodot, mediphant, upnest, iops-dashboard."
  }
}

variable "billing_mode" {
  description = "Billing mode of every table: PAY_PER_REQUEST (on-demand) or PROVISIONED."
  type        = string
  default     = "PAY_PER_REQUEST"
  nullable    = false

  validation {
    condition     = contains(["PAY_PER_REQUEST", "PROVISIONED"], var.billing_mode)
    error_message = "billing_mode must be one of PAY_PER_REQUEST, PROVISIONED."
  }
}

variable "read_capacity" {
  description = "Read capacity units of every table and GSI when billing_mode is PROVISIONED."
  type        = number
  default     = 5
  nullable    = false

  validation {
    condition     = var.billing_mode != "PROVISIONED" || (var.read_capacity >= 1 && floor(var.read_capacity) == var.read_capacity)
    error_message = "read_capacity must be a whole number of at least 1 when billing_mode is PROVISIONED."
  }
}

variable "write_capacity" {
  description = "Write capacity units of every table and GSI when billing_mode is PROVISIONED."
  type        = number
  default     = 5
  nullable    = false

  validation {
    condition     = var.billing_mode != "PROVISIONED" || (var.write_capacity >= 1 && floor(var.write_capacity) == var.write_capacity)
    error_message = "write_capacity must be a whole number of at least 1 when billing_mode is PROVISIONED."
  }
}

variable "enable_deletion_protection" {
  description = "Deletion protection on every table."
  type        = bool
  default     = true
  nullable    = false
}

variable "enable_point_in_time_recovery" {
  description = "Point-in-time recovery (continuous backups) on every table."
  type        = bool
  default     = true
  nullable    = false
}

variable "point_in_time_recovery_period_in_days" {
  description = "Days of point-in-time recovery to keep (1-35); null keeps AWS's default of 35."
  type        = number
  default     = null

  validation {
    condition     = var.point_in_time_recovery_period_in_days == null || try(var.point_in_time_recovery_period_in_days >= 1 && var.point_in_time_recovery_period_in_days <= 35, false)
    error_message = "point_in_time_recovery_period_in_days must be between 1 and 35."
  }
}

variable "encryption_key_type" {
  description = "Encryption at rest for every table: AWS_MANAGED (the aws/dynamodb KMS key, the seeds' choice), AWS_OWNED, or CUSTOMER_MANAGED (with kms_key_arn)."
  type        = string
  default     = "AWS_MANAGED"
  nullable    = false

  validation {
    condition     = contains(["AWS_OWNED", "AWS_MANAGED", "CUSTOMER_MANAGED"], var.encryption_key_type)
    error_message = "encryption_key_type must be one of AWS_OWNED, AWS_MANAGED, CUSTOMER_MANAGED."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key; required when encryption_key_type is CUSTOMER_MANAGED."
  type        = string
  default     = null

  validation {
    condition     = var.create_kms_key ? var.kms_key_arn == null : (var.encryption_key_type == "CUSTOMER_MANAGED") == (var.kms_key_arn != null)
    error_message = "kms_key_arn must be set exactly when encryption_key_type is CUSTOMER_MANAGED and create_kms_key is false."
  }
}

variable "table_class" {
  description = "Table class of every table: STANDARD or STANDARD_INFREQUENT_ACCESS."
  type        = string
  default     = "STANDARD"
  nullable    = false

  validation {
    condition     = contains(["STANDARD", "STANDARD_INFREQUENT_ACCESS"], var.table_class)
    error_message = "table_class must be one of STANDARD, STANDARD_INFREQUENT_ACCESS."
  }
}

variable "table_name_prefix" {
  description = "Prepended to every seed table name (default: the seeds' names unchanged)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{0,200}$", var.table_name_prefix))
    error_message = "table_name_prefix may only contain letters, digits, '_', '-' or '.' (at most 200)."
  }
}

variable "table_name_suffix" {
  description = "Appended to every seed table name (default: the seeds' names unchanged)."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{0,200}$", var.table_name_suffix))
    error_message = "table_name_suffix may only contain letters, digits, '_', '-' or '.' (at most 200)."
  }
}

variable "table_overrides" {
  description = <<-EOT
    Per-table exceptions to the stack-wide settings, keyed by seed table name, e.g.
    { "SchizodotJobs" = { billing_mode = "PROVISIONED", read_capacity = 5, write_capacity = 5 } }.
    Each field is optional: billing_mode, read_capacity, write_capacity, enable_deletion_protection,
    enable_point_in_time_recovery, point_in_time_recovery_period_in_days, table_class, and
    autoscaling {enabled, read/write {min, max, target}, indexes {GSI = {read, write}}} on top of
    the stack-wide autoscaling (the one place for per-table autoscaling since 0.2.0).
  EOT
  type = map(object({
    billing_mode                          = optional(string)
    read_capacity                         = optional(number)
    write_capacity                        = optional(number)
    enable_deletion_protection            = optional(bool)
    enable_point_in_time_recovery         = optional(bool)
    point_in_time_recovery_period_in_days = optional(number)
    table_class                           = optional(string)
    autoscaling = optional(object({
      enabled = optional(bool)
      read    = optional(object({ min = optional(number), max = optional(number), target = optional(number) }), {})
      write   = optional(object({ min = optional(number), max = optional(number), target = optional(number) }), {})
      indexes = optional(map(object({
        read  = optional(object({ min = optional(number), max = optional(number), target = optional(number) }), {})
        write = optional(object({ min = optional(number), max = optional(number), target = optional(number) }), {})
      })), {})
    }), {})
  }))
  default  = {}
  nullable = false

  validation {
    condition     = length(setsubtract(keys(var.table_overrides), flatten(values(local.seed_tables)))) == 0
    error_message = "table_overrides has unknown tables: ${join(", ", setsubtract(keys(var.table_overrides), flatten(values(local.seed_tables))))}; keys are seed table names such as SchizodotJobs."
  }

  validation {
    condition     = alltrue([for o in values(var.table_overrides) : o.billing_mode == null || contains(["PAY_PER_REQUEST", "PROVISIONED"], coalesce(o.billing_mode, "-"))])
    error_message = "table_overrides[*].billing_mode must be one of PAY_PER_REQUEST, PROVISIONED."
  }

  validation {
    condition = alltrue([for o in values(var.table_overrides) :
      coalesce(o.billing_mode, var.billing_mode) != "PROVISIONED" || (coalesce(o.read_capacity, var.read_capacity) >= 1 && coalesce(o.write_capacity, var.write_capacity) >= 1)
    ])
    error_message = "table_overrides[*].read_capacity and write_capacity must be at least 1 on a PROVISIONED table."
  }
}

variable "tags" {
  description = "Tags added to every table (Application, Environment and ManagedBy are set by the stack)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "replica_regions" {
  description = "Regions in which every table gets a replica (global tables; streams are switched on with NEW_AND_OLD_IMAGES). Not the stack's own region."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for r in var.replica_regions : can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", r))])
    error_message = "replica_regions must hold AWS region names such as us-west-2."
  }

  validation {
    condition     = !contains(var.replica_regions, var.region)
    error_message = "replica_regions must not include the stack's own region ${var.region}: a replica lives in another region."
  }

  validation {
    condition     = length(distinct(var.replica_regions)) == length(var.replica_regions)
    error_message = "replica_regions lists a region more than once."
  }
}

variable "replica_kms_key_arns" {
  description = "Customer-managed KMS key ARN per replica region (keys of replica_regions); required for every replica region when tables use a customer-managed key."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(setsubtract(keys(var.replica_kms_key_arns), var.replica_regions)) == 0
    error_message = "replica_kms_key_arns has regions that are not in replica_regions: ${join(", ", setsubtract(keys(var.replica_kms_key_arns), var.replica_regions))}."
  }

  validation {
    condition     = !(var.create_kms_key || var.encryption_key_type == "CUSTOMER_MANAGED") || length(setsubtract(var.replica_regions, keys(var.replica_kms_key_arns))) == 0
    error_message = "replica_kms_key_arns needs a key for every replica region when tables use a customer-managed key; missing: ${join(", ", setsubtract(var.replica_regions, keys(var.replica_kms_key_arns)))}."
  }

  validation {
    condition     = var.create_kms_key || var.encryption_key_type == "CUSTOMER_MANAGED" || length(var.replica_kms_key_arns) == 0
    error_message = "replica_kms_key_arns applies only with a customer-managed key (encryption_key_type CUSTOMER_MANAGED or create_kms_key)."
  }
}

variable "enable_contributor_insights" {
  description = "CloudWatch Contributor Insights on every table (the most accessed and throttled keys)."
  type        = bool
  default     = false
  nullable    = false
}


variable "autoscaling" {
  description = <<-EOT
    Target-tracking autoscaling of PROVISIONED tables and their GSIs (seed 004: min 5, max 100,
    70 % utilisation): enabled/read/write apply to every PROVISIONED table; per-table settings go
    in table_overrides[TABLE].autoscaling. tables (per seed table name, with per-GSI indexes) is
    the 0.1.0 place for them: still applied in 0.2.0 with a deprecation warning, removed in 0.3.0.
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
    tables = optional(map(object({
      enabled = optional(bool)
      read    = optional(object({ min = optional(number), max = optional(number), target = optional(number) }), {})
      write   = optional(object({ min = optional(number), max = optional(number), target = optional(number) }), {})
      indexes = optional(map(object({
        read  = optional(object({ min = optional(number), max = optional(number), target = optional(number) }), {})
        write = optional(object({ min = optional(number), max = optional(number), target = optional(number) }), {})
      })), {})
    })), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = length(setsubtract(keys(var.autoscaling.tables), flatten(values(local.seed_tables)))) == 0
    error_message = "autoscaling.tables has unknown tables: ${join(", ", setsubtract(keys(var.autoscaling.tables), flatten(values(local.seed_tables))))}; keys are seed table names."
  }
}

# A warning, not an error: stacks written for 0.1.0 keep planning the same resources while they
# move their per-table autoscaling into table_overrides (CHANGELOG.md, 0.2.0).
check "autoscaling_tables_deprecated" {
  assert {
    condition     = length(var.autoscaling.tables) == 0
    error_message = "autoscaling.tables is deprecated and will be removed in 0.3.0: move each entry to table_overrides[TABLE].autoscaling (same fields), for ${join(", ", sort(keys(var.autoscaling.tables)))}."
  }
}

variable "iam_role_names" {
  description = "Per app: existing IAM role names that get the app's read_only / read_write (and, for upnest, per_user) policy attached, e.g. { iops-dashboard = { read_write = [\"lambda-exec\"] } }."
  type = map(object({
    read_only  = optional(set(string), [])
    read_write = optional(set(string), [])
    per_user   = optional(set(string), [])
  }))
  default  = {}
  nullable = false

  validation {
    condition     = length(setsubtract(keys(var.iam_role_names), keys(local.seed_tables))) == 0
    error_message = "iam_role_names has unknown apps: ${join(", ", setsubtract(keys(var.iam_role_names), keys(local.seed_tables)))}."
  }
}

variable "upnest_per_user_isolation" {
  description = "Build the UpNest per-user policy (dynamodb:LeadingKeys on the caller's user ID)."
  type        = bool
  default     = false
  nullable    = false
}

variable "create_kms_key" {
  description = "Create one customer-managed KMS key (rotation on) and encrypt every table, the alarm topic and the backup vault with it."
  type        = bool
  default     = false
  nullable    = false
}

variable "enable_alarms" {
  description = "CloudWatch alarms per table: read/write throttle events, system errors and, for PROVISIONED tables, consumed capacity above alarm_capacity_percent of provisioned."
  type        = bool
  default     = false
  nullable    = false
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic for alarms and budget alerts; null creates one when alarms are enabled."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:", coalesce(var.alarm_sns_topic_arn, "-")))
    error_message = "alarm_sns_topic_arn must be an SNS topic ARN (arn:aws:sns:...)."
  }
}

variable "alarm_capacity_percent" {
  description = "Consumed share of provisioned capacity (percent) above which the capacity alarms fire."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.alarm_capacity_percent > 0 && var.alarm_capacity_percent <= 100
    error_message = "alarm_capacity_percent must be between 1 and 100."
  }
}

variable "enable_backup" {
  description = "AWS Backup plan selecting every table of the stack: daily, kept backup_retention_days."
  type        = bool
  default     = false
  nullable    = false
}

variable "backup_retention_days" {
  description = "Days each daily backup is kept."
  type        = number
  default     = 35
  nullable    = false

  validation {
    condition     = var.backup_retention_days >= 1 && floor(var.backup_retention_days) == var.backup_retention_days
    error_message = "backup_retention_days must be a whole number of at least 1."
  }
}

variable "backup_schedule" {
  description = "Schedule of the backup rule (AWS cron expression, UTC)."
  type        = string
  default     = "cron(0 3 * * ? *)"
  nullable    = false

  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.backup_schedule))
    error_message = "backup_schedule must be a cron(...) expression."
  }
}

variable "backup_copy_vault_arn" {
  description = "Backup vault in another region (or account) each backup is copied to; null for no copy. DynamoDB copies need AWS Backup's advanced DynamoDB features turned on in the account."
  type        = string
  default     = null

  validation {
    condition     = var.backup_copy_vault_arn == null || can(regex("^arn:aws[a-z-]*:backup:", coalesce(var.backup_copy_vault_arn, "-")))
    error_message = "backup_copy_vault_arn must be a backup vault ARN (arn:aws:backup:...)."
  }
}

variable "enable_budget" {
  description = "Monthly AWS Budgets cost budget for DynamoDB with an alert at budget_alert_percent."
  type        = bool
  default     = false
  nullable    = false
}

variable "budget_limit_usd" {
  description = "Monthly DynamoDB budget in USD."
  type        = number
  default     = 50
  nullable    = false

  validation {
    condition     = var.budget_limit_usd > 0
    error_message = "budget_limit_usd must be greater than 0."
  }
}

variable "budget_alert_percent" {
  description = "Forecast share of budget_limit_usd (percent) that triggers the budget alert."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.budget_alert_percent > 0
    error_message = "budget_alert_percent must be greater than 0."
  }
}

variable "budget_alert_emails" {
  description = "E-mail addresses of the budget alert (the alarm topic is notified too when alarms are on)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = !var.enable_budget || length(var.budget_alert_emails) > 0 || var.enable_alarms || var.alarm_sns_topic_arn != null
    error_message = "budget_alert_emails needs at least one address when enable_budget is true and there is no alarm topic."
  }
}
