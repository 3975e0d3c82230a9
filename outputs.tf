output "tables" {
  description = "Every deployed table keyed by its seed name: app, physical name, ARN, stream ARN (null without streams), key schema, GSI and LSI names, index ARNs."
  value       = local.tables
}

output "table_names" {
  description = "Physical table name keyed by seed name."
  value       = { for seed_name, t in local.tables : seed_name => t.name }
}

output "table_arns" {
  description = "Table ARN keyed by seed name."
  value       = { for seed_name, t in local.tables : seed_name => t.arn }
}

output "stream_arns" {
  description = "Stream ARN keyed by seed name, for the tables with streams enabled."
  value       = { for seed_name, t in local.tables : seed_name => t.stream_arn if t.stream_arn != null }
}

output "index_names" {
  description = "GSI and LSI names keyed by seed table name."
  value       = { for seed_name, t in local.tables : seed_name => concat(t.global_secondary_index_names, t.local_secondary_index_names) }
}

output "environment" {
  description = "The environment this stack was deployed for."
  value       = var.environment
}

output "iam_policies" {
  description = "Per app: least-privilege IAM policy documents (JSON) read_only and read_write for exactly its tables and indexes."
  value = { for app, m in {
    "fusion-health"  = module.fusion_health
    "schizodot"      = module.schizodot
    "mediphant"      = module.mediphant
    "upnest"         = module.upnest
    "iops-dashboard" = module.iops_dashboard
  } : app => { read_only = m[0].read_only_policy_json, read_write = m[0].read_write_policy_json } if length(m) > 0 }
}

output "upnest_per_user_policy" {
  description = "UpNest per-user IAM policy document (JSON, dynamodb:LeadingKeys); null unless upnest_per_user_isolation."
  value       = try(module.upnest[0].per_user_policy_json, null)
}

output "autoscaling" {
  description = "Autoscaled dimensions per seed table name (resource ID, dimension, min, max, target)."
  value = merge(
    try(module.fusion_health[0].autoscaling, {}), try(module.schizodot[0].autoscaling, {}), try(module.mediphant[0].autoscaling, {}),
    try(module.upnest[0].autoscaling, {}), try(module.iops_dashboard[0].autoscaling, {}),
  )
}

output "kms_key_arn" {
  description = "Customer-managed key encrypting the tables (created or passed); null with AWS-owned/managed keys."
  value       = local.kms_key_arn
}

output "alarm_topic_arn" {
  description = "SNS topic receiving the alarms (and budget alerts); null when alarms are off and none was passed."
  value       = local.alarm_topic_arn
}

output "alarm_names" {
  description = "CloudWatch alarm names keyed by seed-table:kind."
  value       = { for k, a in aws_cloudwatch_metric_alarm.table : k => a.alarm_name }
}

output "backup_plan_id" {
  description = "AWS Backup plan ID (null when backups are off)."
  value       = try(aws_backup_plan.this[0].id, null)
}

output "budget_name" {
  description = "AWS Budgets budget name (null when the budget is off)."
  value       = try(aws_budgets_budget.dynamodb[0].name, null)
}
