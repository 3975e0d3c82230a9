"""A stack applied with the 0.1.0 layout plans no change under the current one.

0.2.0 renamed the Terraform files (features_*.tf, parity*.tf) and merged the per-table
autoscaling settings into table_overrides (autoscaling.tables is deprecated). The previous layout
comes from git (PREVIOUS: the last commit with it), is applied to a moto server with per-table
autoscaling set the old way, and the current tree is planned over the same state, first with
the same variables (accepted, with a deprecation warning) and then with the migrated ones
(CHANGELOG.md). Both plans must hold nothing but no-ops and moves.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO
from support.terraform import Terraform, changes, init, moves
from tooling.dev.local import MotoServer

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PREVIOUS = "340b53b33c2717aef8fcf23935baa66be1590612"  # 0.1.0's layout, before the renames
MOTO_EXT = REPO / "tests" / "support" / "moto_ext.py"
DEPRECATED = "autoscaling.tables is deprecated"

COMMON: dict[str, Any] = {
    "apps": ["iops-dashboard", "upnest"],
    "environment": "staging",
    "enable_deletion_protection": False,
    "create_kms_key": True,
    "enable_alarms": True,
    "upnest_per_user_isolation": True,
}
# Per-table autoscaling as 0.1.0 took it: table_overrides for capacity, autoscaling.tables for
# the bounds (with a per-GSI override).
OLD_VARS: dict[str, Any] = {
    **COMMON,
    "table_overrides": {
        "iops-dashboard-metrics": {"billing_mode": "PROVISIONED"},
        "iops-dashboard-insights": {"billing_mode": "PROVISIONED", "read_capacity": 7},
        "UpNest-Babies": {"billing_mode": "PROVISIONED"},
    },
    "autoscaling": {
        "read": {"max": 80},
        "tables": {
            "iops-dashboard-metrics": {
                "enabled": True,
                "read": {"max": 50},
                "indexes": {"LastUpdatedIndex": {"write": {"min": 3, "max": 30}}},
            },
            "UpNest-Babies": {"enabled": True, "write": {"target": 60}},
        },
    },
}
# The same settings in the one override map of 0.2.0.
NEW_VARS: dict[str, Any] = {
    **COMMON,
    "table_overrides": {
        "iops-dashboard-metrics": {
            "billing_mode": "PROVISIONED",
            "autoscaling": {
                "enabled": True,
                "read": {"max": 50},
                "indexes": {"LastUpdatedIndex": {"write": {"min": 3, "max": 30}}},
            },
        },
        "iops-dashboard-insights": {"billing_mode": "PROVISIONED", "read_capacity": 7},
        "UpNest-Babies": {
            "billing_mode": "PROVISIONED",
            "autoscaling": {"enabled": True, "write": {"target": 60}},
        },
    },
    "autoscaling": {"read": {"max": 80}},
}


def previous_layout(dest: Path) -> Path:
    """The Terraform files of PREVIOUS (root, modules, lock file) under dest."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", PREVIOUS],
        capture_output=True,
        check=False,
    )
    assert archive.returncode == 0, (
        f"git archive {PREVIOUS} failed (a clone with history is needed): {archive.stderr!r}"
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        keep = [
            m
            for m in tar.getmembers()
            if m.name == ".terraform.lock.hcl"
            or (m.name.endswith(".tf") and "/" not in m.name)
            or m.name.startswith("modules/")
        ]
        tar.extractall(dest, members=keep, filter="data")
    return dest


@pytest.fixture(scope="module")
def applied(
    fresh_tree: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Terraform, Terraform]]:
    """(previous layout applied with OLD_VARS, the current tree holding a copy of its state)."""
    with MotoServer(extensions=(MOTO_EXT,)) as server:
        old = Terraform(previous_layout(tmp_path_factory.mktemp("layout-0.1.0")), server.url)
        assert (old.dir / "features_variables.tf").is_file()  # really the previous layout
        init(old.dir, env=old.env)
        old.ok("apply", "-input=false", "-auto-approve", old.write_vars(OLD_VARS))
        new = Terraform(fresh_tree("layout-current"), server.url)
        init(new.dir, env=new.env)
        new.take_state(old)
        yield old, new


def _assert_only_moves(code: int, plan: dict[str, Any], text: str) -> None:
    assert changes(plan) == [], text[-4000:]
    assert [k for k, c in plan.get("output_changes", {}).items() if c["actions"] != ["no-op"]] == []
    # -detailed-exitcode reports a plan of nothing but moves as a change.
    assert code == 0 or moves(plan), text[-4000:]


def test_applied_stack_has_the_per_table_autoscaling(applied: tuple[Terraform, Terraform]) -> None:
    old, _ = applied
    state = old.ok("state", "list").stdout
    # metrics: table read/write + 2 GSIs x 2; Babies: table read/write + 1 GSI x 2.
    assert state.count("aws_appautoscaling_target.") == 6 + 4


def test_old_variables_plan_no_change_and_warn(applied: tuple[Terraform, Terraform]) -> None:
    _, new = applied
    code, plan, text = new.plan_json(new.write_vars(OLD_VARS, "old.tfvars.json"))
    _assert_only_moves(code, plan, text)
    assert DEPRECATED in text and "iops-dashboard-metrics" in text


def test_migrated_variables_plan_no_change(applied: tuple[Terraform, Terraform]) -> None:
    _, new = applied
    code, plan, text = new.plan_json(new.write_vars(NEW_VARS, "new.tfvars.json"))
    _assert_only_moves(code, plan, text)
    assert DEPRECATED not in text
