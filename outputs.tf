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
