"""Attribute sizes measured on sample items (`--sample-items FILE.jsonl`).

The file is what `seed --dry-run -o FILE` writes (`{"table": ..., "item": {...}}` lines) or what
`export` writes (`{"Item": {...}}` lines; their table is the one whose key attributes they carry).
Sizes follow DynamoDB's item-size rules: the attribute name's UTF-8 bytes plus the value's
(strings: UTF-8 bytes; numbers: 1 byte per two significant digits plus 1; binary: its bytes;
booleans and nulls: 1; lists and maps: 3 bytes plus 1 per element plus the elements; sets: the
sum of the members).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from tooling.dynamo.serialize import SerializationError, Wire, item_from_json
from tooling.errors import UsageError
from tooling.terraform.plan import TableConfig

MAX_LINES = 100_000  # enough for stable averages; the rest of a large export is not read
MAX_BYTES = 256 * 1024 * 1024  # nor is anything past this many bytes
MAX_LINE_BYTES = 512 * 1024  # an item is at most 400 KB; its JSON a little more


def _number_size(text: str) -> int:
    digits = Decimal(text).normalize().as_tuple().digits
    significant = len(digits) if any(digits) else 1
    return min(21, (significant + 1) // 2 + 1)


def value_size(av: Wire) -> int:
    ((kind, v),) = av.items()
    if kind == "S":
        return len(v.encode("utf-8"))
    if kind == "N":
        return _number_size(v)
    if kind == "B":
        return len(v)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode("utf-8")) for s in v)
    if kind == "NS":
        return sum(_number_size(str(n)) for n in v)
    if kind == "BS":
        return sum(len(b) for b in v)
    if kind == "L":
        return 3 + sum(1 + value_size(x) for x in v)
    return 3 + sum(1 + len(k.encode("utf-8")) + value_size(x) for k, x in v.items())


def attribute_size(name: str, av: Wire) -> int:
    return len(name.encode("utf-8")) + value_size(av)


@dataclass
class TableSample:
    """Average sizes over a table's sample items: per attribute (over the items that hold it,
    with the share of items that do) and of the whole item."""

    items: int = 0
    total_bytes: int = 0
    attribute_bytes: dict[str, int] = field(default_factory=dict)
    attribute_items: dict[str, int] = field(default_factory=dict)

    def add(self, item: dict[str, Wire]) -> None:
        self.items += 1
        for name, av in item.items():
            size = attribute_size(name, av)
            self.total_bytes += size
            self.attribute_bytes[name] = self.attribute_bytes.get(name, 0) + size
            self.attribute_items[name] = self.attribute_items.get(name, 0) + 1

    @property
    def item_size(self) -> float:
        return self.total_bytes / self.items if self.items else 0.0

    def attribute_average(self, name: str) -> float | None:
        """Average bytes of `name` over the items that hold it; None if no item does."""
        held = self.attribute_items.get(name, 0)
        return self.attribute_bytes[name] / held if held else None


@dataclass
class Samples:
    source: str
    tables: dict[str, TableSample] = field(default_factory=dict)  # by physical table name

    def for_table(self, t: TableConfig) -> TableSample | None:
        return self.tables.get(t.name)


def owner(record: Any, tables: list[TableConfig], where: str) -> tuple[TableConfig, Any]:
    if isinstance(record, dict) and "item" in record and "table" in record:
        name = record["table"]
        for t in tables:
            if name in (t.name, t.seed_name):
                return t, record["item"]
        raise UsageError(f"{where}: table {name!r} is not in the plan")
    if isinstance(record, dict) and "Item" in record and isinstance(record["Item"], dict):
        keys = record["Item"].keys()
        owners = [t for t in tables if t.key_attributes and set(t.key_attributes) <= keys]
        if len(owners) == 1:
            return owners[0], record["Item"]
        which = "no table" if not owners else "several tables"
        raise UsageError(f"{where}: the item's key attributes match {which} of the plan")
    raise UsageError(f'{where}: expected {{"table": ..., "item": {{...}}}} or {{"Item": {{...}}}}')


def load_samples(path: Path, tables: list[TableConfig]) -> Samples:
    """Attribute sizes of the sample items in `path`, per table of the plan."""
    samples = Samples(str(path))
    try:
        f = path.open("rb")
    except OSError as exc:
        raise UsageError(f"--sample-items {path}: {exc.strerror or exc}") from None
    read = 0
    with f:
        for number, raw in enumerate(iter(lambda: f.readline(MAX_LINE_BYTES + 1), b""), 1):
            read += len(raw)
            if number > MAX_LINES or read > MAX_BYTES:
                break
            where = f"--sample-items {path}: line {number}"
            if len(raw) > MAX_LINE_BYTES:
                raise UsageError(f"{where}: longer than {MAX_LINE_BYTES // 1024} KB")
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise UsageError(f"{where}: not JSON ({exc})") from None
            except RecursionError:
                raise UsageError(f"{where}: nested too deeply") from None
            table, obj = owner(record, tables, where)
            try:
                item = item_from_json(obj)
            except SerializationError as exc:
                raise UsageError(f"{where}: {exc}") from None
            samples.tables.setdefault(table.name, TableSample()).add(item)
    if not samples.tables:
        raise UsageError(f"--sample-items {path}: no items")
    return samples
