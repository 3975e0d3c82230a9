# Per-user isolation (seed 003: "users can only access their own data"). dynamodb:LeadingKeys
# compares the partition key of the request with the caller's user ID. It can isolate only what
# is keyed by userId: the Users table and the two userId-keyed indexes. UpNest-Babies and
# UpNest-GrowthData are keyed by babyId, so their items cannot be scoped to a user by IAM; writes
# to them stay with the trusted backend role (read_write policy), which checks ownership.
locals {
  per_user_table_arns = ["${module.tables.table_arn_prefix}${var.name_prefix}UpNest-Users${var.name_suffix}"]
  per_user_index_arns = [
    "${module.tables.table_arn_prefix}${var.name_prefix}UpNest-Babies${var.name_suffix}/index/UserBabiesIndex",
    "${module.tables.table_arn_prefix}${var.name_prefix}UpNest-GrowthData${var.name_suffix}/index/UserGrowthDataIndex",
  ]
}

data "aws_iam_policy_document" "per_user" {
  count = var.per_user_isolation ? 1 : 0

  statement {
    sid       = "OwnUserItem"
    actions   = ["dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
    resources = local.per_user_table_arns
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "dynamodb:LeadingKeys"
      values   = [var.user_id_policy_variable]
    }
  }

  statement {
    sid       = "OwnBabiesAndGrowthData"
    actions   = ["dynamodb:Query"]
    resources = local.per_user_index_arns
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "dynamodb:LeadingKeys"
      values   = [var.user_id_policy_variable]
    }
  }
}

resource "aws_iam_role_policy" "per_user" {
  for_each = var.per_user_isolation ? var.iam_role_names.per_user : []

  name   = "${var.name_prefix}upnest${var.name_suffix}-per-user"
  role   = each.value
  policy = data.aws_iam_policy_document.per_user[0].json
}
