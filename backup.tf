# AWS Backup: a daily plan selecting every table of the stack, optional copy to another vault.
resource "aws_backup_vault" "this" {
  count = var.enable_backup ? 1 : 0

  name        = "${var.table_name_prefix}dynamodb-seed-stacks-${var.environment}${var.table_name_suffix}"
  kms_key_arn = local.kms_key_arn
  tags        = local.common_tags
}

resource "aws_backup_plan" "this" {
  count = var.enable_backup ? 1 : 0

  name = "${var.table_name_prefix}dynamodb-seed-stacks-daily-${var.environment}${var.table_name_suffix}"
  tags = local.common_tags

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.this[0].name
    schedule          = var.backup_schedule

    lifecycle {
      delete_after = var.backup_retention_days
    }

    dynamic "copy_action" {
      for_each = var.backup_copy_vault_arn == null ? [] : [var.backup_copy_vault_arn]
      content {
        destination_vault_arn = copy_action.value
        lifecycle {
          delete_after = var.backup_retention_days
        }
      }
    }
  }
}

data "aws_iam_policy_document" "backup_assume" {
  count = var.enable_backup ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  count = var.enable_backup ? 1 : 0

  name               = "${var.table_name_prefix}dynamodb-seed-stacks-backup-${var.environment}${var.table_name_suffix}"
  assume_role_policy = data.aws_iam_policy_document.backup_assume[0].json
  tags               = local.common_tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  for_each = toset(var.enable_backup ? ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"] : [])

  role       = aws_iam_role.backup[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/${each.value}"
}

resource "aws_backup_selection" "tables" {
  count = var.enable_backup ? 1 : 0

  name         = "dynamodb-tables"
  plan_id      = aws_backup_plan.this[0].id
  iam_role_arn = aws_iam_role.backup[0].arn
  resources    = sort([for t in values(local.tables) : t.arn])
}
