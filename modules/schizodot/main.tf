# Seed 001: analysis jobs (looked up by job, listed per patient newest first) and per-patient
# analysis results ordered by timestamp.
locals {
  tables = {
    "SchizodotJobs" = {
      partition_key = { name = "job_id", type = "S" }
      global_secondary_indexes = {
        "patient_id-created_at-index" = {
          partition_key = { name = "patient_id", type = "S" }
          sort_key      = { name = "created_at", type = "S" }
        }
      }
    }
    "SchizodotUsers" = {
      partition_key = { name = "user_id", type = "S" }
      sort_key      = { name = "timestamp", type = "S" }
    }
  }
}

module "tables" {
  source = "../app-tables"

  app_name       = "schizodot"
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
