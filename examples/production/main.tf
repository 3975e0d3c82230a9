# Production: every protection on. Customer-managed key (rotated), PITR, deletion protection,
# alarms to an encrypted SNS topic, daily AWS Backup, a DynamoDB budget, least-privilege IAM for
# the dashboard's Lambda role. The IOps dashboard tables take a steady, predictable stream of
# metric writes (seed 004), so they run PROVISIONED with autoscaling (min 5, max 100, 70 %);
# the other apps have spiky or low traffic and stay on-demand.
variable "budget_alert_emails" {
  description = "Who receives the budget alert."
  type        = list(string)
}

variable "budget_limit_usd" {
  description = "Monthly DynamoDB budget in USD."
  type        = number
  default     = 100
}

variable "enable_backup" {
  description = "Daily AWS Backup plan of every table (on in production)."
  type        = bool
  default     = true
}

variable "enable_budget" {
  description = "Monthly DynamoDB budget (on in production)."
  type        = bool
  default     = true
}

variable "backup_copy_vault_arn" {
  description = "Vault in another region for disaster-recovery copies (seed 003); null for none."
  type        = string
  default     = null
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# Seed 004's "Lambda execution role"; bring your own by passing its name in iam_role_names.
resource "aws_iam_role" "dashboard_lambda" {
  name               = "iops-dashboard-lambda-production"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

module "stack" {
  source = "../../"

  environment                   = "production"
  create_kms_key                = true
  enable_point_in_time_recovery = true
  enable_deletion_protection    = true

  table_overrides = {
    "iops-dashboard-metrics"  = { billing_mode = "PROVISIONED" }
    "iops-dashboard-insights" = { billing_mode = "PROVISIONED" }
  }
  autoscaling = {
    enabled = true
    read    = { min = 5, max = 100, target = 70 }
    write   = { min = 5, max = 100, target = 70 }
  }

  iam_role_names = {
    "iops-dashboard" = { read_write = [aws_iam_role.dashboard_lambda.name] }
  }

  enable_alarms         = true
  enable_backup         = var.enable_backup
  backup_retention_days = 35
  backup_copy_vault_arn = var.backup_copy_vault_arn
  enable_budget         = var.enable_budget
  budget_limit_usd      = var.budget_limit_usd
  budget_alert_emails   = var.budget_alert_emails
}

output "tables" {
  value = module.stack.tables
}

output "iam_policies" {
  value = module.stack.iam_policies
}

output "kms_key_arn" {
  value = module.stack.kms_key_arn
}

output "alarm_topic_arn" {
  value = module.stack.alarm_topic_arn
}
