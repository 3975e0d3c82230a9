"""Plain Python values <-> DynamoDB's wire format, and the wire format <-> JSON lines.

The package's one serialiser: the seeder, the writers of files, the access patterns and the fusion
migration all go through `to_item` / `from_item`. `to_item` is a hand-rolled equivalent of boto3's
TypeSerializer (one type dispatch per value, no per-call validation objects, about 3x faster),
property-tested against it. `item_to_json` / `item_from_json`
convert between the low-level client's wire items (binary as bytes) and DynamoDB JSON as AWS's own
table export writes it (binary as base64), validating every attribute value on the way in so that
a malformed file is refused before anything is written.

Floats, decided once: a finite float is stored as its shortest round-trip decimal, repr(x)
(0.1 -> "0.1", never the binary expansion), on every path; NaN and infinities are refused, as are
numbers DynamoDB cannot hold (more than 38 significant digits, beyond 1e-130..1e126). boto3's
TypeSerializer refuses every float instead; numbers read back are always Decimal.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

Wire = dict[str, Any]  # one attribute value, e.g. {"S": "x"} or {"M": {...}}
WireItem = dict[str, Wire]

_TYPES = frozenset({"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"})


class SerializationError(ValueError):
    """A value DynamoDB cannot store, or a malformed DynamoDB JSON attribute value."""


def _refusal(d: Decimal) -> str | None:
    """Why DynamoDB would refuse this finite number, or None."""
    if len(d.as_tuple().digits) > 38:  # trailing zeros count, as for boto3's serialiser
        return "has more than the 38 significant digits DynamoDB stores"
    if d != 0 and not -130 <= d.adjusted() <= 125:
        return "is out of DynamoDB's range (1e-130 to 1e126)"
    return None


def _number(value: int | float | Decimal) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SerializationError(f"{value} is not a number DynamoDB can store")
        # repr() is the shortest string that round-trips the float: no binary noise digits.
        text = repr(value)
    else:
        if isinstance(value, Decimal) and not value.is_finite():
            raise SerializationError(f"{value} is not a number DynamoDB can store")
        text = str(value)
    refusal = _refusal(Decimal(text))
    if refusal:
        raise SerializationError(f"{value} {refusal}")
    return text


def to_wire(value: Any) -> Wire:
    """One plain Python value as a DynamoDB attribute value."""
    t = type(value)
    if t is str:
        return {"S": value}
    if t is bool:
        return {"BOOL": value}
    if t is int or t is Decimal or t is float:
        return {"N": _number(value)}
    if value is None:
        return {"NULL": True}
    if isinstance(value, Mapping):
        return {"M": {str(k): to_wire(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [to_wire(v) for v in value]}
    if isinstance(value, bytes | bytearray):
        return {"B": bytes(value)}
    if isinstance(value, set | frozenset):
        return _set(value)
    if isinstance(value, str):  # str subclasses (e.g. StrEnum)
        return {"S": str(value)}
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        return {"N": _number(value)}
    raise SerializationError(f"cannot store a {t.__name__} in DynamoDB")


def _set(value: set[Any] | frozenset[Any]) -> Wire:
    if not value:
        raise SerializationError("DynamoDB cannot store an empty set")
    if all(isinstance(v, str) for v in value):
        return {"SS": sorted(value)}
    if all(isinstance(v, bytes | bytearray) for v in value):
        return {"BS": sorted(bytes(v) for v in value)}
    if all(isinstance(v, int | Decimal | float) and not isinstance(v, bool) for v in value):
        return {"NS": [_number(v) for v in value]}
    raise SerializationError("a set must hold only strings, only numbers or only bytes")


def to_item(item: Mapping[str, Any]) -> WireItem:
    """A plain item (str keys) as a wire item."""
    return {k: to_wire(v) for k, v in item.items()}


def from_wire(av: Wire) -> Any:
    """A DynamoDB attribute value as plain Python (numbers as Decimal, binary as bytes)."""
    ((t, v),) = av.items()
    if t == "S" or t == "B" or t == "BOOL":
        return v
    if t == "N":
        return Decimal(v)
    if t == "NULL":
        return None
    if t == "M":
        return {k: from_wire(x) for k, x in v.items()}
    if t == "L":
        return [from_wire(x) for x in v]
    if t == "SS":
        return set(v)
    if t == "NS":
        return {Decimal(x) for x in v}
    if t == "BS":
        return set(v)
    raise SerializationError(f"unknown attribute type {t}")


def from_item(item: Mapping[str, Wire]) -> dict[str, Any]:
    """A wire item (as the low-level client returns it) as a plain item."""
    return {k: from_wire(v) for k, v in item.items()}


# -- wire <-> JSON (binary as base64, exactly like AWS's DYNAMODB_JSON table export) --------------


def _json_value(av: Wire) -> Wire:
    ((t, v),) = av.items()
    if t == "B":
        return {"B": base64.b64encode(v).decode("ascii")}
    if t == "BS":
        return {"BS": [base64.b64encode(x).decode("ascii") for x in v]}
    if t == "M":
        return {"M": {k: _json_value(x) for k, x in v.items()}}
    if t == "L":
        return {"L": [_json_value(x) for x in v]}
    return av


def item_to_json(item: WireItem) -> dict[str, Any]:
    """A wire item as JSON-ready DynamoDB JSON."""
    return {k: _json_value(v) for k, v in item.items()}


def _bytes(v: Any, where: str) -> bytes:
    if not isinstance(v, str):
        raise SerializationError(f"{where}: binary must be a base64 string")
    try:
        return base64.b64decode(v, validate=True)
    except binascii.Error:
        raise SerializationError(f"{where}: invalid base64") from None


# DynamoDB's number syntax: ASCII digits, one optional sign, point and exponent. Decimal() alone
# would also take spaces, underscores, non-ASCII digits, NaN and Infinity, which DynamoDB refuses.
_NUMBER_SYNTAX = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _check_number(v: Any, where: str) -> str:
    if not isinstance(v, str):
        raise SerializationError(f"{where}: a number must be a string, e.g. {{'N': '1.5'}}")
    if not _NUMBER_SYNTAX.fullmatch(v):
        raise SerializationError(f"{where}: {v!r} is not a number")
    try:
        d = Decimal(v)
    except InvalidOperation:
        raise SerializationError(f"{where}: {v!r} is not a number") from None
    refusal = _refusal(d)  # refused here, not by DynamoDB half-way through a write
    if refusal:
        raise SerializationError(f"{where}: {v} {refusal}")
    return v


MAX_DEPTH = 32  # DynamoDB stores documents nested up to 32 levels


def _wire_value(av: Any, where: str, depth: int = 1) -> Wire:
    if depth > MAX_DEPTH:
        raise SerializationError(
            f"{where}: nested deeper than the {MAX_DEPTH} levels DynamoDB stores"
        )
    if not isinstance(av, dict) or len(av) != 1:
        raise SerializationError(f"{where}: an attribute value must be one {{TYPE: value}} object")
    ((t, v),) = av.items()
    if t not in _TYPES:
        raise SerializationError(f"{where}: unknown attribute type {t!r}")
    if t == "S":
        if not isinstance(v, str):
            raise SerializationError(f"{where}: S must be a string")
        return av
    if t == "N":
        return {"N": _check_number(v, where)}
    if t == "B":
        return {"B": _bytes(v, where)}
    if t == "BOOL":
        if not isinstance(v, bool):
            raise SerializationError(f"{where}: BOOL must be true or false")
        return av
    if t == "NULL":
        if v is not True:
            raise SerializationError(f"{where}: NULL must be true (DynamoDB refuses false)")
        return av
    if t == "M":
        if not isinstance(v, dict):
            raise SerializationError(f"{where}: M must be an object")
        return {"M": {k: _wire_value(x, f"{where}.{k}", depth + 1) for k, x in v.items()}}
    if t == "L":
        if not isinstance(v, list):
            raise SerializationError(f"{where}: L must be an array")
        return {"L": [_wire_value(x, f"{where}[{i}]", depth + 1) for i, x in enumerate(v)]}
    if not isinstance(v, list) or not v:
        raise SerializationError(f"{where}: {t} must be a non-empty array")
    if t == "SS":
        if not all(isinstance(x, str) for x in v):
            raise SerializationError(f"{where}: SS must hold strings")
        members: list[Any] = v
    elif t == "NS":
        members = [Decimal(_check_number(x, where)) for x in v]
    else:
        members = [_bytes(x, where) for x in v]
    if len(set(members)) != len(members):
        raise SerializationError(f"{where}: {t} holds duplicates (DynamoDB refuses them)")
    if t == "BS":
        return {"BS": members}
    return av


def item_from_json(obj: Any) -> WireItem:
    """A parsed DynamoDB JSON item as a wire item; SerializationError if malformed."""
    if not isinstance(obj, dict) or not obj:
        raise SerializationError("an item must be a non-empty object of attributes")
    if "" in obj:
        raise SerializationError("an attribute name must not be empty")
    return {k: _wire_value(v, k) for k, v in obj.items()}


# -- DynamoDB's limits on a whole item ------------------------------------------------------------

MAX_ITEM_BYTES = 400 * 1024  # 409,600 bytes: names and values, by the rules of value_size
MAX_PARTITION_KEY_BYTES = 2048
MAX_SORT_KEY_BYTES = 1024


def _number_size(text: str) -> int:
    """DynamoDB's size of a number: 1 byte per two significant digits (leading and trailing
    zeros trimmed), plus 1."""
    digits = Decimal(text).as_tuple().digits
    significant = "".join(map(str, digits)).strip("0") or "0"
    return (len(significant) + 1) // 2 + 1


def value_size(av: Wire) -> int:
    """The bytes DynamoDB counts for one attribute value (its name not included): strings as
    UTF-8, binary as its length, numbers by _number_size, BOOL and NULL 1 byte, a map or list
    3 bytes plus 1 byte per element plus the elements (and, in a map, their names)."""
    ((t, v),) = av.items()
    if t == "S":
        return len(v.encode("utf-8"))
    if t == "B":
        return len(v)
    if t == "N":
        return _number_size(v)
    if t == "BOOL" or t == "NULL":
        return 1
    if t == "SS":
        return sum(len(x.encode("utf-8")) for x in v)
    if t == "NS":
        return sum(_number_size(x) for x in v)
    if t == "BS":
        return sum(len(x) for x in v)
    if t == "M":
        return 3 + sum(1 + len(k.encode("utf-8")) + value_size(x) for k, x in v.items())
    return 3 + sum(1 + value_size(x) for x in v)  # L


def item_size(item: WireItem) -> int:
    """The item's size as DynamoDB counts it against its 400 KB limit."""
    return sum(len(k.encode("utf-8")) + value_size(v) for k, v in item.items())


def check_item(item: WireItem, key_names: tuple[str, ...] = ()) -> None:
    """SerializationError if DynamoDB would refuse the (already well-formed) item: over 400 KB,
    a partition key over 2,048 bytes or a sort key over 1,024 bytes."""
    size = item_size(item)
    if size > MAX_ITEM_BYTES:
        raise SerializationError(
            f"item is {size:,} bytes, over DynamoDB's limit of {MAX_ITEM_BYTES:,} (400 KB)"
        )
    for name, limit, what in zip(
        key_names,
        (MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES),
        ("partition", "sort"),
        strict=False,
    ):
        av = item.get(name)
        if av is not None and (n := value_size(av)) > limit:
            raise SerializationError(
                f"{what} key {name} is {n:,} bytes, over DynamoDB's limit of {limit:,}"
            )
