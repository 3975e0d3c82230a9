# One seed app's tables: a dynamodb-table per schema, with the stack's settings per table.
module "table" {
  source   = "../dynamodb-table"
  for_each = var.tables

  name                     = "${var.name_prefix}${each.key}${var.name_suffix}"
  partition_key            = each.value.partition_key
  sort_key                 = try(each.value.sort_key, null)
  global_secondary_indexes = try(each.value.global_secondary_indexes, {})
  local_secondary_indexes  = try(each.value.local_secondary_indexes, {})
  ttl_attribute_name       = try(each.value.ttl_attribute_name, null)
  stream_view_type         = try(each.value.stream_view_type, null)

  billing_mode                          = var.table_settings[each.key].billing_mode
  read_capacity                         = var.table_settings[each.key].read_capacity
  write_capacity                        = var.table_settings[each.key].write_capacity
  point_in_time_recovery_enabled        = var.table_settings[each.key].point_in_time_recovery_enabled
  point_in_time_recovery_period_in_days = var.table_settings[each.key].point_in_time_recovery_period_in_days
  deletion_protection_enabled           = var.table_settings[each.key].deletion_protection_enabled
  encryption_key_type                   = var.table_settings[each.key].encryption_key_type
  kms_key_arn                           = var.table_settings[each.key].kms_key_arn
  table_class                           = var.table_settings[each.key].table_class
  tags                                  = merge(var.tags, { Table = each.key })
  autoscaling                           = try(var.autoscaling[each.key], {})
  replicas                              = try(var.table_settings[each.key].replicas, [])
  contributor_insights                  = try(var.table_settings[each.key].contributor_insights_enabled, false) ? {} : null
}
