"""`cost diff` on real plans of the root stack: the base applied to moto, then a change as a pull
request would make it (a GSI added to the SchizoDot schema, SchizodotUsers switched to
PROVISIONED 5/5 through `table_overrides`), planned again; the diff must be the hand-computed
change, from the base plan and from the new plan's prior state alike, and `--fail-above` must gate
on it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO
from support.terraform import init, terraform
from tooling.cli import main

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GB = 2**30
DAYS = 730 / 24  # days in the price list's 730-hour month
VARS = {"apps": ["schizodot"], "table_name_prefix": "costdiff-"}
CHANGED = {
    **VARS,
    "table_overrides": {
        "SchizodotUsers": {"billing_mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 5}
    },
}
NEW_GSI = """
        "status-created_at-index" = {
          partition_key = { name = "status", type = "S" }
          sort_key      = { name = "created_at", type = "S" }
        }
"""
USAGE = REPO / "examples" / "usage" / "schizodot.yaml"

# The preset (examples/usage/schizodot.yaml): SchizodotJobs 2 KB items, 18,000 of them, 600
# writes a day; SchizodotUsers 1 KB items, 200 writes and 1,000 eventually consistent reads a day.
# us-east-1 list prices: $0.625 per million write request units, $0.125 per million read request
# units, $0.25 per GB-month, WCU-hour $0.00065, RCU-hour $0.00013, 730 hours a month.
NEW_GSI_WRITES = 600 * DAYS * 2 * 0.625 / 1e6  # every 2 KB write also writes 2 units on the GSI
NEW_GSI_STORAGE = 18_000 * (2048 + 100) / GB * 0.25  # ALL projection: the item + 100 B overhead
USERS_BEFORE = 200 * DAYS * 1 * 0.625 / 1e6 + 1000 * DAYS * 0.5 * 0.125 / 1e6
USERS_AFTER = 5 * 730 * 0.00065 + 5 * 730 * 0.00013  # 5 WCU + 5 RCU all month
USERS_DATA = 18_000 * (1024 + 100) / GB * (0.25 + 0.20)  # storage and PITR, on both sides
JOBS_BEFORE = (
    2 * 600 * DAYS * 2 * 0.625 / 1e6  # 2 KB writes on the table and its one GSI
    + 2000 * DAYS * 1 * 0.125 / 1e6  # strongly consistent 2 KB reads: 1 unit each
    + 18_000 * (2048 + 100) / GB * (2 * 0.25 + 0.20)  # table and GSI storage, PITR of the table
)
BEFORE = JOBS_BEFORE + USERS_BEFORE + USERS_DATA  # = $0.0926
CHANGE = NEW_GSI_WRITES + NEW_GSI_STORAGE + (USERS_AFTER - USERS_BEFORE)  # = $2.8731


def _tf(tree: Path, *args: str) -> str:
    return terraform(tree, args[0], "-input=false", *args[1:]).stdout


def _plan(tree: Path, name: str, tf_vars: dict[str, Any]) -> Path:
    (tree / f"{name}.tfvars.json").write_text(json.dumps(tf_vars))
    _tf(tree, "plan", f"-var-file={name}.tfvars.json", f"-out={name}.tfplan")
    shown = terraform(tree, "show", "-json", f"{name}.tfplan")
    path = tree / f"{name}.json"
    path.write_text(shown.stdout)
    return path


@pytest.fixture(scope="module")
def plans(fresh_tree: Any) -> tuple[Path, Path]:
    """(base plan, new plan): the base applied, the schema and variables changed, planned again."""
    tree = fresh_tree("cost-diff")
    init(tree)
    base = _plan(tree, "base", VARS)
    _tf(tree, "apply", "base.tfplan")
    schema = tree / "modules" / "schizodot" / "main.tf"
    text = schema.read_text()
    anchor = '      global_secondary_indexes = {\n        "patient_id-created_at-index"'
    assert anchor in text
    schema.write_text(
        text.replace(
            "      global_secondary_indexes = {\n",
            "      global_secondary_indexes = {" + NEW_GSI,
            1,
        )
    )
    head = _plan(tree, "head", CHANGED)
    return base, head


def _diff(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["cost", "diff", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_plans_hold_the_change(plans: tuple[Path, Path]) -> None:
    from tooling.terraform import plan as tfplan

    base, head = ({t.seed_name: t for t in tfplan.tables(tfplan.load(p))} for p in plans)
    assert [g.name for g in base["SchizodotJobs"].gsis] == ["patient_id-created_at-index"]
    assert [g.name for g in head["SchizodotJobs"].gsis] == [
        "patient_id-created_at-index",
        "status-created_at-index",
    ]
    assert (base["SchizodotUsers"].billing_mode, head["SchizodotUsers"].billing_mode) == (
        "PAY_PER_REQUEST",
        "PROVISIONED",
    )


def test_diff_of_two_plans_is_the_hand_computed_change(
    plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = plans
    code, out, err = _diff(
        capsys, "--base", str(base), "--plan", str(head), "--usage", str(USAGE), "--format", "json"
    )
    assert code == 0, err
    d = json.loads(out)
    assert d["total_change_usd"] == pytest.approx(CHANGE, rel=1e-4)
    assert d["total_before_usd"] == pytest.approx(BEFORE, rel=1e-4)
    by_name = {t["name"]: t for t in d["tables"]}
    assert sorted(by_name) == ["SchizodotJobs", "SchizodotUsers"]
    jobs = {c["name"]: c["change_usd"] for c in by_name["SchizodotJobs"]["components"]}
    assert jobs["gsi_write_requests"] == pytest.approx(NEW_GSI_WRITES, rel=1e-4)
    assert jobs["gsi_storage"] == pytest.approx(NEW_GSI_STORAGE, rel=1e-4)
    users = by_name["SchizodotUsers"]
    assert users["billing_mode"] == {"before": "PAY_PER_REQUEST", "after": "PROVISIONED"}
    assert (users["before_usd"], users["after_usd"]) == (
        pytest.approx(USERS_BEFORE + USERS_DATA, rel=1e-4),
        pytest.approx(USERS_AFTER + USERS_DATA, rel=1e-4),
    )
    comps = {c["name"]: c for c in users["components"]}
    assert comps["write_requests"]["after_usd"] == 0
    assert comps["write_capacity"]["after_usd"] == pytest.approx(5 * 730 * 0.00065)


def test_the_prior_state_is_the_default_base(
    plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """`make plan`'s form: no --base, the plan's own prior state (the applied base)."""
    code, out, err = _diff(
        capsys, "--plan", str(plans[1]), "--usage", str(USAGE), "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)["total_change_usd"] == pytest.approx(CHANGE, rel=1e-4)
    # The first plan had nothing applied before it: no diff, exit 0.
    code, out, err = _diff(capsys, "--plan", str(plans[0]), "--usage", str(USAGE))
    assert (code, err) == (0, "")
    assert out == "cost diff: nothing applied yet (the plan has no prior state)\n"


def test_fail_above_gates_on_the_monthly_increase(
    plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = (str(p) for p in plans)
    args = ("--base", base, "--plan", head, "--usage", str(USAGE))
    code, out, err = _diff(capsys, *args, "--fail-above", "2.80")  # the change is $2.87
    assert code == 1
    assert "Monthly cost will increase by $2.87" in out
    assert err == "monthly cost increase $2.87 is above --fail-above $2.80\n"
    code, _, err = _diff(capsys, *args, "--fail-above", "2.90")
    assert (code, err) == (0, "")
    # The reverse change is a decrease: never above any threshold.
    code, out, _ = _diff(
        capsys, "--base", head, "--plan", base, "--usage", str(USAGE), "--fail-above", "0"
    )
    assert code == 0
    assert "Monthly cost will decrease by $2.87" in out


def test_markdown_and_table_forms(
    plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base, head = (str(p) for p in plans)
    summary = tmp_path / "summary.md"
    args = ("--base", base, "--plan", head, "--usage", str(USAGE))
    code, _, err = _diff(capsys, *args, "--format", "markdown", "--output", str(summary))
    assert code == 0, err
    md = summary.read_text().splitlines()
    assert md[0] == "### DynamoDB cost change (us-east-1)"
    assert (
        "| ~ | **SchizodotUsers**<br>`module.schizodot[0].module.tables.module.table"
        in "\n".join(md)
    )
    assert any("PAY_PER_REQUEST -> PROVISIONED" in line and "+$2.84" in line for line in md)
    assert md[-1].startswith("| | **total** |") and md[-1].endswith("| **+$2.87** |")
    code, out, _ = _diff(capsys, *args)
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "    gsi_write_requests" in out and "+$0.02" in out
    assert lines[-1] == "Monthly cost will increase by $2.87 ($0.09 -> $2.97)."
