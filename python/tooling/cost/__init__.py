"""Monthly DynamoDB cost estimates from a Terraform plan and a usage file.

`pricing` loads the price list, `usage` validates usage files, `model` applies the pricing rules
to each table, `report` and `chart` present the result. `estimate_from_files` ties them together
for the CLI and for `make demo` / `make cost-report`.
"""

from __future__ import annotations

from tooling.cost.model import Estimate, TableCost, estimate
from tooling.cost.pricing import Pricing, load_pricing
from tooling.cost.usage import UsageFile, load_usage, parse_usage

__all__ = [
    "Estimate",
    "Pricing",
    "TableCost",
    "UsageFile",
    "estimate",
    "load_pricing",
    "load_usage",
    "parse_usage",
]
