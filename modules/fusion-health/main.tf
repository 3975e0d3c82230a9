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

module "tables" {
  source = "../app-tables"

  app_name       = "fusion-health"
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
