"""How the CLI shows patterns and their results: rich tables that stay readable in a CI log.

Without a terminal rich lays tables out for 80 columns and, when they do not fit, shrinks every
column, names and counts included (`fusio…`, an empty item-count column). Here the columns that
identify a row never shrink below their content; only free text (descriptions, samples, values)
wraps or is cut.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tooling.apps import AccessPattern
from tooling.apps.runner import cell, rows


def _fixed(table: Table, name: str, values: Sequence[str], justify: str = "left") -> int:
    """A column as wide as its widest value or heading: never folded, cut or shrunk. Returns
    that width."""
    width = max([len(name), *(len(v) for v in values)])
    table.add_column(name, no_wrap=True, min_width=width, justify=justify)  # type: ignore[arg-type]
    return width


def _room(console: Console, fixed: Sequence[int]) -> int:
    """Width left for one more column beside `fixed` ones in a box table (rich's default: one
    space of padding each side of a cell, a rule between cells and at both edges)."""
    columns = len(fixed) + 1
    return max(8, console.width - sum(fixed) - 3 * columns - 1)


def param_text(p: AccessPattern) -> str:
    return " ".join(
        f"{x.name}:{x.type.__name__}"
        if x.required
        else f"[{x.name}:{x.type.__name__}={x.default if x.default is not None else ''}]"
        for x in p.params
    )


def pattern_json(patterns: Iterable[AccessPattern]) -> str:
    """The patterns and their parameters as JSON (`query --list --format json`)."""
    out = [
        {
            "app": p.app,
            "pattern": p.name,
            "description": p.description,
            "writes": p.writes,
            "params": [
                {
                    "name": x.name,
                    "type": x.type.__name__,
                    "required": x.required,
                    "default": x.default,
                    "help": x.help,
                }
                for x in p.params
            ],
            "example": dict(p.example),
        }
        for p in patterns
    ]
    return json.dumps(out, indent=2, ensure_ascii=False, default=str)


def render_list(console: Console, patterns: Iterable[AccessPattern]) -> None:
    found = list(patterns)
    table = Table(title="access patterns")
    _fixed(table, "app", [p.app for p in found])
    _fixed(table, "pattern", [p.name for p in found])
    table.add_column("params", overflow="fold")
    table.add_column("description", overflow="fold")
    for p in found:
        desc = p.description + (" (writes)" if p.writes else "")
        table.add_row(p.app, p.name, escape(param_text(p)), escape(desc))
    console.print(table)


def render_table(result: Any, console: Console, title: str, max_columns: int = 6) -> None:
    """Items as one table; items with more than `max_columns` attributes as one attribute/value
    table each (wide items stay readable in an 80-column terminal)."""
    items = rows(result)
    columns: list[str] = []
    for item in items:
        columns.extend(k for k in item if k not in columns)
    heading = f"{title} ({len(items)} item{'s' if len(items) != 1 else ''})"
    if len(columns) <= max_columns:
        table = Table(title=heading)
        for c in columns:
            table.add_column(c, overflow="fold")
        for item in items:
            table.add_row(*(escape(cell(item.get(c))) for c in columns))
        console.print(table)
        return
    console.print(f"[bold]{escape(heading)}[/bold]")
    for n, item in enumerate(items, 1):
        table = Table(title=f"#{n}", show_header=False, title_justify="left")
        _fixed(table, "attribute", list(item))
        table.add_column("value", overflow="fold")
        for key, value in item.items():
            table.add_row(escape(key), escape(cell(value)))
        console.print(table)


def print_patterns(results: Sequence[Any], console: Console) -> None:
    """The demo's table: app, pattern and item count in full; the first item as room allows."""
    table = Table(title="Access patterns (seed example parameters)")
    fixed = [
        _fixed(table, "app", [r.app for r in results]),
        _fixed(table, "pattern", [r.pattern for r in results]),
        _fixed(table, "items", [str(r.count) for r in results], justify="right"),
    ]
    # A column that can neither wrap nor shrink makes rich shrink all the others instead: the
    # sample gets exactly the room that is left.
    table.add_column("first item", no_wrap=True, overflow="ellipsis", width=_room(console, fixed))
    for r in results:
        count = str(r.count) if r.ok else f"[red]{r.count}[/]"
        table.add_row(r.app, r.pattern, count, escape(r.sample))
    console.print(table)
