"""Cost per access pattern: the request units one call of each pattern of `query --list` consumes
and, at the calls per day the usage file's `patterns:` block states, its monthly on-demand cost.

A read of the table's own key with no sort key is a GetItem: ceil(item / 4 KB) read units per
item. Any other read is a Query, which sums the sizes of the items it returns and rounds up to
4 KB once per call: ceil(items x entry / 4 KB). Both are halved when eventually consistent (a GSI
can only be read so) and doubled when transactional. A write pattern writes ceil(item / 1 KB)
units per item, plus ceil(entry / 1 KB) on each GSI whose keys the item carries.

Sizes come from the usage file (`item_size_bytes`, `attribute_sizes`, per-GSI `entry_size_bytes`)
or from `--sample-items`, exactly as the table estimate takes them; the items one call returns
from `items_per_call`, else the sample's average number of items per partition-key value of the
key the pattern reads, else 1. Each figure says which way it was derived.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tooling.apps import AccessPattern
from tooling.cost.model import entry_size, item_size
from tooling.cost.pattern_usage import PatternUsage
from tooling.cost.pricing import Pricing
from tooling.cost.samples import MAX_LINES, Samples, load_samples, owner
from tooling.cost.usage import TableUsage, UsageFile
from tooling.dynamo.serialize import SerializationError, item_from_json
from tooling.errors import UsageError
from tooling.terraform.plan import Index, TableConfig

FACTOR = {"eventual": 0.5, "strong": 1.0, "transactional": 2.0}
FORMATS = ("table", "json")


@dataclass(frozen=True)
class PatternCost:
    app: str
    name: str
    table: str  # the table's label (seed name)
    index: str | None
    operation: str  # GetItem, Query or write
    consistency: str | None  # reads only
    items_per_call: float
    entry_bytes: float  # the size of what one item costs: the item, or its index entry
    units_per_call: float
    unit: str  # RRU or WRU
    calls_per_day: float | None
    monthly_units: float | None
    monthly_usd: float | None
    derived: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.app}/{self.name}"


class _Partitions:
    """Average items per partition-key value in the sample items, per table and key."""

    def __init__(self, path: Path | None, tables: list[TableConfig]) -> None:
        self.items: dict[str, list[dict[str, Any]]] = {}
        if path is None:
            return
        with path.open("rb") as f:  # load_samples has already validated every line
            for number, raw in enumerate(f, 1):
                if number > MAX_LINES:
                    break
                if raw.strip():
                    where = f"--sample-items {path}: line {number}"
                    t, obj = owner(json.loads(raw), tables, where)
                    try:
                        self.items.setdefault(t.name, []).append(item_from_json(obj))
                    except SerializationError as exc:
                        raise UsageError(f"{where}: {exc}") from None

    def per_value(self, t: TableConfig, keys: tuple[str, ...]) -> tuple[float, int] | None:
        """(average items per value of keys[0] among the items holding all keys, items)."""
        held = [i for i in self.items.get(t.name, []) if all(k in i for k in keys)]
        if not held:
            return None
        values = Counter(json.dumps(i[keys[0]], sort_keys=True) for i in held)
        return len(held) / len(values), len(held)

    def share(self, t: TableConfig, keys: tuple[str, ...]) -> float | None:
        items = self.items.get(t.name, [])
        if not items:
            return None
        return sum(all(k in i for k in keys) for i in items) / len(items)


def _keys(index: Index | None, t: TableConfig) -> tuple[str, ...]:
    if index is None:
        return t.key_attributes
    return tuple(k for k in (index.hash_key, index.range_key) if k)


def _find(tables: list[TableConfig], seed: str | None) -> TableConfig | None:
    return next((t for t in tables if seed in (t.seed_name, t.name)), None)


def _cost_one(
    p: AccessPattern,
    t: TableConfig,
    stated: PatternUsage | None,
    u: TableUsage,
    samples: Samples | None,
    parts: _Partitions,
    price: Pricing,
    source: str,
) -> PatternCost:
    sample = samples.for_table(t) if samples else None
    item = item_size(u, sample)
    if stated is not None and stated.item_size_bytes is not None:
        item = (stated.item_size_bytes, "stated in patterns")
    derived: list[str] = []
    index = t.gsi(p.index) if p.index else None
    if p.index and index is None:
        raise UsageError(f"{p.app}/{p.name}: {t.name} has no GSI {p.index} in the plan")
    where = f"{source}: patterns.{p.app}/{p.name}"
    if p.writes:
        entry, how = item
        derived.append(f"item {entry:,.0f} B: {how}")
        per_item = math.ceil(entry / 1024)
        gsi_units = 0.0
        for g in t.gsis:
            size, ghow = entry_size("gsi", g, t, u, u.gsi.get(g.name), sample, item)
            stated_share = u.gsi.get(g.name)
            sampled = parts.share(t, _keys(g, t))
            if stated_share is not None and "write_share" in stated_share.model_fields_set:
                share, show = stated_share.write_share, "stated write_share"
            elif sampled is not None:
                share, show = sampled, "share of sample items holding its keys"
            else:
                share, show = 1.0, "every item assumed to carry its keys"
            gsi_units += share * math.ceil(size / 1024)
            derived.append(
                f"GSI {g.name}: {share:.2f} x ceil({size:,.0f} B / 1 KB) ({ghow}; {show})"
            )
        operation, consistency, unit = "write", None, "WRU"
        per_call_item = per_item + gsi_units
    else:
        if index is not None:
            entry, how = entry_size("gsi", index, t, u, u.gsi.get(index.name), sample, item)
        else:
            entry, how = item
        derived.append(f"{'entry' if index else 'item'} {entry:,.0f} B: {how}")
        get = index is None and t.range_key is None
        operation, unit = ("GetItem" if get else "Query"), "RRU"
        if stated is not None and stated.read_consistency is not None:
            consistency = stated.read_consistency
            derived.append(f"{consistency} reads: stated")
        elif p.consistent_read:
            consistency = "strong"
            derived.append("strong reads: the pattern reads with ConsistentRead")
        else:
            consistency = "eventual"
            derived.append("eventual reads: DynamoDB's default, the pattern's")
        if index is not None and consistency != "eventual":
            raise UsageError(f"{where}.read_consistency: a GSI ({index.name}) reads only eventual")
        per_call_item = 0.0  # reads are rounded per call below
    if stated is not None and stated.items_per_call is not None:
        items = stated.items_per_call
        derived.append(f"{items:g} items a call: stated")
    elif not p.writes and operation == "Query" and (m := parts.per_value(t, _keys(index, t))):
        items = m[0]
        derived.append(
            f"{items:.2f} items a call: sample items per {_keys(index, t)[0]} value ({m[1]} items)"
        )
    else:
        items = 1.0
        derived.append("1 item a call" + ("" if operation == "GetItem" else " (not measured)"))
    if p.writes:
        units = items * per_call_item
    elif operation == "GetItem":
        units = items * math.ceil(entry / 4096) * FACTOR[consistency]
    else:  # a Query rounds the sum of what it reads up to 4 KB
        units = math.ceil(items * entry / 4096 - 1e-9) * FACTOR[consistency]
        units = max(units, FACTOR[consistency])
    per_million = (
        price.on_demand.write_request_unit_per_million
        if p.writes
        else price.on_demand.read_request_unit_per_million
    )
    factor = price.throughput_factor(t.table_class) or 1.0
    calls = stated.per_day if stated is not None else None
    monthly_units = calls * price.hours_per_month / 24 * units if calls is not None else None
    usd = (
        monthly_units * per_million / 1e6 * factor
        if monthly_units is not None and per_million is not None
        else None
    )
    return PatternCost(
        app=p.app,
        name=p.name,
        table=t.label,
        index=p.index,
        operation=operation,
        consistency=consistency,
        items_per_call=items,
        entry_bytes=entry,
        units_per_call=units,
        unit=unit,
        calls_per_day=calls,
        monthly_units=monthly_units,
        monthly_usd=usd,
        derived=tuple(derived),
    )


def pattern_costs(
    patterns: list[AccessPattern],
    tables: list[TableConfig],
    usage: UsageFile,
    price: Pricing,
    sample_items: Path | None = None,
) -> list[PatternCost]:
    """The cost of one call of each pattern whose table the plan holds, and of a month at the
    usage's `patterns:` rate; a pattern named there that is unknown or not deployed is an error."""
    known = {f"{p.app}/{p.name}": p for p in patterns}
    for key in usage.patterns:
        if key not in known:
            raise UsageError(
                f"{usage.source}: patterns.{key}: no such pattern (names as APP/PATTERN, "
                "see `query --list`)"
            )
        if _find(tables, known[key].table) is None:
            raise UsageError(
                f"{usage.source}: patterns.{key}: its table {known[key].table} is not in the plan"
            )
    samples = load_samples(sample_items, tables) if sample_items is not None else None
    parts = _Partitions(sample_items, tables)
    out = []
    for key, p in known.items():
        t = _find(tables, p.table)
        if t is None:
            continue
        u = usage.tables.get(t.label) or usage.tables.get(t.name) or TableUsage()
        out.append(_cost_one(p, t, usage.patterns.get(key), u, samples, parts, price, usage.source))
    return out


# -- presentation ---------------------------------------------------------------------------------


def _units(x: float) -> str:
    return f"{x:g}"


def as_json(costs: list[PatternCost]) -> str:
    rows = [
        {
            "pattern": c.key,
            "table": c.table,
            "index": c.index,
            "operation": c.operation,
            "consistency": c.consistency,
            "items_per_call": c.items_per_call,
            "entry_bytes": c.entry_bytes,
            "units_per_call": c.units_per_call,
            "unit": c.unit,
            "calls_per_day": c.calls_per_day,
            "monthly_units": c.monthly_units,
            "monthly_usd": None if c.monthly_usd is None else round(c.monthly_usd, 6),
            "derived": list(c.derived),
        }
        for c in costs
    ]
    total = sum(c.monthly_usd or 0.0 for c in costs)
    return json.dumps({"patterns": rows, "total_monthly_usd": round(total, 6)}, indent=2) + "\n"


def as_table(costs: list[PatternCost]) -> str:
    """Plain text of at most 80 columns: one line per pattern, its derivation below it."""
    from tooling.cost.report import money

    head = f"{'pattern':<34}{'units / call':>16}{'calls / day':>14}{'USD / month':>16}"
    lines = ["Cost per access pattern (on-demand request units)", "", head, "-" * len(head)]
    for c in costs:
        per_call = f"{_units(c.units_per_call)} {c.unit}"
        calls = "-" if c.calls_per_day is None else f"{c.calls_per_day:,.6g}"
        usd = "-" if c.monthly_usd is None else money(c.monthly_usd)
        name = c.key if len(c.key) <= 33 else c.key[:32] + "…"
        lines.append(f"{name:<34}{per_call:>16}{calls:>14}{usd:>16}")
        what = f"{c.operation} {c.table}" + (f" / {c.index}" if c.index else "")
        if c.consistency:
            what += f", {c.consistency}"
        lines += textwrap.wrap(what, 80, initial_indent="  ", subsequent_indent="    ")
        for d in c.derived:
            lines += textwrap.wrap(d, 80, initial_indent="    ", subsequent_indent="      ")
    total = sum(c.monthly_usd or 0.0 for c in costs)
    lines += ["-" * len(head), f"{'total of the patterns given calls':<64}{money(total):>16}"]
    return "\n".join(lines) + "\n"


def render(costs: list[PatternCost], fmt: str) -> str:
    return as_json(costs) if fmt == "json" else as_table(costs)
