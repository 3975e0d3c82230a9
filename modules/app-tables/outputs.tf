output "tables" {
  description = "Per seed table name: physical name, ARN, stream ARN, key schema, index names and index ARNs."
  value = {
    for seed_name, t in module.table : seed_name => {
      name                         = t.name
      arn                          = t.arn
      stream_arn                   = t.stream_arn
      key_schema                   = t.key_schema
      global_secondary_index_names = t.global_secondary_index_names
      local_secondary_index_names  = t.local_secondary_index_names
      index_arns                   = t.index_arns
    }
  }
}

output "read_only_policy_json" {
  description = "IAM policy document (JSON) for reading exactly this app's tables and indexes."
  value       = data.aws_iam_policy_document.access["read_only"].json
}

output "read_write_policy_json" {
  description = "IAM policy document (JSON) for reading and writing exactly this app's tables (and querying their indexes)."
  value       = data.aws_iam_policy_document.access["read_write"].json
}

output "autoscaling" {
  description = "Autoscaled dimensions per seed table name (empty for tables that are not autoscaled)."
  value       = { for seed_name, t in module.table : seed_name => t.autoscaling }
}

output "table_arn_prefix" {
  description = "arn:PARTITION:dynamodb:REGION:ACCOUNT:table/ (known at plan time), for policies built on top."
  value       = local.arn_prefix
}
