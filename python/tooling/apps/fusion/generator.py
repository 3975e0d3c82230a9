"""Seed 000's data: the flattened entries.json entries with their derived GSI attributes, and
one summary per day (the rules are in the package docstring)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal, localcontext
from typing import Any

from tooling.apps import GenerationContext, Item
from tooling.apps._common import (
    rng,
    scaled,
)
from tooling.apps.catalog import SEED_TABLES

APP_NAME = "fusion-health"
ENTRIES, SUMMARIES = SEED_TABLES[APP_NAME]

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # ASCII digits: what a reading is written in


def pain_levels(value: Any) -> list[int]:
    """The pain levels of one pain value (see the module docstring)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float, Decimal)):
        numbers = [Decimal(str(value))]
    else:
        reading = str(value).split("/", 1)[0]
        numbers = [Decimal(n) for n in _NUMBER.findall(reading)]
    return [math.ceil(n) for n in numbers if 0 <= n <= 10]


def max_pain_level(pain: Mapping[str, Any] | None) -> int | None:
    levels = [lvl for v in (pain or {}).values() for lvl in pain_levels(v)]
    return max(levels) if levels else None


def medication_taken(medications: Mapping[str, Any] | None) -> str | None:
    for name in medications or {}:
        if name.strip():
            return name.strip().lower()
    return None


def with_derived(item: Item) -> Item:
    """The item with `medication_taken` / `max_pain_level` set, or removed when they don't
    apply (so the item stays out of the sparse index)."""
    out = {k: v for k, v in item.items() if k not in ("medication_taken", "max_pain_level")}
    med = medication_taken(item.get("medications"))
    pain = max_pain_level(item.get("pain"))
    if med is not None:
        out["medication_taken"] = med
    if pain is not None:
        out["max_pain_level"] = pain
    return out


def _number(text: Any) -> Decimal | None:
    m = _NUMBER.search(str(text)) if text is not None else None
    return Decimal(m.group()) if m else None


def summarise(day: str, entries: Iterable[Mapping[str, Any]]) -> Item:
    """The `fusion-daily-summaries` item of one date (see _summarise). Computed exactly: sums
    and means of numbers of up to 38 digits would round, or fail, in Decimal's default 28-digit
    context; whether DynamoDB can store the result is the writer's check."""
    with localcontext() as ctx:
        ctx.prec = 200
        return _summarise(day, entries)


def _summarise(day: str, entries: Iterable[Mapping[str, Any]]) -> Item:
    """The `fusion-daily-summaries` item of one date, computed from its entries:

    date, entry_count, first_entry / last_entry (HHMM), pain_entry_count (entries with a pain
    level), max_pain_level and avg_max_pain (mean of the entries' max_pain_level, 1 decimal) when
    any entry has one, medications (name -> number of entries that list it), medication_count
    (sum of those), min_o2 / avg_o2 (numeric o2 readings, avg to 1 decimal) when any,
    bp_readings (entries with a bpr), activity_totals (activity -> summed value, e.g. minutes),
    sleep (the first sleep value of the day) when any, and note_count.
    """
    rows = sorted(entries, key=lambda e: e["timestamp"])
    if not rows:
        raise ValueError(f"no entries for {day}")
    pains = [e["max_pain_level"] for e in rows if e.get("max_pain_level") is not None]
    meds: Counter[str] = Counter()
    acts: Counter[str] = Counter()
    o2s: list[Decimal] = []
    for e in rows:
        meds.update(m for m in (e.get("medications") or {}) if m.strip())
        for name, amount in (e.get("activities") or {}).items():
            n = _number(amount)
            if n is not None:
                acts[name] += n
        o2 = _number(e.get("o2"))
        if o2 is not None:
            o2s.append(o2)
    summary: Item = {
        "date": day,
        "entry_count": len(rows),
        "first_entry": rows[0]["timestamp"],
        "last_entry": rows[-1]["timestamp"],
        "pain_entry_count": len(pains),
        "medications": dict(sorted(meds.items())),
        "medication_count": sum(meds.values()),
        "bp_readings": sum(1 for e in rows if e.get("bpr")),
        "activity_totals": {k: Decimal(v) for k, v in sorted(acts.items())},
        "note_count": sum(1 for e in rows if e.get("note")),
    }
    if pains:
        summary["max_pain_level"] = max(pains)
        summary["avg_max_pain"] = Decimal(str(round(sum(pains) / len(pains), 1)))
    if o2s:
        summary["min_o2"] = min(o2s)
        summary["avg_o2"] = Decimal(str(round(sum(o2s) / len(o2s), 1)))
    sleeps = [e["sleep"] for e in rows if e.get("sleep")]
    if sleeps:
        summary["sleep"] = sleeps[0]
    return summary


# The seed's own example entry ("Item Structure"), written as is.
SEED_ENTRY: Item = {
    "date": "0523",
    "timestamp": "1300",
    "medications": {"oxycodone": "5mg", "journavx": "100mg"},
    "pain": {"quads": "6-7-8", "back": "6-7-8", "glutes": "6-7-8"},
    "activities": {"standing": 5, "walking": 16},
    "o2": "88",
    "bpr": "129/59",
    "note": "Pain is focused on...",
    "sleep": "7:39",
}

_MEDS = (
    ("oxycodone", ("5mg", "10mg"), 5),
    ("journavx", ("50mg", "100mg"), 3),
    ("acetaminophen", ("500mg", "1000mg"), 3),
    ("ibuprofen", ("400mg", "600mg"), 2),
    ("gabapentin", ("300mg",), 2),
    ("tramadol", ("50mg",), 1),
    ("cyclobenzaprine", ("10mg",), 1),
)
_LOCATIONS = ("back", "quads", "glutes", "neck", "knees", "hips", "shoulders")
_ACTIVITIES = ("standing", "walking", "stretching", "cycling", "physio")
# Days run from 0501 and wrap around a leap year, so 366 days cover every MMDD once.
_YEAR_START = date(2024, 1, 1)
_FIRST_OFFSET = (date(2024, 5, 1) - _YEAR_START).days


def _pain_value(r: Any) -> str:
    low = r.randint(2, 8)
    style = r.random()
    if style < 0.5:
        return "-".join(str(n) for n in range(low, min(10, low + r.randint(0, 2)) + 1))
    if style < 0.8:
        return str(low)
    return f"{low}/10"


_NOTES = (
    "Pain is focused on the {loc}, worse after {act}.",
    "Stiff {loc} this morning, eased a little after {act}.",
    "Sharp {loc} pain when getting up from the chair.",
    "{loc} feels better than yesterday; kept {act} short.",
    "Dull ache in the {loc}, took meds with food.",
    "Slept badly, {loc} throbbing overnight.",
    "Felt lightheaded after {act}, sat down for a while.",
)


def _note(r: Any, pain: Mapping[str, Any], acts: Mapping[str, Any]) -> str:
    loc = r.choice(list(pain) or list(_LOCATIONS))
    act = r.choice(list(acts) or ["walking"])
    text = r.choice(_NOTES).format(loc=loc, act=act)
    return text[0].upper() + text[1:]


def _entry(r: Any, fake: Any, day: str, hhmm: str, first: bool) -> Item:
    meds: dict[str, str] = {}
    if r.random() > 0.2:
        names = [m for m, _, _ in _MEDS]
        weights = [w for _, _, w in _MEDS]
        for name in r.choices(names, weights, k=r.randint(1, 3)):
            doses = next(d for m, d, _ in _MEDS if m == name)
            meds.setdefault(name, r.choice(doses))
    pain = (
        {loc: _pain_value(r) for loc in r.sample(_LOCATIONS, r.randint(1, 3))}
        if r.random() > 0.15
        else {}
    )
    acts = {a: r.randint(2, 45) for a in r.sample(_ACTIVITIES, r.randint(0, 2))}
    item: Item = {
        "date": day,
        "timestamp": hhmm,
        "medications": meds,
        "pain": pain,
        "activities": acts,
        "note": _note(r, pain, acts),
    }
    if r.random() > 0.1:
        item["o2"] = str(r.randint(86, 99))
    if r.random() > 0.2:
        item["bpr"] = f"{r.randint(105, 145)}/{r.randint(55, 90)}"
    if first and r.random() > 0.3:
        item["sleep"] = f"{r.randint(4, 9)}:{r.randint(0, 59):02d}"
    return item


def generate(ctx: GenerationContext) -> Iterator[tuple[str, Item]]:
    """~300 entries x scale over at least 0501-0531 (up to a whole year), 1-21 per day, with the
    seed's 0523/1300 entry; then one summary per date."""
    r, fake = rng(ctx, APP_NAME)
    total = scaled(ctx, 300)
    days = max(31, min(366, math.ceil(total / 6)))
    per_day = [total // days + (1 if i < total % days else 0) for i in range(days)]
    # Each day's entries are yielded as soon as they exist and only its summary is kept: memory
    # stays flat at any scale (the same items, in the same order, as keeping every entry).
    summaries: list[Item] = []
    for i, count in enumerate(per_day):
        day = (_YEAR_START + timedelta(days=(_FIRST_OFFSET + i) % 366)).strftime("%m%d")
        minutes = sorted(r.sample(range(6 * 60, 24 * 60), max(1, count)))
        times = [f"{m // 60:02d}{m % 60:02d}" for m in minutes]
        if day == SEED_ENTRY["date"] and SEED_ENTRY["timestamp"] not in times:
            times[len(times) // 2] = SEED_ENTRY["timestamp"]
            times.sort()
        entries = []
        for j, hhmm in enumerate(times):
            if day == SEED_ENTRY["date"] and hhmm == SEED_ENTRY["timestamp"]:
                entries.append(with_derived(dict(SEED_ENTRY)))
            else:
                entries.append(with_derived(_entry(r, fake, day, hhmm, j == 0)))
        for e in entries:
            yield ENTRIES, e
        summaries.append(summarise(day, entries))
    for summary in summaries:
        yield SUMMARIES, summary


# Access patterns (seed 000, "Common Query Patterns" and the GSI query examples).
