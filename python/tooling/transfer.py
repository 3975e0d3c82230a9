"""Export a table to DynamoDB JSON lines and import such a file back, exactly.

One line per item, `{"Item": {...}}` in DynamoDB JSON, the format of AWS's own DYNAMODB_JSON
table export: numbers stay strings (no precision lost), sets stay sets, binary is base64. Export
runs a parallel scan (`segments`) through every page; import validates the whole file against the
table's key schema before it writes anything, then streams it through the seeding engine.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tooling import seeding
from tooling.errors import InputFileError, ToolingError
from tooling.serialize import SerializationError, WireItem, item_from_json, item_to_json


def export_table(
    client: Any, table: str, path: Path, *, segments: int = 4, consistent: bool = False
) -> int:
    """Write every item of `table` to `path` (JSON lines); returns the item count.

    The file appears only once complete (written to PATH.partial, then renamed).
    """
    seeding.key_schema(client, table)  # a clear error for a missing table, before any file
    tmp = path.with_name(path.name + ".partial")
    lock = threading.Lock()
    count = 0

    def scan(segment: int, out: Any) -> int:
        n = 0
        kwargs: dict[str, Any] = {
            "TableName": table,
            "Segment": segment,
            "TotalSegments": segments,
            "ConsistentRead": consistent,
        }
        while True:
            page = client.scan(**kwargs)
            lines = [
                json.dumps({"Item": item_to_json(it)}, separators=(",", ":")) + "\n"
                for it in page.get("Items", [])
            ]
            with lock:
                out.writelines(lines)
            n += len(lines)
            if "LastEvaluatedKey" not in page:
                return n
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    try:
        with tmp.open("w", encoding="utf-8") as out, ThreadPoolExecutor(segments) as pool:
            count = sum(pool.map(lambda s: scan(s, out), range(segments)))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _records(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputFileError(
                        str(path), f"line {number}", f"not JSON: {exc.msg} (column {exc.colno})"
                    ) from None


def _item(path: Path, number: int, record: Any) -> WireItem:
    """The item of one line: {"Item": {...}} (AWS export) or {"table": ..., "item": {...}}."""
    if isinstance(record, dict) and "Item" in record:
        raw = record["Item"]
    elif isinstance(record, dict) and "item" in record:
        raw = record["item"]
    else:
        raise InputFileError(str(path), f"line {number}", 'expected {"Item": {...}}')
    try:
        return item_from_json(raw)
    except SerializationError as exc:
        raise InputFileError(str(path), f"line {number}", str(exc)) from None


def read_items(path: Path, key_types: dict[str, str]) -> Iterator[WireItem]:
    """The file's items as wire items, each checked to carry the key attributes with their types."""
    for number, record in _records(path):
        item = _item(path, number, record)
        for name, typ in key_types.items():
            av = item.get(name)
            if av is None:
                raise InputFileError(str(path), f"line {number}", f"no key attribute {name}")
            if typ not in av:
                got = next(iter(av))
                raise InputFileError(
                    str(path), f"line {number}", f"key attribute {name} is {got}, not {typ}"
                )
        yield item


def key_types(client: Any, table: str) -> dict[str, str]:
    """Key attribute name -> type (S, N or B), partition key first; waits for ACTIVE."""
    names = seeding.key_schema(client, table)
    desc = client.describe_table(TableName=table)["Table"]
    types = {a["AttributeName"]: a["AttributeType"] for a in desc["AttributeDefinitions"]}
    return {n: types[n] for n in names}


def import_file(
    client: Any,
    path: Path,
    table: str,
    *,
    workers: int = seeding.DEFAULT_WORKERS,
    on_progress: seeding.ProgressCallback | None = None,
) -> seeding.WriteResult:
    """Validate every line of `path`, then put every item into `table`.

    A malformed line raises InputFileError naming the line, before anything is written.
    """
    if not path.is_file():
        raise InputFileError(str(path), "", "no such file")
    types = key_types(client, table)
    count = sum(1 for _ in read_items(path, types))  # validation pass: nothing written yet
    result = seeding.write_items(
        client,
        table,
        read_items(path, types),
        workers=workers,
        serialized=True,
        key_names=tuple(types),
        on_progress=on_progress,
    )
    if result.received != count:
        raise ToolingError(f"{path} changed while importing ({count} then {result.received} items)")
    return result
