# Target-tracking autoscaling of a PROVISIONED table and its GSIs: one scalable target and one
# policy resource, each with for_each over {table, every GSI} x {read, write}.
#
# Why capacity is not set back after the autoscaler moves it: autoscaled capacities are written
# into aws_dynamodb_table.this as their *current* value read from AWS (data sources below), or
# as the scaling minimum when the table or index does not exist yet (AWS needs a value at
# create) or is on-demand today (it reads back 0: the switch from PAY_PER_REQUEST to
# PROVISIONED starts at the minimum). Config then equals the remote value, so a plan has nothing to change, while capacities
# that are not autoscaled stay plain inputs and still plan updates. An unconditional
# lifecycle.ignore_changes on read_capacity/write_capacity would freeze those too, and could not
# reach GSI capacities without ignoring every GSI change (they live in a set block).
locals {
  autoscaled = local.provisioned && var.autoscaling.enabled

  scaling_dimensions = {
    read  = { unit = "ReadCapacityUnits", metric = "DynamoDBReadCapacityUtilization" }
    write = { unit = "WriteCapacityUnits", metric = "DynamoDBWriteCapacityUtilization" }
  }

  # Per GSI: the table's read/write settings with the index's overrides on top.
  index_scaling = {
    for name in keys(var.global_secondary_indexes) : name => {
      for dim in keys(local.scaling_dimensions) : dim => {
        for field in ["min", "max", "target"] : field => coalesce(
          try(var.autoscaling.indexes[name][dim][field], null), var.autoscaling[dim][field]
        )
      }
    }
  }

  scaling = { for k, v in merge(
    { for dim, d in local.scaling_dimensions : "table-${dim}" => merge(var.autoscaling[dim], {
      resource_id = "table/${var.name}"
      dimension   = "dynamodb:table:${d.unit}"
      metric      = d.metric
    }) },
    merge([for index, dims in local.index_scaling : {
      for dim, d in local.scaling_dimensions : "index-${index}-${dim}" => merge(dims[dim], {
        resource_id = "table/${var.name}/index/${index}"
        dimension   = "dynamodb:index:${d.unit}"
        metric      = d.metric
      })
    }]...),
  ) : k => v if local.autoscaled }

  # The live table, when it exists and is autoscaled (read at plan time, by name only).
  current     = try(data.aws_dynamodb_table.current[0], null)
  current_gsi = { for g in try(local.current.global_secondary_index, []) : g.name => g }

  # Where autoscaling starts from: the live capacity, or the minimum where there is none (the
  # table or index is new, or on-demand today and reads back 0).
  live_capacity = { for dim in keys(local.scaling_dimensions) : dim => coalesce(try(local.current["${dim}_capacity"], null), 0) }
  scaled_capacity = {
    for dim in keys(local.scaling_dimensions) : dim => local.live_capacity[dim] >= 1 ? local.live_capacity[dim] : var.autoscaling[dim].min
  }
  live_gsi_capacity = {
    for name in keys(var.global_secondary_indexes) : name => {
      for dim in keys(local.scaling_dimensions) : dim => coalesce(try(local.current_gsi[name]["${dim}_capacity"], null), 0)
    }
  }
  scaled_gsi_capacity = {
    for name, live in local.live_gsi_capacity : name => {
      for dim in keys(local.scaling_dimensions) : dim => live[dim] >= 1 ? live[dim] : local.index_scaling[name][dim].min
    }
  }

  table_capacity = {
    read  = !local.provisioned ? null : local.autoscaled ? local.scaled_capacity.read : var.read_capacity
    write = !local.provisioned ? null : local.autoscaled ? local.scaled_capacity.write : var.write_capacity
  }
  gsi_capacity = {
    for name, g in var.global_secondary_indexes : name => {
      read  = !local.provisioned ? null : local.autoscaled ? local.scaled_gsi_capacity[name].read : coalesce(g.read_capacity, var.read_capacity)
      write = !local.provisioned ? null : local.autoscaled ? local.scaled_gsi_capacity[name].write : coalesce(g.write_capacity, var.write_capacity)
    }
  }
}

data "aws_dynamodb_tables" "existing" {
  count = local.autoscaled ? 1 : 0
}

data "aws_dynamodb_table" "current" {
  count = local.autoscaled && try(contains(data.aws_dynamodb_tables.existing[0].names, var.name), false) ? 1 : 0
  name  = var.name
}

# The table's own targets and policies are separate blocks (not instances of one for_each) and
# reference the table, the index ones take the table name from var.name and wait for the table
# through depends_on. Both register the same targets; the split is for scanners that read plans
# as a graph (checkov's CKV2_AWS_16): they cannot tell instances of one for_each apart inside a
# for_each module, so a table linked to several targets of one block looked unscaled.
locals {
  table_scaling         = { for dim in keys(local.scaling_dimensions) : dim => local.scaling["table-${dim}"] if local.autoscaled }
  index_scaling_targets = { for k, v in local.scaling : k => v if startswith(k, "index-") }
}

resource "aws_appautoscaling_target" "table_read" {
  count = local.autoscaled ? 1 : 0

  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this.name}"
  scalable_dimension = local.table_scaling.read.dimension
  min_capacity       = local.table_scaling.read.min
  max_capacity       = local.table_scaling.read.max
}

resource "aws_appautoscaling_policy" "table_read" {
  count = local.autoscaled ? 1 : 0

  name               = "${local.table_scaling.read.metric}:${aws_appautoscaling_target.table_read[0].resource_id}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.table_read[0].service_namespace
  resource_id        = aws_appautoscaling_target.table_read[0].resource_id
  scalable_dimension = aws_appautoscaling_target.table_read[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = local.table_scaling.read.target
    predefined_metric_specification {
      predefined_metric_type = local.table_scaling.read.metric
    }
  }
}

resource "aws_appautoscaling_target" "table_write" {
  count = local.autoscaled ? 1 : 0

  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this.name}"
  scalable_dimension = local.table_scaling.write.dimension
  min_capacity       = local.table_scaling.write.min
  max_capacity       = local.table_scaling.write.max
}

resource "aws_appautoscaling_policy" "table_write" {
  count = local.autoscaled ? 1 : 0

  name               = "${local.table_scaling.write.metric}:${aws_appautoscaling_target.table_write[0].resource_id}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.table_write[0].service_namespace
  resource_id        = aws_appautoscaling_target.table_write[0].resource_id
  scalable_dimension = aws_appautoscaling_target.table_write[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = local.table_scaling.write.target
    predefined_metric_specification {
      predefined_metric_type = local.table_scaling.write.metric
    }
  }
}

# Stacks applied before the split keep their targets and policies.
moved {
  from = aws_appautoscaling_target.this["table-read"]
  to   = aws_appautoscaling_target.table_read[0]
}
moved {
  from = aws_appautoscaling_policy.this["table-read"]
  to   = aws_appautoscaling_policy.table_read[0]
}
moved {
  from = aws_appautoscaling_target.this["table-write"]
  to   = aws_appautoscaling_target.table_write[0]
}
moved {
  from = aws_appautoscaling_policy.this["table-write"]
  to   = aws_appautoscaling_policy.table_write[0]
}

resource "aws_appautoscaling_target" "this" {
  for_each = local.index_scaling_targets

  service_namespace  = "dynamodb"
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.dimension
  min_capacity       = each.value.min
  max_capacity       = each.value.max

  # The index exists once the table does.
  depends_on = [aws_dynamodb_table.this]
}

resource "aws_appautoscaling_policy" "this" {
  for_each = local.index_scaling_targets

  name               = "${each.value.metric}:${aws_appautoscaling_target.this[each.key].resource_id}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.this[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = each.value.target
    predefined_metric_specification {
      predefined_metric_type = each.value.metric
    }
  }
}
