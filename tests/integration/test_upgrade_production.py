"""Upgrading a development stack to examples/production in place: the tables exist on-demand,
and production makes the IOps dashboard's two PROVISIONED with autoscaling.

The autoscaling read-back takes the live capacity of a table so that a plan does not set back
what the autoscaler moved; an on-demand table reads back 0, which must not become the
provisioned capacity (the provider refuses it: "read_capacity must be at least 1"). The user's
steps: apply examples/development, move its state to examples/production, plan, apply; then a
second plan is empty.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from support.paths import TESTS
from support.terraform import Terraform, changes, init
from tooling.dev.local import MotoServer

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MOTO_EXT = TESTS / "support" / "moto_ext.py"
PROVISIONED = ("iops-dashboard-metrics", "iops-dashboard-insights")
PROD_VARS = {"budget_alert_emails": ["ops@example.com"]}


def test_production_takes_over_on_demand_tables(fresh_tree: Any) -> None:
    tree = fresh_tree("upgrade-production")
    with MotoServer(extensions=(MOTO_EXT,)) as server:
        dev = Terraform(tree / "examples" / "development", server.url)
        init(dev.dir, env=dev.env)
        dev.ok("apply", "-input=false", "-auto-approve")
        ddb = boto3.client("dynamodb", endpoint_url=server.url, region_name="us-east-1")
        for name in PROVISIONED:
            billing = ddb.describe_table(TableName=name)["Table"]["BillingModeSummary"]
            assert billing["BillingMode"] == "PAY_PER_REQUEST"

        prod = Terraform(tree / "examples" / "production", server.url)
        init(prod.dir, env=prod.env)
        prod.take_state(dev)
        var_file = prod.write_vars(PROD_VARS)
        code, plan, text = prod.plan_json(var_file)
        assert code == 2, text[-3000:]
        updated = {
            rc["change"]["after"]["name"]: rc["change"]["after"]
            for rc in plan["resource_changes"]
            if rc["type"] == "aws_dynamodb_table" and rc["change"]["actions"] == ["update"]
        }
        # Every table is updated in place (key, PITR, protection); none is replaced.
        assert len(updated) == 10, changes(plan)
        assert not [c for c in changes(plan) if "delete" in c and "aws_dynamodb_table" in c]
        for name in PROVISIONED:
            # On-demand today: autoscaling starts at its minimum (5), table and every GSI.
            assert updated[name]["billing_mode"] == "PROVISIONED"
            assert (updated[name]["read_capacity"], updated[name]["write_capacity"]) == (5, 5)
            assert {
                (g["read_capacity"], g["write_capacity"])
                for g in updated[name]["global_secondary_index"]
            } == {(5, 5)}

        prod.ok("apply", "-input=false", "-auto-approve", "check.tfplan")
        for name in PROVISIONED:
            table = ddb.describe_table(TableName=name)["Table"]
            assert table["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
            assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
        again, second, text = prod.plan_json(var_file)
        assert again == 0, f"{changes(second)}\n{text[-3000:]}"
