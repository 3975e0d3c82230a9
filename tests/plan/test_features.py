"""Plan assertions for the production features (examples/production): least-privilege IAM
documents, one set of alarms per table, autoscaling targets and policies per table and GSI."""

from __future__ import annotations

import json
from typing import Any

import pytest

from support.seed_spec import SEED_SPEC

pytestmark = pytest.mark.plan

PROD_VARS = {"budget_alert_emails": ["ops@example.com"]}
AUTOSCALED = ("iops-dashboard-metrics", "iops-dashboard-insights")


@pytest.fixture(scope="module")
def plan(workspaces: Any) -> Any:
    return workspaces("examples/production").plan(**PROD_VARS)


def _resources(plan: Any, rtype: str) -> list[dict[str, Any]]:
    return [
        rc for rc in plan["resource_changes"] if rc["type"] == rtype and rc["mode"] == "managed"
    ]


def _statements(doc: str) -> list[dict[str, Any]]:
    return json.loads(doc)["Statement"]


def _as_list(v: Any) -> list[str]:
    return [v] if isinstance(v, str) else list(v)


def test_iam_documents_name_only_the_apps_tables_and_indexes(plan: Any) -> None:
    policies = plan["planned_values"]["outputs"]["iam_policies"]["value"]
    assert set(policies) == {spec["app"] for spec in SEED_SPEC.values()}
    for app, docs in policies.items():
        tables = {n for n, s in SEED_SPEC.items() if s["app"] == app}
        allowed = {f"arn:aws:dynamodb:us-east-1:123456789012:table/{t}" for t in tables}
        allowed |= {
            f"arn:aws:dynamodb:us-east-1:123456789012:table/{t}/index/{i}"
            for t in tables
            for i in SEED_SPEC[t]["gsi"]
        }
        for kind, doc in docs.items():
            resources = {r for s in _statements(doc) for r in _as_list(s["Resource"])}
            actions = {a for s in _statements(doc) for a in _as_list(s["Action"])}
            assert resources == allowed, (app, kind)
            assert all("*" not in a for a in actions), (app, kind)
            writes = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
            assert (writes <= actions) is (kind == "read_write"), (app, kind)


def test_no_policy_document_has_a_wildcard(plan: Any) -> None:
    docs = [rc["change"]["after"]["policy"] for rc in _resources(plan, "aws_iam_role_policy")] + [
        rc["change"]["after"]["assume_role_policy"] for rc in _resources(plan, "aws_iam_role")
    ]
    assert docs, "the production example attaches the dashboard policy to its Lambda role"
    for doc in docs:
        for s in _statements(doc):
            assert all("*" not in a for a in _as_list(s.get("Action", []))), doc
            assert all("*" not in r for r in _as_list(s.get("Resource", []))), doc
    # The key policy lists its actions; Resource "*" in a key policy means the key itself.
    key = _resources(plan, "aws_kms_key")
    assert len(key) == 1 and key[0]["change"]["after"]["enable_key_rotation"] is True
    for s in _statements(key[0]["change"]["after"]["policy"]):
        assert all("*" not in a for a in _as_list(s["Action"]))


def test_role_attachment_uses_the_read_write_document(plan: Any) -> None:
    (attached,) = _resources(plan, "aws_iam_role_policy")
    after = attached["change"]["after"]
    assert after["role"] == "iops-dashboard-lambda-production"
    outputs = plan["planned_values"]["outputs"]["iam_policies"]["value"]
    assert json.loads(after["policy"]) == json.loads(outputs["iops-dashboard"]["read_write"])


def test_alarms_exist_per_table(plan: Any) -> None:
    alarms = {
        rc["change"]["after"]["alarm_name"]
        for rc in _resources(plan, "aws_cloudwatch_metric_alarm")
    }
    for table in SEED_SPEC:
        kinds = ["read-throttles", "write-throttles", "system-errors"]
        if table in AUTOSCALED:
            kinds += ["read-capacity", "write-capacity"]
        assert {f"{table}-{k}" for k in kinds} <= alarms, table
    assert len(alarms) == 3 * len(SEED_SPEC) + 2 * len(AUTOSCALED)
    assert len(_resources(plan, "aws_sns_topic")) == 1


def test_autoscaling_targets_and_policies_per_table_and_gsi(plan: Any) -> None:
    targets = {
        (rc["change"]["after"]["resource_id"], rc["change"]["after"]["scalable_dimension"]): rc[
            "change"
        ]["after"]
        for rc in _resources(plan, "aws_appautoscaling_target")
    }
    expected = set()
    for table in AUTOSCALED:
        for unit in ("ReadCapacityUnits", "WriteCapacityUnits"):
            expected.add((f"table/{table}", f"dynamodb:table:{unit}"))
            for index in SEED_SPEC[table]["gsi"]:
                expected.add((f"table/{table}/index/{index}", f"dynamodb:index:{unit}"))
    assert set(targets) == expected
    assert {(t["min_capacity"], t["max_capacity"]) for t in targets.values()} == {(5, 100)}
    policies = _resources(plan, "aws_appautoscaling_policy")
    assert len(policies) == len(expected)
    for p in policies:
        conf = p["change"]["after"]["target_tracking_scaling_policy_configuration"][0]
        assert conf["target_value"] == 70


def test_every_table_uses_the_created_key_and_protections(plan: Any) -> None:
    tables = [rc for rc in _resources(plan, "aws_dynamodb_table")]
    assert len(tables) == len(SEED_SPEC)
    for rc in tables:
        after = rc["change"]["after"]
        assert after["deletion_protection_enabled"] is True
        assert after["point_in_time_recovery"][0]["enabled"] is True
        assert after["server_side_encryption"][0]["enabled"] is True
        # The key ARN is the created key's, known only after apply.
        assert rc["change"]["after_unknown"]["server_side_encryption"][0]["kms_key_arn"] is True
        provisioned = after["tags"]["Table"] in AUTOSCALED
        assert after["billing_mode"] == ("PROVISIONED" if provisioned else "PAY_PER_REQUEST")


def test_backup_and_budget(plan: Any) -> None:
    (rule,) = _resources(plan, "aws_backup_plan")[0]["change"]["after"]["rule"]
    assert rule["lifecycle"][0]["delete_after"] == 35
    assert rule["schedule"].startswith("cron(")
    assert len(_resources(plan, "aws_backup_selection")) == 1
    (budget,) = _resources(plan, "aws_budgets_budget")
    after = budget["change"]["after"]
    assert after["cost_filter"] == [{"name": "Service", "values": ["Amazon DynamoDB"]}]
    assert after["notification"][0]["subscriber_email_addresses"] == ["ops@example.com"]


def test_default_stack_adds_no_feature_resources(workspaces: Any) -> None:
    types = {
        rc["type"] for rc in workspaces(".").plan()["resource_changes"] if rc["mode"] == "managed"
    }
    assert types == {"aws_dynamodb_table"}


def test_upnest_per_user_policy_uses_leading_keys(root_variants: Any) -> None:
    plan = root_variants["upnest_per_user"]
    doc = plan["planned_values"]["outputs"]["upnest_per_user_policy"]["value"]
    statements = _statements(doc)
    resources = {r for s in statements for r in _as_list(s["Resource"])}
    assert all("UpNest-Users" in r or "/index/User" in r for r in resources)
    for s in statements:
        cond = s["Condition"]["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"]
        assert _as_list(cond) == ["${cognito-identity.amazonaws.com:sub}"]
