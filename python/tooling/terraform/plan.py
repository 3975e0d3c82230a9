"""DynamoDB table configurations read from `terraform show -json` output.

Accepts both shapes Terraform prints: a saved plan (`planned_values` + `resource_changes` +
`configuration`) and a state (`values.root_module`). Child modules are walked recursively, so the
tables of the root stack, of one app module or of any other configuration are found alike.
Autoscaling bounds come from `aws_appautoscaling_target` resources whose resource_id is
`table/<name>` or `table/<name>/index/<gsi>`, their target utilisation from the matching
`aws_appautoscaling_policy` (target tracking). Targets and policies are matched to a table by
region (or provider configuration, when the region is not a constant) as well as by name, so two
tables of one name in two regions keep their own bounds.

Used by the cost estimator, the plan guard and the NoSQL Workbench export: it only describes what
Terraform holds and has no opinion about it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tooling.errors import InputFileError, UsageError

PAY_PER_REQUEST = "PAY_PER_REQUEST"
PROVISIONED = "PROVISIONED"
STANDARD = "STANDARD"
STANDARD_IA = "STANDARD_INFREQUENT_ACCESS"


@dataclass(frozen=True)
class Bounds:
    """Autoscaling bounds of one capacity dimension, with the target-tracking utilisation (per
    cent) of its policy when the plan has one, and the target's resource address."""

    min: int
    max: int
    target: float | None = None
    address: str | None = field(default=None, compare=False)  # where it came from, not what


@dataclass(frozen=True)
class Replica:
    """One `replica` block of a table (a global table, version 2019.11.21)."""

    region: str
    pitr_enabled: bool = False


@dataclass(frozen=True)
class Autoscaling:
    read: Bounds | None = None
    write: Bounds | None = None


@dataclass(frozen=True)
class Index:
    """A global or local secondary index."""

    name: str
    hash_key: str | None
    range_key: str | None
    projection_type: str
    non_key_attributes: tuple[str, ...] = ()
    read_capacity: int | None = None
    write_capacity: int | None = None
    autoscaling: Autoscaling = field(default_factory=Autoscaling)


@dataclass(frozen=True)
class TableConfig:
    """One aws_dynamodb_table as Terraform plans or holds it."""

    address: str
    name: str
    seed_name: str | None  # the `Table` tag the stack puts on every table
    billing_mode: str
    hash_key: str | None
    range_key: str | None
    read_capacity: int | None
    write_capacity: int | None
    gsis: tuple[Index, ...]
    lsis: tuple[Index, ...]
    pitr_enabled: bool
    stream_enabled: bool
    stream_view_type: str | None
    table_class: str
    ttl_attribute: str | None
    replica_regions: tuple[str, ...]
    sse_enabled: bool
    kms_key_arn: str | None
    deletion_protection: bool
    attributes: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    autoscaling: Autoscaling = field(default_factory=Autoscaling)
    action: tuple[str, ...] = ()  # the plan's actions for it; () when read from state
    region: str | None = None  # the provider's region when the plan states it as a constant
    provider: str | None = None  # provider configuration key, e.g. "aws" or "aws.west"
    replicas: tuple[Replica, ...] = ()
    # on_demand_throughput: the most request units a second an on-demand table serves (None:
    # no maximum; AWS and the provider write -1 for that)
    max_read_request_units: int | None = None
    max_write_request_units: int | None = None
    import_bucket: str | None = None  # import_table's S3 bucket: the table is created from it

    @property
    def key_attributes(self) -> tuple[str, ...]:
        return tuple(k for k in (self.hash_key, self.range_key) if k)

    @property
    def provisioned(self) -> bool:
        return self.billing_mode == PROVISIONED

    @property
    def label(self) -> str:
        """The name users know the table by: its seed name when tagged, else the physical name."""
        return self.seed_name or self.name

    def gsi(self, name: str) -> Index | None:
        return next((g for g in self.gsis if g.name == name), None)


def load(path: Path) -> dict[str, Any]:
    """A `terraform show -json` document read from a file."""
    try:
        doc = json.loads(path.read_text())
    except FileNotFoundError:
        raise UsageError(f"--plan {path}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"--plan {path}: not JSON ({exc})") from None
    except RecursionError:
        raise UsageError(f"--plan {path}: not JSON (nested too deeply)") from None
    if not isinstance(doc, dict) or not ({"planned_values", "values"} & doc.keys()):
        raise UsageError(f"--plan {path}: not `terraform show -json` output (no planned_values)")
    if doc.get("errored") is True:
        raise UsageError(f"--plan {path}: {ERRORED}")
    return doc


# `terraform plan -out` writes the plan file even when planning fails; its JSON then lists no
# changes at all, which read as "nothing changes" (or "the tables are gone").
ERRORED = "terraform plan failed (the file says `errored: true`): fix its errors and plan again"


def _resources(module: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    if not module:
        return
    yield from module.get("resources") or []
    for child in module.get("child_modules") or []:
        yield from _resources(child)


def _root_module(doc: dict[str, Any]) -> dict[str, Any] | None:
    if "planned_values" in doc:
        return (doc.get("planned_values") or {}).get("root_module")
    return (doc.get("values") or {}).get("root_module")


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _first(block: Any) -> dict[str, Any]:
    return block[0] if isinstance(block, list) and block and isinstance(block[0], dict) else {}


Scope = str | None  # a region, else a provider configuration key, else None (state files)


def _configuration(
    doc: dict[str, Any],
) -> tuple[dict[str, str], dict[str, str | None], dict[str, tuple[str, ...]]]:
    """(resource address without index -> provider config key, provider key -> region,
    resource address -> the resources its `resource_id` expression refers to)."""
    config = doc.get("configuration") or {}
    regions: dict[str, str | None] = {}
    for key, provider in (config.get("provider_config") or {}).items():
        region = ((provider.get("expressions") or {}).get("region") or {}).get("constant_value")
        regions[str(key)] = region if isinstance(region, str) else None
    keys: dict[str, str] = {}
    refs: dict[str, tuple[str, ...]] = {}
    stack: list[tuple[str, dict[str, Any]]] = [("", config.get("root_module") or {})]
    while stack:
        prefix, module = stack.pop()
        for r in module.get("resources") or []:
            address = prefix + str(r.get("address"))
            if r.get("provider_config_key"):
                keys[address] = str(r["provider_config_key"])
            rid = (r.get("expressions") or {}).get("resource_id") or {}
            named = {
                ".".join(strip_index(str(x)).split(".")[:2])
                for x in rid.get("references") or []
                if str(x).startswith(("aws_dynamodb_table.", "aws_appautoscaling_target."))
            }
            if named:
                refs[address] = tuple(sorted(named))
        for name, call in (module.get("module_calls") or {}).items():
            stack.append((f"{prefix}module.{name}.", call.get("module") or {}))
    return keys, regions, refs


def _scan(address: str) -> Iterator[tuple[str, int, bool]]:
    """Each character of an address with the `[...]` depth after it and whether it is index
    syntax (a bracket, or a quote inside one); brackets and dots inside `["..."]` keys are text."""
    depth, quoted = 0, False
    for ch in address:
        syntax = False
        if ch == '"' and depth:
            quoted, syntax = not quoted, True
        elif ch == "[" and not quoted:
            depth, syntax = depth + 1, True
        elif ch == "]" and not quoted:
            depth, syntax = depth - 1, True
        yield ch, depth, syntax


def strip_index(address: str) -> str:
    """`module.a[0].module.t["x"].aws_dynamodb_table.this` -> `module.a.module.t.aws_...this`."""
    return "".join(ch for ch, depth, syntax in _scan(address) if depth == 0 and not syntax)


def _segments(address: str) -> list[str]:
    """The dot-separated parts of an address, dots inside `["..."]` keys left alone."""
    parts, current = [], []
    for ch, depth, _ in _scan(address):
        if ch == "." and not depth:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def instance(address: str, resource: str | None = None) -> str:
    """The module instance of `address` (indexes kept) with `resource` (default: its own
    type.name, index dropped): `module.a["x"].aws_t.r[0]` -> `module.a["x"].aws_t.r`."""
    parts = _segments(address)
    modules: list[str] = []
    while len(parts) >= 2 and parts[0] == "module":
        modules += parts[:2]
        parts = parts[2:]
    own = strip_index(".".join(parts[:2])) if resource is None else resource
    return ".".join([*modules, own])


class _Scopes:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.keys, self.regions, self.refs = _configuration(doc)

    def references(self, address: str) -> tuple[str, ...]:
        """The resources the resource's `resource_id` refers to, in its module instance
        (`instance` addresses: module indexes kept, the resource's own index dropped)."""
        return tuple(instance(address, r) for r in self.refs.get(strip_index(address), ()))

    def provider(self, address: str) -> str | None:
        return self.keys.get(strip_index(address))

    def region(self, address: str, values: dict[str, Any]) -> str | None:
        if isinstance(values.get("region"), str) and values["region"]:
            return str(values["region"])  # AWS provider 6 plans a region on every resource
        key = self.provider(address)
        return self.regions.get(key) if key else None

    def scope(self, address: str, values: dict[str, Any]) -> Scope:
        return self.region(address, values) or self.provider(address)


def _dimension(v: dict[str, Any]) -> str:
    read = str(v.get("scalable_dimension") or "").endswith("ReadCapacityUnits")
    return "read" if read else "write"


@dataclass(frozen=True)
class _Target:
    scope: Scope
    resource_id: str
    kind: str
    bounds: Bounds
    # the tables its resource_id refers to in the configuration: several when it picks one of
    # a module's alternatives, e.g. try(aws_dynamodb_table.a[0].name, aws_dynamodb_table.b[0].name)
    tables: tuple[str, ...]


def _targets(resources: list[dict[str, Any]], scopes: _Scopes) -> list[_Target]:
    """Every DynamoDB autoscaling target, with the target value of its target-tracking policy
    (matched by reference to the target when the configuration has one, else by scope,
    resource_id and dimension)."""
    by_ref: dict[tuple[str, str], float] = {}
    by_id: dict[tuple[Scope, Any, str], float] = {}
    for r in resources:
        v = r.get("values") or {}
        if r.get("type") != "aws_appautoscaling_policy" or v.get("service_namespace") not in (
            None,
            "dynamodb",
        ):
            continue
        target = _first(v.get("target_tracking_scaling_policy_configuration")).get("target_value")
        if (
            not isinstance(target, (int, float))
            or isinstance(target, bool)
            or not 0 < target <= 100
        ):
            continue
        address = r.get("address", "")
        for ref in scopes.references(address):
            if _segments(ref)[-2] == "aws_appautoscaling_target":
                by_ref[(ref, _dimension(v))] = float(target)
        by_id[(scopes.scope(address, v), v.get("resource_id"), _dimension(v))] = float(target)
    out: list[_Target] = []
    for r in resources:
        v = r.get("values") or {}
        if r.get("type") != "aws_appautoscaling_target" or v.get("service_namespace") not in (
            None,
            "dynamodb",
        ):
            continue
        rid = v.get("resource_id")
        lo, hi = _int(v.get("min_capacity")), _int(v.get("max_capacity"))
        if not isinstance(rid, str) or lo is None or hi is None:
            continue
        address = r.get("address", "")
        scope, kind = scopes.scope(address, v), _dimension(v)
        value = by_ref.get((instance(address), kind), by_id.get((scope, rid, kind)))
        refs = scopes.references(address)
        tables = tuple(dict.fromkeys(x for x in refs if _segments(x)[-2] == "aws_dynamodb_table"))
        out.append(_Target(scope, rid, kind, Bounds(lo, hi, value, address), tables))
    return out


class _Scaling:
    """Autoscaling targets by the table they scale: the table their resource_id refers to in
    the configuration, else the table of that name in the same region (or provider)."""

    def __init__(self, resources: list[dict[str, Any]], scopes: _Scopes) -> None:
        self.targets = _targets(resources, scopes)

    def bounds(self, address: str, scope: Scope, resource_id: str) -> dict[str, Bounds]:
        mine = instance(address)
        found: dict[str, Bounds] = {}
        for t in self.targets:
            if t.resource_id != resource_id:
                continue
            if t.tables and mine not in t.tables:
                continue  # refers to another table of the same name
            if not t.tables and t.scope != scope:
                continue
            found[t.kind] = t.bounds
        return found


def _index(raw: dict[str, Any], scaling: dict[str, Bounds] | None) -> Index:
    scaling = scaling or {}
    return Index(
        name=str(raw.get("name")),
        hash_key=raw.get("hash_key") or None,
        range_key=raw.get("range_key") or None,
        projection_type=str(raw.get("projection_type") or "ALL"),
        non_key_attributes=tuple(raw.get("non_key_attributes") or ()),
        read_capacity=_int(raw.get("read_capacity")) or None,
        write_capacity=_int(raw.get("write_capacity")) or None,
        autoscaling=Autoscaling(read=scaling.get("read"), write=scaling.get("write")),
    )


def _table(
    address: str,
    v: dict[str, Any],
    scaling: _Scaling,
    action: Any,
    scopes: _Scopes,
) -> TableConfig:
    name = str(v.get("name"))
    scope = scopes.scope(address, v)
    tags = {str(k): str(val) for k, val in (v.get("tags") or {}).items()}
    ttl = _first(v.get("ttl"))
    pitr = _first(v.get("point_in_time_recovery"))
    sse = _first(v.get("server_side_encryption"))
    odt = _first(v.get("on_demand_throughput"))
    own = scaling.bounds(address, scope, f"table/{name}")
    replicas = tuple(
        Replica(str(r["region_name"]), bool(r.get("point_in_time_recovery")))
        for r in v.get("replica") or []
        if isinstance(r, dict) and r.get("region_name")
    )
    return TableConfig(
        address=address,
        name=name,
        seed_name=tags.get("Table"),
        billing_mode=str(v.get("billing_mode") or PROVISIONED),
        hash_key=v.get("hash_key") or None,
        range_key=v.get("range_key") or None,
        read_capacity=_int(v.get("read_capacity")) or None,
        write_capacity=_int(v.get("write_capacity")) or None,
        gsis=tuple(
            _index(g, scaling.bounds(address, scope, f"table/{name}/index/{g.get('name')}"))
            for g in sorted(v.get("global_secondary_index") or [], key=lambda g: str(g["name"]))
        ),
        lsis=tuple(_index(i, None) for i in v.get("local_secondary_index") or []),
        pitr_enabled=bool(pitr.get("enabled")),
        stream_enabled=bool(v.get("stream_enabled")),
        stream_view_type=v.get("stream_view_type") or None,
        # The provider plans the default class as "" (unset): that is STANDARD.
        table_class=str(v.get("table_class") or STANDARD),
        ttl_attribute=ttl.get("attribute_name") if ttl.get("enabled") else None,
        replica_regions=tuple(r.region for r in replicas),
        sse_enabled=bool(sse.get("enabled")),
        kms_key_arn=sse.get("kms_key_arn") or None,
        deletion_protection=bool(v.get("deletion_protection_enabled")),
        attributes={str(a["name"]): str(a["type"]) for a in v.get("attribute") or []},
        tags=tags,
        autoscaling=Autoscaling(read=own.get("read"), write=own.get("write")),
        action=tuple(action or ()),
        region=scopes.region(address, v),
        provider=scopes.provider(address),
        replicas=replicas,
        max_read_request_units=_limit(odt.get("max_read_request_units")),
        max_write_request_units=_limit(odt.get("max_write_request_units")),
        import_bucket=_import_bucket(v),
    )


def _import_bucket(v: dict[str, Any]) -> str | None:
    block = _first(v.get("import_table"))
    if not block:
        return None
    # the bucket may be known only after apply (a bucket the same plan creates)
    return str(_first(block.get("s3_bucket_source")).get("bucket") or "(known after apply)")


def _limit(value: Any) -> int | None:
    n = _int(value)
    return n if n is not None and n > 0 else None


def tables(doc: dict[str, Any]) -> list[TableConfig]:
    """Every DynamoDB table a plan will leave (deleted ones excluded) or a state holds."""
    resources = list(_resources(_root_module(doc)))
    scopes = _Scopes(doc)
    scaling = _Scaling(resources, scopes)
    actions = {
        rc.get("address"): (rc.get("change") or {}).get("actions")
        for rc in doc.get("resource_changes") or []
    }
    return [
        _table(r["address"], r.get("values") or {}, scaling, actions.get(r["address"]), scopes)
        for r in resources
        if r.get("type") == "aws_dynamodb_table" and r.get("mode", "managed") == "managed"
    ]


def deleted_tables(doc: dict[str, Any]) -> list[str]:
    """Addresses of the tables a plan deletes (replacements included)."""
    return [
        rc["address"]
        for rc in doc.get("resource_changes") or []
        if rc.get("type") == "aws_dynamodb_table"
        and "delete" in ((rc.get("change") or {}).get("actions") or [])
    ]


# -- the plan document as the plan guard reads it (validated; malformed = InputFileError) ---------
# Pydantic models of `terraform show -json PLANFILE`: only the fields the guard relies on are
# typed, everything else is kept as is (extra="allow"). A table's `before`/`after` values are
# validated as TableValues, so that a malformed entry is an input error, never silently skipped.


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class PlannedAttribute(_Loose):
    name: str
    type: str | None = None


class PlannedIndex(_Loose):
    name: str


class EnabledBlock(_Loose):
    enabled: bool | None = None


class ReplicaBlock(_Loose):
    region_name: str


class TableValues(_Loose):
    """The attributes of an aws_dynamodb_table the guard judges (`before` or `after`)."""

    name: str | None = None
    hash_key: str | None = None
    range_key: str | None = None
    attribute: list[PlannedAttribute] | None = None
    global_secondary_index: list[PlannedIndex] | None = None
    point_in_time_recovery: list[EnabledBlock] | None = None
    server_side_encryption: list[EnabledBlock] | None = None
    deletion_protection_enabled: bool | None = None
    replica: list[ReplicaBlock] | None = None
    tags: dict[str, str | None] | None = None


class Change(_Loose):
    actions: list[str] = Field(min_length=1)
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    after_unknown: Any = None
    replace_paths: list[list[str | int]] | None = None
    action_reason: str | None = None


class ResourceChange(_Loose):
    address: str
    type: str
    # Absent in hand-made plans (then managed); null or anything else is a malformed entry.
    mode: Literal["managed", "data"] = "managed"
    change: Change
    action_reason: str | None = None  # where Terraform puts it: beside `change`, not inside

    def values(self, side: str) -> TableValues | None:
        raw = getattr(self.change, side)
        return None if raw is None else TableValues.model_validate(raw)


class Variable(_Loose):
    value: Any = None


class OutputChange(_Loose):
    after: Any = None


class PlanDocument(_Loose):
    format_version: str
    planned_values: dict[str, Any] | None = None
    resource_changes: list[ResourceChange] = []
    variables: dict[str, Variable] = {}
    output_changes: dict[str, OutputChange] = {}


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def plan_document(doc: Any, source: str) -> PlanDocument:
    """The validated plan of a parsed `terraform show -json` document; InputFileError naming
    the first problem and where (e.g. `resource_changes[0].mode`)."""
    if not isinstance(doc, dict):
        raise InputFileError(
            source, "", f"expected a JSON object (a plan), got {type(doc).__name__}"
        )
    if "format_version" not in doc:
        raise InputFileError(source, "", "not a Terraform JSON document (no format_version)")
    if "values" in doc and "planned_values" not in doc:
        raise InputFileError(
            source, "", "is a state, not a plan: run `terraform show -json PLANFILE`"
        )
    if "planned_values" not in doc and "resource_changes" not in doc:
        raise InputFileError(source, "", "not a plan (no planned_values or resource_changes)")
    if doc.get("errored") is True:
        raise InputFileError(source, "errored", ERRORED)
    try:
        plan = PlanDocument.model_validate(doc)
        for i, rc in enumerate(plan.resource_changes):
            if rc.type == "aws_dynamodb_table":
                for side in ("before", "after"):
                    try:
                        rc.values(side)
                    except ValidationError as exc:
                        err = exc.errors(include_url=False)[0]
                        loc = ("resource_changes", i, "change", side, *err["loc"])
                        raise InputFileError(source, _where(loc), err["msg"]) from None
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise InputFileError(source, _where(tuple(err["loc"])), err["msg"]) from None
    except RecursionError:
        raise InputFileError(source, "", "nested too deeply") from None
    return plan


def parse_plan_text(text: str, source: str) -> PlanDocument:
    """plan_document of JSON text (from `source`)."""
    if not text.strip():
        raise InputFileError(source, "", "empty file, expected `terraform show -json` of a plan")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            source, f"line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputFileError(source, "", "invalid JSON: nested too deeply") from None
    return plan_document(doc, source)


def load_plan_document(path: Path) -> PlanDocument:
    """parse_plan_text of a file; a missing file, a directory or non-UTF-8 is an InputFileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(str(path), "", "no such file") from None
    except IsADirectoryError:
        raise InputFileError(str(path), "", "is a directory, expected a plan JSON file") from None
    except UnicodeDecodeError:
        raise InputFileError(str(path), "", "not UTF-8 text, expected plan JSON") from None
    return parse_plan_text(text, str(path))
