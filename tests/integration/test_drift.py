"""No drift: after `terraform apply`, a second plan shows no changes.

Each configuration is applied to a moto server of its own (they all create the seed table names)
in a private copy of the tree; `terraform plan -detailed-exitcode` must then exit 0.

examples/production has a file of its own (test_drift_production.py) so that the test workers
run it beside these.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tooling.local import MotoServer, endpoint_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]

# (configuration directory, variables)
CONFIGS: dict[str, tuple[str, dict[str, Any]]] = {
    "root-defaults": (".", {}),
    # The fusion seed's "deploy for development" command.
    "root-development": (
        ".",
        {
            "environment": "development",
            "enable_deletion_protection": False,
            "enable_point_in_time_recovery": False,
        },
    ),
    # The fusion seed's "deploy with provisioned capacity" command.
    "root-provisioned": (
        ".",
        {"billing_mode": "PROVISIONED", "read_capacity": 10, "write_capacity": 5},
    ),
}


@pytest.mark.parametrize("name", CONFIGS)
def test_second_plan_after_apply_shows_no_changes(
    name: str, fresh_tree: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    apply_and_replan(name, *CONFIGS[name], fresh_tree, tmp_path_factory)


def apply_and_replan(
    name: str,
    config: str,
    tf_vars: dict[str, Any],
    fresh_tree: Any,
    tmp_path_factory: pytest.TempPathFactory,
    extensions: tuple[Path, ...] = (),
) -> tuple[Path, dict[str, Any]]:
    """Apply `config` to a moto server of its own, plan again; return the dir and the second
    plan (`terraform show -json`), asserting that it holds no change."""
    workdir = fresh_tree(f"drift-{name}") / config
    (workdir / "drift.tfvars.json").write_text(json.dumps(tf_vars))
    log = tmp_path_factory.mktemp(f"moto-{name}") / "moto.log"
    with MotoServer(log_path=log, extensions=extensions) as server:
        env = {**os.environ, **endpoint_env(server.url)}
        env.pop("AWS_PROFILE", None)

        def tf(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ["terraform", *args, "-no-color", "-input=false"],
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
            )

        for step in (("init",), ("apply", "-auto-approve", "-var-file=drift.tfvars.json")):
            done = tf(*step)
            assert done.returncode == 0, f"terraform {step[0]} failed:\n{done.stderr[-3000:]}"
        second = tf(
            "plan", "-detailed-exitcode", "-var-file=drift.tfvars.json", "-out=second.tfplan"
        )
        assert second.returncode == 0, (
            f"exit {second.returncode}: the plan after apply is not empty:\n"
            f"{second.stdout[-4000:]}{second.stderr[-2000:]}"
        )
        shown = subprocess.run(
            ["terraform", "show", "-json", "second.tfplan"],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return workdir, json.loads(shown.stdout)
