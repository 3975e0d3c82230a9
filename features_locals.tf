# Autoscaling settings resolved per seed table (stack-wide values with per-table overrides on top).
locals {
  table_autoscaling = {
    for t in flatten(values(local.seed_tables)) : t => {
      enabled = coalesce(try(var.autoscaling.tables[t].enabled, null), var.autoscaling.enabled)
      read    = { for f in ["min", "max", "target"] : f => coalesce(try(var.autoscaling.tables[t].read[f], null), var.autoscaling.read[f]) }
      write   = { for f in ["min", "max", "target"] : f => coalesce(try(var.autoscaling.tables[t].write[f], null), var.autoscaling.write[f]) }
      indexes = try(var.autoscaling.tables[t].indexes, {})
    }
  }
  app_autoscaling = {
    for app, tables in local.seed_tables : app => { for t in tables : t => local.table_autoscaling[t] if local.table_autoscaling[t].enabled }
  }
}
