output "name" {
  description = "Table name."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "Table ARN."
  value       = aws_dynamodb_table.this.arn
}

output "stream_arn" {
  description = "ARN of the table's stream (null when streams are disabled)."
  value       = local.stream_view_type == null ? null : aws_dynamodb_table.this.stream_arn
}

output "key_schema" {
  description = "Partition and sort key of the table: {partition_key = {name, type}, sort_key = {name, type} or null}."
  value = {
    partition_key = var.partition_key
    sort_key      = var.sort_key
  }
}

output "attributes" {
  description = "Attribute definitions derived from the table and index keys (name => type)."
  value       = local.attributes
}

output "global_secondary_index_names" {
  description = "Names of the global secondary indexes."
  value       = sort(keys(var.global_secondary_indexes))
}

output "local_secondary_index_names" {
  description = "Names of the local secondary indexes."
  value       = sort(keys(var.local_secondary_indexes))
}

output "index_arns" {
  description = "ARNs of the table's indexes (table ARN + /index/NAME), for IAM policies."
  value       = [for n in sort(concat(keys(var.global_secondary_indexes), keys(var.local_secondary_indexes))) : "${aws_dynamodb_table.this.arn}/index/${n}"]
}

output "autoscaling" {
  description = "Autoscaled dimensions (table-read, table-write, index-NAME-read, ...) with their resource ID, scalable dimension, min, max and target; empty when not autoscaled."
  value = { for k, s in local.scaling : k => {
    resource_id = s.resource_id
    dimension   = s.dimension
    min         = s.min
    max         = s.max
    target      = s.target
  } }
}

output "billing_mode" {
  description = "Billing mode of the table."
  value       = var.billing_mode
}

output "stream_view_type" {
  description = "View type of the table's stream: stream_view_type, or NEW_AND_OLD_IMAGES when replicas are set (null when streams are disabled)."
  value       = local.stream_view_type
}

output "replicas" {
  description = "Replicas by region: {arn, stream_arn} (empty without replicas)."
  value       = { for r in aws_dynamodb_table.this.replica : r.region_name => { arn = r.arn, stream_arn = r.stream_arn } }
}
