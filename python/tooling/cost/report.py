"""An Estimate as a rich table, markdown, JSON, CSV or a short summary."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from tooling.cost.model import Estimate, TableCost

FORMATS = ("table", "markdown", "json", "csv", "summary")

# Display order of the components; any other component follows in its own order.
ORDER = (
    "write_requests",
    "read_requests",
    "gsi_write_requests",
    "write_capacity",
    "read_capacity",
    "gsi_write_capacity",
    "gsi_read_capacity",
    "replicated_writes",
    "storage",
    "gsi_storage",
    "replica_storage",
    "pitr",
    "backup_storage",
    "restore",
    "stream_reads",
    "free_tier",
)


def _components(t: TableCost) -> list[tuple[str, float]]:
    keys = [k for k in ORDER if k in t.components]
    keys += [k for k in t.components if k not in keys]
    return [(k, t.components[k]) for k in keys]


def _usd(x: float) -> str:
    if x == 0:
        return "$0.00"
    if abs(x) < 0.01:
        return f"${x:.6f}"
    if abs(x) < 1:
        return f"${x:.4f}"
    return f"${x:,.2f}"


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


def as_dict(e: Estimate) -> dict[str, Any]:
    return {
        "region": e.region,
        "free_tier": e.free_tier,
        "tables": [
            {
                "name": t.name,
                "physical_name": t.physical_name,
                "billing_mode": t.billing_mode,
                "table_class": t.table_class,
                "monthly_usd": round(t.monthly_usd, 6),
                "components": {k: round(v, 6) for k, v in _components(t)},
                "alternative": {
                    "billing_mode": t.alternative_mode,
                    "monthly_usd": round(t.alternative_usd, 6),
                },
                "provisioned_capacity": None
                if t.capacity is None
                else {
                    "read": t.capacity.read,
                    "write": t.capacity.write,
                    "gsis": {k: {"read": r, "write": w} for k, (r, w) in t.capacity.gsis.items()},
                },
                "utilisation": t.utilisation,
                "break_even_utilisation": t.break_even_utilisation,
                "recommendation": t.recommendation,
                "notes": t.notes,
            }
            for t in e.tables
        ],
        "total_monthly_usd": round(e.total_monthly_usd, 6),
        "per_unit_monthly_usd": {k: round(v, 8) for k, v in e.per_unit().items()},
    }


def as_json(e: Estimate) -> str:
    return json.dumps(as_dict(e), indent=2) + "\n"


def as_csv(e: Estimate) -> str:
    """One row per table and component, for spreadsheets."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["table", "billing_mode", "component", "monthly_usd"])
    for t in e.tables:
        for k, v in _components(t):
            w.writerow([t.name, t.billing_mode, k, f"{v:.6f}"])
        w.writerow([t.name, t.billing_mode, "total", f"{t.monthly_usd:.6f}"])
        w.writerow([t.name, t.alternative_mode, "alternative_total", f"{t.alternative_usd:.6f}"])
    w.writerow(["TOTAL", "", "total", f"{e.total_monthly_usd:.6f}"])
    return buf.getvalue()


def as_markdown(e: Estimate, heading: str = "##") -> str:
    lines = [
        f"{heading} Monthly DynamoDB cost ({e.region}"
        + (", free tier applied" if e.free_tier else "")
        + ")",
        "",
        "| table | mode | components | monthly | other mode | utilisation / break-even "
        "| recommendation |",
        "| --- | --- | --- | ---: | ---: | --- | --- |",
    ]
    for t in e.tables:
        comps = "<br>".join(f"{k} {_usd(v)}" for k, v in _components(t) if v)
        lines.append(
            f"| `{t.name}` | {t.billing_mode} | {comps or '-'} | {_usd(t.monthly_usd)} "
            f"| {t.alternative_mode} {_usd(t.alternative_usd)} "
            f"| {_pct(t.utilisation)} / {_pct(t.break_even_utilisation)} | {t.recommendation} |"
        )
    lines.append(f"| **total** | | | **{_usd(e.total_monthly_usd)}** | | | |")
    for unit, cost in e.per_unit().items():
        lines.append(f"\nPer unit of `{unit}`: {_usd(cost)} a month.")
    notes = [f"- `{t.name}`: {n}" for t in e.tables for n in t.notes]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def summary(e: Estimate) -> str:
    """A few lines for `make demo`."""
    lines = [f"DynamoDB monthly cost estimate ({e.region}): {_usd(e.total_monthly_usd)}"]
    for t in e.tables:
        lines.append(
            f"  {t.name:<28} {t.billing_mode:<16} {_usd(t.monthly_usd):>12}"
            f"   ({t.alternative_mode} {_usd(t.alternative_usd)}; {t.recommendation})"
        )
    for unit, cost in e.per_unit().items():
        lines.append(f"  per {unit}: {_usd(cost)}")
    return "\n".join(lines) + "\n"


def print_table(e: Estimate, console: Console) -> None:
    """One section per table: its components, its total, the other mode and the advice."""
    table = Table(
        title=f"Monthly DynamoDB cost, {e.region}" + (" (free tier)" if e.free_tier else ""),
        show_lines=False,
    )
    table.add_column("table")
    table.add_column("item")
    table.add_column("USD / month", justify="right")
    for t in e.tables:
        table.add_section()
        table.add_row(f"[b]{t.name}[/b]", f"{t.billing_mode}, {_capacity(t)}", "")
        for k, v in _components(t):
            if v:
                table.add_row("", k, _usd(v))
        table.add_row("", "[b]monthly total[/b]", f"[b]{_usd(t.monthly_usd)}[/b]")
        table.add_row("", f"as {t.alternative_mode}", _usd(t.alternative_usd))
        table.add_row(
            "",
            f"utilisation {_pct(t.utilisation)}, break-even {_pct(t.break_even_utilisation)}: "
            f"{t.recommendation}",
            "",
        )
        for note in t.notes:
            table.add_row("", f"[dim]{note}[/dim]", "")
    table.add_section()
    table.add_row("[b]total[/b]", "", f"[b]{_usd(e.total_monthly_usd)}[/b]")
    console.print(table)
    for unit, cost in e.per_unit().items():
        console.print(f"per {unit}: {_usd(cost)} a month")


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
    buf = io.StringIO()
    print_table(e, Console(file=buf, width=160, color_system=None))
    return buf.getvalue()
