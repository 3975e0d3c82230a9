"""Reading DynamoDB tables out of a `terraform show -json` plan."""

from __future__ import annotations

from typing import Any


def planned_tables(plan: Any) -> dict[str, dict[str, Any]]:
    """Planned `after` of every aws_dynamodb_table, keyed by seed name (its Table tag)."""
    tables = {}
    for rc in plan["resource_changes"]:
        if rc["type"] != "aws_dynamodb_table" or rc["change"]["actions"] == ["delete"]:
            continue
        after = rc["change"]["after"]
        tables[after["tags"]["Table"]] = {**after, "_address": rc["address"]}
    return tables


def gsis(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["name"]: g for g in table.get("global_secondary_index") or []}
