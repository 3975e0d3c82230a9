"""`make cost-report`: the report module plans the root stack in a private copy (every root
*.tf file: a copy of a fixed list broke it once the root grew features_*.tf, kms.tf, ...) and
rewrites docs/cost-report.md exactly as committed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import REPO
from tooling.terraform.tree import copy_root

pytestmark = [pytest.mark.plan, pytest.mark.slow]


def test_copy_root_takes_every_root_tf_file(tmp_path: Path) -> None:
    copy = copy_root(REPO, tmp_path / "copy")
    assert sorted(p.name for p in copy.glob("*.tf")) == sorted(p.name for p in REPO.glob("*.tf"))
    assert (copy / "modules" / "dynamodb-table" / "main.tf").is_file()
    assert not (copy / "examples").exists() and not list(copy.rglob(".terraform"))


def test_cost_report_rewrites_the_committed_report(tmp_path: Path) -> None:
    out = tmp_path / "cost-report.md"
    # As from a fresh clone: no exported CLI configuration (the module finds the project's own),
    # no endpoint of the session's.
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "TF_CLI_CONFIG_FILE" and not k.startswith("AWS_")
    }
    done = subprocess.run(
        [sys.executable, "-m", "tooling.dev.cost_report", str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.read_text() == (REPO / "docs" / "cost-report.md").read_text()
