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

module "tables" {
  source = "../app-tables"

  app_name       = "iops-dashboard"
  tables         = local.tables
  name_prefix    = var.name_prefix
  name_suffix    = var.name_suffix
  table_settings = var.table_settings
  tags           = var.tags
  autoscaling    = var.autoscaling
  iam_role_names = var.iam_role_names
}

# Addresses before the tables and policies moved into ../app-tables: existing stacks only move.
moved {
  from = module.table
  to   = module.tables.module.table
}

moved {
  from = aws_iam_role_policy.access
  to   = module.tables.aws_iam_role_policy.access
}
