"""Apply PROVISIONED + autoscaling to moto, move capacity behind Terraform's back (as the
autoscaler would), and check that plan leaves capacity alone while a non-autoscaled table's
capacity change still plans an update.

moto has no tagging API for Application Auto Scaling, which the AWS provider calls on every
read of a scalable target; this test's server adds it (tests/support/moto_ext.py). Everything
else is moto's real implementation.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from support.paths import TESTS
from support.terraform import init, terraform
from tooling.dev.local import MotoServer, endpoint_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TABLE = "iops-dashboard-metrics"
PLAIN = "iops-dashboard-insights"
MOTO_EXT = TESTS / "support" / "moto_ext.py"


@pytest.fixture(scope="module")
def scaling_endpoint() -> Iterator[dict[str, str]]:
    with MotoServer(extensions=(MOTO_EXT,)) as server:
        yield {**os.environ, **endpoint_env(server.url), "AWS_MAX_ATTEMPTS": "2"}


def _vars(read_capacity: int) -> list[str]:
    settings = {
        "apps": ["iops-dashboard"],
        "enable_deletion_protection": False,
        "table_overrides": {
            TABLE: {"billing_mode": "PROVISIONED", "autoscaling": {"enabled": True}},
            PLAIN: {"billing_mode": "PROVISIONED", "read_capacity": read_capacity},
        },
    }
    return [f"-var={k}={json.dumps(v)}" for k, v in settings.items()]


def test_plan_does_not_set_autoscaled_capacity_back(
    fresh_tree: Any, scaling_endpoint: dict[str, str]
) -> None:
    where = fresh_tree("autoscaling")
    env = scaling_endpoint
    init(where, env=env)
    applied = terraform(where, "apply", "-auto-approve", *_vars(5), env=env, check=False)
    assert applied.returncode == 0, applied.stderr
    state = terraform(where, "state", "list", env=env, check=False).stdout
    # The table's read and write targets, and read and write for each of its 2 GSIs.
    assert "aws_appautoscaling_target.table_read[0]" in state
    assert "aws_appautoscaling_target.table_write[0]" in state
    assert state.count("aws_appautoscaling_target.this[") == 2 * 2

    ddb = boto3.client(
        "dynamodb", endpoint_url=env["AWS_ENDPOINT_URL"], region_name=env["AWS_REGION"]
    )
    ddb.update_table(
        TableName=TABLE,
        ProvisionedThroughput={"ReadCapacityUnits": 17, "WriteCapacityUnits": 9},
        GlobalSecondaryIndexUpdates=[
            {
                "Update": {
                    "IndexName": "LastUpdatedIndex",
                    "ProvisionedThroughput": {"ReadCapacityUnits": 23, "WriteCapacityUnits": 11},
                }
            }
        ],
    )
    unchanged = terraform(where, "plan", "-detailed-exitcode", *_vars(5), env=env, check=False)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert (
        ddb.describe_table(TableName=TABLE)["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"]
        == 17
    )

    changed = terraform(where, "plan", "-detailed-exitcode", *_vars(8), env=env, check=False)
    assert changed.returncode == 2, changed.stderr
    assert "read_capacity               = 5 -> 8" in changed.stdout
    assert "1 to change" in changed.stdout
