"""Terraform and its plans: the CLI adapter, the plan model, the plan guard, stack outputs."""
