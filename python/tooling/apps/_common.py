"""Helpers shared by the app modules: seeded randomness, time formats, expression values, paging."""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from faker import Faker

from tooling.apps import GenerationContext, Item
from tooling.dynamo.serialize import from_item, to_item, to_wire
from tooling.errors import UsageError


def rng(ctx: GenerationContext, app: str) -> tuple[random.Random, Faker]:
    """A Random and a Faker seeded from the context and the app name: each app draws its own
    stream, so adding items to one app never changes another app's data."""
    salt = zlib.crc32(app.encode())
    r = random.Random(ctx.random_seed * 1_000_003 + salt)
    fake = Faker("en_US")
    fake.seed_instance(ctx.random_seed * 1_000_003 + salt)
    return r, fake


def scaled(ctx: GenerationContext, base: int, minimum: int = 1) -> int:
    return max(minimum, math.ceil(base * ctx.scale))


def utc(dt: datetime) -> datetime:
    """Naive datetimes are UTC (the context's `now` is naive by default)."""
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def iso(dt: datetime) -> str:
    return utc(dt).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(dt: datetime) -> int:
    return int(utc(dt).timestamp())


def dec(x: float, places: int = 2) -> Decimal:
    return Decimal(str(round(x, places)))


def values(**kv: Any) -> dict[str, Any]:
    """ExpressionAttributeValues from keyword arguments: values(pk="x") -> {":pk": {"S": "x"}}."""
    return {f":{k}": to_wire(v) for k, v in kv.items()}


def query_all(client: Any, **kwargs: Any) -> list[Item]:
    """Every page of a Query (the patterns that return 'all ...')."""
    items: list[Item] = []
    for page in client.get_paginator("query").paginate(**kwargs):
        items.extend(from_item(i) for i in page.get("Items", []))
    return items


def query_limit(client: Any, limit: int, **kwargs: Any) -> list[Item]:
    """The first `limit` items of a Query, following pages when a filter leaves a page short."""
    items: list[Item] = []
    start: dict[str, Any] | None = None
    while len(items) < limit:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = client.query(Limit=limit - len(items), **kwargs, **extra)
        items.extend(from_item(i) for i in page.get("Items", []))
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    return items


def put_new(client: Any, table: str, item: Item, key_attribute: str, conflict: str) -> Item:
    """Create `item` only if no item has its key (a conditional put); else UsageError(conflict)."""
    try:
        client.put_item(
            TableName=table,
            Item=to_item(item),
            ConditionExpression=f"attribute_not_exists({key_attribute})",
        )
    except client.exceptions.ConditionalCheckFailedException:
        raise UsageError(conflict) from None
    return item


def get_item(client: Any, table: str, key: Mapping[str, Any]) -> Item | None:
    out = client.get_item(TableName=table, Key=to_item(key), ConsistentRead=True)
    return from_item(out["Item"]) if "Item" in out else None


def check_mmdd(value: str, param: str) -> str:
    """A fusion date: MMDD of a real calendar day (a leap year, so 0229 is valid)."""
    try:
        datetime.strptime(f"2024{value}", "%Y%m%d")
        if len(value) != 4:
            raise ValueError
    except ValueError:
        raise UsageError(f"--param {param}={value}: expected a date as MMDD, e.g. 0523") from None
    return value


def check_hhmm(value: str, param: str) -> str:
    try:
        datetime.strptime(value, "%H%M")
        if len(value) != 4:
            raise ValueError
    except ValueError:
        raise UsageError(f"--param {param}={value}: expected a time as HHMM, e.g. 1300") from None
    return value


def check_choice(value: str, param: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise UsageError(f"--param {param}={value}: expected one of {', '.join(choices)}")
    return value


def check_positive(value: int, param: str) -> int:
    if value < 1:
        raise UsageError(f"--param {param}={value}: expected a positive number")
    return value


def unique(iterable: Iterator[str]) -> list[str]:
    return list(dict.fromkeys(iterable))
