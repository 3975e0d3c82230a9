"""The plan guard: which changes of a `terraform show -json` plan would lose data or weaken a table.

Pure: `load_plan` reads and validates the document (tooling.terraform.plan's PlanDocument), `check`
takes the plan and returns the violations. Resources Terraform forgets (`removed` blocks with
`destroy = false`: action "forget") lose no data and are not flagged. Rules:

- any DynamoDB table destroyed or replaced (the reason names the attributes in `replace_paths`
  that force it), unless its address is allowed;
- a key attribute whose type the configuration changes while the provider plans no change
  (hashicorp/terraform-provider-aws#23618): the table keeps its old type, so it must be replaced
  deliberately. Detected from the `tables` output (seed name -> key_schema) the stack exports;
- a replica removed from a table (an inline `replica` block gone: its region's copy is deleted),
  in every environment, like a destroyed `aws_dynamodb_table_replica`;
- in a strict environment (by default production, prod or prd, case-insensitive): point-in-time
  recovery, deletion protection or encryption at rest (a KMS key,
  not the AWS-owned one) off on any table that remains, or a GSI deleted;
- other resources whose loss loses data: KMS keys (their deletion makes encrypted tables
  unreadable), backup vaults, backup plans, table replicas and legacy global tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tooling.terraform.plan import (
    PlanDocument,
    ResourceChange,
    TableValues,
    load_plan_document,
    parse_plan_text,
    plan_document,
)

TABLE = "aws_dynamodb_table"
STRICT_ENVIRONMENTS = ("production", "prod", "prd")
# Resource types whose destruction loses data or backups, with what is lost.
DATA_RESOURCES: dict[str, str] = {
    "aws_dynamodb_table_replica": "table replica",
    "aws_dynamodb_global_table": "global table",
    "aws_kms_key": "KMS key (deletion is scheduled; data encrypted with it becomes unreadable)",
    "aws_backup_vault": "backup vault (its recovery points go with it)",
    "aws_backup_plan": "backup plan",
}
# Terraform's action_reason values, as a user would say them.
ACTION_REASONS = {
    "replace_by_request": "replaced on request (-replace)",
    "replace_because_tainted": "the resource is tainted",
    "replace_by_triggers": "replace_triggered_by",
    "replace_because_cannot_update": "the provider cannot update it in place",
    "delete_because_no_resource_config": "its configuration was removed",
    "delete_because_no_module": "its module was removed",
    "delete_because_count_index": "count no longer includes it",
    "delete_because_each_key": "for_each no longer includes it",
    "delete_because_wrong_repetition": "its count/for_each changed",
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
    strict: bool = False
    strict_environments: tuple[str, ...] = STRICT_ENVIRONMENTS
    environment_source: str = "the plan's environment variable"

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def strict_reason(self) -> str:
        names = ", ".join(self.strict_environments)
        if self.environment is None:
            return f"no environment is known (no --environment, no environment variable): {names}"
        verb = "is" if self.strict else "is not"
        return f"{self.environment} ({self.environment_source}) {verb} one of {names}"

    def summary(self) -> str:
        counts = ", ".join(f"{n} {a}" for a, n in sorted(self.actions.items())) or "no changes"
        env = self.environment or "unknown"
        verdict = "OK" if self.ok else f"{len(self.violations)} violation(s)"
        rules = "strict" if self.strict else "standard"
        return (
            f"plan guard {verdict}: {self.tables} DynamoDB table(s) ({counts}); environment "
            f"{env}: {rules} rules, because {self.strict_reason}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "environment": self.environment,
            "strict": self.strict,
            "strict_environments": list(self.strict_environments),
            "strict_reason": self.strict_reason,
            "tables": self.tables,
            "actions": dict(sorted(self.actions.items())),
            "violation_count": len(self.violations),
            "violations": [
                {"address": v.address, "table": v.table, "reason": v.reason}
                for v in self.violations
            ],
            "summary": self.summary(),
        }

    def to_markdown(self) -> str:
        """A GitHub job summary: a verdict heading, the rules applied, a table of violations."""
        icon = ":white_check_mark:" if self.ok else ":x:"
        verdict = "no data loss" if self.ok else f"{len(self.violations)} violation(s)"
        counts = ", ".join(f"{n} {a}" for a, n in sorted(self.actions.items())) or "no changes"
        lines = [
            f"### {icon} Plan guard: {verdict}",
            "",
            f"- DynamoDB tables: {self.tables} ({counts})",
            f"- Environment: `{self.environment or 'unknown'}`: "
            f"{'strict' if self.strict else 'standard'} rules, because {_md(self.strict_reason)}",
        ]
        if self.violations:
            lines += ["", "| Resource | Table | Reason |", "| --- | --- | --- |"]
            lines += [
                f"| `{_md(v.address)}` | `{_md(v.table)}` | {_md(v.reason)} |"
                for v in self.violations
            ]
        return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --- reading -------------------------------------------------------------------------------------


def parse_plan(text: str, source: str) -> PlanDocument:
    """The plan document in `text` (from `source`), validated as far as the guard relies on it."""
    return parse_plan_text(text, source)


def load_plan(path: Path) -> PlanDocument:
    return load_plan_document(path)


def _document(plan: PlanDocument | Mapping[str, Any]) -> PlanDocument:
    return plan if isinstance(plan, PlanDocument) else plan_document(dict(plan), "plan")


def plan_environment(plan: PlanDocument | Mapping[str, Any]) -> str | None:
    """The plan's `environment` variable, if it has one."""
    var = _document(plan).variables.get("environment")
    value = var.value if var is not None else None
    return value if isinstance(value, str) else None


def is_strict(environment: str | None, strict_environments: Iterable[str]) -> bool:
    wanted = {e.strip().casefold() for e in strict_environments}
    return environment is not None and environment.strip().casefold() in wanted


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


def _reason(rc: ResourceChange) -> str | None:
    reason = rc.action_reason or rc.change.action_reason
    return ACTION_REASONS.get(reason, reason) if reason else None


def _forced_by(rc: ResourceChange) -> str:
    paths = rc.change.replace_paths or []
    if paths:
        return "forced by " + ", ".join(sorted({_path(p) for p in paths if p}))
    return _reason(rc) or "no replace_paths or action_reason in the plan"


def _first(blocks: list[Any] | None) -> Any:
    return blocks[0] if blocks else None


def _gsi_names(values: TableValues | None) -> set[str]:
    return {g.name for g in (values.global_secondary_index or [])} if values else set()


def _replica_regions(values: TableValues | None) -> set[str]:
    return {r.region_name for r in (values.replica or [])} if values else set()


def _key_types(values: TableValues) -> dict[str, str]:
    """Planned key attribute types of a table: {hash_key name: type, range_key name: type}."""
    types = {a.name: a.type for a in values.attribute or [] if a.type}
    keys = [values.hash_key, values.range_key]
    return {k: types[k] for k in keys if k and k in types}


def _wanted_key_types(plan: PlanDocument) -> dict[str, dict[str, str]]:
    """Seed name -> {key name: type} as the configuration asks, from the stack's `tables` output
    (another configuration's `tables` output of another shape is not the stack's: ignored)."""
    output = plan.output_changes.get("tables")
    tables = output.after if output is not None else None
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


def _lost_table_name(before: TableValues | None, after: TableValues | None) -> str:
    """The table whose data a replace or delete loses: the old one (with create_before_destroy
    and a rename, `after` names the new table, which loses nothing)."""
    old = before.name if before else None
    new = after.name if after else None
    if old and new and old != new:
        return f"{old} (replaced by {new})"
    return old or new or "(name unknown until apply)"


def _table_name(before: TableValues | None, after: TableValues | None) -> str:
    for values in (after, before):
        if values is not None and values.name:
            return values.name
    return "(name unknown until apply)"


def _seed_name(before: TableValues | None, after: TableValues | None) -> str | None:
    for values in (after, before):
        tag = (values.tags or {}).get("Table") if values is not None else None
        if isinstance(tag, str):
            return tag
    return None


def _strict_checks(
    rc: ResourceChange, after: TableValues, before: TableValues | None, kind: str
) -> list[str]:
    unknown = rc.change.after_unknown if isinstance(rc.change.after_unknown, dict) else {}
    reasons = []
    # An absent PITR or encryption block means off (AWS's defaults: no PITR, AWS-owned key), even
    # where the provider marks the computed attribute unknown, as it does on create.
    pitr = _first(after.point_in_time_recovery)
    if pitr is None or pitr.enabled is False:
        reasons.append("point-in-time recovery would be off")
    if after.deletion_protection_enabled is not True and not unknown.get(
        "deletion_protection_enabled"
    ):
        reasons.append("deletion protection would be off")
    sse = _first(after.server_side_encryption)
    if sse is None or sse.enabled is False:
        reasons.append(
            "encryption at rest would use the AWS-owned key (server_side_encryption off)"
        )
    if kind != "replace":
        for gsi in sorted(_gsi_names(before) - _gsi_names(after)):
            reasons.append(f"global secondary index {gsi} would be deleted")
    return reasons


def check(
    plan: PlanDocument | Mapping[str, Any],
    environment: str | None = None,
    allow_replace: Iterable[str] = (),
    strict_environments: Iterable[str] = STRICT_ENVIRONMENTS,
) -> Report:
    """Judge a plan. `environment` overrides the plan's `environment` variable; strict rules
    apply when it is one of `strict_environments` (case-insensitive)."""
    doc = _document(plan)
    env = environment or plan_environment(doc)
    source = "--environment" if environment else "the plan's environment variable"
    strict_set = tuple(strict_environments)
    strict = is_strict(env, strict_set)
    allowed = set(allow_replace)
    wanted = _wanted_key_types(doc)
    violations: list[Violation] = []
    actions: Counter[str] = Counter()
    tables = 0
    for rc in doc.resource_changes:
        if rc.mode != "managed":
            continue
        kind = _kind(rc.change.actions)
        address = rc.address
        if rc.type == TABLE:
            tables += 1
            actions[kind] += 1
            before, after = rc.values("before"), rc.values("after")
            if kind in ("replace", "delete") and address not in allowed:
                name = _lost_table_name(before, after)
                if kind == "replace":
                    reason = f"table would be replaced, deleting its data ({_forced_by(rc)})"
                else:
                    reason = "table would be destroyed"
                    if _reason(rc):
                        reason += f" ({_reason(rc)})"
                    if before is not None and before.deletion_protection_enabled:
                        reason += "; deletion protection is on, so apply would fail"
                violations.append(Violation(address, name, reason))
            if kind in ("delete", "forget") or after is None:
                continue  # forgotten: the table stays in AWS, untouched
            name = _table_name(before, after)
            if kind != "replace":
                for region in sorted(_replica_regions(before) - _replica_regions(after)):
                    violations.append(
                        Violation(
                            address,
                            name,
                            f"replica in {region} would be removed, deleting that region's copy",
                        )
                    )
            seed = _seed_name(before, after)
            planned = _key_types(after)
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
            if strict:
                violations += [
                    Violation(address, name, r) for r in _strict_checks(rc, after, before, kind)
                ]
        elif rc.type in DATA_RESOURCES and kind in ("replace", "delete") and address not in allowed:
            what = DATA_RESOURCES[rc.type]
            violations.append(Violation(address, "-", f"{what} would be {kind}d"))
    return Report(
        environment=env,
        violations=tuple(violations),
        tables=tables,
        actions=actions,
        strict=strict,
        strict_environments=strict_set,
        environment_source=source,
    )


def unknown_addresses(
    plan: PlanDocument | Mapping[str, Any], addresses: Iterable[str]
) -> list[str]:
    """The addresses (from --allow-replace) that name no resource change of the plan."""
    known = {rc.address for rc in _document(plan).resource_changes}
    return [a for a in addresses if a not in known]
