# A monthly cost budget for DynamoDB with a forecast alert.
resource "aws_budgets_budget" "dynamodb" {
  count = var.enable_budget ? 1 : 0

  name         = "${var.table_name_prefix}dynamodb-seed-stacks-${var.environment}${var.table_name_suffix}"
  budget_type  = "COST"
  limit_amount = tostring(var.budget_limit_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "Service"
    values = ["Amazon DynamoDB"]
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = var.budget_alert_percent
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = var.budget_alert_emails
    subscriber_sns_topic_arns  = compact([local.alarm_topic_arn])
  }
}
