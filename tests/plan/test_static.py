"""terraform fmt and validate of every module and example."""

from __future__ import annotations

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


def test_terraform_fmt_check() -> None:
    result = terraform(REPO, "fmt", "-check", "-recursive", "-list=true", check=False)
    assert result.returncode == 0, f"terraform fmt would change: {result.stdout}"


@pytest.mark.parametrize("config", CONFIGS)
def test_terraform_validate(tf_tree: Path, config: str) -> None:
    where = tf_tree / config
    terraform(where, "init", "-backend=false", "-input=false")
    terraform(where, "validate")


def test_configs_found(tf_tree: Any) -> None:
    assert {"modules/dynamodb-table", "modules/mediphant", "examples/production"} <= set(CONFIGS)
