"""The plan guard: which changes of a `terraform show -json` plan would lose data or weaken a table.

Pure: `load_plan` reads and validates the document, `check` takes the plan dict and returns the
violations. Rules:

- any DynamoDB table destroyed or replaced (the reason names the attributes in `replace_paths`
  that force it), unless its address is allowed;
- a key attribute whose type the configuration changes while the provider plans no change
  (hashicorp/terraform-provider-aws#23618): the table keeps its old type, so it must be replaced
  deliberately. Detected from the `tables` output (seed name -> key_schema) the stack exports;
- in production: point-in-time recovery, deletion protection or encryption at rest (a KMS key,
  not the AWS-owned one) off on any table that remains, or a GSI deleted;
- other resources whose loss loses data: KMS keys (their deletion makes encrypted tables
  unreadable), backup vaults, backup plans, table replicas and legacy global tables.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tooling.errors import InputFileError

TABLE = "aws_dynamodb_table"
PRODUCTION = "production"
# Resource types whose destruction loses data or backups, with what is lost.
DATA_RESOURCES: dict[str, str] = {
    "aws_dynamodb_table_replica": "table replica",
    "aws_dynamodb_global_table": "global table",
    "aws_kms_key": "KMS key (deletion is scheduled; data encrypted with it becomes unreadable)",
    "aws_backup_vault": "backup vault (its recovery points go with it)",
    "aws_backup_plan": "backup plan",
}


@dataclass(frozen=True)
class Violation:
    address: str
    table: str  # physical table name ("-" for non-table resources)
    reason: str


@dataclass(frozen=True)
class Report:
    environment: str | None
    violations: tuple[Violation, ...]
    tables: int  # DynamoDB tables in the plan
    actions: Counter[str] = field(default_factory=Counter)  # create/update/replace/delete/no-op

    @property
    def ok(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        counts = ", ".join(f"{n} {a}" for a, n in sorted(self.actions.items())) or "no changes"
        env = self.environment or "unknown"
        verdict = "OK" if self.ok else f"{len(self.violations)} violation(s)"
        return (
            f"plan guard {verdict}: {self.tables} DynamoDB table(s) ({counts}); environment {env}"
        )


# --- reading -------------------------------------------------------------------------------------


def parse_plan(text: str, source: str) -> dict[str, Any]:
    """The plan document in `text` (from `source`), validated as far as the guard relies on it."""
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
    _validate(doc, source)
    return doc


def load_plan(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(str(path), "", "no such file") from None
    except IsADirectoryError:
        raise InputFileError(str(path), "", "is a directory, expected a plan JSON file") from None
    except UnicodeDecodeError:
        raise InputFileError(str(path), "", "not UTF-8 text, expected plan JSON") from None
    return parse_plan(text, str(path))


def _validate(doc: Any, source: str) -> None:
    def bad(where: str, problem: str) -> InputFileError:
        return InputFileError(source, where, problem)

    if not isinstance(doc, dict):
        raise bad("", f"expected a JSON object (a plan), got {type(doc).__name__}")
    if "format_version" not in doc:
        raise bad("", "not a Terraform JSON document (no format_version)")
    if "values" in doc and "planned_values" not in doc:
        raise bad("", "is a state, not a plan: run `terraform show -json PLANFILE`")
    if "planned_values" not in doc and "resource_changes" not in doc:
        raise bad("", "not a plan (no planned_values or resource_changes)")
    changes = doc.get("resource_changes", [])
    if not isinstance(changes, list):
        raise bad("resource_changes", "expected a list")
    for i, rc in enumerate(changes):
        at = f"resource_changes[{i}]"
        if not isinstance(rc, dict):
            raise bad(at, "expected an object")
        for key in ("address", "type"):
            if not isinstance(rc.get(key), str):
                raise bad(f"{at}.{key}", "expected a string")
        change = rc.get("change")
        if not isinstance(change, dict):
            raise bad(f"{at}.change", "expected an object")
        actions = change.get("actions")
        if (
            not isinstance(actions, list)
            or not actions
            or not all(isinstance(a, str) for a in actions)
        ):
            raise bad(f"{at}.change.actions", "expected a non-empty list of strings")
        for key in ("before", "after"):
            if change.get(key) is not None and not isinstance(change[key], dict):
                raise bad(f"{at}.change.{key}", "expected an object or null")
        paths = change.get("replace_paths")
        if paths is not None and not (
            isinstance(paths, list) and all(isinstance(p, list) for p in paths)
        ):
            raise bad(f"{at}.change.replace_paths", "expected a list of paths")
    variables = doc.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(v, dict) for v in variables.values()):
        raise bad("variables", "expected an object of {value: ...} objects")


def plan_environment(plan: Mapping[str, Any]) -> str | None:
    """The plan's `environment` variable, if it has one."""
    value = (plan.get("variables") or {}).get("environment", {}).get("value")
    return value if isinstance(value, str) else None


# --- judging -------------------------------------------------------------------------------------


def _kind(actions: list[str]) -> str:
    if "delete" in actions and "create" in actions:
        return "replace"
    if "delete" in actions:
        return "delete"
    return actions[0] if len(actions) == 1 else "+".join(actions)


def _path(p: list[Any]) -> str:
    out = ""
    for step in p:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _forced_by(change: Mapping[str, Any]) -> str:
    paths = change.get("replace_paths") or []
    if paths:
        return "forced by " + ", ".join(sorted({_path(p) for p in paths if p}))
    reason = change.get("action_reason")
    return f"reason: {reason}" if reason else "no replace_paths in the plan"


def _dict(value: Any) -> Mapping[str, Any]:
    """`value` if it is an object, else an empty one: plans from odd providers must not crash."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _block(values: Mapping[str, Any] | None, name: str) -> Mapping[str, Any]:
    blocks = _list(_dict(values).get(name))
    return _dict(blocks[0]) if blocks else {}


def _gsi_names(values: Mapping[str, Any] | None) -> set[str]:
    gsis = _list(_dict(values).get("global_secondary_index"))
    return {g["name"] for g in gsis if isinstance(g, dict) and isinstance(g.get("name"), str)}


def _key_types(values: Mapping[str, Any]) -> dict[str, str]:
    """Planned key attribute types of a table: {hash_key name: type, range_key name: type}."""
    types = {
        a["name"]: a.get("type")
        for a in _list(values.get("attribute"))
        if isinstance(a, dict) and isinstance(a.get("name"), str)
    }
    keys = [values.get("hash_key"), values.get("range_key")]
    return {k: types[k] for k in keys if isinstance(k, str) and k and k in types}


def _wanted_key_types(plan: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Seed name -> {key name: type} as the configuration asks, from the `tables` output."""
    tables = _dict(_dict(plan.get("output_changes")).get("tables")).get("after")
    if not isinstance(tables, dict):
        return {}
    wanted: dict[str, dict[str, str]] = {}
    for seed, t in tables.items():
        schema = t.get("key_schema") if isinstance(t, dict) else None
        if not isinstance(schema, dict):
            continue
        keys = [schema.get("partition_key"), schema.get("sort_key")]
        wanted[seed] = {
            k["name"]: k["type"]
            for k in keys
            if isinstance(k, dict)
            and isinstance(k.get("name"), str)
            and isinstance(k.get("type"), str)
        }
    return wanted


def _table_name(change: Mapping[str, Any]) -> str:
    for side in ("after", "before"):
        name = _dict(change.get(side)).get("name")
        if isinstance(name, str) and name:
            return name
    return "(name unknown until apply)"


def _seed_name(change: Mapping[str, Any]) -> str | None:
    for side in ("after", "before"):
        tag = _dict(_dict(change.get(side)).get("tags")).get("Table")
        if isinstance(tag, str):
            return tag
    return None


def _production_checks(change: Mapping[str, Any], kind: str) -> list[str]:
    after = change.get("after") or {}
    unknown = _dict(change.get("after_unknown"))
    reasons = []
    # An absent PITR or encryption block means off (AWS's defaults: no PITR, AWS-owned key), even
    # where the provider marks the computed attribute unknown, as it does on create.
    pitr = _block(after, "point_in_time_recovery")
    if not pitr or pitr.get("enabled") is False:
        reasons.append("point-in-time recovery would be off")
    if after.get("deletion_protection_enabled") is not True and not unknown.get(
        "deletion_protection_enabled"
    ):
        reasons.append("deletion protection would be off")
    sse = _block(after, "server_side_encryption")
    if not sse or sse.get("enabled") is False:
        reasons.append(
            "encryption at rest would use the AWS-owned key (server_side_encryption off)"
        )
    if kind != "replace":
        for gsi in sorted(_gsi_names(change.get("before")) - _gsi_names(after)):
            reasons.append(f"global secondary index {gsi} would be deleted")
    return reasons


def check(
    plan: Mapping[str, Any],
    environment: str | None = None,
    allow_replace: Iterable[str] = (),
) -> Report:
    """Judge a validated plan. `environment` overrides the plan's `environment` variable."""
    env = environment or plan_environment(plan)
    production = env == PRODUCTION
    allowed = set(allow_replace)
    wanted = _wanted_key_types(plan)
    violations: list[Violation] = []
    actions: Counter[str] = Counter()
    tables = 0
    for rc in plan.get("resource_changes") or []:
        if rc.get("mode", "managed") != "managed":
            continue
        change = rc["change"]
        kind = _kind(change["actions"])
        address = rc["address"]
        if rc["type"] == TABLE:
            tables += 1
            actions[kind] += 1
            name = _table_name(change)
            if kind in ("replace", "delete") and address not in allowed:
                if kind == "replace":
                    reason = f"table would be replaced, deleting its data ({_forced_by(change)})"
                else:
                    reason = "table would be destroyed"
                    if change.get("action_reason"):
                        reason += f" ({change['action_reason']})"
                    if (change.get("before") or {}).get("deletion_protection_enabled"):
                        reason += "; deletion protection is on, so apply would fail"
                violations.append(Violation(address, name, reason))
            if kind == "delete":
                continue
            seed = _seed_name(change)
            planned = _key_types(change.get("after") or {})
            for key, want in (wanted.get(seed or "") or {}).items():
                have = planned.get(key)
                if have and have != want:
                    violations.append(
                        Violation(
                            address,
                            name,
                            f"key attribute {key} type {have} -> {want} is planned as no change "
                            "(the provider ignores key type changes); replace the table by hand",
                        )
                    )
            if production:
                violations += [
                    Violation(address, name, r) for r in _production_checks(change, kind)
                ]
        elif (
            rc["type"] in DATA_RESOURCES
            and kind in ("replace", "delete")
            and address not in allowed
        ):
            what = DATA_RESOURCES[rc["type"]]
            violations.append(Violation(address, "-", f"{what} would be {kind}d"))
    return Report(environment=env, violations=tuple(violations), tables=tables, actions=actions)


def unknown_addresses(plan: Mapping[str, Any], addresses: Iterable[str]) -> list[str]:
    """The addresses (from --allow-replace) that name no resource change of the plan."""
    known = {rc["address"] for rc in plan.get("resource_changes") or []}
    return [a for a in addresses if a not in known]
