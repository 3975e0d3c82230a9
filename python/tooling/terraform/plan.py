"""DynamoDB table configurations read from `terraform show -json` output.

Accepts both shapes Terraform prints: a saved plan (`planned_values` + `resource_changes` +
`configuration`) and a state (`values.root_module`). Child modules are walked recursively, so the
tables of the root stack, of one app module or of any other configuration are found alike.
Autoscaling bounds come from `aws_appautoscaling_target` resources whose resource_id is
`table/<name>` or `table/<name>/index/<gsi>`.

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
    """Autoscaling bounds of one capacity dimension."""

    min: int
    max: int


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
    if not isinstance(doc, dict) or not ({"planned_values", "values"} & doc.keys()):
        raise UsageError(f"--plan {path}: not `terraform show -json` output (no planned_values)")
    return doc


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


def _autoscaling(resources: list[dict[str, Any]]) -> dict[str, dict[str, Bounds]]:
    """resource_id -> {"read"|"write": Bounds} of every DynamoDB autoscaling target."""
    found: dict[str, dict[str, Bounds]] = {}
    for r in resources:
        if r.get("type") != "aws_appautoscaling_target":
            continue
        v = r.get("values") or {}
        if v.get("service_namespace") not in (None, "dynamodb"):
            continue
        rid, dim = v.get("resource_id"), str(v.get("scalable_dimension") or "")
        lo, hi = _int(v.get("min_capacity")), _int(v.get("max_capacity"))
        if not isinstance(rid, str) or lo is None or hi is None:
            continue
        kind = "read" if dim.endswith("ReadCapacityUnits") else "write"
        found.setdefault(rid, {})[kind] = Bounds(lo, hi)
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


def _table(address: str, v: dict[str, Any], scaling: dict[str, dict[str, Bounds]], action: Any):
    name = str(v.get("name"))
    tags = {str(k): str(val) for k, val in (v.get("tags") or {}).items()}
    ttl = _first(v.get("ttl"))
    pitr = _first(v.get("point_in_time_recovery"))
    sse = _first(v.get("server_side_encryption"))
    own = scaling.get(f"table/{name}", {})
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
            _index(g, scaling.get(f"table/{name}/index/{g.get('name')}"))
            for g in sorted(v.get("global_secondary_index") or [], key=lambda g: str(g["name"]))
        ),
        lsis=tuple(_index(i, None) for i in v.get("local_secondary_index") or []),
        pitr_enabled=bool(pitr.get("enabled")),
        stream_enabled=bool(v.get("stream_enabled")),
        stream_view_type=v.get("stream_view_type") or None,
        # The provider plans the default class as "" (unset): that is STANDARD.
        table_class=str(v.get("table_class") or STANDARD),
        ttl_attribute=ttl.get("attribute_name") if ttl.get("enabled") else None,
        replica_regions=tuple(
            str(r.get("region_name")) for r in v.get("replica") or [] if r.get("region_name")
        ),
        sse_enabled=bool(sse.get("enabled")),
        kms_key_arn=sse.get("kms_key_arn") or None,
        deletion_protection=bool(v.get("deletion_protection_enabled")),
        attributes={str(a["name"]): str(a["type"]) for a in v.get("attribute") or []},
        tags=tags,
        autoscaling=Autoscaling(read=own.get("read"), write=own.get("write")),
        action=tuple(action or ()),
    )


def tables(doc: dict[str, Any]) -> list[TableConfig]:
    """Every DynamoDB table a plan will leave (deleted ones excluded) or a state holds."""
    resources = list(_resources(_root_module(doc)))
    scaling = _autoscaling(resources)
    actions = {
        rc.get("address"): (rc.get("change") or {}).get("actions")
        for rc in doc.get("resource_changes") or []
    }
    return [
        _table(r["address"], r.get("values") or {}, scaling, actions.get(r["address"]))
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
