"""The plan guard against real plans of the root stack: apps removed, tables renamed, and the
benign changes (tags, provisioned capacity 5 -> 10, PITR toggled off).

The base is applied (development, no deletion protection, PROVISIONED 5/5) to a moto server of
this module's own, so that the seed table names cannot collide with other tests' tables.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.terraform import init, terraform
from tooling.apps.catalog import ALL_TABLES
from tooling.cli import main
from tooling.dev.local import MotoServer, endpoint_env
from tooling.terraform import guard

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BASE = {
    "environment": "development",
    "enable_deletion_protection": False,
    "billing_mode": "PROVISIONED",
    "read_capacity": 5,
    "write_capacity": 5,
}
BENIGN = {
    **BASE,
    "read_capacity": 10,
    "write_capacity": 10,
    "tags": {"CostCenter": "research"},
    "enable_point_in_time_recovery": False,
}
DESTRUCTIVE = {
    **BASE,
    "apps": ["fusion-health", "schizodot", "upnest", "iops-dashboard"],  # mediphant removed
    "table_name_prefix": "acme-",
}


@pytest.fixture(scope="module")
def root_plans(fresh_tree: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tree = fresh_tree("guard-root")
    server = MotoServer(log_path=tmp_path_factory.mktemp("moto-guard") / "moto.log").start()
    env = {**os.environ, **endpoint_env(server.url)}
    env.pop("AWS_PROFILE", None)

    def tf(*args: str) -> str:
        return terraform(tree, *args, "-input=false", env=env).stdout

    def plan(name: str, tf_vars: dict[str, Any]) -> Path:
        (tree / f"{name}.tfvars.json").write_text(json.dumps(tf_vars))
        tf("plan", f"-var-file={name}.tfvars.json", f"-out={name}.tfplan")
        path = tree / f"{name}.json"
        path.write_text(terraform(tree, "show", "-json", f"{name}.tfplan", env=env).stdout)
        return path

    try:
        (tree / "base.tfvars.json").write_text(json.dumps(BASE))
        init(tree, env=env)
        tf("apply", "-auto-approve", "-var-file=base.tfvars.json")
        yield {"benign": plan("benign", BENIGN), "destructive": plan("destructive", DESTRUCTIVE)}
    finally:
        server.stop()


def _raw(path: Path) -> dict[str, Any]:
    """The plan as JSON (for looking into it), after the guard's own validation of it."""
    guard.load_plan(path)
    return json.loads(path.read_text())


def _seed(plan: dict[str, Any], address: str) -> str:
    rc = next(r for r in plan["resource_changes"] if r["address"] == address)
    side = rc["change"]["after"] or rc["change"]["before"]
    return side["tags"]["Table"]


def test_benign_changes_pass_in_development(
    root_plans: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _raw(root_plans["benign"])
    actions = {rc["change"]["actions"][0] for rc in plan["resource_changes"]}
    assert actions == {"update"}  # tags, capacity and PITR really change on all ten tables
    assert main(["check-plan", str(root_plans["benign"])]) == 0
    out = capsys.readouterr().out.strip()
    assert out == (
        "plan guard OK: 10 DynamoDB table(s) (10 update); environment development: standard "
        "rules, because development (the plan's environment variable) is not one of "
        "production, prod, prd"
    )


def test_benign_changes_in_production_flag_only_pitr_and_protection(
    root_plans: dict[str, Path],
) -> None:
    plan = _raw(root_plans["benign"])
    report = guard.check(plan, environment="production")
    by_table: dict[str, set[str]] = {}
    for v in report.violations:
        by_table.setdefault(_seed(plan, v.address), set()).add(v.reason)
    assert sorted(by_table) == sorted(ALL_TABLES)
    assert set(map(frozenset, by_table.values())) == {
        frozenset({"point-in-time recovery would be off", "deletion protection would be off"})
    }


def test_app_removed_and_tables_renamed_are_caught(root_plans: dict[str, Path]) -> None:
    plan = _raw(root_plans["destructive"])
    report = guard.check(plan)
    assert report.environment == "development"
    reasons = {_seed(plan, v.address): (v.table, v.reason) for v in report.violations}
    assert len(reasons) == len(report.violations) == len(ALL_TABLES)
    table, reason = reasons.pop("mediphant-data")
    assert table == "mediphant-data" and reason.startswith("table would be destroyed")
    for seed, (table, reason) in reasons.items():
        assert table == f"{seed} (replaced by acme-{seed})"  # the old table loses its data
        assert reason == "table would be replaced, deleting its data (forced by name)"


def test_cli_exit_code_and_allow_replace_on_the_root(
    root_plans: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(root_plans["destructive"])
    plan = _raw(root_plans["destructive"])
    tables = [
        rc["address"] for rc in plan["resource_changes"] if rc["type"] == "aws_dynamodb_table"
    ]
    assert main(["check-plan", path]) == 1
    assert main(["check-plan", path, "--allow-replace", *tables]) == 0
    out = capsys.readouterr().out
    assert out.count("VIOLATION") == len(ALL_TABLES)
    assert out.splitlines()[-1].startswith("plan guard OK: 10 DynamoDB table(s)")
