"""Usage files: the traffic and data assumptions a cost estimate needs, validated strictly.

Two forms are accepted, alone or together:

- the native form, per table (keyed by seed name or physical name): item size, item count or
  retention, reads and writes per day/month/second, consistency, per-index write shares and entry
  sizes, attribute sizes, streams, backups. A table may be stated per unit
  (`per: active_users`) against a top-level `units: {active_users: 1000}`; its volumes are then
  multiplied by that count, and the report shows the cost per unit;
- the Infracost usage-file form, as `infracost breakdown --sync-usage-file` writes it:
  `resource_usage:` keyed by resource address (`[index]`, `["key"]`, `[*]`, module paths), with
  `monthly_write_request_units`, `monthly_read_request_units`, `storage_gb`, ... for
  aws_dynamodb_table, `capacity` for aws_appautoscaling_target, and entries for other resource
  types (kept aside: the estimate names them in one note); `resource_type_default_usage:` for
  every aws_dynamodb_table without its own entry.

Every number has a finite range, the document's nesting and size are bounded, and YAML anchors
and aliases are refused: a bad file is one line naming the file and the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tooling.cost.pattern_usage import PatternUsage
from tooling.errors import UsageError

MAX_FILE_BYTES = 1024 * 1024  # a usage file of every resource of a large plan is ~100 KB
MAX_DEPTH = 16  # the deepest well-formed usage file nests 5 levels (tables.t.gsi.G.key)
# libyaml's parser when PyYAML has it (4x faster on a 1 MB file); the same documents either way.
LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_AMOUNT = 1e15  # requests, items: a million times the busiest tables, still finite in USD
MAX_GB = 1e9  # an exabyte

# Strict numbers: YAML strings such as "5" and booleans are refused, as are NaN and infinity.
Amount = Annotated[float, Field(ge=0, le=MAX_AMOUNT, strict=True, allow_inf_nan=False)]
Gigabytes = Annotated[float, Field(ge=0, le=MAX_GB, strict=True, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, strict=True, allow_inf_nan=False)]
Size = Annotated[float, Field(gt=0, le=400 * 1024, strict=True, allow_inf_nan=False)]
Peak = Annotated[float, Field(ge=1, le=1000, strict=True, allow_inf_nan=False)]
Days = Annotated[float, Field(ge=0, le=36500, strict=True, allow_inf_nan=False)]
Count = Annotated[float, Field(ge=0, le=1e12, strict=True, allow_inf_nan=False)]
Capacity = Annotated[int, Field(ge=0, le=10**9, strict=True)]

TABLE_TYPE = "aws_dynamodb_table"
TARGET_TYPE = "aws_appautoscaling_target"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GsiUsage(_Strict):
    """One secondary index (GSI or LSI): the share of the table's writes that reach it and,
    optionally, the size of its entries (without the 100-byte overhead)."""

    write_share: Share = 1.0
    entry_size_bytes: Size | None = None


IndexUsage = GsiUsage


def _one_of(values: dict[str, Any], prefix: str) -> None:
    given = [k for k in values if k.startswith(prefix) and values[k] is not None]
    if len(given) > 1:
        raise ValueError(f"give only one of {', '.join(given)}")


class TableUsage(_Strict):
    per: str | None = None
    item_size_bytes: Size = 1024
    attribute_sizes: dict[str, Size] = Field(default_factory=dict)
    items: Amount | None = None
    retention_days: Days | None = None
    writes_per_day: Amount | None = None
    writes_per_month: Amount | None = None
    writes_per_second: Amount | None = None
    reads_per_day: Amount | None = None
    reads_per_month: Amount | None = None
    reads_per_second: Amount | None = None
    read_consistency: Literal["eventual", "strong", "transactional"] = "eventual"
    transactional_write_share: Share = 0.0
    gsi: dict[str, GsiUsage] = Field(default_factory=dict)
    lsi: dict[str, GsiUsage] = Field(default_factory=dict)
    stream_reads_per_month: Amount = 0
    backup_storage_gb: Gigabytes = 0
    restore_gb_per_month: Gigabytes = 0
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
    """Infracost's documented usage keys for aws_dynamodb_table (infracost-usage-example.yml)."""

    monthly_write_request_units: Amount = 0
    monthly_read_request_units: Amount = 0
    storage_gb: Gigabytes = 0
    pitr_backup_storage_gb: Gigabytes | None = None
    on_demand_backup_storage_gb: Gigabytes = 0
    monthly_data_restored_gb: Gigabytes = 0
    monthly_streams_read_request_units: Amount = 0

    def over(self, base: InfracostUsage | None) -> InfracostUsage:
        """These values, with `base`'s for the keys this entry does not set (Infracost merges
        `[*]` and `resource_type_default_usage` entries per key)."""
        if base is None:
            return self
        return base.model_copy(update={k: getattr(self, k) for k in self.model_fields_set})


class AutoscalingUsage(_Strict):
    """Infracost's usage key for aws_appautoscaling_target: the capacity it runs at."""

    capacity: Capacity


class UsageFile(_Strict):
    version: str | float | None = None  # Infracost files carry `version: 0.1`
    region: Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d+$")] = "us-east-1"
    free_tier: Annotated[bool, Field(strict=True)] = False
    units: dict[str, Count] = Field(default_factory=dict)
    tables: dict[str, TableUsage] = Field(default_factory=dict)
    resource_usage: dict[str, InfracostUsage] = Field(default_factory=dict)
    resource_type_default_usage: dict[str, InfracostUsage] = Field(default_factory=dict)
    patterns: dict[str, PatternUsage] = Field(default_factory=dict)  # calls per access pattern
    autoscaling_usage: dict[str, AutoscalingUsage] = Field(default_factory=dict, exclude=True)
    other_resources: tuple[str, ...] = Field(default=(), exclude=True)
    source: str = Field(default="usage", exclude=True)

    def count(self, table_key: str) -> float:
        per = self.tables[table_key].per
        return self.units[per] if per else 1.0

    @property
    def table_default(self) -> InfracostUsage | None:
        return self.resource_type_default_usage.get(TABLE_TYPE)


_MESSAGES = {
    "extra_forbidden": "unknown key",
    "missing": "required",
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "finite_number": "must be a finite number",
    "tuple_type": "must be a list",
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
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^\\d{4}"):
            return "must be a date YYYY-MM-DD"
        return "must be an AWS region name such as us-east-1"
    if kind in ("string_too_short", "string_too_long"):
        return "must be a non-empty text of at most 2000 characters"
    return str(err["msg"]).removeprefix("Value error, ")


def _location(loc: tuple[Any, ...]) -> str:
    # pydantic appends the validator name for strict/union cases; keep the document path only.
    parts = [str(p) for p in loc if not str(p).startswith(("function-", "constrained-"))]
    if parts[:1] == ["version"]:  # a union: pydantic names the member type after the key
        parts = parts[:1]
    return ".".join(parts) or "(top level)"


def describe(exc: ValidationError, prefix: str = "") -> str:
    """The first validation error as `dotted.key: problem`."""
    err = exc.errors()[0]
    where = _location(err["loc"])
    if prefix:
        where = prefix if where == "(top level)" else f"{prefix}.{where}"
    return f"{where}: {_message(err)}"


def _check_events(text: str, source: str) -> None:
    """Depth and aliases from the event stream, which PyYAML parses without recursion."""
    depth = 0
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise UsageError(
                f"{source}: line {mark.line + 1}: YAML anchors and aliases are not accepted"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise UsageError(
                    f"{source}: line {mark.line + 1}: nested deeper than {MAX_DEPTH} levels"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def safe_yaml(text: str, source: str) -> Any:
    """The YAML document, bounded in size and nesting; every failure is one UsageError."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise UsageError(f"{source}: larger than {MAX_FILE_BYTES // 1024} KB")
    try:
        _check_events(text, source)
        return yaml.load(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own limit
            mark = getattr(exc, "problem_mark", None)
            line = f"line {mark.line + 1}: " if mark is not None else ""
            raise UsageError(f"{source}: {line}nested deeper than {MAX_DEPTH} levels") from None
        raise UsageError(f"{source}: not YAML ({str(exc).splitlines()[0]})") from None
    except RecursionError:
        raise UsageError(f"{source}: nested too deeply") from None


def resource_type(address: str) -> str | None:
    """`module.a["x"].aws_dynamodb_table.t[0]` -> `aws_dynamodb_table`; None for a bare name."""
    from tooling.terraform.plan import strip_index

    parts = strip_index(address).split(".")
    while len(parts) >= 2 and parts[0] == "module":
        parts = parts[2:]
    if parts[:1] == ["data"]:
        parts = parts[1:]
    return parts[0] if len(parts) >= 2 else None


def _split_resource_usage(raw: dict[str, Any], source: str) -> dict[str, Any]:
    """Sort `resource_usage:` entries by resource type, as Infracost writes them for a plan."""
    entries = raw.get("resource_usage")
    if entries is None:
        return raw
    if not isinstance(entries, dict):
        raise UsageError(f"{source}: resource_usage: must be a mapping")
    tables: dict[str, Any] = {}
    targets: dict[str, Any] = {}
    others: list[str] = []
    for key, value in entries.items():
        key = str(key)
        if value is None:  # every key commented out: no usage stated for the resource
            continue
        kind = resource_type(key)
        if kind in (None, TABLE_TYPE):
            tables[key] = value
        elif kind == TARGET_TYPE:
            try:
                targets[key] = AutoscalingUsage.model_validate(value)
            except ValidationError as exc:
                raise UsageError(f"{source}: {describe(exc, f'resource_usage.{key}')}") from None
        else:
            others.append(key)
    defaults = raw.get("resource_type_default_usage")
    if isinstance(defaults, dict):
        defaults = {k: v for k, v in defaults.items() if k == TABLE_TYPE and v is not None}
    return {
        **raw,
        "resource_usage": tables,
        "resource_type_default_usage": defaults if defaults is not None else {},
        "autoscaling_usage": targets,
        "other_resources": tuple(others),
    }


RESERVED = ("source", "autoscaling_usage", "other_resources")


def parse_usage(text: str, source: str = "usage") -> UsageFile:
    """Validate a usage document; every problem is one UsageError naming the key and the table."""
    raw = safe_yaml(text, source)
    if raw is None:
        raise UsageError(f"{source}: empty usage file")
    if not isinstance(raw, dict):
        raise UsageError(f"{source}: must be a mapping with `tables:` or `resource_usage:`")
    if not any(raw.get(k) for k in ("tables", "resource_usage")):
        raise UsageError(f"{source}: no `tables:` or `resource_usage:` given")
    for key in RESERVED:
        if key in raw:  # reserved: set by the reader
            raise UsageError(f"{source}: {key}: unknown key")
    try:
        usage = UsageFile.model_validate({**_split_resource_usage(raw, source), "source": source})
    except ValidationError as exc:
        raise UsageError(f"{source}: {describe(exc)}") from None
    except (TypeError, ValueError) as exc:  # e.g. unhashable YAML keys
        raise UsageError(f"{source}: {exc}") from None
    for key, table in usage.tables.items():
        if table.per is not None and table.per not in usage.units:
            known = ", ".join(usage.units) or "none defined under `units:`"
            raise UsageError(f"{source}: tables.{key}.per: unknown unit {table.per} ({known})")
    return usage


def read_text(path: Path, flag: str = "--usage", limit: int = MAX_FILE_BYTES) -> str:
    """A text file of at most `limit` bytes, read without loading more than that."""
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise UsageError(f"{flag} {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise UsageError(f"{flag} {path}: larger than {limit // 1024} KB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{flag} {path}: not a text file") from None


def load_usage(path: Path) -> UsageFile:
    return parse_usage(read_text(path), path.name)


def merge(files: list[UsageFile]) -> UsageFile:
    """Several usage files as one (e.g. one preset per app); they must agree on region and tier."""
    if len(files) == 1:
        return files[0]
    first = files[0]
    tables: dict[str, TableUsage] = {}
    resource_usage: dict[str, InfracostUsage] = {}
    defaults: dict[str, InfracostUsage] = {}
    targets: dict[str, AutoscalingUsage] = {}
    others: list[str] = []
    units: dict[str, float] = {}
    patterns: dict[str, PatternUsage] = {}
    for f in files:
        if (f.region, f.free_tier) != (first.region, first.free_tier):
            raise UsageError(
                f"{f.source}: region/free_tier differ from {first.source}; estimate them apart"
            )
        for key in f.tables.keys() & tables.keys():
            raise UsageError(f"{f.source}: tables.{key}: also given in another usage file")
        for key in f.resource_usage.keys() & resource_usage.keys():
            raise UsageError(f"{f.source}: resource_usage.{key}: also given in another usage file")
        for name, count in f.units.items():
            if units.get(name, count) != count:
                raise UsageError(f"{f.source}: units.{name}: differs from another usage file")
        tables.update(f.tables)
        resource_usage.update(f.resource_usage)
        defaults.update(f.resource_type_default_usage)
        targets.update(f.autoscaling_usage)
        others += [o for o in f.other_resources if o not in others]
        units.update(f.units)
        for key in f.patterns.keys() & patterns.keys():
            raise UsageError(f"{f.source}: patterns.{key}: also given in another usage file")
        patterns.update(f.patterns)
    return UsageFile(
        region=first.region,
        free_tier=first.free_tier,
        units=units,
        tables=tables,
        resource_usage=resource_usage,
        resource_type_default_usage=defaults,
        autoscaling_usage=targets,
        other_resources=tuple(others),
        patterns=patterns,
        source=", ".join(f.source for f in files),
    )
