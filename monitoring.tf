# CloudWatch alarms per table, sent to the topic the user passes or one the stack creates.
locals {
  create_topic    = var.enable_alarms && var.alarm_sns_topic_arn == null
  alarm_topic_arn = var.alarm_sns_topic_arn != null ? var.alarm_sns_topic_arn : try(aws_sns_topic.alarms[0].arn, null)

  # SystemErrors is published per TableName and Operation: the alarm sums the data operations.
  error_operations = ["BatchGetItem", "BatchWriteItem", "DeleteItem", "GetItem", "PutItem", "Query", "Scan", "TransactGetItems", "TransactWriteItems", "UpdateItem"]

  # Keyed from the static seed names (table attributes are unknown until apply).
  deployed_tables = { for seed_name in flatten([for app in var.apps : local.seed_tables[app]]) : seed_name => {
    name = "${var.table_name_prefix}${seed_name}${var.table_name_suffix}"
  } }

  alarms = !var.enable_alarms ? {} : merge([for seed_name, t in local.deployed_tables : merge(
    {
      "${seed_name}:read-throttles"  = { table = t.name, kind = "read-throttles", metric = "ReadThrottleEvents" }
      "${seed_name}:write-throttles" = { table = t.name, kind = "write-throttles", metric = "WriteThrottleEvents" }
      "${seed_name}:system-errors"   = { table = t.name, kind = "system-errors", metric = "SystemErrors" }
    },
    local.table_settings[seed_name].billing_mode != "PROVISIONED" ? {} : {
      "${seed_name}:read-capacity"  = { table = t.name, kind = "read-capacity", metric = "ReadCapacityUnits" }
      "${seed_name}:write-capacity" = { table = t.name, kind = "write-capacity", metric = "WriteCapacityUnits" }
    },
  )]...)
}

resource "aws_sns_topic" "alarms" {
  count = local.create_topic ? 1 : 0

  # The created key goes in by its alias: known at plan time, so a plan scan sees the encryption.
  name              = "${var.table_name_prefix}dynamodb-seed-stacks-alarms-${var.environment}${var.table_name_suffix}"
  kms_master_key_id = var.create_kms_key ? aws_kms_alias.this[0].name : coalesce(var.kms_key_arn, "alias/aws/sns")
  tags              = local.common_tags
}

resource "aws_cloudwatch_metric_alarm" "table" {
  for_each = local.alarms

  alarm_name          = "${each.value.table}-${each.value.kind}"
  alarm_description   = "DynamoDB ${each.value.table}: ${each.value.kind}"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  threshold           = endswith(each.value.kind, "capacity") ? var.alarm_capacity_percent : 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [local.alarm_topic_arn]
  ok_actions          = [local.alarm_topic_arn]
  tags                = merge(local.common_tags, { Table = split(":", each.key)[0] })

  # Throttle events: one metric.
  namespace   = endswith(each.value.kind, "throttles") ? "AWS/DynamoDB" : null
  metric_name = endswith(each.value.kind, "throttles") ? each.value.metric : null
  statistic   = endswith(each.value.kind, "throttles") ? "Sum" : null
  period      = endswith(each.value.kind, "throttles") ? 300 : null
  dimensions  = endswith(each.value.kind, "throttles") ? { TableName = each.value.table } : null

  # System errors: the sum over operations.
  dynamic "metric_query" {
    for_each = each.value.kind == "system-errors" ? local.error_operations : []
    content {
      id = "m${metric_query.key}"
      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = "SystemErrors"
        stat        = "Sum"
        period      = 300
        dimensions  = { TableName = each.value.table, Operation = metric_query.value }
      }
    }
  }
  dynamic "metric_query" {
    for_each = each.value.kind == "system-errors" ? [1] : []
    content {
      id          = "errors"
      expression  = "SUM(METRICS())"
      label       = "SystemErrors (all operations)"
      return_data = true
    }
  }

  # Consumed capacity as a percentage of provisioned capacity.
  dynamic "metric_query" {
    for_each = endswith(each.value.kind, "capacity") ? { consumed = "Consumed${each.value.metric}", provisioned = "Provisioned${each.value.metric}" } : {}
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = metric_query.value
        stat        = metric_query.key == "consumed" ? "Sum" : "Average"
        period      = 300
        dimensions  = { TableName = each.value.table }
      }
    }
  }
  dynamic "metric_query" {
    for_each = endswith(each.value.kind, "capacity") ? [1] : []
    content {
      id          = "utilisation"
      expression  = "100 * (consumed / 300) / provisioned"
      label       = "Consumed share of provisioned (%)"
      return_data = true
    }
  }
}
