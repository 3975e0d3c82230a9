"""Monthly DynamoDB cost estimates from a Terraform plan and a usage file.

`pricing` loads the per-region price lists, `usage` validates usage files (native and
Infracost's), `samples` measures attribute sizes on sample items, `model` applies the pricing
rules to each table as `Component`s (quantity, unit, unit price, monthly cost, derivation),
`report` and `chart` present the result. `api.run` ties them together for the CLI and for
`make demo` / `make cost-report`.
"""

from __future__ import annotations

from tooling.cost.model import Component, Estimate, TableCost, estimate
from tooling.cost.pricing import PriceBook, Pricing, load_price_book, load_pricing
from tooling.cost.samples import Samples, load_samples
from tooling.cost.usage import UsageFile, load_usage, parse_usage

__all__ = [
    "Component",
    "Estimate",
    "PriceBook",
    "Pricing",
    "Samples",
    "TableCost",
    "UsageFile",
    "estimate",
    "load_price_book",
    "load_pricing",
    "load_samples",
    "load_usage",
    "parse_usage",
]
