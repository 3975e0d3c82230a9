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

from typing import Any

import pytest

from support import variants
from support.drift import Replan, apply_and_replan
from support.root_variants import ROOT_VARIANTS

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOTS: dict[str, dict[str, Any]] = {
    name: {**tf_vars, "table_name_prefix": f"{name}-"}
    for name, tf_vars in {
        "defaults": {},
        "development": ROOT_VARIANTS["development"],
        "provisioned": ROOT_VARIANTS["provisioned"],
    }.items()
}


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
