output "tables" {
  description = "Per seed table name: physical name, ARN, stream ARN, key schema, index names and index ARNs."
  value       = module.tables.tables
}

output "read_only_policy_json" {
  description = "IAM policy document (JSON) for reading exactly this app's tables and indexes."
  value       = module.tables.read_only_policy_json
}

output "read_write_policy_json" {
  description = "IAM policy document (JSON) for reading and writing exactly this app's tables (and querying their indexes)."
  value       = module.tables.read_write_policy_json
}

output "autoscaling" {
  description = "Autoscaled dimensions per seed table name (empty for tables that are not autoscaled)."
  value       = module.tables.autoscaling
}

output "per_user_policy_json" {
  description = "IAM policy document (JSON) limiting a web-identity user to their own UpNest items (null unless per_user_isolation)."
  value       = try(data.aws_iam_policy_document.per_user[0].json, null)
}
