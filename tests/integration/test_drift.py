"""No drift: after `terraform apply`, a second plan shows no changes.

The root is applied under the defaults and under the fusion seed's development and
provisioned-capacity commands, all three at once: one configuration calls the root once per set
of variables, each under a table-name prefix of its own (tests/support/variants.py), so one
provider serves them. `terraform plan -detailed-exitcode` must then exit 0, and no resource of any
variant may change.

examples/production has a file of its own (test_drift_production.py) so that the test workers
run it beside these.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from root_variants import ROOT_VARIANTS
from support import variants
from tooling.dev.local import MotoServer, endpoint_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOTS: dict[str, dict[str, Any]] = {
    name: {**tf_vars, "table_name_prefix": f"{name}-"}
    for name, tf_vars in {
        "defaults": {},
        "development": ROOT_VARIANTS["development"],
        "provisioned": ROOT_VARIANTS["provisioned"],
    }.items()
}


class Replan(NamedTuple):
    workdir: Path
    plan: dict[str, Any]  # `terraform show -json` of the second plan
    exit_code: int  # of `terraform plan -detailed-exitcode`: 0 no change, 2 changes
    text: str  # the end of its output


@pytest.fixture(scope="module")
def second_plan(tmp_path_factory: pytest.TempPathFactory) -> Replan:
    """The plan after applying the three variants of the root."""
    workdir = variants.build(tmp_path_factory.mktemp("drift-root"), ROOTS)
    return apply_and_replan(workdir, {}, tmp_path_factory, require_no_changes=False)


@pytest.mark.parametrize("name", ROOTS)
def test_second_plan_after_apply_changes_nothing(name: str, second_plan: Replan) -> None:
    mine = [
        rc
        for rc in second_plan.plan["resource_changes"]
        if rc["address"].startswith(f"module.{name}.")
    ]
    assert sum(rc["type"] == "aws_dynamodb_table" for rc in mine) == 10
    changed = [
        f"{rc['address']}: {rc['change']['actions']}"
        for rc in mine
        if rc["change"]["actions"] not in (["no-op"], ["read"])
    ]
    assert changed == []


def test_second_plan_exits_0(second_plan: Replan) -> None:
    # -detailed-exitcode: 0 only when nothing at all (outputs included) would change.
    assert second_plan.exit_code == 0, second_plan.text


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
        assert second.returncode in (0, 2), f"terraform plan failed:\n{second.stderr[-3000:]}"
        if require_no_changes:
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
    return Replan(workdir, json.loads(shown.stdout), second.returncode, second.stdout[-4000:])
