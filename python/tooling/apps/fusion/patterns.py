"""Seed 000's access patterns: entries of a day or a time range, by medication or pain level
(the sparse GSIs), and the summary of a day."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tooling.apps import Item
from tooling.apps._common import (
    check_hhmm,
    check_mmdd,
    get_item,
    query_all,
    values,
)
from tooling.apps.fusion.generator import (
    ENTRIES,
    SUMMARIES,
)
from tooling.errors import UsageError


def _date_range(params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    lo, hi = params.get("from_date"), params.get("to_date")
    if lo is not None:
        check_mmdd(lo, "from_date")
    if hi is not None:
        check_mmdd(hi, "to_date")
    if lo and hi:
        if lo > hi:
            raise UsageError(f"--param from_date={lo} is after to_date={hi}")
        return " AND #date BETWEEN :lo AND :hi", values(lo=lo, hi=hi)
    if lo:
        return " AND #date >= :lo", values(lo=lo)
    if hi:
        return " AND #date <= :hi", values(hi=hi)
    return "", {}


def entries_for_date(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_all(
        client,
        TableName=tables[ENTRIES],
        KeyConditionExpression="#date = :date",
        ExpressionAttributeNames={"#date": "date"},
        ExpressionAttributeValues=values(date=check_mmdd(p["date"], "date")),
    )


def entries_in_time_range(
    client: Any, tables: Mapping[str, str], p: Mapping[str, Any]
) -> list[Item]:
    start, end = check_hhmm(p["start"], "start"), check_hhmm(p["end"], "end")
    if start > end:
        raise UsageError(f"--param start={start} is after end={end}")
    return query_all(
        client,
        TableName=tables[ENTRIES],
        KeyConditionExpression="#date = :date AND #timestamp BETWEEN :start AND :end",
        ExpressionAttributeNames={"#date": "date", "#timestamp": "timestamp"},
        ExpressionAttributeValues=values(date=check_mmdd(p["date"], "date"), start=start, end=end),
    )


def entries_by_medication(
    client: Any, tables: Mapping[str, str], p: Mapping[str, Any]
) -> list[Item]:
    cond, vals = _date_range(p)
    kwargs: dict[str, Any] = {"ExpressionAttributeNames": {"#date": "date"}} if cond else {}
    return query_all(
        client,
        TableName=tables[ENTRIES],
        IndexName="medication-index",
        KeyConditionExpression="medication_taken = :med" + cond,
        ExpressionAttributeValues={**values(med=p["medication"].strip().lower()), **vals},
        **kwargs,
    )


def entries_by_pain_level(
    client: Any, tables: Mapping[str, str], p: Mapping[str, Any]
) -> list[Item]:
    level = p["level"]
    if not 0 <= level <= 10:
        raise UsageError(f"--param level={level}: expected a pain level 0-10")
    cond, vals = _date_range(p)
    kwargs: dict[str, Any] = {"ExpressionAttributeNames": {"#date": "date"}} if cond else {}
    return query_all(
        client,
        TableName=tables[ENTRIES],
        IndexName="pain-level-index",
        KeyConditionExpression="max_pain_level = :level" + cond,
        ExpressionAttributeValues={**values(level=level), **vals},
        **kwargs,
    )


def daily_summary(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item | None:
    return get_item(client, tables[SUMMARIES], {"date": check_mmdd(p["date"], "date")})
