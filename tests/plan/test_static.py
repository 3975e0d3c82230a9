"""terraform fmt and validate of every module and example."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO
from support.terraform import terraform

pytestmark = pytest.mark.plan

KINDS = ("modules", "examples")

# Every module and example. The root stack itself is validated inside each example (they call
# it) and planned by test_root_plan.py.
MODULE_DIRS = [p.parent for p in REPO.glob("*/*/versions.tf")]
CONFIGS = sorted(str(d.relative_to(REPO)) for d in MODULE_DIRS if d.parent.name in KINDS)

# Configurations whose plan the plan tests compute anyway (once per session, shared cache), with
# the variables they plan with: a plan validates the configuration and every module it calls, so
# a config reached from one of them needs no `terraform validate` of its own (each loads the AWS
# provider's schema, about 3 s of CPU). test_validated_by_a_plan checks that it is reached.
PLANNED: dict[str, dict[str, Any]] = {
    ".": {},  # every app's module (the default apps are all five), app-tables, dynamodb-table
    "examples/production": {"budget_alert_emails": ["ops@example.com"]},
}


def _called(config: str, module: Mapping[str, Any]) -> Iterator[str]:
    """The directories (relative to REPO) of every local module the configuration calls."""
    for call in module.get("module_calls", {}).values():
        where = os.path.normpath(os.path.join(config, call["source"]))
        yield where
        yield from _called(where, call.get("module", {}))


def _covered(workspaces: Any) -> dict[str, str]:
    """config -> the planned configuration whose plan validated it."""
    covered: dict[str, str] = {}
    for planned, tf_vars in PLANNED.items():
        plan = workspaces(planned).plan(**tf_vars)
        covered.setdefault(planned, planned)
        for where in _called(planned, plan["configuration"]["root_module"]):
            covered.setdefault(where, planned)
    return covered


VALIDATED_BY_PLAN = [
    c for c in CONFIGS if c in PLANNED or c.startswith("modules/")
]  # the modules: all reached from the root (asserted below)


def test_terraform_fmt_check() -> None:
    result = terraform(REPO, "fmt", "-check", "-recursive", "-list=true", check=False)
    assert result.returncode == 0, f"terraform fmt would change: {result.stdout}"


@pytest.mark.parametrize("config", [c for c in CONFIGS if c not in VALIDATED_BY_PLAN])
def test_terraform_validate(tf_tree: Path, config: str) -> None:
    where = tf_tree / config
    terraform(where, "init", "-backend=false", "-input=false")
    terraform(where, "validate")


@pytest.mark.parametrize("config", VALIDATED_BY_PLAN)
def test_validated_by_a_plan(workspaces: Any, config: str) -> None:
    # The plan succeeded (workspaces raise on a failed plan) and its configuration calls config.
    assert config in _covered(workspaces), f"{config} is in no planned configuration"


def test_configs_found(tf_tree: Any) -> None:
    assert {"modules/dynamodb-table", "modules/mediphant", "examples/production"} <= set(CONFIGS)
