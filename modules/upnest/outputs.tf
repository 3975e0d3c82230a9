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
