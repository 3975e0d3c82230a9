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
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from tooling.apps import Item
from tooling.apps._common import from_ddb, query_all, to_ddb
from tooling.apps.fusion import ENTRIES, SUMMARIES, summarise, with_derived
from tooling.dynamo.keys import key_schema
from tooling.dynamo.writer import write_items
from tooling.errors import InputFileError, ToolingError

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


_MAPS = ("Medications", "Pain", "Activities")
_DOCUMENT = TypeAdapter(dict[str, dict[str, Entry]], config=ConfigDict(strict=True))


def _valid_date(key: str) -> bool:
    try:
        return len(key) == 4 and bool(datetime.strptime(f"2024{key}", "%Y%m%d"))
    except ValueError:
        return False


def _valid_time(key: str) -> bool:
    try:
        return len(key) == 4 and bool(datetime.strptime(key, "%H%M"))
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
    return MigrationReport(str(path), items, daily_summaries(items))


def _read_back(client: Any, table: str, keys: list[dict[str, Any]]) -> dict[str, Item]:
    found: dict[str, Item] = {}
    for i in range(0, len(keys), 100):
        request: dict[str, Any] = {table: {"Keys": keys[i : i + 100], "ConsistentRead": True}}
        while request:
            out = client.batch_get_item(RequestItems=request)
            for wire in out["Responses"].get(table, []):
                item = from_ddb(wire)
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
        keys = [to_ddb({n: item[n] for n in names}) for item in expected]
        found = _read_back(client, table, keys)
        for item in expected:
            k = _key(item)
            got = found.get(k)
            if got is None:
                problems.append(f"{table}: {k}: missing")
            elif to_ddb(got) != to_ddb(item):
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
        ExpressionAttributeValues=to_ddb({":d": day}),
        ConsistentRead=True,
    )


def migrate(client: Any, path: Path, entries_table: str, summaries_table: str) -> MigrationReport:
    """Validate the whole file, write its entries, summarise each of its dates from the entries
    the table then holds (so a summary never disagrees with its partition, even when the table
    already had entries on that date), write the summaries, and verify everything."""
    report = plan(path)
    report.entries_table, report.summaries_table = entries_table, summaries_table
    for table in (entries_table, summaries_table):  # both exist before anything is written
        key_schema(client, table)
    in_file = {s["date"]: s["entry_count"] for s in report.summaries}
    _write(client, entries_table, report.entries, report)
    report.summaries = [
        summarise(day, _partition(client, entries_table, day)) for day in sorted(in_file)
    ]
    _write(client, summaries_table, report.summaries, report)
    report.notes = [
        f"{entries_table}: {s['date']}: holds {s['entry_count']} entries, "
        f"{s['entry_count'] - in_file[s['date']]} of them not from this file"
        for s in report.summaries
        if s["entry_count"] != in_file[s["date"]]
    ]
    report.mismatches = verify(client, report)
    return report


def _write(client: Any, table: str, items: list[Item], report: MigrationReport) -> None:
    result = write_items(client, table, items, workers=4)
    if not result.ok:
        raise ToolingError(f"{table}: {len(result.failed)} items could not be written")
    report.written += result.written
