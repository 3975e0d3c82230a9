"""Plan-guard cases the catalogue did not cover (issue 16 case 5, issue 13 items 5-6), from real
`terraform plan`s against moto where Terraform can make them, hand-written JSON only for
malformed input: `-replace` (action_reason), a create_before_destroy rename (the old table's data
is lost), a `removed { lifecycle { destroy = false } }` (forgotten, not destroyed), strict
environments spelt prod / Production / PRODUCTION, `--strict-environments`, `--format`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from integration.test_plan_guard_catalogue import DESTRUCTIVE, PRODUCTION_ONLY
from integration.test_plan_guard_catalogue import catalogue as catalogue
from tooling.cli import main

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "guard_lifecycle"
REPO = Path(__file__).resolve().parents[2]
REMOVED = """
removed {
  from = aws_dynamodb_table.forgotten
  lifecycle {
    destroy = false
  }
}
"""


def _terraform(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["terraform", *args, "-no-color"], cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, f"terraform {args[0]} failed:\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def lifecycle_plan(fresh_tree: Any) -> dict[str, Any]:
    config = fresh_tree("guard-lifecycle") / "lifecycle"
    shutil.copytree(FIXTURE, config)
    shutil.copy2(REPO / ".terraform.lock.hcl", config / ".terraform.lock.hcl")
    run = uuid.uuid4().hex[:6]
    _terraform(config, "init", "-input=false")
    _terraform(config, "apply", "-auto-approve", "-input=false", f"-var=run={run}")
    (config / "forgotten.tf").write_text(REMOVED)
    _terraform(
        config,
        "plan",
        "-input=false",
        f"-var=run={run}",
        "-var=v1=true",
        "-replace=aws_dynamodb_table.requested",
        "-out=v1.tfplan",
    )
    path = config / "v1.json"
    path.write_text(_terraform(config, "show", "-json", "v1.tfplan"))
    return {"path": path, "plan": json.loads(path.read_text()), "run": run}


def check_plan(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check-plan", *argv])
    return code, capsys.readouterr().out


def test_lifecycle_cases_are_judged_by_what_they_lose(
    lifecycle_plan: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    actions = {
        rc["address"]: rc["change"]["actions"] for rc in lifecycle_plan["plan"]["resource_changes"]
    }
    assert actions == {
        "aws_dynamodb_table.cbd": ["create", "delete"],
        "aws_dynamodb_table.forgotten": ["forget"],
        "aws_dynamodb_table.requested": ["delete", "create"],
    }
    run = lifecycle_plan["run"]
    code, out = check_plan(
        capsys, str(lifecycle_plan["path"]), "--environment", "production", "--format", "json"
    )
    assert code == 1
    report = json.loads(out)
    got: dict[str, list[tuple[str, str]]] = {}
    for v in report["violations"]:
        got.setdefault(v["address"], []).append((v["table"], v["reason"]))
    # The forgotten table loses nothing: no violation, even under strict rules (its `after` is
    # null, which today's code judged as PITR, deletion protection and encryption all off).
    assert set(got) == {"aws_dynamodb_table.cbd", "aws_dynamodb_table.requested"}, got
    assert (
        f"lc-{run}-requested",
        "table would be replaced, deleting its data (replaced on request (-replace))",
    ) in got["aws_dynamodb_table.requested"]
    table, reason = got["aws_dynamodb_table.cbd"][0]
    assert table == f"lc-{run}-cbd-old (replaced by lc-{run}-cbd-new)"
    assert "forced by name" in reason
    assert report["actions"] == {"forget": 1, "replace": 2}


@pytest.mark.parametrize("spelling", ["prod", "Production", "PRODUCTION", "prd"])
def test_every_spelling_of_production_gets_strict_rules(
    catalogue: dict[str, Any], capsys: pytest.CaptureFixture[str], spelling: str
) -> None:
    code, out = check_plan(capsys, str(catalogue["path"]), "--environment", spelling)
    assert code == 1
    lines = out.splitlines()
    assert len([x for x in lines if x.startswith("VIOLATION")]) == len(DESTRUCTIVE) + len(
        PRODUCTION_ONLY
    )
    assert lines[-1].endswith(
        f"environment {spelling}: strict rules, because {spelling} (--environment) is one of "
        "production, prod, prd"
    )


def test_strict_environments_are_configurable_and_the_summary_says_why(
    catalogue: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(catalogue["path"])
    code, out = check_plan(capsys, path, "--environment", "staging", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["strict"] is False
    assert report["violation_count"] == len(DESTRUCTIVE)
    assert report["strict_reason"] == "staging (--environment) is not one of production, prod, prd"
    code, out = check_plan(
        capsys, path, "--environment", "staging", "--strict-environments", "Staging,live"
    )
    assert out.splitlines()[-1].endswith(
        "environment staging: strict rules, because staging (--environment) is one of Staging, live"
    )
    # The plan's own variable (production) under a set that excludes it: standard rules, said so.
    code, out = check_plan(capsys, path, "--strict-environments", "live")
    assert out.splitlines()[-1].endswith(
        "environment production: standard rules, because production (the plan's environment "
        "variable) is not one of live"
    )


def test_markdown_is_a_job_summary(
    catalogue: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check_plan(capsys, str(catalogue["path"]), "--format", "markdown")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"### :x: Plan guard: {len(DESTRUCTIVE) + len(PRODUCTION_ONLY)} violation(s)"
    assert "strict rules, because production" in out
    assert lines.count("| Resource | Table | Reason |") == 1
    rows = [x for x in lines if x.startswith("| `")]
    assert len(rows) == len(DESTRUCTIVE) + len(PRODUCTION_ONLY)
    assert any('module.table["hash_key"]' in r and "forced by hash_key" in r for r in rows)


def _plan_with(change: dict[str, Any]) -> dict[str, Any]:
    return {"format_version": "1.2", "planned_values": {}, "resource_changes": [change]}


def test_a_table_delete_with_a_null_mode_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Today's code skipped it and said "0 DynamoDB table(s)"."""
    path = tmp_path / "plan.json"
    rc = {
        "address": "aws_dynamodb_table.t",
        "mode": None,
        "type": "aws_dynamodb_table",
        "change": {"actions": ["delete"], "before": {"name": "t"}, "after": None},
    }
    path.write_text(json.dumps(_plan_with(rc)))
    assert main(["check-plan", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {path}: resource_changes[0].mode: "), err


def test_an_inline_replica_removed_is_flagged_in_every_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """moto cannot create replicas, so this plan is hand-written in the provider's shape."""
    table = {
        "name": "orders",
        "hash_key": "pk",
        "attribute": [{"name": "pk", "type": "S"}],
        "deletion_protection_enabled": True,
        "point_in_time_recovery": [{"enabled": True}],
        "server_side_encryption": [{"enabled": True, "kms_key_arn": "arn:aws:kms:k"}],
    }
    before = {**table, "replica": [{"region_name": "eu-west-1"}, {"region_name": "us-west-2"}]}
    after = {**table, "replica": [{"region_name": "us-west-2"}]}
    rc = {
        "address": "aws_dynamodb_table.orders",
        "mode": "managed",
        "type": "aws_dynamodb_table",
        "change": {"actions": ["update"], "before": before, "after": after},
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan_with(rc)))
    for env in ("development", "production"):
        assert main(["check-plan", str(path), "--environment", env]) == 1
        out = capsys.readouterr().out
        assert (
            "VIOLATION aws_dynamodb_table.orders table orders: replica in eu-west-1 would be "
            "removed, deleting that region's copy"
        ) in out
