"""Price lists: one YAML file per region (python/tooling/data/pricing-<region>.yaml, or the files
of a `--pricing DIR`), each naming where its figures come from and when they were read.

A list may leave out figures its source does not state (a region known only from its replica
prices, say): a component whose price is missing is reported as not priced, with a warning, and
is never priced at another region's figure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tooling.errors import UsageError

# Strict: a price given as a string ("0.25") or a boolean is refused, as are NaN and infinity.
Price = Annotated[float, Field(ge=0, le=1000, strict=True, allow_inf_nan=False)]
Quota = Annotated[float, Field(ge=0, le=1e12, strict=True, allow_inf_nan=False)]
MAX_FILE_BYTES = 64 * 1024
REGION_PATTERN = r"^[a-z]{2}(-[a-z]+)+-\d+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OnDemand(_Strict):
    write_request_unit_per_million: Price | None = None
    read_request_unit_per_million: Price | None = None
    replicated_write_request_unit_per_million: Price | None = None


class Provisioned(_Strict):
    wcu_hour: Price | None = None
    rcu_hour: Price | None = None
    replicated_wcu_hour: Price | None = None


class Storage(_Strict):
    gb_month: Price | None = None
    item_overhead_bytes: Annotated[int, Field(ge=0, le=1024, strict=True)] = 100


class InfrequentAccess(_Strict):
    throughput_multiplier: Annotated[float, Field(ge=1, le=10, strict=True)] | None = None
    storage_gb_month: Price | None = None


class FreeTier(_Strict):
    storage_gb: Quota
    wcu: Quota
    rcu: Quota
    stream_read_request_units: Quota
    table_classes: tuple[str, ...] = ("STANDARD",)


class Pricing(_Strict):
    region: Annotated[str, Field(pattern=REGION_PATTERN)]
    source: Annotated[str, Field(min_length=1, max_length=2000)]
    date: datetime.date  # when the figures were read (or took effect)
    hours_per_month: Annotated[float, Field(ge=672, le=744, strict=True)] = 730
    on_demand: OnDemand = Field(default_factory=OnDemand)
    provisioned: Provisioned = Field(default_factory=Provisioned)
    storage: Storage = Field(default_factory=Storage)
    standard_infrequent_access: InfrequentAccess = Field(default_factory=InfrequentAccess)
    pitr_gb_month: Price | None = None
    backup_gb_month: Price | None = None
    restore_gb: Price | None = None
    stream_read_request_units_per_100k: Price | None = None
    free_tier: FreeTier | None = None

    def throughput_factor(self, table_class: str) -> float | None:
        """Multiplier of request and capacity prices for the table class (None: not stated)."""
        if table_class == "STANDARD_INFREQUENT_ACCESS":
            return self.standard_infrequent_access.throughput_multiplier
        return 1.0

    def storage_gb_month(self, table_class: str) -> float | None:
        if table_class == "STANDARD_INFREQUENT_ACCESS":
            return self.standard_infrequent_access.storage_gb_month
        return self.storage.gb_month


def _bundled(region: str) -> str | None:
    ref = resources.files("tooling") / "data" / f"pricing-{region}.yaml"
    return ref.read_text() if ref.is_file() else None


def bundled_regions() -> list[str]:
    folder = resources.files("tooling") / "data"
    names = [p.name for p in folder.iterdir() if p.name.startswith("pricing-")]
    return sorted(n.removeprefix("pricing-").removesuffix(".yaml") for n in names)


def _read(path: Path, flag: str) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UsageError(f"{flag} {path}: larger than {MAX_FILE_BYTES // 1024} KB")
        return path.read_text()
    except OSError as exc:
        raise UsageError(f"{flag} {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{flag} {path}: not a text file") from None


def parse_pricing(text: str, where: str) -> Pricing:
    from tooling.cost.usage import describe, safe_yaml

    raw: Any = safe_yaml(text, where)
    try:
        return Pricing.model_validate(raw)
    except ValidationError as exc:
        raise UsageError(f"{where}: {describe(exc)}") from None


@dataclass
class PriceBook:
    """The price lists of every region an estimate touches, loaded on first use."""

    folder: Path | None = None  # `--pricing DIR`: only its files; None: the bundled lists
    override: Pricing | None = None  # `--pricing FILE`: this list for its region
    _cache: dict[str, Pricing | None] = field(default_factory=dict)

    def get(self, region: str) -> Pricing | None:
        """The region's price list, or None when none is shipped (or in the folder)."""
        if region in self._cache:
            return self._cache[region]
        found: Pricing | None = None
        if self.override is not None and self.override.region == region:
            found = self.override
        elif self.folder is not None:
            path = self.folder / f"pricing-{region}.yaml"
            if path.is_file():
                found = parse_pricing(_read(path, "--pricing"), str(path))
        else:
            text = _bundled(region)
            if text is not None:
                found = parse_pricing(text, f"pricing-{region}.yaml")
        if found is not None and found.region != region:
            where = self.folder / f"pricing-{region}.yaml" if self.folder else region
            raise UsageError(f"{where}: region: says {found.region}, the file name {region}")
        self._cache[region] = found
        return found

    def where(self) -> str:
        if self.folder is not None:
            return f"--pricing {self.folder}"
        return "the bundled price lists (" + ", ".join(bundled_regions()) + ")"

    def home(self, region: str) -> Pricing:
        """The price list of the region the tables are in: required."""
        p = self.get(region)
        if p is None:
            raise UsageError(
                f"region {region}: no price list in {self.where()}; pass --pricing DIR with a "
                f"pricing-{region}.yaml (copy python/tooling/data/pricing-us-east-1.yaml)"
            )
        return p


def load_price_book(path: Path | None = None) -> PriceBook:
    """`--pricing`: a folder of pricing-<region>.yaml files, a single price-list file (used for
    its own region, the bundled lists for the others), or None (the bundled lists)."""
    if path is None:
        return PriceBook()
    if path.is_dir():
        if not any(path.glob("pricing-*.yaml")):
            raise UsageError(f"--pricing {path}: no pricing-<region>.yaml files in the folder")
        return PriceBook(folder=path)
    return PriceBook(override=parse_pricing(_read(path, "--pricing"), str(path)))


def load_pricing(path: Path | None = None, region: str = "us-east-1") -> Pricing:
    """The price list of `region`: from `path` (a file, or a folder of region files), else the
    bundled one."""
    book = load_price_book(path)
    if book.override is not None:
        return book.override
    return book.home(region)
