"""Keys of DynamoDB items: the table's key schema, one item's key, and a compact set of keys.

A Key is ((type, value), ...) in key-schema order, hashable; numbers are normalised because
DynamoDB compares them by value (1, 1.0 and 1E0 are one key). KeySet keeps the keys a seed wrote
(for verification and for naming what is missing) in about (key bytes + 20) bytes a key instead
of ~300 for a Python set of tuples, so reading back a million keys stays well under 200 MB.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from hashlib import blake2b
from typing import Any

from botocore.exceptions import ClientError

from tooling.dynamo.serialize import SerializationError, WireItem
from tooling.errors import ToolingError

Key = tuple[tuple[str, Any], ...]  # ((type, value), ...) in key-schema order: hashable


def key_schema(client: Any, table: str, *, timeout: float = 300.0) -> tuple[str, ...]:
    """The table's key attribute names (partition first), once the table is ACTIVE."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            desc = client.describe_table(TableName=table)["Table"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                raise ToolingError(f"table {table} does not exist at this endpoint") from None
            raise
        if desc.get("TableStatus") == "ACTIVE":
            schema = sorted(desc["KeySchema"], key=lambda k: k["KeyType"] != "HASH")
            return tuple(k["AttributeName"] for k in schema)
        if time.monotonic() > deadline:
            raise ToolingError(f"table {table} is still {desc.get('TableStatus')} after {timeout}s")
        time.sleep(1.0)


def _key_part(av: Any) -> tuple[str, Any]:
    ((t, v),) = av.items()
    # DynamoDB compares numbers by value: 1, 1.0 and 1E0 are one key.
    return (t, str(Decimal(v).normalize())) if t == "N" else (t, v)


def item_key(item: WireItem, key_names: Sequence[str]) -> Key:
    try:
        return tuple(_key_part(item[k]) for k in key_names)
    except KeyError as exc:
        raise SerializationError(f"item has no key attribute {exc.args[0]}") from None


_KEY_TYPES = ("S", "N", "B")  # the key attribute types, by their code in a KeySet
_KEY_TYPE_CODES = {t: i for i, t in enumerate(_KEY_TYPES)}


class KeySet:
    """A set of keys that costs about (key bytes + 20) bytes per key.

    Each distinct key is appended, encoded, to one bytearray (per part: type, 2-byte length,
    value; DynamoDB keys are at most 2,048 bytes a part); membership is an open-addressing table
    of 8-byte blake2b digests in an array, at most half full. Two distinct keys share a digest
    with probability about n^2 / 2^65 (3e-8 at a million keys): the later one would count as
    already present. Iteration decodes the keys in insertion order.
    """

    __slots__ = ("_count", "_log", "_mask", "_slots")

    def __init__(self, keys: Iterable[Key] = ()) -> None:
        self._log = bytearray()
        self._slots = array("Q", bytes(8 * 1024))
        self._mask = 1023
        self._count = 0
        self.update(keys)

    @classmethod
    def _encode(cls, key: Key) -> bytes:
        out = bytearray((len(key),))
        for t, v in key:
            raw = v if t == "B" else v.encode("utf-8")
            out.append(_KEY_TYPE_CODES[t])
            out += len(raw).to_bytes(2, "little")
            out += raw
        return bytes(out)

    @staticmethod
    def _digest(data: bytes) -> int:
        return int.from_bytes(blake2b(data, digest_size=8).digest(), "little") or 1  # 0: empty

    def _insert(self, digest: int) -> bool:
        slots, mask = self._slots, self._mask
        i = digest & mask
        while True:
            held = slots[i]
            if held == 0:
                slots[i] = digest
                self._count += 1
                if 2 * self._count > mask:
                    self._grow()
                return True
            if held == digest:
                return False
            i = (i + 1) & mask

    def _grow(self) -> None:
        old = self._slots
        self._mask = mask = 2 * len(old) - 1
        self._slots = slots = array("Q", bytes(8 * (mask + 1)))
        for digest in old:
            if digest:
                i = digest & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i] = digest

    def add(self, key: Key) -> bool:
        """Add `key`; False when it was already present."""
        data = self._encode(key)
        if self._insert(self._digest(data)):
            self._log += data
            return True
        return False

    def update(self, keys: Iterable[Key]) -> None:
        for key in keys:
            self.add(key)

    def __contains__(self, key: object) -> bool:
        try:
            digest = self._digest(self._encode(key))  # type: ignore[arg-type]
        except (TypeError, ValueError, KeyError, AttributeError):
            return False
        slots, mask = self._slots, self._mask
        i = digest & mask
        while slots[i]:
            if slots[i] == digest:
                return True
            i = (i + 1) & mask
        return False

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Key]:
        log, names, pos, end = self._log, _KEY_TYPES, 0, len(self._log)
        while pos < end:
            parts = log[pos]
            pos += 1
            key = []
            for _ in range(parts):
                t = names[log[pos]]
                size = int.from_bytes(log[pos + 1 : pos + 3], "little")
                raw = bytes(log[pos + 3 : pos + 3 + size])
                pos += 3 + size
                key.append((t, raw if t == "B" else raw.decode("utf-8")))
            yield tuple(key)

    @property
    def nbytes(self) -> int:
        """Bytes held: the encoded keys and the digest table."""
        return len(self._log) + self._slots.itemsize * len(self._slots)

    def __repr__(self) -> str:
        return f"KeySet({self._count} keys, {self.nbytes:,} bytes)"


def key_to_wire(key: Key, key_names: Sequence[str]) -> WireItem:
    return {name: {t: v} for name, (t, v) in zip(key_names, key, strict=True)}


def format_key(key: Key, key_names: Sequence[str]) -> str:
    return ", ".join(f"{n}={v!r}" for n, (_t, v) in zip(key_names, key, strict=True))
