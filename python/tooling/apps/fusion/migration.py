"""Migration of the fusion app's `entries.json` (seed 000) into its two tables.

The file is `{date MMDD: {time HHMM: entry}}`, each entry with the keys of the seed's "Original
JSON": Medications, Pain, Activities, o2, bpr, note, sleep. The whole file is validated before
anything is written (pydantic, strict types, unknown keys refused), so an invalid file writes
nothing; the first problem is reported with its place, e.g. `entries.json: 0523/1300: Pain.back:
...`. Valid entries are flattened into `fusion-health-entries` items (lower-case attribute names,
plus the derived GSI attributes of tooling.apps.fusion) and written; then one
`fusion-daily-summaries` item per date of the file is computed from that date's entries in the
table and written, and everything written is read back and compared.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from tooling.apps import Item
from tooling.apps._common import query_all
from tooling.apps.fusion.generator import ENTRIES, SUMMARIES, summarise, with_derived
from tooling.dynamo.keys import key_schema
from tooling.dynamo.serialize import SerializationError, check_item, from_item, to_item, to_wire
from tooling.dynamo.writer import write_items
from tooling.errors import InputFileError, WriteStopped, describe

Number = int | Decimal
Text = Annotated[str, Field(max_length=10_000)]


def _dynamodb_number(v: Any) -> Any:
    """Numbers DynamoDB can store: finite, magnitude below 1e126, at most 38 digits."""
    if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
        d = Decimal(v)
        if not d.is_finite() or (d != 0 and not Decimal("1e-130") <= abs(d) < Decimal("1e126")):
            raise ValueError("number out of DynamoDB's range")
        # As the serialiser that writes it counts; not normalize(): it rounds to 28 digits.
        if len(d.as_tuple().digits) > 38:
            raise ValueError("number has more than 38 significant digits")
    return v


def _named(m: Mapping[str, Any]) -> Mapping[str, Any]:
    if any(not k.strip() for k in m):
        raise ValueError("names must not be blank")
    for v in m.values():
        _dynamodb_number(v)
    return m


class Entry(BaseModel):
    """One entry of entries.json, as the seed's "Original JSON" shows it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    Medications: dict[str, Text] = {}  # name -> dose, e.g. {"oxycodone": "5mg"}
    Pain: dict[str, Text | Number] = {}  # location -> reading, e.g. {"back": "6-7-8"}
    Activities: dict[str, Number | Text] = {}  # activity -> amount, e.g. {"walking": 16}
    o2: Text | None = None  # oxygen saturation, e.g. "88"
    bpr: Text | None = None  # blood pressure, e.g. "129/59"
    note: Text | None = None
    sleep: Text | None = None  # e.g. "7:39"

    _check_maps = field_validator("Medications", "Pain", "Activities")(_named)

    @field_validator("o2")
    @classmethod
    def _saturation(cls, v: str | None) -> str | None:
        reading = _O2.search(v) if v is not None else None
        if reading and not (len(reading.group()) <= 8 and Decimal(reading.group()) <= 100):
            raise ValueError(
                f"o2 reading {reading.group()[:20]} is not an oxygen saturation (0-100 %)"
            )
        return v


_O2 = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # the reading summarise() takes from an o2 text


_MAPS = ("Medications", "Pain", "Activities")
_DOCUMENT = TypeAdapter(dict[str, dict[str, Entry]], config=ConfigDict(strict=True))


def _digits4(key: str) -> bool:
    # strptime alone takes "05 3" and non-ASCII digits such as "052\u0663".
    return len(key) == 4 and key.isascii() and key.isdigit()


def _valid_date(key: str) -> bool:
    try:
        return _digits4(key) and bool(datetime.strptime(f"2024{key}", "%Y%m%d"))
    except ValueError:
        return False


def _valid_time(key: str) -> bool:
    try:
        return _digits4(key) and bool(datetime.strptime(key, "%H%M"))
    except ValueError:
        return False


def _show(key: Any) -> str:
    """A key as it can appear in a one-line message (quoted if it has control characters)."""
    text = str(key)
    return text if text.isprintable() else json.dumps(text)


def _where(loc: tuple[Any, ...]) -> tuple[str, str]:
    """A pydantic error location -> ("0523/1300", "Pain.back")."""
    parts = [_show(p) for p in loc]
    return "/".join(parts[:2]), ".".join(parts[2:])


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_entries(text: str, name: str = "entries.json") -> dict[str, dict[str, Entry]]:
    """The validated document; InputFileError (a UsageError) naming the first problem."""
    if not text.strip():
        raise InputFileError(name, "", "empty file")
    try:
        raw = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_no_constant,
            object_pairs_hook=_no_duplicates,
        )
    except json.JSONDecodeError as exc:
        raise InputFileError(
            name, f"line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputFileError(name, "", f"invalid JSON: {exc}") from None
    return validate_document(raw, name)


def validate_document(raw: Any, name: str = "entries.json") -> dict[str, dict[str, Entry]]:
    if not isinstance(raw, dict):
        raise InputFileError(
            name, "", f"expected an object of dates (MMDD), got {type(raw).__name__}"
        )
    for day, times in raw.items():
        if not _valid_date(day):
            raise InputFileError(name, _show(day), "not a date MMDD (e.g. 0523)")
        if isinstance(times, dict):
            for hhmm in times:
                if not _valid_time(hhmm):
                    raise InputFileError(
                        name, f"{day}/{_show(hhmm)}", "not a time HHMM (e.g. 1300)"
                    )
    try:
        return _DOCUMENT.validate_python(raw)
    except ValidationError as exc:
        # Union members (str | number) each report a failure at the same place: group by place.
        places: dict[tuple[Any, ...], list[str]] = {}
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            depth = 4 if len(loc) > 2 and loc[2] in _MAPS else 3
            places.setdefault(loc[:depth], []).append(err["msg"])
        loc, msgs = next(iter(places.items()))
        entry, field_path = _where(loc)
        where = f"{entry}: {field_path}" if field_path else entry
        msg = msgs[0] if len(msgs) == 1 else "Input should be a string or a number"
        more = f" (and {len(places) - 1} more problems)" if len(places) > 1 else ""
        raise InputFileError(name, where, f"{msg}{more}") from None
    except RecursionError:
        raise InputFileError(name, "", "document nested too deeply") from None


def load_entries(path: Path) -> dict[str, dict[str, Entry]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(str(path), f"byte {exc.start}", "not UTF-8 text") from None
    except FileNotFoundError:
        raise InputFileError(str(path), "", "no such file") from None
    except IsADirectoryError:
        raise InputFileError(str(path), "", "is a directory") from None
    return parse_entries(text, str(path))


def flatten(doc: Mapping[str, Mapping[str, Entry]]) -> list[Item]:
    """The `fusion-health-entries` items, with the derived GSI attributes."""
    items: list[Item] = []
    for day in sorted(doc):
        for hhmm in sorted(doc[day]):
            e = doc[day][hhmm]
            item: Item = {
                "date": day,
                "timestamp": hhmm,
                "medications": dict(e.Medications),
                "pain": dict(e.Pain),
                "activities": dict(e.Activities),
            }
            for attr in ("o2", "bpr", "note", "sleep"):
                value = getattr(e, attr)
                if value is not None:
                    item[attr] = value
            items.append(with_derived(item))
    return items


def daily_summaries(items: list[Item]) -> list[Item]:
    by_day: dict[str, list[Item]] = {}
    for item in items:
        by_day.setdefault(item["date"], []).append(item)
    return [summarise(day, entries) for day, entries in sorted(by_day.items())]


@dataclass
class MigrationReport:
    source: str
    entries: list[Item]
    summaries: list[Item]
    entries_table: str = ENTRIES
    summaries_table: str = SUMMARIES
    written: int = 0
    verified: int = 0
    mismatches: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # other entries on the file's dates

    @property
    def dates(self) -> int:
        return len(self.summaries)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def plan(path: Path) -> MigrationReport:
    """Parse and transform, without touching AWS (the --dry-run)."""
    items = flatten(load_entries(path))
    summaries = daily_summaries(items)
    _check_storable(str(path), items, ENTRY_KEYS, "entry")
    _check_storable(str(path), summaries, SUMMARY_KEYS, "daily summary")
    return MigrationReport(str(path), items, summaries)


def _read_back(client: Any, table: str, keys: list[dict[str, Any]]) -> dict[str, Item]:
    found: dict[str, Item] = {}
    for i in range(0, len(keys), 100):
        request: dict[str, Any] = {table: {"Keys": keys[i : i + 100], "ConsistentRead": True}}
        while request:
            out = client.batch_get_item(RequestItems=request)
            for wire in out["Responses"].get(table, []):
                item = from_item(wire)
                found[_key(item)] = item
            request = out.get("UnprocessedKeys") or {}
    return found


def _key(item: Mapping[str, Any]) -> str:
    return f"{item['date']}/{item['timestamp']}" if "timestamp" in item else str(item["date"])


def verify(client: Any, report: MigrationReport) -> list[str]:
    """Read every written item back and compare it with what was written."""
    problems: list[str] = []
    for table, expected in (
        (report.entries_table, report.entries),
        (report.summaries_table, report.summaries),
    ):
        names = ("date", "timestamp") if table == report.entries_table else ("date",)
        keys = [to_item({n: item[n] for n in names}) for item in expected]
        found = _read_back(client, table, keys)
        for item in expected:
            k = _key(item)
            got = found.get(k)
            if got is None:
                problems.append(f"{table}: {k}: missing")
            elif to_item(got) != to_item(item):
                diff = sorted(a for a in set(got) | set(item) if got.get(a) != item.get(a))
                problems.append(f"{table}: {k}: differs in {', '.join(diff)}")
            else:
                report.verified += 1
    if report.verified != len(report.entries) + len(report.summaries):
        problems.append(
            f"read back {report.verified} matching items of "
            f"{len(report.entries) + len(report.summaries)} written"
        )
    return problems


def _partition(client: Any, table: str, day: str) -> list[Item]:
    return query_all(
        client,
        TableName=table,
        KeyConditionExpression="#d = :d",
        ExpressionAttributeNames={"#d": "date"},
        ExpressionAttributeValues=to_item({":d": day}),
        ConsistentRead=True,
    )


def _check_storable(path: str, items: list[Item], key_names: tuple[str, ...], what: str) -> None:
    """InputFileError, before any write, for an item DynamoDB would refuse (400 KB, key sizes,
    numbers, sets): the same checks `import` makes, on the items the migration computes."""
    for item in items:
        where = f"{_key(item)} ({what})"
        wire = {}
        for name, value in item.items():
            try:
                wire[name] = to_wire(value)
            except SerializationError as exc:
                raise InputFileError(path, where, f"{name}: {exc}") from None
        try:
            check_item(wire, key_names)
        except SerializationError as exc:
            raise InputFileError(path, where, str(exc)) from None


def migrate(client: Any, path: Path, entries_table: str, summaries_table: str) -> MigrationReport:
    """Validate the whole file, write its entries, summarise each of its dates from the entries
    the table then holds (so a summary never disagrees with its partition, even when the table
    already had entries on that date), write the summaries, and verify everything.

    Every item is checked against DynamoDB's limits before the first write: the file's entries,
    and the summaries as they will be (the file's entries merged with those already in the
    table). A write that fails or is interrupted raises WriteStopped naming how many items were
    written; a rerun of the same file is idempotent and recomputes the summaries."""
    report = plan(path)
    report.entries_table, report.summaries_table = entries_table, summaries_table
    for table in (entries_table, summaries_table):  # both exist before anything is written
        key_schema(client, table)
    in_file = {s["date"]: s["entry_count"] for s in report.summaries}
    _check_storable(report.source, report.entries, ENTRY_KEYS, "entry")
    merged: dict[str, dict[str, Item]] = {
        day: {e["timestamp"]: e for e in _partition(client, entries_table, day)} for day in in_file
    }
    for e in report.entries:
        merged[e["date"]][e["timestamp"]] = e
    planned = [summarise(day, list(merged[day].values())) for day in sorted(in_file)]
    _check_storable(report.source, planned, SUMMARY_KEYS, "daily summary")
    total = len(report.entries) + len(planned)
    _write(client, entries_table, report.entries, report, total)
    report.summaries = [
        summarise(day, _partition(client, entries_table, day)) for day in sorted(in_file)
    ]
    # Entries written meanwhile by someone else could change a summary: check it again.
    _check_storable(report.source, report.summaries, SUMMARY_KEYS, "daily summary")
    _write(client, summaries_table, report.summaries, report, total)
    report.notes = [
        f"{entries_table}: {s['date']}: holds {s['entry_count']} entries, "
        f"{s['entry_count'] - in_file[s['date']]} of them not from this file"
        for s in report.summaries
        if s["entry_count"] != in_file[s["date"]]
    ]
    report.mismatches = verify(client, report)
    return report


ENTRY_KEYS = ("date", "timestamp")
SUMMARY_KEYS = ("date",)


def _write(client: Any, table: str, items: list[Item], report: MigrationReport, total: int) -> None:
    written = [0]
    lock = threading.Lock()

    def progress(_table: str, n: int) -> None:
        with lock:  # called from the writer's worker threads
            written[0] += n

    try:
        result = write_items(client, table, items, workers=4, on_progress=progress)
    except KeyboardInterrupt:
        raise WriteStopped(
            table, report.written + written[0], total, "interrupted", interrupted=True
        ) from None
    except Exception as exc:
        raise WriteStopped(table, report.written + written[0], total, str(describe(exc))) from None
    report.written += result.written
    if not result.ok:
        raise WriteStopped(
            table, report.written, total, f"{len(result.failed)} items could not be written"
        )
