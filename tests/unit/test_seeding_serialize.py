"""The hand-rolled serialiser agrees with boto3's TypeSerializer; DynamoDB JSON round-trips."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer
from hypothesis import given
from hypothesis import strategies as st

from support.strategies import values
from tooling.dynamo.serialize import (
    SerializationError,
    from_wire,
    item_from_json,
    item_to_json,
    to_item,
    to_wire,
)


def _canonical(av: dict[str, Any]) -> Any:
    """Sets are unordered: compare them as sorted lists."""
    ((t, v),) = av.items()
    if t in ("SS", "NS", "BS"):
        return t, sorted(Decimal(x) if t == "NS" else x for x in v)
    if t == "M":
        return t, {k: _canonical(x) for k, x in v.items()}
    if t == "L":
        return t, [_canonical(x) for x in v]
    if t == "N":
        return t, Decimal(v)
    return t, v


@given(values)
def test_matches_boto3_type_serializer(value: Any) -> None:
    try:
        expected = TypeSerializer().serialize(value)
    except (ArithmeticError, TypeError):  # boto3 refuses what DynamoDB cannot store (> 38 digits)
        with pytest.raises(SerializationError):
            to_wire(value)
        return
    assert _canonical(to_wire(value)) == _canonical(expected)


@given(st.dictionaries(st.text(min_size=1), values, min_size=1, max_size=5))
def test_dynamodb_json_round_trip_is_exact(item: dict[str, Any]) -> None:
    wire = to_item(item)
    line = json.dumps({"Item": item_to_json(wire)})
    assert item_from_json(json.loads(line)["Item"]) == wire
    assert {k: from_wire(v) for k, v in wire.items()} == {
        k: from_wire(to_wire(v)) for k, v in item.items()
    }


@pytest.mark.parametrize("n", [10**38, Decimal("4439244.52540555844099413416399954368240")])
def test_more_than_38_digits_is_refused_like_dynamodb(n: Any) -> None:
    with pytest.raises(ArithmeticError):
        TypeSerializer().serialize(n)
    with pytest.raises(SerializationError, match="38 significant digits"):
        to_wire(n)


def test_numbers_keep_full_precision() -> None:
    d = Decimal("3.14159265358979323846264338327950288")
    assert to_wire(d) == {"N": "3.14159265358979323846264338327950288"}
    assert to_wire(0.1) == {"N": "0.1"}  # shortest repr, no binary noise
    assert to_wire(True) == {"BOOL": True}  # bool is not a number


@pytest.mark.parametrize(
    "value, problem",
    [
        (set(), "empty set"),
        ({1, "a"}, "only strings"),
        (float("nan"), "not a number"),
        (Decimal("Infinity"), "not a number"),
        (object(), "cannot store"),
    ],
)
def test_unstorable_values_are_refused(value: Any, problem: str) -> None:
    with pytest.raises(SerializationError, match=problem):
        to_wire(value)


@pytest.mark.parametrize(
    "raw, problem",
    [
        ({"a": {"N": 1}}, "a: a number must be a string"),
        ({"a": {"N": "x1"}}, "'x1' is not a number"),
        ({"a": {"Q": "x"}}, "unknown attribute type 'Q'"),
        ({"a": {"S": "x", "N": "1"}}, "one {TYPE: value} object"),
        ({"a": {"M": {"b": {"B": "***"}}}}, "a.b: invalid base64"),
        ({"a": {"L": [{"SS": []}]}}, r"a\[0\]: SS must be a non-empty array"),
        ({}, "non-empty object"),
    ],
)
def test_malformed_dynamodb_json_names_the_attribute(raw: Any, problem: str) -> None:
    with pytest.raises(SerializationError, match=problem):
        item_from_json(raw)
