"""Small hand-written `terraform show -json` documents for the cost and bad-input tests."""

from __future__ import annotations

from typing import Any


def table_values(
    name: str,
    *,
    billing: str = "PAY_PER_REQUEST",
    rc: int | None = None,
    wc: int | None = None,
    gsis: tuple[dict[str, Any], ...] = (),
    pitr: bool = False,
    stream: str | None = None,
    table_class: str = "",
    ttl: str | None = None,
    replicas: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "name": name,
        "billing_mode": billing,
        "hash_key": "pk",
        "range_key": "sk",
        "read_capacity": rc,
        "write_capacity": wc,
        "attribute": [{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}],
        "global_secondary_index": [
            {
                "name": g["name"],
                "hash_key": "gpk",
                "range_key": None,
                "projection_type": g.get("projection", "ALL"),
                "non_key_attributes": g.get("non_key", []),
                "read_capacity": g.get("rc"),
                "write_capacity": g.get("wc"),
            }
            for g in gsis
        ],
        "local_secondary_index": [],
        "point_in_time_recovery": [{"enabled": pitr}],
        "stream_enabled": stream is not None,
        "stream_view_type": stream,
        "table_class": table_class,
        "ttl": [{"attribute_name": ttl, "enabled": True}] if ttl else [],
        "replica": [{"region_name": r} for r in replicas],
        "server_side_encryption": [{"enabled": True, "kms_key_arn": None}],
        "deletion_protection_enabled": True,
        "tags": {"Table": name},
    }


def plan_doc(*tables: dict[str, Any], extra: list[dict[str, Any]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """A `terraform show -json` plan holding the tables in a child module, like the stack."""
    resources = [
        {
            "address": f'module.app.aws_dynamodb_table.this["{t["name"]}"]',
            "mode": "managed",
            "type": "aws_dynamodb_table",
            "name": "this",
            "index": t["name"],
            "values": t,
        }
        for t in tables
    ]
    return {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": list(extra),
                "child_modules": [{"address": "module.app", "resources": resources}],
            }
        },
        "resource_changes": [
            {"address": r["address"], "type": r["type"], "change": {"actions": ["create"]}}
            for r in resources
        ],
    }
