"""checkov on the plans: examples/production with no skips at all, the default stack with only
the by-design skips of .checkov.yaml.

The create plan of examples/production cannot know the ARN of the key it creates, and checkov
reads an unknown attribute as absent unless EVAL_TF_PLAN_AFTER_UNKNOWN is set; with it set,
"known after apply" counts as present. The first test shows that this is the only difference (the
key ARN on the tables and the backup vault). tests/integration/test_drift.py scans the plan after
applying to moto, where every value is known, without the variable.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from support.checkov import DEFAULT_STACK_CONFIG, check_ids, failed, scan
from support.seed_spec import SEED_SPEC

pytestmark = pytest.mark.plan

PROD_VARS = {"budget_alert_emails": ["ops@example.com"]}


@pytest.fixture(scope="module")
def production_plan(workspaces: Any) -> dict[str, Any]:
    return workspaces("examples/production").plan(**PROD_VARS)._raw


def test_production_create_plan_lacks_only_the_new_key_arn(
    production_plan: dict[str, Any], tmp_path: Path
) -> None:
    report = scan(production_plan, tmp_path)
    assert Counter(check_ids(report, "failed_checks")) == {
        "CKV_AWS_119": len(SEED_SPEC),  # tables: CMK ARN known after apply
        "CKV_AWS_166": 1,  # backup vault: same key
    }, failed(report)


def test_production_plan_passes_every_check(
    production_plan: dict[str, Any], tmp_path: Path
) -> None:
    report = scan(production_plan, tmp_path, env={"EVAL_TF_PLAN_AFTER_UNKNOWN": "true"})
    assert failed(report) == []
    assert report["summary"]["skipped"] == 0
    passed = Counter(check_ids(report, "passed_checks"))
    # The checks this example exists to pass ran on every table, the topic and the vault.
    assert passed["CKV_AWS_119"] == len(SEED_SPEC)  # customer-managed key
    assert passed["CKV2_AWS_16"] == len(SEED_SPEC)  # autoscaling (or on-demand)
    assert passed["CKV_AWS_28"] == len(SEED_SPEC)  # point-in-time recovery
    assert passed["CKV_AWS_26"] == 1  # SNS topic encrypted
    assert passed["CKV_AWS_166"] == 1  # backup vault with the key
    assert passed["CKV_AWS_7"] == 1  # key rotation


def test_default_stack_fails_only_the_documented_skips(workspaces: Any, tmp_path: Path) -> None:
    plan = workspaces(".").plan()._raw
    report = scan(plan, tmp_path, "--config-file", str(DEFAULT_STACK_CONFIG))
    assert failed(report) == []
    assert report["summary"]["passed"] > 0
    # The one skip is the customer-managed-key check, and the reason holds: the default tables
    # are encrypted with the AWS-managed key (no key ARN in the plan).
    assert yaml.safe_load(DEFAULT_STACK_CONFIG.read_text())["skip-check"] == ["CKV_AWS_119"]
    tables = [rc for rc in plan["resource_changes"] if rc["type"] == "aws_dynamodb_table"]
    assert len(tables) == len(SEED_SPEC)
    for rc in tables:
        (sse,) = rc["change"]["after"]["server_side_encryption"]
        assert sse["enabled"] is True and sse.get("kms_key_arn") is None, rc["address"]
