# Least-privilege policy documents for this app's tables and their indexes: explicit actions,
# explicit ARNs (built from account, region and table name so they are known at plan time).
# Streams are left out: their ARN carries a label known only after apply, and stream consumers
# (Lambda event source mappings) are granted separately.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  arn_prefix  = "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/"
  table_arns  = sort([for seed_name in keys(var.tables) : "${local.arn_prefix}${var.name_prefix}${seed_name}${var.name_suffix}"])
  index_arns  = sort(flatten([for seed_name, t in var.tables : [for i in keys(try(t.global_secondary_indexes, {})) : "${local.arn_prefix}${var.name_prefix}${seed_name}${var.name_suffix}/index/${i}"]]))
  read_items  = ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]
  write_items = ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
  policies = {
    read_only  = local.read_items
    read_write = concat(local.read_items, local.write_items)
  }
}

data "aws_iam_policy_document" "access" {
  for_each = local.policies

  statement {
    sid       = "Tables"
    actions   = each.value
    resources = local.table_arns
  }

  dynamic "statement" {
    for_each = length(local.index_arns) > 0 ? [1] : []
    content {
      sid       = "Indexes"
      actions   = ["dynamodb:Query", "dynamodb:Scan"]
      resources = local.index_arns
    }
  }
}

resource "aws_iam_role_policy" "access" {
  for_each = merge([for kind in keys(local.policies) : { for role in var.iam_role_names[kind] : "${kind}:${role}" => { kind = kind, role = role } }]...)

  name   = "${var.name_prefix}${var.app_name}${var.name_suffix}-${replace(each.value.kind, "_", "-")}"
  role   = each.value.role
  policy = data.aws_iam_policy_document.access[each.value.kind].json
}
