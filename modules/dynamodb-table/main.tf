locals {
  provisioned = var.billing_mode == "PROVISIONED"

  # Every key of the table and its indexes, in order; attribute definitions are derived from these
  # so that callers never list attributes by hand.
  keys = concat(
    [var.partition_key],
    var.sort_key == null ? [] : [var.sort_key],
    flatten([for g in values(var.global_secondary_indexes) : concat([g.partition_key], g.sort_key == null ? [] : [g.sort_key])]),
    [for l in values(var.local_secondary_indexes) : l.sort_key],
  )
  key_types  = { for k in local.keys : k.name => k.type... }
  attributes = { for name, types in local.key_types : name => types[0] }
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = var.billing_mode
  hash_key                    = var.partition_key.name
  range_key                   = try(var.sort_key.name, null)
  read_capacity               = local.table_capacity.read
  write_capacity              = local.table_capacity.write
  table_class                 = var.table_class
  deletion_protection_enabled = var.deletion_protection_enabled
  stream_enabled              = local.stream_view_type != null
  stream_view_type            = local.stream_view_type
  tags                        = var.tags

  # Create-time sources: a restore of another table (var.restore), or nothing.
  restore_source_name      = try(var.restore.source_table_name, null)
  restore_source_table_arn = try(var.restore.source_table_arn, null)
  restore_date_time        = try(var.restore.date_time, null)
  restore_to_latest_time   = try(var.restore.latest, false) ? true : null

  dynamic "attribute" {
    for_each = local.attributes
    content {
      name = attribute.key
      type = attribute.value
    }
  }

  dynamic "global_secondary_index" {
    for_each = var.global_secondary_indexes
    content {
      name               = global_secondary_index.key
      hash_key           = global_secondary_index.value.partition_key.name
      range_key          = try(global_secondary_index.value.sort_key.name, null)
      projection_type    = global_secondary_index.value.projection_type
      non_key_attributes = global_secondary_index.value.projection_type == "INCLUDE" ? global_secondary_index.value.non_key_attributes : null
      read_capacity      = local.gsi_capacity[global_secondary_index.key].read
      write_capacity     = local.gsi_capacity[global_secondary_index.key].write

      dynamic "on_demand_throughput" {
        for_each = !local.provisioned && (global_secondary_index.value.max_read_request_units != null || global_secondary_index.value.max_write_request_units != null) ? [1] : []
        content {
          max_read_request_units  = global_secondary_index.value.max_read_request_units
          max_write_request_units = global_secondary_index.value.max_write_request_units
        }
      }
    }
  }

  dynamic "local_secondary_index" {
    for_each = var.local_secondary_indexes
    content {
      name               = local_secondary_index.key
      range_key          = local_secondary_index.value.sort_key.name
      projection_type    = local_secondary_index.value.projection_type
      non_key_attributes = local_secondary_index.value.projection_type == "INCLUDE" ? local_secondary_index.value.non_key_attributes : null
    }
  }

  dynamic "on_demand_throughput" {
    for_each = var.on_demand_throughput == null ? [] : [var.on_demand_throughput]
    content {
      max_read_request_units  = on_demand_throughput.value.max_read_request_units
      max_write_request_units = on_demand_throughput.value.max_write_request_units
    }
  }

  dynamic "ttl" {
    for_each = var.ttl_attribute_name == null ? [] : [var.ttl_attribute_name]
    content {
      enabled        = true
      attribute_name = ttl.value
    }
  }

  point_in_time_recovery {
    enabled                 = var.point_in_time_recovery_enabled
    recovery_period_in_days = var.point_in_time_recovery_enabled ? var.point_in_time_recovery_period_in_days : null
  }

  # AWS-owned keys need no block; a block with enabled = true and no key ARN selects the AWS-managed key.
  dynamic "server_side_encryption" {
    for_each = var.encryption_key_type == "AWS_OWNED" ? [] : [var.encryption_key_type]
    content {
      enabled     = true
      kms_key_arn = server_side_encryption.value == "CUSTOMER_MANAGED" ? var.kms_key_arn : null
    }
  }

  dynamic "import_table" {
    for_each = var.import_table == null ? [] : [var.import_table]
    content {
      input_format           = import_table.value.input_format
      input_compression_type = import_table.value.input_compression_type

      s3_bucket_source {
        bucket       = import_table.value.s3_bucket_source.bucket
        bucket_owner = import_table.value.s3_bucket_source.bucket_owner
        key_prefix   = import_table.value.s3_bucket_source.key_prefix
      }

      dynamic "input_format_options" {
        for_each = import_table.value.csv == null ? [] : [import_table.value.csv]
        content {
          csv {
            delimiter   = input_format_options.value.delimiter
            header_list = input_format_options.value.header_list
          }
        }
      }
    }
  }

  dynamic "replica" {
    for_each = local.replicas
    content {
      region_name            = replica.value.region_name
      kms_key_arn            = replica.value.kms_key_arn
      point_in_time_recovery = replica.value.point_in_time_recovery
      propagate_tags         = replica.value.propagate_tags
    }
  }

  # Only when set: an empty block would differ from the state of tables created without one.
  dynamic "timeouts" {
    for_each = length(compact(values(var.timeouts))) > 0 ? [var.timeouts] : []
    content {
      create = timeouts.value.create
      update = timeouts.value.update
      delete = timeouts.value.delete
    }
  }

  lifecycle {
    precondition {
      condition     = !contains([for r in var.replicas : r.region_name], data.aws_region.current.name)
      error_message = "replicas must not include the table's own region ${data.aws_region.current.name} (the provider's region): a replica lives in another region."
    }
    precondition {
      condition     = alltrue([for types in values(local.key_types) : length(distinct(types)) == 1])
      error_message = "Each key attribute must have one type across the table and its indexes; conflicting: ${join(", ", [for name, types in local.key_types : "${name} (${join("/", distinct(types))})" if length(distinct(types)) > 1])}."
    }
    precondition {
      condition     = length(var.local_secondary_indexes) == 0 || var.sort_key != null
      error_message = "local_secondary_indexes require the table to have a sort_key."
    }
  }
}
