# Seed 004: aggregated metrics per entity (streamed to the dashboard) and AI insights per entity
# that expire through TTL.
locals {
  tables = {
    "iops-dashboard-metrics" = {
      partition_key = { name = "entity_id", type = "S" }
      sort_key      = { name = "entity_type", type = "S" }
      global_secondary_indexes = {
        "EntityTypeHealthIndex" = {
          partition_key = { name = "entity_type", type = "S" }
          sort_key      = { name = "health_score", type = "N" }
        }
        "LastUpdatedIndex" = {
          partition_key = { name = "entity_type", type = "S" }
          sort_key      = { name = "last_updated", type = "S" }
        }
      }
      stream_view_type = "NEW_AND_OLD_IMAGES"
    }
    "iops-dashboard-insights" = {
      partition_key = { name = "pk", type = "S" }
      sort_key      = { name = "sk", type = "S" }
      global_secondary_indexes = {
        "PredictionTypeIndex" = {
          partition_key = { name = "prediction_type", type = "S" }
          sort_key      = { name = "timestamp", type = "S" }
        }
        "RiskScoreIndex" = {
          partition_key = { name = "prediction_type", type = "S" }
          sort_key      = { name = "risk_score", type = "N" }
        }
      }
      ttl_attribute_name = "ttl"
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
