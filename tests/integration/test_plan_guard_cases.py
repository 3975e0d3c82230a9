"""Plan-guard cases the catalogue did not cover (issue 16 case 5, issue 13 items 5-6), from real
`terraform plan`s against moto where Terraform can make them, hand-written JSON only for
malformed input: `-replace` (action_reason), a create_before_destroy rename (the old table's data
is lost), a `removed { lifecycle { destroy = false } }` (forgotten, not destroyed), strict
environments spelt prod / Production / PRODUCTION, `--strict-environments`, `--format`.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO, TESTS
from support.terraform import init, terraform
from tooling.cli import main

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIXTURE = TESTS / "fixtures" / "guard_lifecycle"
REMOVED = """
removed {
  from = aws_dynamodb_table.forgotten
  lifecycle {
    destroy = false
  }
}
"""


@pytest.fixture(scope="module")
def lifecycle_plan(fresh_tree: Any) -> dict[str, Any]:
    config = fresh_tree("guard-lifecycle") / "lifecycle"
    shutil.copytree(FIXTURE, config)
    shutil.copy2(REPO / ".terraform.lock.hcl", config / ".terraform.lock.hcl")
    run = uuid.uuid4().hex[:6]
    init(config)
    terraform(config, "apply", "-auto-approve", "-input=false", f"-var=run={run}")
    (config / "forgotten.tf").write_text(REMOVED)
    terraform(
        config,
        "plan",
        "-input=false",
        f"-var=run={run}",
        "-var=v1=true",
        "-replace=aws_dynamodb_table.requested",
        "-out=v1.tfplan",
    )
    path = config / "v1.json"
    path.write_text(terraform(config, "show", "-json", "v1.tfplan").stdout)
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
