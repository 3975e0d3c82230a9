# Seed 002: one table for query history, rate-limit windows, FAQ searches and sessions, with
# generic PK/SK keys, one overloaded GSI and TTL-based clean-up.
locals {
  tables = {
    "mediphant-data" = {
      partition_key = { name = "PK", type = "S" }
      sort_key      = { name = "SK", type = "S" }
      global_secondary_indexes = {
        "GSI1" = {
          partition_key = { name = "GSI1PK", type = "S" }
          sort_key      = { name = "GSI1SK", type = "S" }
        }
      }
      ttl_attribute_name = "TTL"
    }
  }
}

module "tables" {
  source = "../app-tables"

  app_name       = "mediphant"
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
