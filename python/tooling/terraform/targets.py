"""Where `seed --format dynamodb-json` writes each table and what ImportTable creates: from a saved
plan, else the deployed stack's outputs, else the seed names alone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tooling.apps.catalog import APP_OF_TABLE, SEED_TABLES
from tooling.dynamo.bulk import KeyAttribute, TableTarget
from tooling.errors import UsageError
from tooling.terraform import adapter, plan, stack
from tooling.terraform.plan import TableConfig


def key_schema_from_config(cfg: TableConfig) -> tuple[KeyAttribute, ...]:
    keys = [(cfg.hash_key, "HASH"), (cfg.range_key, "RANGE")]
    return tuple(
        KeyAttribute(name, cfg.attributes.get(name, "S"), kind) for name, kind in keys if name
    )


def key_schema_from_output(schema: Any) -> tuple[KeyAttribute, ...]:
    """The stack's `tables` output key_schema ({partition_key: {name, type}, sort_key: ...})."""
    if not isinstance(schema, dict):
        return ()
    out = []
    for part, kind in (("partition_key", "HASH"), ("sort_key", "RANGE")):
        k = schema.get(part)
        if isinstance(k, dict) and isinstance(k.get("name"), str):
            out.append(KeyAttribute(k["name"], str(k.get("type") or "S"), kind))
    return tuple(out)


def _from_configs(
    wanted: Iterable[str], configs: Mapping[str, TableConfig]
) -> dict[str, TableTarget]:
    return {
        seed: TableTarget(
            seed,
            APP_OF_TABLE[seed],
            configs[seed].name,
            key_schema_from_config(configs[seed]),
            configs[seed],
        )
        for seed in wanted
        if seed in configs
    }


def targets(
    apps: Iterable[str], *, plan_path: Path | None, tf_dir: Path | None
) -> tuple[dict[str, TableTarget], str]:
    """Seed table -> where its files go and what ImportTable creates, for the tables of `apps`,
    and where that came from: a saved plan (`plan_path`: the whole TableCreationParameters), else
    the outputs of the stack deployed from `tf_dir` (default: the current directory; names and
    key schemas), else a plan of the Terraform configuration in `tf_dir` made here (as `cost
    --tf-dir` does), else the seed names alone (key schema unknown: no ImportTable request)."""
    wanted = [t for a in apps for t in SEED_TABLES[a]]
    if plan_path is not None:
        configs = {c.label: c for c in plan.tables(plan.load(plan_path))}
        if not configs:
            raise UsageError(f"--plan {plan_path}: the plan holds no DynamoDB table")
        return _from_configs(wanted, configs), f"plan {plan_path}"
    directory, named = stack.where(tf_dir)
    if not directory.is_dir():
        raise UsageError(f"--tf-dir {directory}: no such directory")
    deployed = (adapter.outputs(directory) or {}).get("tables") or {}
    if deployed:
        return {
            seed: TableTarget(
                seed,
                APP_OF_TABLE[seed],
                deployed[seed]["name"],
                key_schema_from_output(deployed[seed].get("key_schema")),
            )
            for seed in wanted
            if seed in deployed
        }, f"terraform outputs of {named}"
    if any(directory.glob("*.tf")):
        configs = {c.label: c for c in plan.tables(adapter.plan_json(directory))}
        return _from_configs(wanted, configs), f"a plan of {named} (no state)"
    return {s: TableTarget(s, APP_OF_TABLE[s], s) for s in wanted}, (
        f"seed names: no --plan, and no Terraform state or configuration in {named}"
    )
