"""Export a table to DynamoDB JSON lines and import such files back, exactly.

One line per item, `{"Item": {...}}` in DynamoDB JSON, the format of AWS's own DYNAMODB_JSON
table export: numbers stay strings (no precision lost), sets stay sets, binary is base64. Export
runs a parallel scan (`segments`) through every page; import validates the whole file against the
table's key schema before it writes anything, then streams it through the seeding engine. Import
also reads gzip'd files and directories of them (`seed --format dynamodb-json`, AWS's S3 export).
`write_generated` writes generated items as `{"table": ..., "item": ...}` lines (`seed --dry-run`),
which import reads back too.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import zlib
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

from tooling import outputs
from tooling.dynamo.keys import KeySet, item_key, key_schema
from tooling.dynamo.serialize import (
    SerializationError,
    WireItem,
    check_item,
    item_from_json,
    item_to_json,
    to_item,
)
from tooling.dynamo.tables import Generators
from tooling.dynamo.writer import DEFAULT_WORKERS, ProgressCallback, WriteResult, write_items
from tooling.errors import InputFileError, ToolingError, WriteStopped


def export_table(
    client: Any, table: str, path: Path, *, segments: int = 4, consistent: bool = False
) -> int:
    """Write every item of `table` to `path` (JSON lines); returns the item count.

    Written through tooling.outputs: a regular file appears only once complete (a concurrent
    export of the same path wins whole or not at all); a device, FIFO or `-` is written straight
    through. Ctrl-C stops every scan segment after its current page.
    """
    key_schema(client, table)  # a clear error for a missing table, before any file
    lock = threading.Lock()
    stop = threading.Event()

    def scan(segment: int, out: Any) -> int:
        n = 0
        kwargs: dict[str, Any] = {
            "TableName": table,
            "Segment": segment,
            "TotalSegments": segments,
            "ConsistentRead": consistent,
        }
        while not stop.is_set():
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
        raise KeyboardInterrupt  # stopped: this segment is incomplete

    with outputs.open_output(path) as out:
        pool = ThreadPoolExecutor(segments, thread_name_prefix="export")
        try:
            futures = [pool.submit(scan, s, out) for s in range(segments)]
            count = sum(f.result() for f in futures)
        except BaseException:
            stop.set()  # Ctrl-C or a failed segment: the others end after their current page
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return count


GZIP_MAGIC = b"\x1f\x8b"
MANIFEST = "manifest.json"  # written by `seed --format dynamodb-json` beside its data/ files
DATA_SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz")


def _open_binary(path: Path) -> IO[bytes]:
    """A byte stream of the file, gunzipped when it starts with gzip's magic bytes."""
    with path.open("rb") as probe:
        gzipped = probe.read(2) == GZIP_MAGIC
    if gzipped:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def input_files(path: Path) -> list[Path]:
    """The data files of PATH: itself, or every .json[l][.gz] file under a directory (sorted;
    a table directory's manifest.json is not data). An empty directory is an InputFileError."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputFileError(str(path), "", "no such file or directory")
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and p.name.endswith(DATA_SUFFIXES)
        and p.name not in (MANIFEST, "import-table.json")
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )
    if not files:
        raise InputFileError(str(path), "", f"no data file ({', '.join(DATA_SUFFIXES)}) in it")
    return files


def check_manifest(path: Path, files: list[Path], count: int) -> None:
    """Against a `seed --format dynamodb-json` manifest in directory PATH (if any): the same part
    files, byte for byte (SHA-256), and the same item count."""
    manifest = path / MANIFEST if path.is_dir() else None
    if manifest is None or not manifest.is_file():
        return
    try:
        doc = json.loads(manifest.read_text())
        listed = {(path / f["key"]).resolve(): f["sha256"] for f in doc["files"]}
        expected = int(doc["item_count"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputFileError(str(manifest), "", f"not a seed manifest ({exc})") from None
    found = {p.resolve() for p in files}
    if found != set(listed):
        extra = sorted(str(p) for p in found ^ set(listed))
        raise InputFileError(str(manifest), "files", f"do not match the directory: {extra[0]}")
    for file, digest in listed.items():
        h = hashlib.sha256()
        with file.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        if h.hexdigest() != digest:
            raise InputFileError(str(file), "", f"SHA-256 differs from {manifest}")
    if count != expected:
        raise InputFileError(str(manifest), "item_count", f"{expected}, the files hold {count}")


def _lines(path: Path) -> Iterator[str]:
    """The file's lines, each decoded on its own so that bad UTF-8 is reported on its own line;
    a truncated or corrupt gzip stream is an InputFileError too."""
    number = 0
    with _open_binary(path) as f:
        try:
            for number, raw in enumerate(f, 1):
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise InputFileError(
                        str(path), f"line {number}", f"not UTF-8 (byte {exc.start + 1} of the line)"
                    ) from None
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            where = f"line {number + 1}"
            raise InputFileError(str(path), where, f"unreadable ({exc})") from None


def _records(path: Path) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(_lines(path), 1):
        if line.strip():
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputFileError(
                    str(path), f"line {number}", f"not JSON: {exc.msg} (column {exc.colno})"
                ) from None
            except RecursionError:
                raise InputFileError(str(path), f"line {number}", "nested too deeply") from None
            yield number, record


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


def _of_table(record: Any) -> str:
    """Where a `seed --dry-run` line says its item belongs: such a file holds every table of the
    apps seeded, and a line of another table lacks this one's keys."""
    table = record.get("table") if isinstance(record, dict) else None
    return f" (an item of table {table})" if isinstance(table, str) else ""


def read_items(path: Path, key_types: dict[str, str]) -> Iterator[WireItem]:
    """The items of the file (or of every data file under the directory, gzip'd or not) as wire
    items, each checked to carry the key attributes with their types."""
    for file in input_files(path):
        yield from _read_file(file, key_types)


def _read_file(path: Path, key_types: dict[str, str]) -> Iterator[WireItem]:
    for number, record in _records(path):
        item = _item(path, number, record)
        for name, typ in key_types.items():
            av = item.get(name)
            if av is None:
                raise InputFileError(
                    str(path), f"line {number}", f"no key attribute {name}{_of_table(record)}"
                )
            if typ not in av:
                got = next(iter(av))
                raise InputFileError(
                    str(path), f"line {number}", f"key attribute {name} is {got}, not {typ}"
                )
            if av[typ] in ("", b""):
                raise InputFileError(str(path), f"line {number}", f"key attribute {name} is empty")
        try:
            check_item(item, tuple(key_types))
        except SerializationError as exc:
            raise InputFileError(str(path), f"line {number}", str(exc)) from None
        yield item


def key_types(client: Any, table: str) -> dict[str, str]:
    """Key attribute name -> type (S, N or B), partition key first; waits for ACTIVE."""
    names = key_schema(client, table)
    desc = client.describe_table(TableName=table)["Table"]
    types = {a["AttributeName"]: a["AttributeType"] for a in desc["AttributeDefinitions"]}
    return {n: types[n] for n in names}


def import_file(
    client: Any,
    path: Path,
    table: str,
    *,
    workers: int = DEFAULT_WORKERS,
    on_progress: ProgressCallback | None = None,
) -> WriteResult:
    """Validate every line of `path` (a file, or a directory of them, gzip'd or not), then put
    every item into `table`.

    A malformed line, or an item DynamoDB would refuse (400 KB, key sizes, number syntax, sets,
    NULL false), raises InputFileError naming the file and line, before anything is written; so
    does a directory whose manifest.json (`seed --format dynamodb-json`) does not match it.
    `duplicates` of the result counts every line whose key an earlier line of the file already
    had (the later item wins). A write that fails or is interrupted raises WriteStopped, which
    says how many items were written.
    """
    files = input_files(path)
    types = key_types(client, table)
    names = tuple(types)
    distinct = KeySet()
    count = 0
    for item in read_items(path, types):  # validation pass: nothing written yet
        count += 1
        distinct.add(item_key(item, names))
    check_manifest(path, files, count)
    written = _Counter()

    def progress(t: str, n: int) -> None:
        written.add(n)
        if on_progress is not None:
            on_progress(t, n)

    try:
        result = write_items(
            client,
            table,
            read_items(path, types),
            workers=workers,
            serialized=True,
            key_names=names,
            on_progress=progress,
        )
    except KeyboardInterrupt:
        raise WriteStopped(table, written.value, count, "interrupted", interrupted=True) from None
    except Exception as exc:
        from tooling.errors import describe

        raise WriteStopped(table, written.value, count, str(describe(exc))) from None
    if result.received != count:
        raise ToolingError(f"{path} changed while importing ({count} then {result.received} items)")
    result.duplicates = count - len(distinct)
    return result


class _Counter:
    """A thread-safe running total (the writer reports progress from its worker threads)."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def add(self, n: int) -> None:
        with self._lock:
            self.value += n


def write_generated(
    generators: Generators, physical: Mapping[str, str], output: Path | None
) -> int:
    """Write generated items as JSON lines, `{"table": <physical name>, "item": <DynamoDB JSON>}`
    (what `import` reads back), to `output` (through tooling.outputs: complete or absent) or
    stdout; returns the item count."""
    with outputs.open_output(output if output is not None else Path(outputs.STDOUT)) as out:
        n = 0
        for app, items in generators:
            for seed_name, item in items:
                if seed_name not in physical:
                    raise ToolingError(f"app {app} generated an item for unknown table {seed_name}")
                try:
                    wire = to_item(item)
                except SerializationError as exc:
                    raise ToolingError(f"app {app}, table {seed_name}: {exc}") from None
                record = {"table": physical[seed_name], "item": item_to_json(wire)}
                out.write(json.dumps(record, separators=(",", ":")) + "\n")
                n += 1
    return n
