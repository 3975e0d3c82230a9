"""Seed 002's access patterns: record and list queries, the atomic conditional rate limit,
sessions and FAQ searches."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from tooling.apps import Item
from tooling.apps._common import (
    check_positive,
    get_item,
    put_new,
    query_all,
    query_limit,
    utc,
    values,
)
from tooling.apps.mediphant.generator import (
    TABLE,
    query_item,
    rate_limit_item,
    ts,
    window_start,
)
from tooling.dynamo.serialize import from_item, to_item
from tooling.errors import UsageError


def _at(p: Mapping[str, Any]) -> datetime:
    if not p.get("at"):
        return datetime.now(timezone.utc)
    try:
        return utc(datetime.fromisoformat(p["at"].replace("Z", "+00:00")))
    except ValueError:
        raise UsageError(f"--param at={p['at']}: expected an ISO 8601 time") from None


def record_query(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item:
    item = query_item(p["session_id"], _at(p), p["med_a"], p["med_b"], p["risky"], p["reason"])
    conflict = f"a query at {item['Data']['timestamp']} already exists"
    return put_new(client, tables[TABLE], item, "PK", conflict)


def recent_queries(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_limit(
        client,
        check_positive(p["limit"], "limit"),
        TableName=tables[TABLE],
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
        ExpressionAttributeValues=values(pk=f"USER#{p['session_id']}", sk="QUERY#"),
        ScanIndexForward=False,
    )


def check_rate_limit(
    client: Any, tables: Mapping[str, str], p: Mapping[str, Any]
) -> dict[str, Any]:
    """Count one call of CLIENT_IP in the current hourly window if it is under LIMIT.

    The increment is one conditional UpdateItem (`Data.#count < :limit`), so concurrent callers
    can never push the count past the limit. The window item is first created with count 0 if
    absent (a conditional put: losing that race is harmless)."""
    limit = check_positive(p["limit"], "limit")
    start = window_start(_at(p))
    item = rate_limit_item(p["client_ip"], start, 0)
    key = {"PK": item["PK"], "SK": item["SK"]}
    with contextlib.suppress(client.exceptions.ConditionalCheckFailedException):
        client.put_item(
            TableName=tables[TABLE],
            Item=to_item(item),
            ConditionExpression="attribute_not_exists(PK)",
        )
    verdict = {"client_ip": p["client_ip"], "window_start": ts(start), "limit": limit}
    try:
        out = client.update_item(
            TableName=tables[TABLE],
            Key=to_item(key),
            UpdateExpression="SET #data.#count = #data.#count + :one",
            ConditionExpression="#data.#count < :limit",
            ExpressionAttributeNames={"#data": "Data", "#count": "count"},
            ExpressionAttributeValues=values(one=1, limit=limit),
            ReturnValues="ALL_NEW",
        )
    except client.exceptions.ConditionalCheckFailedException:
        current = get_item(client, tables[TABLE], key) or item
        return verdict | {"allowed": False, "count": int(current["Data"]["count"])}
    return verdict | {"allowed": True, "count": int(from_item(out["Attributes"])["Data"]["count"])}


def rate_limit_status(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_limit(
        client,
        1,
        TableName=tables[TABLE],
        KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
        ExpressionAttributeValues=values(pk=f"RATE_LIMIT#{p['client_ip']}", sk="WINDOW#"),
        ScanIndexForward=False,
    )


def user_sessions(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_all(
        client,
        TableName=tables[TABLE],
        KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
        ExpressionAttributeValues=values(pk=f"USER#{p['user_id']}", sk="SESSION#"),
    )


def find_session(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_all(
        client,
        TableName=tables[TABLE],
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
        ExpressionAttributeValues=values(pk=f"SESSION#{p['session_id']}", sk="USER#"),
    )


def faq_searches(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    try:
        day = datetime.strptime(p["date"], "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        raise UsageError(f"--param date={p['date']}: expected YYYY-MM-DD") from None
    return query_all(
        client,
        TableName=tables[TABLE],
        KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
        ExpressionAttributeValues=values(pk=f"FAQ_SEARCH#{day}", sk="QUERY#"),
    )
