"""The price list: one YAML data file per region (python/tooling/data/pricing-<region>.yaml)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, ValidationError

from tooling.errors import UsageError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OnDemand(_Strict):
    write_request_unit_per_million: NonNegativeFloat
    read_request_unit_per_million: NonNegativeFloat
    replicated_write_request_unit_per_million: NonNegativeFloat


class Provisioned(_Strict):
    wcu_hour: NonNegativeFloat
    rcu_hour: NonNegativeFloat
    replicated_wcu_hour: NonNegativeFloat


class Storage(_Strict):
    gb_month: NonNegativeFloat
    item_overhead_bytes: int = Field(ge=0)


class InfrequentAccess(_Strict):
    throughput_multiplier: NonNegativeFloat
    storage_gb_month: NonNegativeFloat


class FreeTier(_Strict):
    storage_gb: NonNegativeFloat
    wcu: NonNegativeFloat
    rcu: NonNegativeFloat
    stream_read_request_units: NonNegativeFloat
    table_classes: tuple[str, ...] = ("STANDARD",)


class Pricing(_Strict):
    region: str
    hours_per_month: float = Field(gt=0)
    on_demand: OnDemand
    provisioned: Provisioned
    storage: Storage
    standard_infrequent_access: InfrequentAccess
    pitr_gb_month: NonNegativeFloat
    backup_gb_month: NonNegativeFloat
    restore_gb: NonNegativeFloat
    stream_read_request_units_per_100k: NonNegativeFloat
    free_tier: FreeTier

    def throughput_factor(self, table_class: str) -> float:
        ia = table_class == "STANDARD_INFREQUENT_ACCESS"
        return self.standard_infrequent_access.throughput_multiplier if ia else 1.0

    def storage_gb_month(self, table_class: str) -> float:
        if table_class == "STANDARD_INFREQUENT_ACCESS":
            return self.standard_infrequent_access.storage_gb_month
        return self.storage.gb_month


def _bundled(region: str) -> str | None:
    ref = resources.files("tooling") / "data" / f"pricing-{region}.yaml"
    return ref.read_text() if ref.is_file() else None


def load_pricing(path: Path | None = None, region: str = "us-east-1") -> Pricing:
    """The price list in `path`, else the bundled one of `region`."""
    if path is not None:
        where = str(path)
        try:
            text = path.read_text()
        except OSError as exc:
            raise UsageError(f"--pricing {path}: {exc.strerror or exc}") from None
    else:
        where = f"pricing-{region}.yaml"
        text = _bundled(region)
        if text is None:
            raise UsageError(
                f"region {region}: no bundled price list; pass --pricing FILE "
                "(copy python/tooling/data/pricing-us-east-1.yaml)"
            )
    try:
        raw: Any = yaml.safe_load(text)
        return Pricing.model_validate(raw)
    except yaml.YAMLError as exc:
        raise UsageError(f"{where}: not YAML ({str(exc).splitlines()[0]})") from None
    except ValidationError as exc:
        from tooling.cost.usage import describe

        raise UsageError(f"{where}: {describe(exc)}") from None
