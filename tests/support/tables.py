"""DynamoDB tables for the integration tests: a fresh table, its item count, simple items."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

Keys = tuple[tuple[str, str], ...]
MEDIPHANT_KEYS: Keys = (("PK", "S"), ("SK", "S"))


def make_table(client: Any, prefix: str, keys: Keys = (("pk", "S"),)) -> str:
    """A fresh on-demand table with these (name, type) keys, partition key first."""
    return create_table(client, f"{prefix}-{uuid.uuid4().hex[:8]}", keys)


def create_table(client: Any, name: str, keys: Keys) -> str:
    """The on-demand table `name` with these (name, type) keys, partition key first."""
    client.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": n, "KeyType": "HASH" if i == 0 else "RANGE"}
            for i, (n, _t) in enumerate(keys)
        ],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in keys],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def count(client: Any, table: str) -> int:
    """Items in the table: a COUNT scan through every page."""
    n = 0
    for page in client.get_paginator("scan").paginate(TableName=table, Select="COUNT"):
        n += page["Count"]
    return n


def items(n: int, prefix: str = "k") -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {"pk": f"{prefix}{i:06d}", "sk": i % 7, "n": i, "payload": "x" * 100}
