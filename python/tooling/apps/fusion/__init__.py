"""Seed 000, fusion health tracking: pain, medication and vitals entries by day and time.

Items of `fusion-health-entries` are the seed's flattened `entries.json` entries (keys `date` MMDD
and `timestamp` HHMM) plus two derived attributes that feed the sparse GSIs:

* `max_pain_level` (N): the highest pain level of any location in the entry's `pain` map. Each
  pain value (a string or a number) is read as follows: only the part before the first "/" counts
  ("7/10" is a level on a scale of 10, so 7); every number in that part is a level ("6-7-8" gives
  6, 7 and 8; "5" gives 5); decimals are rounded up ("6.5" -> 7); numbers outside 0-10 are not
  levels. The attribute is the maximum level over all locations, and is absent when no location
  has a level (no pain map, an empty one, or values such as "none").
* `medication_taken` (S): the primary medication, defined as the first medication of the entry's
  `medications` map in document order (JSON objects keep their order) whose name is not blank,
  lower-cased and stripped. Absent when the entry records no medication.

Absent attributes keep the entry out of that index (`medication-index` / `pain-level-index`).

`fusion-daily-summaries` holds one item per date, computed from that date's entries only (see
`summarise`).
"""

from __future__ import annotations

from tooling.apps import AccessPattern, App, Param
from tooling.apps.catalog import SEED_TABLES
from tooling.apps.fusion.generator import (
    APP_NAME,
    ENTRIES,
    SEED_ENTRY,
    SUMMARIES,
    generate,
    max_pain_level,
    medication_taken,
    pain_levels,
    summarise,
    with_derived,
)
from tooling.apps.fusion.patterns import (
    daily_summary,
    entries_by_medication,
    entries_by_pain_level,
    entries_for_date,
    entries_in_time_range,
)

_DATE = Param("date", str, help="day as MMDD, e.g. 0523")
_FROM = Param("from_date", str, required=False, help="first day (MMDD), inclusive")
_TO = Param("to_date", str, required=False, help="last day (MMDD), inclusive")

APP = App(
    name=APP_NAME,
    tables=SEED_TABLES[APP_NAME],
    generate=generate,
    patterns=(
        AccessPattern(
            APP_NAME,
            "entries-for-date",
            "all entries of a date",
            (_DATE,),
            entries_for_date,
            example={"date": "0523"},
            table=ENTRIES,
        ),
        AccessPattern(
            APP_NAME,
            "entries-in-time-range",
            "entries of a date between two times (HHMM, inclusive)",
            (_DATE, Param("start", str, help="HHMM"), Param("end", str, help="HHMM")),
            entries_in_time_range,
            example={"date": "0523", "start": "1200", "end": "1800"},
            table=ENTRIES,
        ),
        AccessPattern(
            APP_NAME,
            "entries-by-medication",
            "all entries whose primary medication is MEDICATION, optionally in a date range",
            (Param("medication", str, help="e.g. oxycodone"), _FROM, _TO),
            entries_by_medication,
            example={"medication": "oxycodone", "from_date": "0520", "to_date": "0530"},
            table=ENTRIES,
            index="medication-index",
        ),
        AccessPattern(
            APP_NAME,
            "entries-by-pain-level",
            "all entries whose max pain level is LEVEL, optionally in a date range",
            (Param("level", int, help="0-10"), _FROM, _TO),
            entries_by_pain_level,
            example={"level": 8, "from_date": "0520", "to_date": "0530"},
            table=ENTRIES,
            index="pain-level-index",
        ),
        AccessPattern(
            APP_NAME,
            "daily-summary",
            "the summary item of a date",
            (_DATE,),
            daily_summary,
            example={"date": "0523"},
            table=SUMMARIES,
            consistent_read=True,
        ),
    ),
)

__all__ = [
    "APP",
    "APP_NAME",
    "ENTRIES",
    "SEED_ENTRY",
    "SUMMARIES",
    "max_pain_level",
    "medication_taken",
    "pain_levels",
    "summarise",
    "with_derived",
]
