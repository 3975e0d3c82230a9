# Variables of the production features: autoscaling, IAM, customer key, alarms, backups, budget.

variable "autoscaling" {
  description = <<-EOT
    Target-tracking autoscaling of PROVISIONED tables and their GSIs (seed 004: min 5, max 100,
    70 % utilisation). enabled/read/write apply to every PROVISIONED table; tables overrides them
    per seed table name, with per-GSI read/write overrides under indexes.
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
