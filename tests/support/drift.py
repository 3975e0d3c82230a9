"""Apply a configuration to a moto server of its own and plan again: the no-drift check."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from support.terraform import init_and_apply, show_json, terraform
from tooling.dev.local import MotoServer, endpoint_env


class Replan(NamedTuple):
    workdir: Path
    plan: dict[str, Any]  # `terraform show -json` of the second plan
    exit_code: int  # of `terraform plan -detailed-exitcode`: 0 no change, 2 changes
    text: str  # the end of its output


def apply_and_replan(
    workdir: Path,
    tf_vars: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
    extensions: tuple[Path, ...] = (),
    require_no_changes: bool = True,
) -> Replan:
    """Apply the configuration in workdir to a moto server of its own and plan again,
    asserting (unless told not to) that the second plan holds no change."""
    (workdir / "drift.tfvars.json").write_text(json.dumps(tf_vars))
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with MotoServer(log_path=log, extensions=extensions) as server:
        env = {**os.environ, **endpoint_env(server.url)}
        env.pop("AWS_PROFILE", None)

        init_and_apply(workdir, "-var-file=drift.tfvars.json", env=env)
        second = terraform(
            workdir,
            "plan",
            "-input=false",
            "-detailed-exitcode",
            "-var-file=drift.tfvars.json",
            "-out=second.tfplan",
            env=env,
            check=False,
        )
        assert second.returncode in (0, 2), f"terraform plan failed:\n{second.stderr[-3000:]}"
        if require_no_changes:
            assert second.returncode == 0, (
                f"exit {second.returncode}: the plan after apply is not empty:\n"
                f"{second.stdout[-4000:]}{second.stderr[-2000:]}"
            )
        shown = show_json(workdir, "second.tfplan", env=env)
    return Replan(workdir, shown, second.returncode, second.stdout[-4000:])
