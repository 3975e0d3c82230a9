"""An Estimate as a rich table, markdown, JSON, CSV or a short summary.

Every format shows each component with its quantity, unit and unit price beside the monthly
cost, so that the arithmetic can be checked line by line; amounts are printed in cents, and
sub-cent amounts with two significant figures (`$0.0019`).
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from rich.console import Console
from rich.table import Table

from tooling.cost.model import Component, Estimate, TableCost

FORMATS = ("table", "markdown", "json", "csv", "summary")
PER_MILLION = ("WRU", "RRU", "rWRU", "sRRU")


def money(x: float) -> str:
    """Cents, or two significant figures below a cent: $1,234.56, $0.05, $0.0019, -$0.30."""
    if x == 0:
        return "$0.00"
    sign = "-" if x < 0 else ""
    a = abs(x)
    if a >= 0.01:
        return f"{sign}${a:,.2f}"
    decimals = 1 - math.floor(math.log10(a))
    return f"{sign}${a:.{decimals}f}"


def _usd(x: float) -> str:
    """The formatter docs/cost-report.md was written with (tooling.dev.cost_report uses it)."""
    if x == 0:
        return "$0.00"
    if abs(x) < 0.01:
        return f"${x:.6f}"
    if abs(x) < 1:
        return f"${x:.4f}"
    return f"${x:,.2f}"


def unit_price(c: Component) -> str:
    if c.unit_price is None:
        return "not priced"
    if c.unit == "credit":
        return "-"
    if c.unit in PER_MILLION:
        return f"${c.unit_price * 1e6:.6g} per million {c.unit}"
    return f"${c.unit_price:.6g} per {c.unit}"


def quantity(c: Component) -> str:
    q = c.quantity
    if c.unit == "credit":
        return "-"
    if abs(q) >= 100 or q == int(q):
        text = f"{q:,.0f}"
    else:  # four significant figures, never an exponent
        text = f"{q:,.{max(0, 3 - math.floor(math.log10(abs(q))))}f}"
    return f"{text} {c.unit}"


def _regions(e: Estimate) -> str:
    """The regions the tables are in (a plan may state them; else the usage file's)."""
    return ", ".join(sorted({t.region for t in e.tables})) or e.region


def _total_label(t: TableCost, word: str = "monthly total") -> str:
    return f"{word}, priced components only" if t.unpriced else word


def _lists(e: Estimate) -> str:
    return ", ".join(f"{r} of {v['date']}" for r, v in e.price_lists.items())


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def _capacity(t: TableCost) -> str:
    c = t.capacity
    if c is None:
        return "-"
    sized = "" if t.billing_mode == "PROVISIONED" else "provisioned would need "
    return f"{sized}{c.read} RCU / {c.write} WCU" + (
        f" (+{len(c.gsis)} GSI: {c.total_read - c.read} RCU / {c.total_write - c.write} WCU)"
        if c.gsis
        else ""
    )


def _line(c: Component) -> dict[str, Any]:
    return {
        "key": c.key,
        "label": c.label,
        "quantity": c.quantity,
        "unit": c.unit,
        "unit_price_usd": c.unit_price,
        "monthly_usd": round(c.monthly_usd, 6),
        "region": c.region,
        "priced": c.priced,
        "derived": c.derived,
    }


def as_dict(e: Estimate) -> dict[str, Any]:
    return {
        "region": e.region,
        "free_tier": e.free_tier,
        "tables": [
            {
                "name": t.name,
                "address": t.address,
                "physical_name": t.physical_name,
                "region": t.region,
                "billing_mode": t.billing_mode,
                "table_class": t.table_class,
                "monthly_usd": round(t.monthly_usd, 6),
                "components": {c.key: round(c.monthly_usd, 6) for c in t.lines},
                "lines": [_line(c) for c in t.lines],
                "alternative": {
                    "billing_mode": t.alternative_mode,
                    "monthly_usd": round(t.alternative_usd, 6),
                    "lines": [_line(c) for c in t.alternative_lines],
                },
                "provisioned_capacity": None
                if t.capacity is None
                else {
                    "read": t.capacity.read,
                    "write": t.capacity.write,
                    "gsis": {k: {"read": r, "write": w} for k, (r, w) in t.capacity.gsis.items()},
                    "derived": list(t.capacity.derivation),
                },
                "replica_regions": list(t.replica_regions),
                "missing_price_lists": list(t.missing_price_lists),
                "unpriced": t.unpriced,
                "utilisation": t.utilisation,
                "break_even_utilisation": t.break_even_utilisation,
                "recommendation": t.recommendation,
                "derived": list(t.demand.derivation),
                "how": t.derivation,
                "notes": t.notes,
                "warnings": t.warnings,
            }
            for t in e.tables
        ],
        "total_monthly_usd": round(e.total_monthly_usd, 6),
        "per_unit_monthly_usd": {k: round(v, 8) for k, v in e.per_unit().items()},
        "missing_price_lists": e.missing_price_lists,
        "warnings": e.warnings,
        "notes": e.notes,
        "price_lists": e.price_lists,
    }


def as_json(e: Estimate) -> str:
    return json.dumps(as_dict(e), indent=2) + "\n"


def as_csv(e: Estimate) -> str:
    """One row per table and component, for spreadsheets."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        [
            "table",
            "address",
            "billing_mode",
            "component",
            "region",
            "quantity",
            "unit",
            "unit_price_usd",
            "monthly_usd",
            "derived",
        ]
    )
    for t in e.tables:
        for c in t.lines:
            price = "" if c.unit_price is None else f"{c.unit_price:.10g}"
            w.writerow(
                [
                    t.name,
                    t.address,
                    t.billing_mode,
                    c.key,
                    c.region,
                    f"{c.quantity:.6f}",
                    c.unit,
                    price,
                    f"{c.monthly_usd:.6f}",
                    c.derived,
                ]
            )
        w.writerow(
            [t.name, t.address, t.billing_mode, "total", "", "", "", "", f"{t.monthly_usd:.6f}", ""]
        )
        w.writerow(
            [
                t.name,
                t.address,
                t.alternative_mode,
                "alternative_total",
                "",
                "",
                "",
                "",
                f"{t.alternative_usd:.6f}",
                "",
            ]
        )
    w.writerow(["TOTAL", "", "", "total", "", "", "", "", f"{e.total_monthly_usd:.6f}", ""])
    return buf.getvalue()


def _shown(t: TableCost) -> list[Component]:
    """The lines worth a row: priced with a quantity, or not priced although needed."""
    return [c for c in t.lines if c.quantity or c.monthly_usd]


def as_markdown(e: Estimate, heading: str = "##") -> str:
    lines = [
        f"{heading} Monthly DynamoDB cost ({_regions(e)}"
        + (", free tier applied" if e.free_tier else "")
        + f"): {money(e.total_monthly_usd)}",
        "",
    ]
    for t in e.tables:
        lines += [
            f"**`{t.name}`** (`{t.address}`), {t.billing_mode}, {t.region}: "
            f"**{money(t.monthly_usd)}** a month",
            "",
            "| component | quantity | unit price | monthly |",
            "| --- | ---: | ---: | ---: |",
        ]
        for c in _shown(t):
            lines.append(
                f"| {c.label} | {quantity(c)} | {unit_price(c)} | {money(c.monthly_usd)} |"
            )
        lines += [
            f"| **{_total_label(t, 'total')}** | | | **{money(t.monthly_usd)}** |",
            "",
            f"As {t.alternative_mode}: {money(t.alternative_usd)}; utilisation "
            f"{_pct(t.utilisation)}, break-even {_pct(t.break_even_utilisation)}: "
            f"{t.recommendation}.",
            "",
        ]
        lines += [f"- warning: {w}" for w in t.warnings]
        lines += [f"- {n}" for n in t.notes]
        lines += [f"- how: {n}" for n in t.derivation]
        lines.append("")
    for unit, cost in e.per_unit().items():
        lines.append(f"Per unit of `{unit}`: {money(cost)} a month.\n")
    lines += [f"- {n}" for n in e.notes]
    if e.price_lists:
        lines.append(f"- price lists: {_lists(e)} (their sources: `--format json`)")
    return "\n".join(lines).rstrip() + "\n"


def summary(e: Estimate) -> str:
    """A few lines for `make demo`."""
    lines = [f"DynamoDB monthly cost estimate ({_regions(e)}): {money(e.total_monthly_usd)}"]
    for t in e.tables:
        lines.append(
            f"  {t.name:<28} {t.billing_mode:<16} {money(t.monthly_usd):>12}"
            f"   ({t.alternative_mode} {money(t.alternative_usd)}; {t.recommendation})"
        )
    for unit, cost in e.per_unit().items():
        lines.append(f"  per {unit}: {money(cost)}")
    lines += [f"  warning: {w}" for w in e.warnings]
    return "\n".join(lines) + "\n"


def print_table(e: Estimate, console: Console) -> None:
    """One section per table: its components with quantity and unit price, its total, the
    other mode and the advice; then notes and warnings."""
    table = Table(
        title=f"Monthly DynamoDB cost, {_regions(e)}" + (" (free tier)" if e.free_tier else ""),
        show_lines=False,
    )
    # Names, addresses and figures are never cut; the component column takes what is left.
    names = max((len(x) for t in e.tables for x in (t.name, t.address)), default=5)
    table.add_column("table / address", no_wrap=True, min_width=names)
    table.add_column("component")
    table.add_column("quantity", justify="right", no_wrap=True)
    table.add_column("unit price", justify="right", no_wrap=True)
    table.add_column("USD / month", justify="right", no_wrap=True)
    for t in e.tables:
        table.add_section()
        table.add_row(
            f"[b]{t.name}[/b]", f"{t.billing_mode}, {t.region}, {_capacity(t)}", "", "", ""
        )
        first = True
        for c in _shown(t):
            table.add_row(
                f"[dim]{t.address}[/dim]" if first else "",
                c.label,
                quantity(c),
                unit_price(c),
                money(c.monthly_usd),
            )
            first = False
        table.add_row("", f"[b]{_total_label(t)}[/b]", "", "", f"[b]{money(t.monthly_usd)}[/b]")
        table.add_row("", f"as {t.alternative_mode}", "", "", money(t.alternative_usd))
        table.add_row(
            "",
            f"utilisation {_pct(t.utilisation)}, break-even {_pct(t.break_even_utilisation)}: "
            f"{t.recommendation}",
            "",
            "",
            "",
        )
        for w in t.warnings:
            table.add_row("", f"[yellow]warning: {w}[/yellow]", "", "", "")
        for note in t.notes:
            table.add_row("", note, "", "", "")
        for how in t.derivation:
            table.add_row("", f"[dim]how: {how}[/dim]", "", "", "")
    table.add_section()
    table.add_row("[b]total[/b]", "", "", "", f"[b]{money(e.total_monthly_usd)}[/b]")
    console.print(table)
    for unit, cost in e.per_unit().items():
        console.print(f"per {unit}: {money(cost)} a month")
    for n in e.notes:
        console.print(n)
    if e.price_lists:
        console.print(f"price lists: {_lists(e)} (their sources: --format json)", style="dim")


def render(e: Estimate, fmt: str) -> str:
    """The estimate in a text format (everything but the rich table)."""
    if fmt == "json":
        return as_json(e)
    if fmt == "csv":
        return as_csv(e)
    if fmt == "markdown":
        return as_markdown(e)
    if fmt == "summary":
        return summary(e)
    # Not a terminal (a file, a CI log): a fixed width wide enough for the resource addresses,
    # so that no column is squeezed to the 80 columns rich assumes and no name is cut.
    buf = io.StringIO()
    print_table(e, Console(file=buf, width=200, color_system=None))
    return buf.getvalue()
