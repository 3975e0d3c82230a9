"""No drift for examples/production, and checkov on its second plan.

It runs on moto with the calls moto 5 lacks added (tests/support/moto_ext.py: Application Auto
Scaling and budget tags, backup selections, budget subscribers). The second plan, where every
value is known, is scanned by checkov with no skips.
"""

from __future__ import annotations

from typing import Any

import pytest

from support.checkov import failed, scan
from support.drift import apply_and_replan
from support.paths import TESTS

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MOTO_EXT = TESTS / "support" / "moto_ext.py"


def test_production_second_plan_is_empty_and_passes_checkov(
    fresh_tree: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Every protection on: customer key, autoscaling, alarms, backups, budget, IAM.
    workdir, second, _, _ = apply_and_replan(
        fresh_tree("drift-production") / "examples" / "production",
        {"budget_alert_emails": ["ops@example.com"]},
        tmp_path_factory,
        extensions=(MOTO_EXT,),
    )
    report = scan(second, workdir)
    assert failed(report) == []
    assert report["summary"]["skipped"] == 0 and report["summary"]["passed"] > 0
