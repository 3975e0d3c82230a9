"""checkov on a Terraform plan JSON, run from its own virtual environment (.venv-scan).

checkov pins boto3 and packaging versions that break the test environment, so `make setup`
installs it in .venv-scan; CHECKOV=path points elsewhere. Without it the scan tests skip, except
in CI (CI=true), where a missing checkov fails them.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO

CHECKOV = Path(os.environ.get("CHECKOV", REPO / ".venv-scan" / "bin" / "checkov"))
# Skips for the default stack only (each with its reason); never passed for examples/production.
DEFAULT_STACK_CONFIG = REPO / ".checkov.yaml"


def checkov_or_skip() -> Path:
    if CHECKOV.is_file() and os.access(CHECKOV, os.X_OK):
        return CHECKOV
    reason = (
        f"checkov not found at {CHECKOV} (`make setup` installs it in .venv-scan; CHECKOV=path)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def scan(
    plan: dict[str, Any], workdir: Path, *args: str, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """checkov's JSON report for `plan`. Runs in workdir, so no .checkov.yaml is picked up
    unless passed in args."""
    checkov = checkov_or_skip()
    path = workdir / "plan.json"
    path.write_text(json.dumps(plan))
    command = [str(checkov), "-f", str(path), "--framework", "terraform_plan"]
    done = subprocess.run(
        [*command, "--skip-download", "-o", "json", *args],
        cwd=workdir,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"checkov exited {done.returncode} without a report:\n{done.stderr[-3000:]}")
    return report[0] if isinstance(report, list) else report


def failed(report: dict[str, Any]) -> list[str]:
    return sorted(f"{c['check_id']} {c['resource']}" for c in report["results"]["failed_checks"])


def check_ids(report: dict[str, Any], kind: str) -> list[str]:
    """check IDs of one result kind (passed_checks, failed_checks, skipped_checks), one per hit."""
    return [c["check_id"] for c in report["results"][kind]]
