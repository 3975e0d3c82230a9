# Seed 003: parents, their babies and the babies' growth measurements. Every user-facing query
# goes through a userId-keyed index so that data stays scoped to its owner.
locals {
  tables = {
    "UpNest-Users" = {
      partition_key    = { name = "userId", type = "S" }
      stream_view_type = "NEW_AND_OLD_IMAGES"
    }
    "UpNest-Babies" = {
      partition_key = { name = "babyId", type = "S" }
      global_secondary_indexes = {
        "UserBabiesIndex" = {
          partition_key = { name = "userId", type = "S" }
        }
      }
    }
    "UpNest-GrowthData" = {
      partition_key = { name = "babyId", type = "S" }
      sort_key      = { name = "measurementDate", type = "S" }
      global_secondary_indexes = {
        "UserGrowthDataIndex" = {
          partition_key = { name = "userId", type = "S" }
          sort_key      = { name = "measurementDate", type = "S" }
        }
      }
    }
  }
}

module "tables" {
  source = "../app-tables"

  app_name       = "upnest"
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
