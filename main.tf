locals {
  # The seed table names of each app; app modules define the schemas, this list lets the stack
  # validate per-table overrides before anything is planned.
  seed_tables = {
    "fusion-health"  = ["fusion-health-entries", "fusion-daily-summaries"]
    "schizodot"      = ["SchizodotJobs", "SchizodotUsers"]
    "mediphant"      = ["mediphant-data"]
    "upnest"         = ["UpNest-Users", "UpNest-Babies", "UpNest-GrowthData"]
    "iops-dashboard" = ["iops-dashboard-metrics", "iops-dashboard-insights"]
  }

  table_settings = {
    for t in flatten(values(local.seed_tables)) : t => {
      billing_mode                          = coalesce(try(var.table_overrides[t].billing_mode, null), var.billing_mode)
      read_capacity                         = coalesce(try(var.table_overrides[t].read_capacity, null), var.read_capacity)
      write_capacity                        = coalesce(try(var.table_overrides[t].write_capacity, null), var.write_capacity)
      deletion_protection_enabled           = coalesce(try(var.table_overrides[t].enable_deletion_protection, null), var.enable_deletion_protection)
      point_in_time_recovery_enabled        = coalesce(try(var.table_overrides[t].enable_point_in_time_recovery, null), var.enable_point_in_time_recovery)
      point_in_time_recovery_period_in_days = try(coalesce(try(var.table_overrides[t].point_in_time_recovery_period_in_days, null), var.point_in_time_recovery_period_in_days), null)
      table_class                           = coalesce(try(var.table_overrides[t].table_class, null), var.table_class)
      encryption_key_type                   = local.encryption_key_type
      kms_key_arn                           = local.kms_key_arn
      # Global tables: one replica per extra region, as recoverable as the table itself.
      replicas = [for r in var.replica_regions : {
        region_name            = r
        kms_key_arn            = lookup(var.replica_kms_key_arns, r, null)
        point_in_time_recovery = coalesce(try(var.table_overrides[t].enable_point_in_time_recovery, null), var.enable_point_in_time_recovery)
        propagate_tags         = true
      }]
      contributor_insights_enabled = var.enable_contributor_insights
    }
  }

  # Autoscaling per seed table: table_overrides[t].autoscaling over the deprecated
  # autoscaling.tables[t] over the stack-wide autoscaling, field by field.
  scaling_overrides = {
    for t in flatten(values(local.seed_tables)) : t => [
      try(var.table_overrides[t].autoscaling, {}),
      try(var.autoscaling.tables[t], {}),
    ]
  }
  table_autoscaling = {
    for t, layers in local.scaling_overrides : t => {
      enabled = coalesce(try(layers[0].enabled, null), try(layers[1].enabled, null), var.autoscaling.enabled)
      read    = { for f in ["min", "max", "target"] : f => coalesce(try(layers[0].read[f], null), try(layers[1].read[f], null), var.autoscaling.read[f]) }
      write   = { for f in ["min", "max", "target"] : f => coalesce(try(layers[0].write[f], null), try(layers[1].write[f], null), var.autoscaling.write[f]) }
      indexes = {
        for i in setunion(keys(try(layers[0].indexes, {})), keys(try(layers[1].indexes, {}))) : i => {
          for dim in ["read", "write"] : dim => {
            for f in ["min", "max", "target"] : f => try(coalesce(try(layers[0].indexes[i][dim][f], null), try(layers[1].indexes[i][dim][f], null)), null)
          }
        }
      }
    }
  }
  app_autoscaling = {
    for app, tables in local.seed_tables : app => { for t in tables : t => local.table_autoscaling[t] if local.table_autoscaling[t].enabled }
  }

  common_tags = merge(var.tags, {
    Environment = var.environment
    ManagedBy   = "terraform"
  })

  app_settings = {
    for app, tables in local.seed_tables : app => {
      table_settings = { for t in tables : t => local.table_settings[t] }
      tags           = merge(local.common_tags, { Application = app })
    }
  }
}

module "fusion_health" {
  source = "./modules/fusion-health"
  count  = contains(var.apps, "fusion-health") ? 1 : 0

  name_prefix    = var.table_name_prefix
  name_suffix    = var.table_name_suffix
  table_settings = local.app_settings["fusion-health"].table_settings
  tags           = local.app_settings["fusion-health"].tags
  autoscaling    = local.app_autoscaling["fusion-health"]
  iam_role_names = try(var.iam_role_names["fusion-health"], {})
}

module "schizodot" {
  source = "./modules/schizodot"
  count  = contains(var.apps, "schizodot") ? 1 : 0

  name_prefix    = var.table_name_prefix
  name_suffix    = var.table_name_suffix
  table_settings = local.app_settings["schizodot"].table_settings
  tags           = local.app_settings["schizodot"].tags
  autoscaling    = local.app_autoscaling["schizodot"]
  iam_role_names = try(var.iam_role_names["schizodot"], {})
}

module "mediphant" {
  source = "./modules/mediphant"
  count  = contains(var.apps, "mediphant") ? 1 : 0

  name_prefix    = var.table_name_prefix
  name_suffix    = var.table_name_suffix
  table_settings = local.app_settings["mediphant"].table_settings
  tags           = local.app_settings["mediphant"].tags
  autoscaling    = local.app_autoscaling["mediphant"]
  iam_role_names = try(var.iam_role_names["mediphant"], {})
}

module "upnest" {
  source = "./modules/upnest"
  count  = contains(var.apps, "upnest") ? 1 : 0

  name_prefix        = var.table_name_prefix
  name_suffix        = var.table_name_suffix
  table_settings     = local.app_settings["upnest"].table_settings
  tags               = local.app_settings["upnest"].tags
  autoscaling        = local.app_autoscaling["upnest"]
  iam_role_names     = try(var.iam_role_names["upnest"], {})
  per_user_isolation = var.upnest_per_user_isolation
}

module "iops_dashboard" {
  source = "./modules/iops-dashboard"
  count  = contains(var.apps, "iops-dashboard") ? 1 : 0

  name_prefix    = var.table_name_prefix
  name_suffix    = var.table_name_suffix
  table_settings = local.app_settings["iops-dashboard"].table_settings
  tags           = local.app_settings["iops-dashboard"].tags
  autoscaling    = local.app_autoscaling["iops-dashboard"]
  iam_role_names = try(var.iam_role_names["iops-dashboard"], {})
}

locals {
  app_tables = {
    "fusion-health"  = try(module.fusion_health[0].tables, {})
    "schizodot"      = try(module.schizodot[0].tables, {})
    "mediphant"      = try(module.mediphant[0].tables, {})
    "upnest"         = try(module.upnest[0].tables, {})
    "iops-dashboard" = try(module.iops_dashboard[0].tables, {})
  }
  tables = merge([
    for app, tables in local.app_tables : { for seed_name, t in tables : seed_name => merge(t, { app = app }) }
  ]...)
}
