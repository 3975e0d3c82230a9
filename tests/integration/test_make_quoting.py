"""`make plan` and `make bench` take user values (VARS, TFVARS, GUARD, COST, PLAN_DIR,
BENCH_ARGS) as data: quotes group words, and a `;`, `$(...)`, backquotes or make's own
`$(shell ...)` inside a value is passed on as text, never run.

Real make runs in a copy of the tree against the session's moto server; each hostile value would
create a marker file if anything executed it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def tree(fresh_tree: Any) -> Path:
    dest = fresh_tree("make-quoting")
    shutil.copy2(REPO / "Makefile", dest / "Makefile")
    shutil.copytree(REPO / "scripts", dest / "scripts")
    # One app keeps each plan short; the file name has a space.
    (dest / "one app.tfvars.json").write_text(json.dumps({"apps": ["mediphant"]}))
    return dest


def make(tree: Path, target: str, **values: str) -> subprocess.CompletedProcess[str]:
    """make TARGET in tree with these variables; `setup` is taken as done (the test venv)."""
    return subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-o",
            "setup",
            target,
            f"VENV={REPO / '.venv'}",
            f"TF_CLI_CONFIG_FILE={os.environ['TF_CLI_CONFIG_FILE']}",
            *(f"{k}={v}" for k, v in values.items()),
        ],
        cwd=tree,
        capture_output=True,
        text=True,
    )


def markers(tree: Path) -> list[str]:
    return sorted(p.name for p in tree.glob("PWNED*"))


def test_values_with_spaces_and_metacharacters_reach_terraform_whole(tree: Path) -> None:
    plan_dir = "plans/out dir; touch PWNED-dir $(touch PWNED-dir2)"
    done = make(
        tree,
        "plan",
        PLAN_DIR=plan_dir,
        TFVARS="one app.tfvars.json",
        VARS="""-var 'tags={"Owner"="a b; touch PWNED-tag"}' -var table_name_prefix=q-""",
        GUARD="--environment development",
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    plan = json.loads((tree / plan_dir / "root.json").read_text())
    (table,) = [
        rc["change"]["after"]
        for rc in plan["resource_changes"]
        if rc["type"] == "aws_dynamodb_table"
    ]
    assert table["name"] == "q-mediphant-data"
    assert table["tags"]["Owner"] == "a b; touch PWNED-tag"
    assert (tree / plan_dir / "root.txt").is_file()
    assert markers(tree) == []


@pytest.mark.parametrize(
    ("values", "says"),
    [
        (
            {"VARS": "-var x=1; touch PWNED-semicolon $(touch PWNED-subst) `touch PWNED-tick`"},
            ("Too many command line arguments",),
        ),
        ({"VARS": "$(shell touch PWNED-make)"}, ()),
        ({"VARS": "-var 'unclosed"}, ("PLAN_VARS: No closing quotation",)),
        ({"TFVARS": "x.json; touch PWNED-tfvars"}, ("x.json; touch PWNED-tfvars",)),
        # GUARD and COST in one run (one plan of the root, not two): plan.sh runs the cost diff
        # and then the guard whatever the cost diff says, so each refuses its own value.
        (
            {
                "TFVARS": "one app.tfvars.json",
                "GUARD": "; touch PWNED-guard",
                "COST": "--fail-above '1; touch PWNED-cost'",
            },
            ("unrecognized", "--fail-above: not an amount in USD: '1; touch PWNED-cost'"),
        ),
    ],
    ids=["vars-shell", "vars-make", "vars-unclosed", "tfvars", "guard-and-cost"],
)
def test_hostile_values_are_never_executed(
    tree: Path, values: dict[str, str], says: tuple[str, ...]
) -> None:
    done = make(tree, "plan", **values)
    assert markers(tree) == []
    if says:
        assert done.returncode != 0
    for message in says:
        assert message in done.stdout + done.stderr, done.stdout[-2000:] + done.stderr[-2000:]


def test_bench_args_are_arguments(tree: Path) -> None:
    done = make(tree, "bench", BENCH_ARGS="--rounds '1; touch PWNED-bench' $(touch PWNED-bench2)")
    assert markers(tree) == []
    # The quoted words arrive as one argument, refused by bench's own parser.
    assert done.returncode != 0
    assert "argument --rounds: invalid int value: '1; touch PWNED-bench'" in done.stderr
