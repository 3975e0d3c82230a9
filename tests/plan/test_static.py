"""terraform fmt and validate of every module and example."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO

pytestmark = pytest.mark.plan

KINDS = ("modules", "examples")

# Every module and example. The root stack itself is validated inside each example (they call
# it) and planned by test_root_plan.py.
MODULE_DIRS = [p.parent for p in REPO.glob("*/*/versions.tf")]
CONFIGS = sorted(str(d.relative_to(REPO)) for d in MODULE_DIRS if d.parent.name in KINDS)


def test_terraform_fmt_check() -> None:
    result = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-list=true"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"terraform fmt would change: {result.stdout}"


@pytest.mark.parametrize("config", CONFIGS)
def test_terraform_validate(tf_tree: Path, config: str) -> None:
    where = tf_tree / config
    init = subprocess.run(
        ["terraform", "init", "-backend=false", "-input=false", "-no-color"],
        cwd=where,
        capture_output=True,
        text=True,
    )
    assert init.returncode == 0, init.stderr
    result = subprocess.run(
        ["terraform", "validate", "-no-color"], cwd=where, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_configs_found(tf_tree: Any) -> None:
    assert {"modules/dynamodb-table", "modules/mediphant", "examples/production"} <= set(CONFIGS)
