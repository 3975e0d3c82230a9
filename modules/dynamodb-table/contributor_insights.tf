locals {
  # "table" for the table itself, "index/NAME" per GSI.
  contributor_insights = var.contributor_insights == null ? {} : merge(
    var.contributor_insights.table ? { table = null } : {},
    { for i in var.contributor_insights.indexes : "index/${i}" => i },
  )
}

resource "aws_dynamodb_contributor_insights" "this" {
  for_each = local.contributor_insights

  table_name = aws_dynamodb_table.this.name
  index_name = each.value
}
