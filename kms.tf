# One customer-managed key for the tables, the alarm topic and the backup vault. A key policy's
# Resource is always "*" (it means this key); actions are listed explicitly.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  kms_key_arn         = var.create_kms_key ? aws_kms_key.this[0].arn : var.kms_key_arn
  encryption_key_type = var.create_kms_key ? "CUSTOMER_MANAGED" : var.encryption_key_type
  account_root        = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
}

data "aws_iam_policy_document" "kms" {
  count = var.create_kms_key ? 1 : 0

  statement {
    sid = "AccountAdministers"
    actions = [
      "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias",
      "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
      "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListResourceTags",
      "kms:PutKeyPolicy", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:RetireGrant", "kms:RevokeGrant",
      "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
  }

  # CloudWatch alarms and budgets publish to the encrypted alarm topic.
  statement {
    sid       = "AlarmAndBudgetPublishers"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "this" {
  count = var.create_kms_key ? 1 : 0

  description             = "DynamoDB seed stacks (${var.environment}): tables, alarm topic, backups"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms[0].json
  tags                    = local.common_tags
}

resource "aws_kms_alias" "this" {
  count = var.create_kms_key ? 1 : 0

  name          = "alias/${var.table_name_prefix}dynamodb-seed-stacks-${var.environment}${var.table_name_suffix}"
  target_key_id = aws_kms_key.this[0].key_id
}
