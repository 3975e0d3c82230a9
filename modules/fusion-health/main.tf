# Seed 000: pain, medication and vitals entries keyed by day (MMDD) and time (HHMM), plus one
# summary item per day. The two GSIs are sparse: an entry without medication or pain has no
# medication_taken / max_pain_level and stays out of that index.
locals {
  tables = {
    "fusion-health-entries" = {
      partition_key = { name = "date", type = "S" }
      sort_key      = { name = "timestamp", type = "S" }
      global_secondary_indexes = {
        "medication-index" = {
          partition_key = { name = "medication_taken", type = "S" }
          sort_key      = { name = "date", type = "S" }
        }
        "pain-level-index" = {
          partition_key = { name = "max_pain_level", type = "N" }
          sort_key      = { name = "date", type = "S" }
        }
      }
    }
    "fusion-daily-summaries" = {
      partition_key = { name = "date", type = "S" }
    }
  }
}

module "table" {
  source   = "../dynamodb-table"
  for_each = local.tables

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
