"""examples/ci/github-actions.yml: a valid GitHub Actions workflow (checked offline against the
schema check-jsonschema vendors) that runs every step a user copies it for, with the CLI pinned
to the released version, and whose tooling commands accept the flags it passes."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from support.paths import REPO

WORKFLOW = REPO / "examples" / "ci" / "github-actions.yml"
SCHEMA_CHECK = [
    sys.executable,
    "-m",
    "check_jsonschema",
    "--builtin-schema",
    "vendor.github-workflows",
]


def released_version() -> str:
    """The newest released version in CHANGELOG.md (## [X.Y.Z] - date)."""
    found = re.search(r"^## \[(\d+\.\d+\.\d+)\] - ", (REPO / "CHANGELOG.md").read_text(), re.M)
    assert found, "CHANGELOG.md has no released version"
    return found.group(1)


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text())


def _runs(workflow: dict[str, Any]) -> str:
    return "\n".join(
        s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]
    ).replace("\\\n", " ")


def test_the_workflow_matches_the_github_workflow_schema() -> None:
    done = subprocess.run([*SCHEMA_CHECK, str(WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_refuses_a_broken_workflow(tmp_path: Path) -> None:
    # The check is real: a job without runs-on and a step with both uses and run fail it.
    doc = yaml.safe_load(WORKFLOW.read_text())
    job = next(iter(doc["jobs"].values()))
    del job["runs-on"]
    job["steps"][0]["run"] = "echo"
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(doc))
    done = subprocess.run([*SCHEMA_CHECK, str(broken)], capture_output=True, text=True)
    assert done.returncode == 1, done.stdout


@pytest.mark.parametrize(
    "step",
    [
        r"terraform fmt -check",
        r"terraform init",
        r"terraform validate",
        r"terraform plan .*-out=plan\.tfplan",
        r"terraform show -json plan\.tfplan > plan\.json",
        r"terraform plan .*-out=base\.tfplan",
        r'python -m tooling check-plan plan\.json --environment "\$ENV" --format markdown'
        r' >> "\$GITHUB_STEP_SUMMARY"',
        r"python -m tooling cost diff --base base\.json --plan plan\.json --usage \S+ +"
        r'--format markdown --fail-above \S+ >> "\$GITHUB_STEP_SUMMARY"',
    ],
)
def test_every_step_is_there(workflow: dict[str, Any], step: str) -> None:
    assert re.search(step, _runs(workflow)), step


def test_steps_run_in_order(workflow: dict[str, Any]) -> None:
    runs = _runs(workflow)
    order = ["terraform fmt", "terraform validate", "terraform plan", "check-plan", "cost diff"]
    assert [runs.index(s) for s in order] == sorted(runs.index(s) for s in order)


def test_the_cli_and_modules_are_pinned_to_the_released_version(workflow: dict[str, Any]) -> None:
    version = released_version()
    pin = workflow["env"]["TOOLING"]
    assert pin.startswith("git+https://github.com/")
    assert pin.endswith(f"/dynamodb-seed-stacks.git@v{version}#subdirectory=python")
    assert 'python -m pip install "$TOOLING"' in _runs(workflow)


def _tooling_calls(workflow: dict[str, Any]) -> list[list[str]]:
    calls = []
    for line in _runs(workflow).splitlines():
        if "python -m tooling " in line:
            words = shlex.split(line.split("python -m tooling ", 1)[1].split(">>")[0])
            calls.append(words)
    return calls


def test_the_tooling_commands_take_the_flags_the_workflow_passes(workflow: dict[str, Any]) -> None:
    calls = _tooling_calls(workflow)
    assert [c[0] for c in calls] == ["check-plan", "cost"]
    for words in calls:
        command = [w for w in words if not w.startswith(("-", "$", "plan.json", "base.json"))]
        command = command[: 2 if command[0] == "cost" else 1]
        help_text = subprocess.run(
            [sys.executable, "-m", "tooling", *command, "--help"],
            capture_output=True,
            text=True,
        )
        assert help_text.returncode == 0, f"`{' '.join(command)} --help`: {help_text.stderr}"
        for flag in (w for w in words if w.startswith("--")):
            assert flag in help_text.stdout, f"`{' '.join(command)}` has no {flag}"
        if "--format" in words:
            fmt = words[words.index("--format") + 1]
            assert fmt in help_text.stdout, f"`{' '.join(command)} --format` lacks {fmt}"
