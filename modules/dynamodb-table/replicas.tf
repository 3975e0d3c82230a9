# Global tables: the replicas, and the stream they replicate through.
data "aws_region" "current" {}

locals {
  # Global tables replicate through the stream, which must carry both images.
  stream_view_type = length(var.replicas) > 0 ? "NEW_AND_OLD_IMAGES" : var.stream_view_type

  # Unset replica PITR follows the table's, so that a replica is as recoverable as its source.
  replicas = [for r in var.replicas : merge(r, {
    point_in_time_recovery = coalesce(r.point_in_time_recovery, var.point_in_time_recovery_enabled)
  })]
}
