"""Seed 003's access patterns: a user's babies, one baby (owner checked), growth by baby and by
user within dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from tooling.apps import Item
from tooling.apps._common import (
    get_item,
    query_all,
    values,
)
from tooling.apps.upnest.generator import (
    BABIES,
    GROWTH,
    USERS,
)
from tooling.errors import ToolingError, UsageError


def _check_date(value: str | None, param: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--param {param}={value}: expected a date YYYY-MM-DD") from None


def user_babies(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_all(
        client,
        TableName=tables[BABIES],
        IndexName="UserBabiesIndex",
        KeyConditionExpression="userId = :uid",
        ExpressionAttributeValues=values(uid=p["user_id"]),
    )


def get_baby(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item:
    """One baby of the caller: key condition on babyId, filter on the owner in the same
    request, so another user's baby is never returned."""
    found = query_all(
        client,
        TableName=tables[BABIES],
        KeyConditionExpression="babyId = :bid",
        FilterExpression="userId = :uid",
        ExpressionAttributeValues=values(bid=p["baby_id"], uid=p["user_id"]),
    )
    if not found:
        raise ToolingError(f"baby {p['baby_id']} not found for user {p['user_id']}")
    return found[0]


def baby_growth(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    """A baby's growth data, oldest first, for the baby's owner only."""
    get_baby(client, tables, p)
    lo = _check_date(p.get("from_date"), "from_date") or "0000-00-00"
    hi = _check_date(p.get("to_date"), "to_date") or "9999-99-99"
    return query_all(
        client,
        TableName=tables[GROWTH],
        KeyConditionExpression="babyId = :bid AND measurementDate BETWEEN :lo AND :hi",
        FilterExpression="userId = :uid",
        ExpressionAttributeValues=values(bid=p["baby_id"], uid=p["user_id"], lo=lo, hi=hi),
    )


def user_measurements(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    lo = _check_date(p["from_date"], "from_date")
    hi = _check_date(p["to_date"], "to_date")
    if lo > hi:  # type: ignore[operator]
        raise UsageError(f"--param from_date={lo} is after to_date={hi}")
    return query_all(
        client,
        TableName=tables[GROWTH],
        IndexName="UserGrowthDataIndex",
        KeyConditionExpression="userId = :uid AND measurementDate BETWEEN :lo AND :hi",
        ExpressionAttributeValues=values(uid=p["user_id"], lo=lo, hi=hi),
        ScanIndexForward=False,
    )


def get_user(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item | None:
    return get_item(client, tables[USERS], {"userId": p["user_id"]})
