"""A usage file from what the tables really did: CloudWatch's consumed capacity and DescribeTable.

For each table: `DescribeTable` gives the item count and size (hence `items` and the average
`item_size_bytes`) and, per GSI, the index's entry count and size; CloudWatch's hourly sums of
`ConsumedWriteCapacityUnits` / `ConsumedReadCapacityUnits` (dimension TableName, and
TableName + GlobalSecondaryIndexName per GSI) over the window give the units a month consumes at
the same pace, and their busiest hour against the average hour the `peak_to_average` that sizes
provisioned capacity. `ReturnedItemCount` (per Query and Scan) is stated in a comment.

Units are what DynamoDB bills, so the file states them one for one: writes per month are the
consumed write units divided by the units one write of the average item costs, and reads are
marked `read_consistency: strong` because CloudWatch has already counted an eventually
consistent read as half a unit. Every figure carries a comment saying where it came from.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from tooling.cost.samples import attribute_size
from tooling.cost.usage import parse_usage
from tooling.errors import ToolingError, UsageError

SAMPLE_ITEMS = 100  # a Scan of this many items measures sizes DescribeTable has not counted yet
PERIOD = 3600  # hourly sums: 14 days are 336 points, one GetMetricData page
HOURS_PER_MONTH = 730  # the price lists' month
MAX_ITEM = 400 * 1024
MAX_PEAK = 1000.0
NAMESPACE = "AWS/DynamoDB"


@dataclass(frozen=True)
class Series:
    """Hourly sums of one metric over the window."""

    total: float
    peak_hour: float
    hours: float  # the window's length in hours

    @property
    def per_month(self) -> float:
        return self.total * HOURS_PER_MONTH / self.hours if self.hours else 0.0

    @property
    def peak_to_average(self) -> float:
        if self.total <= 0:
            return 1.0
        return max(1.0, self.peak_hour / (self.total / self.hours))


@dataclass(frozen=True)
class Size:
    """An average item (or index entry) size and where it came from."""

    bytes: float
    source: str


@dataclass
class IndexFigures:
    name: str
    size: Size
    writes: Series


@dataclass
class TableFigures:
    key: str  # the usage file's key: the seed name
    name: str  # physical name
    items: int
    size: Size
    writes: Series
    reads: Series
    returned: dict[str, float] = field(default_factory=dict)  # operation -> items returned
    gsis: list[IndexFigures] = field(default_factory=list)


class Reader:
    """Reads one window of metrics for many tables (one GetMetricData query set per table)."""

    def __init__(self, dynamodb: Any, cloudwatch: Any, days: float, now: datetime) -> None:
        if not 0 < days <= 455:  # CloudWatch keeps hourly data 455 days
            raise UsageError(f"--days {days:g}: must be > 0 and <= 455")
        self.dynamodb, self.cloudwatch = dynamodb, cloudwatch
        self.end = now.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
        self.start = self.end - timedelta(days=days)
        self.hours = days * 24

    def _query(self, metric: str, dims: dict[str, str]) -> dict[str, Any]:
        return {
            "MetricStat": {
                "Metric": {
                    "Namespace": NAMESPACE,
                    "MetricName": metric,
                    "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
                },
                "Period": PERIOD,
                "Stat": "Sum",
            },
            "ReturnData": True,
        }

    def _series(self, queries: dict[str, dict[str, Any]]) -> dict[str, Series]:
        ids = {f"m{i}": key for i, key in enumerate(queries)}
        sums: dict[str, list[float]] = {key: [] for key in queries}
        pages = self.cloudwatch.get_paginator("get_metric_data").paginate(
            MetricDataQueries=[{"Id": i, **queries[k]} for i, k in ids.items()],
            StartTime=self.start,
            EndTime=self.end,
        )
        for page in pages:
            for result in page.get("MetricDataResults", []):
                sums[ids[result["Id"]]].extend(float(v) for v in result.get("Values", []))
        return {k: Series(sum(v), max(v, default=0.0), self.hours) for k, v in sums.items()}

    def _sample(self, name: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        pages = self.dynamodb.get_paginator("scan").paginate(
            TableName=name, PaginationConfig={"MaxItems": SAMPLE_ITEMS, "PageSize": SAMPLE_ITEMS}
        )
        for page in pages:
            items.extend(page.get("Items", []))
        return items[:SAMPLE_ITEMS]

    def table(self, key: str, name: str) -> TableFigures | None:
        """The figures of one table; None when it does not exist."""
        try:
            desc = self.dynamodb.describe_table(TableName=name)["Table"]
        except self.dynamodb.exceptions.ResourceNotFoundException:
            return None
        gsis = sorted(desc.get("GlobalSecondaryIndexes") or [], key=lambda g: g["IndexName"])
        base = {"TableName": name}
        queries = {
            "w": self._query("ConsumedWriteCapacityUnits", base),
            "r": self._query("ConsumedReadCapacityUnits", base),
            "Query": self._query("ReturnedItemCount", {**base, "Operation": "Query"}),
            "Scan": self._query("ReturnedItemCount", {**base, "Operation": "Scan"}),
        }
        for g in gsis:
            dims = {**base, "GlobalSecondaryIndexName": g["IndexName"]}
            queries[f"gsi:{g['IndexName']}"] = self._query("ConsumedWriteCapacityUnits", dims)
        series = self._series(queries)
        items = int(desc.get("ItemCount") or 0)
        counted = int(desc.get("TableSizeBytes") or 0)
        sample = self._sample(name) if not (items and counted) or gsis else []
        table_keys = [k["AttributeName"] for k in desc.get("KeySchema") or []]
        return TableFigures(
            key=key,
            name=name,
            items=items,
            size=_size(items, counted, sample, "item"),
            writes=series["w"],
            reads=series["r"],
            returned={op: series[op].total for op in ("Query", "Scan") if series[op].total},
            gsis=[
                IndexFigures(
                    g["IndexName"],
                    _size(
                        int(g.get("ItemCount") or 0),
                        int(g.get("IndexSizeBytes") or 0),
                        _entries(sample, g, table_keys),
                        "entry",
                    ),
                    series[f"gsi:{g['IndexName']}"],
                )
                for g in gsis
            ],
        )


def _entries(
    sample: list[dict[str, Any]], gsi: dict[str, Any], table_keys: list[str]
) -> list[dict[str, Any]]:
    """The index entries of the sampled items: the items holding its keys, projected."""
    keys = [k["AttributeName"] for k in gsi.get("KeySchema") or []]
    projection = gsi.get("Projection") or {}
    kind = projection.get("ProjectionType", "ALL")
    kept = {*keys, *table_keys, *(projection.get("NonKeyAttributes") or [])}
    return [
        item if kind == "ALL" else {k: v for k, v in item.items() if k in kept}
        for item in sample
        if all(k in item for k in keys)
    ]


def _size(count: int, counted: int, sample: list[dict[str, Any]], what: str) -> Size:
    """DescribeTable's average when it has counted the bytes, else the sample's average."""
    plural = {"entry": "entries"}.get(what, f"{what}s")
    if count > 0 and counted > 0:
        size = counted / count
        source = f"{counted:,} B / {count:,} {plural} (DescribeTable)"
    elif sample:
        size = sum(attribute_size(n, v) for i in sample for n, v in i.items()) / len(sample)
        source = f"average of {len(sample)} {plural} read by a Scan (DescribeTable counts none yet)"
    else:
        return Size(1024.0, f"no {plural}: 1 KB assumed")
    return Size(min(MAX_ITEM, max(1.0, size)), source)


# -- the usage file -------------------------------------------------------------------------------


def _num(x: float) -> str:
    """A YAML number the usage schema accepts (strict floats: never a bare integer string)."""
    x = float(x)
    return f"{x:.1f}" if x == int(x) and abs(x) < 1e15 else repr(x)


def _units(x: float) -> str:
    return f"{x:,.6g}"


def _window(r: Reader) -> str:
    return (
        f"{r.start:%Y-%m-%dT%H:%MZ} to {r.end:%Y-%m-%dT%H:%MZ} ({r.hours / 24:g} days, hourly sums)"
    )


def _table_lines(t: TableFigures, r: Reader) -> list[str]:
    size, size_note = t.size.bytes, t.size.source
    write_units = math.ceil(size / 1024)
    read_units = math.ceil(size / 4096)
    writes = t.writes.per_month / write_units
    reads = t.reads.per_month / read_units
    month = f"x {HOURS_PER_MONTH} h / {r.hours:g} h"
    peak = min(MAX_PEAK, max(t.writes.peak_to_average, t.reads.peak_to_average))
    lines = [
        f"  {json.dumps(t.key)}:",
        f"    # table {t.name}",
        f"    items: {_num(t.items)}  # ItemCount (DescribeTable; refreshed about every 6 h)",
        f"    item_size_bytes: {_num(size)}  # {size_note}",
        f"    # ConsumedWriteCapacityUnits: {_units(t.writes.total)} units {month} = "
        f"{_units(t.writes.per_month)} a month; busiest hour {_units(t.writes.peak_hour)} "
        f"(peak-to-average {t.writes.peak_to_average:.2f})",
        f"    writes_per_month: {_num(writes)}  # the units / {write_units} per write of "
        f"{size:,.0f} B",
        f"    # ConsumedReadCapacityUnits: {_units(t.reads.total)} units {month} = "
        f"{_units(t.reads.per_month)} a month; busiest hour {_units(t.reads.peak_hour)} "
        f"(peak-to-average {t.reads.peak_to_average:.2f})",
        f"    reads_per_month: {_num(reads)}  # the units / {read_units} per read of {size:,.0f} B",
        "    read_consistency: strong  # one for one: CloudWatch already halves eventual reads",
        f"    peak_to_average: {_num(peak)}  # the larger of the writes' and the reads'",
    ]
    for op, n in t.returned.items():
        lines.append(f"    # ReturnedItemCount ({op}): {_units(n)} items in the window")
    if t.gsis:
        lines.append("    gsi:")
    for g in t.gsis:
        entry, entry_note = g.size.bytes, g.size.source
        per_write = math.ceil(entry / 1024)
        share = g.writes.per_month / per_write / writes if writes else 0.0
        clipped = min(1.0, share)
        lines += [
            f"      {json.dumps(g.name)}:",
            f"        entry_size_bytes: {_num(entry)}  # {entry_note}",
            f"        # ConsumedWriteCapacityUnits (GlobalSecondaryIndexName={g.name}): "
            f"{_units(g.writes.total)} units {month} = {_units(g.writes.per_month)} a month; "
            f"peak-to-average {g.writes.peak_to_average:.2f}",
            f"        write_share: {_num(clipped)}  # its units / {per_write} per entry / the "
            f"table's writes"
            + (f" ({share:.2f}, at most 1: updates moved index keys)" if share > 1 else ""),
        ]
    return lines


def render(figures: list[TableFigures], reader: Reader, region: str, missing: list[str]) -> str:
    lines = [
        "# Usage measured by `python -m tooling cost usage-from-metrics` "
        f"({datetime.now(timezone.utc):%Y-%m-%dT%H:%MZ}):",
        f"# CloudWatch {NAMESPACE} and DynamoDB DescribeTable in {region}, {_window(reader)}.",
        "# A month is the window's pace over 730 hours; the traffic of a quiet window is low.",
    ]
    if missing:
        lines.append(f"# Not deployed (no such table): {', '.join(missing)}")
    lines += [f"region: {region}", "free_tier: false", "tables:"]
    for t in figures:
        lines += _table_lines(t, reader)
    text = "\n".join(lines) + "\n"
    parse_usage(text, "usage-from-metrics")  # what is written always loads back
    return text


def measure(
    dynamodb: Any,
    cloudwatch: Any,
    tables: list[tuple[str, str]],
    *,
    days: float,
    now: datetime | None = None,
    region: str,
) -> str:
    """The usage file of `tables` ((usage key, physical name) pairs) measured over `days`."""
    reader = Reader(dynamodb, cloudwatch, days, now or datetime.now(timezone.utc))
    found: list[TableFigures] = []
    missing: list[str] = []
    for key, name in tables:
        figures = reader.table(key, name)
        if figures is None:
            missing.append(name)
        else:
            found.append(figures)
    if not found:
        raise ToolingError(
            f"none of the stack's tables exists in {region} ({', '.join(missing) or 'none'})"
        )
    return render(found, reader, region, missing)
