"""The monthly cost change between two plans, per table and component, like `infracost diff`.

Both plans are priced under the same usage files and price list; tables are matched by resource
address (a table whose physical name changes keeps its address and shows as changed, a new
address is an added table, a vanished one a removed table). A component that one side lacks
counts as $0 there, so a new GSI's write requests show as `$0.00 -> $x`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tooling.cost.model import Component, Estimate, TableCost
from tooling.cost.report import money, quantity

FORMATS = ("table", "markdown", "json")
WIDTH = 80
ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"
_SIGN = {ADDED: "+", REMOVED: "-", CHANGED: "~", UNCHANGED: " "}
_EPSILON = 5e-7  # below the JSON's 6 decimals: a change nobody could see is no change


@dataclass(frozen=True)
class ComponentChange:
    name: str  # the component's key, e.g. "write_requests" or "replica_storage[us-west-2]"
    before: float
    after: float
    label: str = ""
    quantity_before: str = ""  # e.g. "36,500 WRU"; "" where the side lacks the component
    quantity_after: str = ""

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class TableChange:
    address: str
    name: str
    status: str
    mode_before: str | None
    mode_after: str | None
    components: tuple[ComponentChange, ...]
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class CostDiff:
    region: str
    tables: tuple[TableChange, ...]

    @property
    def before(self) -> float:
        return sum(t.before for t in self.tables)

    @property
    def after(self) -> float:
        return sum(t.after for t in self.tables)

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def changed(self) -> tuple[TableChange, ...]:
        return tuple(t for t in self.tables if t.status != UNCHANGED)


def _lines(t: TableCost | None) -> dict[str, Component]:
    return {c.key: c for c in t.lines} if t else {}


def _components(before: TableCost | None, after: TableCost | None) -> tuple[ComponentChange, ...]:
    b, a = _lines(before), _lines(after)
    keys = [*a, *(k for k in b if k not in a)]  # the new bill's order, then what it drops
    out = []
    for k in keys:
        old, new = b.get(k), a.get(k)
        some = new or old
        assert some is not None
        out.append(
            ComponentChange(
                k,
                old.monthly_usd if old else 0.0,
                new.monthly_usd if new else 0.0,
                some.label,
                quantity(old) if old else "",
                quantity(new) if new else "",
            )
        )
    return tuple(out)


def _table(before: TableCost | None, after: TableCost | None) -> TableChange:
    components = _components(before, after)
    total_b = before.monthly_usd if before else 0.0
    total_a = after.monthly_usd if after else 0.0
    if before is None:
        status = ADDED
    elif after is None:
        status = REMOVED
    elif (
        abs(total_a - total_b) > _EPSILON
        or any(abs(c.change) > _EPSILON for c in components)
        or before.billing_mode != after.billing_mode
    ):
        status = CHANGED
    else:
        status = UNCHANGED
    some = after or before
    assert some is not None
    return TableChange(
        address=some.address,
        name=some.name,
        status=status,
        mode_before=before.billing_mode if before else None,
        mode_after=after.billing_mode if after else None,
        components=components,
        before=total_b,
        after=total_a,
    )


def diff(base: Estimate | None, head: Estimate | None, region: str | None = None) -> CostDiff:
    """Per table (by address) and component: the base's monthly cost, the head's, the change.
    None for a side with no tables at all (a first plan, or a plan that deletes them all)."""
    old = {t.address: t for t in base.tables} if base else {}
    new = {t.address: t for t in head.tables} if head else {}
    addresses = sorted(old.keys() | new.keys(), key=lambda a: ((new.get(a) or old[a]).name, a))
    either = head or base
    where = region or (either.region if either else "")
    return CostDiff(where, tuple(_table(old.get(a), new.get(a)) for a in addresses))


# -- presentation ---------------------------------------------------------------------------------


def usd(x: float) -> str:
    """Cents, sub-cent amounts to two significant figures (`$0.0019`), as `cost` prints them."""
    return "$0.00" if abs(x) < _EPSILON else money(x)


def signed(x: float) -> str:
    text = usd(x)
    return text if text.startswith("-") or text == "$0.00" else f"+{text}"


def _mode(t: TableChange) -> str:
    if t.mode_before and t.mode_after and t.mode_before != t.mode_after:
        return f"{t.mode_before} -> {t.mode_after}"
    return t.mode_after or t.mode_before or ""


def _verdict(d: CostDiff) -> str:
    if abs(d.change) <= _EPSILON:
        return f"Monthly cost unchanged at {usd(d.after)}"
    way = "increase" if d.change > 0 else "decrease"
    return f"Monthly cost will {way} by {usd(abs(d.change))} ({usd(d.before)} -> {usd(d.after)})"


def as_dict(d: CostDiff) -> dict[str, Any]:
    return {
        "region": d.region,
        "tables": [
            {
                "address": t.address,
                "name": t.name,
                "status": t.status,
                "billing_mode": {"before": t.mode_before, "after": t.mode_after},
                "components": [
                    {
                        "name": c.name,
                        "label": c.label,
                        "quantity_before": c.quantity_before or None,
                        "quantity_after": c.quantity_after or None,
                        "before_usd": round(c.before, 6),
                        "after_usd": round(c.after, 6),
                        "change_usd": round(c.change, 6),
                    }
                    for c in t.components
                    if abs(c.change) > _EPSILON or c.before or c.after
                ],
                "before_usd": round(t.before, 6),
                "after_usd": round(t.after, 6),
                "change_usd": round(t.change, 6),
            }
            for t in d.tables
        ],
        "total_before_usd": round(d.before, 6),
        "total_after_usd": round(d.after, 6),
        "total_change_usd": round(d.change, 6),
    }


def as_json(d: CostDiff) -> str:
    return json.dumps(as_dict(d), indent=2) + "\n"


def _shown(t: TableChange) -> list[ComponentChange]:
    return [c for c in t.components if abs(c.change) > _EPSILON]


def as_markdown(d: CostDiff, heading: str = "###") -> str:
    """A pull-request comment or GitHub job summary: the verdict, then one row per change."""
    lines = [f"{heading} DynamoDB cost change ({d.region})", "", f"**{_verdict(d)}**", ""]
    if not d.changed:
        return "\n".join([*lines, "No table's cost changes."]) + "\n"
    lines += [
        "| | table | component | before | after | change |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    for t in d.changed:
        lines.append(
            f"| {_SIGN[t.status]} | **{t.name}**<br>`{t.address}` | {_mode(t)} "
            f"| {usd(t.before)} | {usd(t.after)} | **{signed(t.change)}** |"
        )
        for c in _shown(t):
            amounts = f"{c.quantity_before or '-'} -> {c.quantity_after or '-'}"
            lines.append(
                f"| | | `{c.name}` ({amounts}) | {usd(c.before)} | {usd(c.after)} "
                f"| {signed(c.change)} |"
            )
    lines.append(
        f"| | **total** | | **{usd(d.before)}** | **{usd(d.after)}** | **{signed(d.change)}** |"
    )
    unchanged = len(d.tables) - len(d.changed)
    if unchanged:
        lines += ["", f"{unchanged} other table(s) unchanged."]
    return "\n".join(lines) + "\n"


def _row(label: str, before: str, after: str, change: str) -> str:
    # 80 columns: 41 for the label, 12 + 1 for each figure.
    if len(label) > 41:
        label = label[:40] + "…"
    return f"{label:<41}{before:>13}{after:>13}{change:>13}"


def _wrap_address(address: str) -> list[str]:
    """The address on lines of at most 80 columns, broken after a `.` where it must be."""
    lines, line = [], "    "
    for part in re.findall(r"[^.]+\.?", address):
        if len(line) + len(part) > WIDTH and line.strip():
            lines.append(line)
            line = "      "
        line += part
    return [*lines, line]


def as_table(d: CostDiff) -> str:
    """Plain text of at most 80 columns (CI logs have no terminal)."""
    lines = [f"DynamoDB monthly cost change, {d.region}", ""]
    lines.append(_row("", "before", "after", "change"))
    for t in d.changed:
        lines.append("")
        lines.append(
            _row(f"{_SIGN[t.status]} {t.name}", usd(t.before), usd(t.after), signed(t.change))
        )
        lines += _wrap_address(t.address)
        mode = _mode(t)
        if mode:
            lines.append(f"    {mode}"[:WIDTH])
        for c in _shown(t):
            lines.append(_row(f"    {c.name}", usd(c.before), usd(c.after), signed(c.change)))
    lines.append("")
    lines.append("-" * WIDTH)
    lines.append(_row("total", usd(d.before), usd(d.after), signed(d.change)))
    unchanged = len(d.tables) - len(d.changed)
    if unchanged:
        lines.append(f"{unchanged} other table(s) unchanged.")
    lines.append(_verdict(d) + ".")
    return "\n".join(lines) + "\n"


def render(d: CostDiff, fmt: str) -> str:
    if fmt == "json":
        return as_json(d)
    if fmt == "markdown":
        return as_markdown(d)
    return as_table(d)
