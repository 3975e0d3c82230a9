# What `make demo` applies to the local moto endpoint: the root stack, on-demand, deletion
# protection off so that the demo can destroy what it created.
module "stack" {
  source = "../../"

  environment                = "local"
  billing_mode               = "PAY_PER_REQUEST"
  enable_deletion_protection = false
}

output "tables" {
  value = module.stack.tables
}

output "table_names" {
  value = module.stack.table_names
}
