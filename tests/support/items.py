"""Comparing DynamoDB items read from a table: sets made order-free, items keyed by their keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def canon(av: dict[str, Any]) -> Any:
    """An attribute value (DynamoDB JSON) with sets made order-free."""
    ((t, v),) = av.items()
    if t in ("SS", "NS", "BS"):
        return t, sorted(v)
    if t == "M":
        return t, {k: canon(x) for k, x in v.items()}
    if t == "L":
        return t, [canon(x) for x in v]
    return t, v


def canon_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: canon(v) for k, v in item.items()}


def scanned_items(client: Any, table: str, keys: Sequence[str]) -> dict[tuple[Any, ...], Any]:
    """Every item of the table (a scan through every page), canonical, keyed by its key values."""
    out = {}
    for page in client.get_paginator("scan").paginate(TableName=table):
        for it in page["Items"]:
            out[tuple(canon(it[k]) for k in keys)] = canon_item(it)
    return out
