"""tooling.terraform.plan: typed table configs out of hand-written `terraform show -json`
documents, both a saved plan (planned_values, nested child modules, autoscaling targets) and a
state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tooling.errors import UsageError
from tooling.terraform import plan as tfplan

TABLE = {
    "name": "acme-orders",
    "billing_mode": "PROVISIONED",
    "hash_key": "pk",
    "range_key": "sk",
    "read_capacity": 10,
    "write_capacity": 5,
    "attribute": [
        {"name": "pk", "type": "S"},
        {"name": "sk", "type": "S"},
        {"name": "status", "type": "S"},
        {"name": "total", "type": "N"},
    ],
    "global_secondary_index": [
        {
            "name": "ByStatus",
            "hash_key": "status",
            "range_key": "",
            "projection_type": "INCLUDE",
            "non_key_attributes": ["total"],
            "read_capacity": 4,
            "write_capacity": 3,
        }
    ],
    "local_secondary_index": [
        {"name": "ByTotal", "range_key": "total", "projection_type": "KEYS_ONLY"}
    ],
    "point_in_time_recovery": [{"enabled": True, "recovery_period_in_days": 7}],
    "stream_enabled": True,
    "stream_view_type": "NEW_AND_OLD_IMAGES",
    "table_class": "STANDARD_INFREQUENT_ACCESS",
    "ttl": [{"attribute_name": "expires", "enabled": True}],
    "replica": [{"region_name": "eu-west-1"}],
    "server_side_encryption": [{"enabled": True, "kms_key_arn": "arn:aws:kms:k"}],
    "deletion_protection_enabled": True,
    "tags": {"Table": "orders", "Application": "shop"},
}


def _target(rid: str, dim: str, lo: int, hi: int) -> dict:
    return {
        "address": f'module.shop.module.t.aws_appautoscaling_target.this["{rid}-{dim}"]',
        "mode": "managed",
        "type": "aws_appautoscaling_target",
        "values": {
            "service_namespace": "dynamodb",
            "resource_id": rid,
            "scalable_dimension": dim,
            "min_capacity": lo,
            "max_capacity": hi,
        },
    }


def _plan() -> dict:
    address = "module.shop.module.t.aws_dynamodb_table.this"
    inner = {
        "address": "module.shop.module.t",
        "resources": [
            {"address": address, "mode": "managed", "type": "aws_dynamodb_table", "values": TABLE},
            _target("table/acme-orders", "dynamodb:table:ReadCapacityUnits", 10, 200),
            _target("table/acme-orders", "dynamodb:table:WriteCapacityUnits", 5, 50),
            _target("table/acme-orders/index/ByStatus", "dynamodb:index:WriteCapacityUnits", 3, 9),
            {  # data sources are not tables to price
                "address": "module.shop.module.t.data.aws_dynamodb_table.current",
                "mode": "data",
                "type": "aws_dynamodb_table",
                "values": {"name": "x"},
            },
        ],
    }
    return {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {"child_modules": [{"address": "module.shop", "child_modules": [inner]}]}
        },
        "resource_changes": [
            {
                "address": address,
                "type": "aws_dynamodb_table",
                "change": {"actions": ["delete", "create"]},
            },
            {
                "address": "aws_dynamodb_table.gone",
                "type": "aws_dynamodb_table",
                "change": {"actions": ["delete"]},
            },
        ],
        "configuration": {},
    }


def test_reads_every_setting_from_nested_modules() -> None:
    (t,) = tfplan.tables(_plan())
    assert (t.address, t.name, t.seed_name, t.label) == (
        "module.shop.module.t.aws_dynamodb_table.this",
        "acme-orders",
        "orders",
        "orders",
    )
    assert (t.billing_mode, t.provisioned, t.read_capacity, t.write_capacity) == (
        "PROVISIONED",
        True,
        10,
        5,
    )
    assert (t.hash_key, t.range_key) == ("pk", "sk")
    (g,) = t.gsis
    assert (g.name, g.hash_key, g.range_key, g.projection_type, g.non_key_attributes) == (
        "ByStatus",
        "status",
        None,
        "INCLUDE",
        ("total",),
    )
    assert (g.read_capacity, g.write_capacity) == (4, 3)
    assert g.autoscaling == tfplan.Autoscaling(read=None, write=tfplan.Bounds(3, 9))
    assert t.gsi("ByStatus") is g and t.gsi("nope") is None
    (lsi,) = t.lsis
    assert (lsi.name, lsi.range_key, lsi.projection_type) == ("ByTotal", "total", "KEYS_ONLY")
    assert t.autoscaling == tfplan.Autoscaling(
        read=tfplan.Bounds(10, 200), write=tfplan.Bounds(5, 50)
    )
    assert (t.pitr_enabled, t.stream_enabled, t.stream_view_type) == (
        True,
        True,
        "NEW_AND_OLD_IMAGES",
    )
    assert (t.table_class, t.ttl_attribute, t.replica_regions) == (
        "STANDARD_INFREQUENT_ACCESS",
        "expires",
        ("eu-west-1",),
    )
    assert (t.sse_enabled, t.kms_key_arn, t.deletion_protection) == (True, "arn:aws:kms:k", True)
    assert t.attributes["total"] == "N"
    assert t.action == ("delete", "create")
    assert tfplan.deleted_tables(_plan()) == [
        "module.shop.module.t.aws_dynamodb_table.this",
        "aws_dynamodb_table.gone",
    ]


def test_reads_state_and_defaults() -> None:
    minimal = {
        "name": "plain",
        "billing_mode": "PAY_PER_REQUEST",
        "hash_key": "id",
        "read_capacity": 0,
        "write_capacity": 0,
        "table_class": "",
        "tags": None,
    }
    state = {
        "format_version": "1.0",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_dynamodb_table.p",
                        "mode": "managed",
                        "type": "aws_dynamodb_table",
                        "values": minimal,
                    }
                ]
            }
        },
    }
    (t,) = tfplan.tables(state)
    assert (t.name, t.seed_name, t.label, t.billing_mode) == (
        "plain",
        None,
        "plain",
        "PAY_PER_REQUEST",
    )
    assert (t.read_capacity, t.write_capacity, t.table_class) == (None, None, "STANDARD")
    assert (t.gsis, t.lsis, t.replica_regions, t.ttl_attribute) == ((), (), (), None)
    assert (t.pitr_enabled, t.stream_enabled, t.sse_enabled, t.action) == (False, False, False, ())


def test_load_refuses_files_that_are_not_show_json(tmp_path: Path) -> None:
    good = tmp_path / "plan.json"
    good.write_text(json.dumps(_plan()))
    assert tfplan.load(good)["format_version"] == "1.2"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(UsageError, match=r"--plan .*bad.json: not JSON"):
        tfplan.load(bad)
    other = tmp_path / "other.json"
    other.write_text('{"a": 1}')
    with pytest.raises(UsageError, match="not `terraform show -json` output"):
        tfplan.load(other)
    with pytest.raises(UsageError, match="no such file"):
        tfplan.load(tmp_path / "missing.json")
