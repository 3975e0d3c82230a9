"""Usage files: the traffic and data assumptions a cost estimate needs, validated strictly.

Two forms are accepted, alone or together:

- the native form, per table (keyed by seed name or physical name): item size, item count or
  retention, reads and writes per day/month/second, consistency, per-GSI write shares, streams,
  backups. A table may be stated per unit (`per: active_users`) against a top-level
  `units: {active_users: 1000}`; its volumes are then multiplied by that count, and the report
  shows the cost per unit;
- the Infracost usage-file form: `resource_usage:` keyed by resource address (or table name),
  with `monthly_write_request_units`, `monthly_read_request_units`, `storage_gb`, ...
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tooling.errors import UsageError

# Strict numbers: YAML strings such as "5" and booleans are refused, as are NaN and infinity.
Amount = Annotated[float, Field(ge=0, strict=True, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, strict=True, allow_inf_nan=False)]
Size = Annotated[float, Field(gt=0, le=400 * 1024, strict=True, allow_inf_nan=False)]
Peak = Annotated[float, Field(ge=1, strict=True, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GsiUsage(_Strict):
    write_share: Share = 1.0
    entry_size_bytes: Size | None = None


def _one_of(values: dict[str, Any], prefix: str) -> None:
    given = [k for k in values if k.startswith(prefix) and values[k] is not None]
    if len(given) > 1:
        raise ValueError(f"give only one of {', '.join(given)}")


class TableUsage(_Strict):
    per: str | None = None
    item_size_bytes: Size = 1024
    items: Amount | None = None
    retention_days: Amount | None = None
    writes_per_day: Amount | None = None
    writes_per_month: Amount | None = None
    writes_per_second: Amount | None = None
    reads_per_day: Amount | None = None
    reads_per_month: Amount | None = None
    reads_per_second: Amount | None = None
    read_consistency: Literal["eventual", "strong", "transactional"] = "eventual"
    transactional_write_share: Share = 0.0
    gsi: dict[str, GsiUsage] = Field(default_factory=dict)
    stream_reads_per_month: Amount = 0
    backup_storage_gb: Amount = 0
    restore_gb_per_month: Amount = 0
    peak_to_average: Peak = 1.0

    @model_validator(mode="after")
    def _exclusive(self) -> TableUsage:
        values = self.model_dump()
        _one_of(values, "writes_per_")
        _one_of(values, "reads_per_")
        if self.items is not None and self.retention_days is not None:
            raise ValueError("give items or retention_days, not both")
        return self

    def writes_per_month_(self, days_per_month: float) -> float:
        if self.writes_per_month is not None:
            return self.writes_per_month
        if self.writes_per_day is not None:
            return self.writes_per_day * days_per_month
        return (self.writes_per_second or 0.0) * days_per_month * 86400

    def reads_per_month_(self, days_per_month: float) -> float:
        if self.reads_per_month is not None:
            return self.reads_per_month
        if self.reads_per_day is not None:
            return self.reads_per_day * days_per_month
        return (self.reads_per_second or 0.0) * days_per_month * 86400


class InfracostUsage(_Strict):
    monthly_write_request_units: Amount = 0
    monthly_read_request_units: Amount = 0
    storage_gb: Amount = 0
    pitr_backup_storage_gb: Amount | None = None
    on_demand_backup_storage_gb: Amount = 0
    monthly_data_restored_gb: Amount = 0
    monthly_streams_read_request_units: Amount = 0


class UsageFile(_Strict):
    version: str | float | None = None  # Infracost files carry `version: 0.1`
    region: Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d+$")] = "us-east-1"
    free_tier: Annotated[bool, Field(strict=True)] = False
    units: dict[str, Amount] = Field(default_factory=dict)
    tables: dict[str, TableUsage] = Field(default_factory=dict)
    resource_usage: dict[str, InfracostUsage] = Field(default_factory=dict)
    source: str = Field(default="usage", exclude=True)

    def count(self, table_key: str) -> float:
        per = self.tables[table_key].per
        return self.units[per] if per else 1.0


_MESSAGES = {
    "extra_forbidden": "unknown key",
    "missing": "required",
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "finite_number": "must be a finite number",
}


def _message(err: Any) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    for bound, op in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
        if bound in ctx:
            return (
                f"must be {op} {ctx[bound]:g}"
                if isinstance(ctx[bound], float)
                else (f"must be {op} {ctx[bound]}")
            )
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return "must be an AWS region name such as us-east-1"
    return str(err["msg"]).removeprefix("Value error, ")


def _location(loc: tuple[Any, ...]) -> str:
    # pydantic appends the validator name for strict/union cases; keep the document path only.
    parts = [str(p) for p in loc if not str(p).startswith(("function-", "constrained-"))]
    if parts[:1] == ["version"]:  # a union: pydantic names the member type after the key
        parts = parts[:1]
    return ".".join(parts) or "(top level)"


def describe(exc: ValidationError) -> str:
    """The first validation error as `dotted.key: problem`."""
    err = exc.errors()[0]
    return f"{_location(err['loc'])}: {_message(err)}"


def parse_usage(text: str, source: str = "usage") -> UsageFile:
    """Validate a usage document; every problem is one UsageError naming the key and the table."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{source}: not YAML ({str(exc).splitlines()[0]})") from None
    if raw is None:
        raise UsageError(f"{source}: empty usage file")
    if not isinstance(raw, dict):
        raise UsageError(f"{source}: must be a mapping with `tables:` or `resource_usage:`")
    if not any(raw.get(k) for k in ("tables", "resource_usage")):
        raise UsageError(f"{source}: no `tables:` or `resource_usage:` given")
    if "source" in raw:  # reserved: where the file came from
        raise UsageError(f"{source}: source: unknown key")
    try:
        usage = UsageFile.model_validate({**raw, "source": source})
    except ValidationError as exc:
        raise UsageError(f"{source}: {describe(exc)}") from None
    except (TypeError, ValueError) as exc:  # e.g. unhashable YAML keys
        raise UsageError(f"{source}: {exc}") from None
    for key, table in usage.tables.items():
        if table.per is not None and table.per not in usage.units:
            known = ", ".join(usage.units) or "none defined under `units:`"
            raise UsageError(f"{source}: tables.{key}.per: unknown unit {table.per} ({known})")
    return usage


def load_usage(path: Path) -> UsageFile:
    try:
        text = path.read_text()
    except OSError as exc:
        raise UsageError(f"--usage {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"--usage {path}: not a text file") from None
    return parse_usage(text, path.name)


def merge(files: list[UsageFile]) -> UsageFile:
    """Several usage files as one (e.g. one preset per app); they must agree on region and tier."""
    if len(files) == 1:
        return files[0]
    first = files[0]
    tables: dict[str, TableUsage] = {}
    resource_usage: dict[str, InfracostUsage] = {}
    units: dict[str, float] = {}
    for f in files:
        if (f.region, f.free_tier) != (first.region, first.free_tier):
            raise UsageError(
                f"{f.source}: region/free_tier differ from {first.source}; estimate them apart"
            )
        for key in f.tables.keys() & tables.keys():
            raise UsageError(f"{f.source}: tables.{key}: also given in another usage file")
        for name, count in f.units.items():
            if units.get(name, count) != count:
                raise UsageError(f"{f.source}: units.{name}: differs from another usage file")
        tables.update(f.tables)
        resource_usage.update(f.resource_usage)
        units.update(f.units)
    return UsageFile(
        region=first.region,
        free_tier=first.free_tier,
        units=units,
        tables=tables,
        resource_usage=resource_usage,
        source=", ".join(f.source for f in files),
    )
