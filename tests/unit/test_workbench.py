"""The Workbench model from hand-made plan documents: provisioned capacity and autoscaling, tables
the seeds do not know, and bad input refused in one line with nothing written."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tooling import cli, workbench
from tooling.terraform import plan


def table(name: str, seed: str | None, **values: Any) -> dict[str, Any]:
    v = {
        "name": name,
        "billing_mode": "PROVISIONED",
        "hash_key": "PK",
        "range_key": "SK",
        "read_capacity": 10,
        "write_capacity": 5,
        "attribute": [
            {"name": "PK", "type": "S"},
            {"name": "SK", "type": "S"},
            {"name": "GSI1PK", "type": "S"},
            {"name": "GSI1SK", "type": "S"},
        ],
        "global_secondary_index": [
            {
                "name": "GSI1",
                "hash_key": "GSI1PK",
                "range_key": "GSI1SK",
                "projection_type": "INCLUDE",
                "non_key_attributes": ["Data"],
                "read_capacity": 3,
                "write_capacity": 2,
            }
        ],
        "tags": {"Table": seed} if seed else {},
    } | values
    return {"address": f"aws_dynamodb_table.{name}", "type": "aws_dynamodb_table", "values": v}


def target(table_name: str, dim: str, lo: int, hi: int) -> dict[str, Any]:
    return {
        "address": f"aws_appautoscaling_target.{dim}",
        "type": "aws_appautoscaling_target",
        "values": {
            "service_namespace": "dynamodb",
            "resource_id": f"table/{table_name}",
            "scalable_dimension": f"dynamodb:table:{dim}CapacityUnits",
            "min_capacity": lo,
            "max_capacity": hi,
        },
    }


def doc(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"planned_values": {"root_module": {"resources": list(resources)}}}


def validate(model: dict[str, Any]) -> None:
    schema = json.loads(workbench.SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator(schema).validate(model)


def test_provisioned_autoscaled_table_and_an_unknown_one() -> None:
    configs = plan.tables(
        doc(
            table("acme-mediphant-data", "mediphant-data"),
            target("acme-mediphant-data", "Read", 5, 50),
            table("other", None, billing_mode="PAY_PER_REQUEST", global_secondary_index=[]),
        )
    )
    model = workbench.build_model(
        configs, name="m", author="me", now=datetime(2026, 1, 1), with_sample_data=True
    )
    validate(model)
    acme, other = model["DataModel"]
    assert acme["TableName"] == "acme-mediphant-data"
    assert acme["BillingMode"] == "PROVISIONED"
    settings = acme["ProvisionedCapacitySettings"]
    assert settings["ProvisionedThroughput"] == {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}
    assert settings["AutoScalingRead"]["ScalableTargetRequest"]["MinCapacity"] == 5
    assert settings["AutoScalingRead"]["ScalableTargetRequest"]["MaxCapacity"] == 50
    assert "AutoScalingWrite" not in settings
    (gsi,) = acme["GlobalSecondaryIndexes"]
    assert gsi["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Data"]}
    assert {f["FacetName"] for f in acme["TableFacets"]} == {
        "record-query",
        "recent-queries",
        "check-rate-limit",
        "rate-limit-status",
        "user-sessions",
        "find-session",
        "faq-searches",
    }
    assert len(acme["TableData"]) == workbench.SAMPLE_LIMIT
    # A table the seeds do not know: keys and billing only.
    assert other["TableFacets"] == [] and other["TableData"] == []
    assert other["NonKeyAttributes"] == [] and "ProvisionedCapacitySettings" not in other


def test_same_inputs_same_model() -> None:
    configs = plan.tables(doc(table("babies", "UpNest-Babies", hash_key="babyId", range_key=None)))
    kwargs: dict[str, Any] = {"name": "m", "author": "a", "now": datetime(2026, 1, 1)}
    first = workbench.build_model(configs, with_sample_data=True, **kwargs)
    assert first == workbench.build_model(configs, with_sample_data=True, **kwargs)
    validate(first)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "not JSON"),
        ('{"values": {"root_module": {}}, "format_version": "1.0"}', "holds no DynamoDB table"),
        ('{"resource_changes": []}', "not `terraform show -json` output"),
        (json.dumps(doc()), "holds no DynamoDB table"),
    ],
)
def test_bad_plans_are_one_line_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_text(content)
    out = tmp_path / "model.json"
    assert cli.main(["workbench", "--plan", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --plan {path}: ") and message in err
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == ([path] if content is not None else [])


def test_missing_output_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc(table("things", "mediphant-data"))))
    code = cli.main(["workbench", "--plan", str(path), "-o", str(tmp_path / "no" / "m.json")])
    assert code == 2
    assert "does not exist" in capsys.readouterr().err


def test_autoscaling_target_value_is_the_plans_policy() -> None:
    policy = {
        "address": "aws_appautoscaling_policy.Write",
        "type": "aws_appautoscaling_policy",
        "values": {
            "service_namespace": "dynamodb",
            "resource_id": "table/tbl",
            "scalable_dimension": "dynamodb:table:WriteCapacityUnits",
            "policy_type": "TargetTrackingScaling",
            "target_tracking_scaling_policy_configuration": [{"target_value": 45}],
        },
    }
    configs = plan.tables(
        doc(table("tbl", None), target("tbl", "Read", 5, 50), target("tbl", "Write", 5, 10), policy)
    )
    model = workbench.build_model(configs, name="m", author="me", now=datetime(2026, 1, 1))
    validate(model)
    settings = model["DataModel"][0]["ProvisionedCapacitySettings"]
    assert settings["AutoScalingWrite"]["ScalingPolicyConfiguration"] == {"TargetValue": 45}
    # No policy for reads in the plan: the stack's default target.
    assert settings["AutoScalingRead"]["ScalingPolicyConfiguration"] == {
        "TargetValue": workbench.AUTOSCALING_TARGET
    }
