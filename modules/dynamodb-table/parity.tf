# Parity features around the one table: replicas and streams (locals used by main.tf), resource
# policy, contributor insights and the Kinesis streaming destination.

data "aws_region" "current" {}

locals {
  # Global tables replicate through the stream, which must carry both images.
  stream_view_type = length(var.replicas) > 0 ? "NEW_AND_OLD_IMAGES" : var.stream_view_type

  # Unset replica PITR follows the table's, so that a replica is as recoverable as its source.
  replicas = [for r in var.replicas : merge(r, {
    point_in_time_recovery = coalesce(r.point_in_time_recovery, var.point_in_time_recovery_enabled)
  })]

  # "table" for the table itself, "index/NAME" per GSI.
  contributor_insights = var.contributor_insights == null ? {} : merge(
    var.contributor_insights.table ? { table = null } : {},
    { for i in var.contributor_insights.indexes : "index/${i}" => i },
  )
}

resource "aws_dynamodb_resource_policy" "this" {
  count = var.resource_policy == null ? 0 : 1

  resource_arn = aws_dynamodb_table.this.arn
  policy       = var.resource_policy
}

resource "aws_dynamodb_contributor_insights" "this" {
  for_each = local.contributor_insights

  table_name = aws_dynamodb_table.this.name
  index_name = each.value
}

resource "aws_dynamodb_kinesis_streaming_destination" "this" {
  count = var.kinesis_stream_arn == null ? 0 : 1

  table_name = aws_dynamodb_table.this.name
  stream_arn = var.kinesis_stream_arn
}
