# Development: cheap and disposable. On-demand, AWS-owned encryption key, no PITR, no deletion
# protection, no alarms, backups or budget.
module "stack" {
  source = "../../"

  environment                   = "development"
  billing_mode                  = "PAY_PER_REQUEST"
  encryption_key_type           = "AWS_OWNED"
  enable_point_in_time_recovery = false
  enable_deletion_protection    = false
}

output "table_names" {
  value = module.stack.table_names
}
