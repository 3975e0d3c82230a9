"""No drift: after `terraform apply`, a second plan shows no changes; and checkov on the second
plan of examples/production.

The root is applied under the defaults and under the fusion seed's development and
provisioned-capacity commands, and examples/production (every protection on: customer key,
autoscaling, alarms, backups, budget, IAM) beside them, all at once: one configuration calls the
root once per set of variables, each under a table-name prefix of its own
(tests/support/variants.py), and the production example as it is, so one provider serves them and
the provider's waits overlap. It runs on moto with the calls moto 5 lacks added
(tests/support/moto_ext.py: Application Auto Scaling and budget tags, backup selections, budget
subscribers). `terraform plan -detailed-exitcode` must then exit 0, and no resource of any
variant may change. The production example's part of the second plan, where every value is known,
is scanned by checkov with no skips.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from support import variants
from support.checkov import failed, scan
from support.drift import Replan, apply_and_replan
from support.paths import REPO, TESTS
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
MOTO_EXT = TESTS / "support" / "moto_ext.py"
PRODUCTION = "production"
PRODUCTION_VARS = {"budget_alert_emails": ["ops@example.com"]}


def add_production(harness: Path) -> None:
    """examples/production as one more module of the harness. It calls the root as "../../",
    which from stack/examples/production is the harness's copy of the root."""
    example = harness / "stack" / "examples" / PRODUCTION
    example.mkdir(parents=True)
    for tf in (REPO / "examples" / PRODUCTION).glob("*.tf"):
        shutil.copy2(tf, example / tf.name)
    main = harness / "main.tf.json"
    doc = json.loads(main.read_text())
    doc["module"][PRODUCTION] = {"source": f"./stack/examples/{PRODUCTION}", **PRODUCTION_VARS}
    main.write_text(json.dumps(doc, indent=2))


@pytest.fixture(scope="module")
def second_plan(tmp_path_factory: pytest.TempPathFactory) -> Replan:
    """The plan after applying the three variants of the root and examples/production."""
    workdir = variants.build(tmp_path_factory.mktemp("drift-root"), ROOTS)
    add_production(workdir)
    return apply_and_replan(
        workdir, {}, tmp_path_factory, extensions=(MOTO_EXT,), require_no_changes=False
    )


@pytest.mark.parametrize("name", [*ROOTS, PRODUCTION])
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


def test_production_second_plan_passes_checkov(second_plan: Replan) -> None:
    raw = second_plan.plan
    plan = variants.split(raw, PRODUCTION, PRODUCTION_VARS)
    # checkov follows references through the configuration: the example's own, as its root.
    calls = raw["configuration"]["root_module"]["module_calls"]
    plan["configuration"] = {
        "provider_config": raw["configuration"].get("provider_config", {}),
        "root_module": calls[PRODUCTION]["module"],
    }
    report = scan(plan, second_plan.workdir)
    assert failed(report) == []
    assert report["summary"]["skipped"] == 0 and report["summary"]["passed"] > 0
