"""The five seed apps: their data generators and access patterns.

Each app module (fusion, schizodot, mediphant, upnest, iops) defines one `APP = App(...)`. The
seeder consumes `App.generate`; the `query` command, the demo and the tests consume
`App.patterns`. Items are plain Python values (str, int, Decimal, bool, None, dict, list, set);
the seeder serialises them to DynamoDB JSON once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tooling.apps.catalog import PACKAGES
from tooling.dynamo.tables import Generators
from tooling.errors import UsageError

Item = dict[str, Any]


DEFAULT_RANDOM_SEED = 42


def start_of_utc_day() -> datetime:
    """The reference time the commands generate with: all runs on one UTC day write identical
    items. Naive, like GenerationContext's default."""
    now = datetime.now(timezone.utc)
    return datetime(now.year, now.month, now.day)


@dataclass(frozen=True)
class GenerationContext:
    """What a generator may depend on; the same context always yields the same items."""

    random_seed: int = DEFAULT_RANDOM_SEED
    scale: float = 1.0
    # Reference time for timestamps and TTLs (the seeder passes the start of the current UTC day,
    # so TTL'd items are not already expired and two runs on one day write identical items).
    now: datetime = field(default_factory=lambda: datetime(2026, 1, 1))


@dataclass(frozen=True)
class Param:
    name: str
    type: type = str
    required: bool = True
    default: Any = None
    help: str = ""


@dataclass(frozen=True)
class AccessPattern:
    """A named access pattern of a seed. `run(client, tables, params)` gets a low-level DynamoDB
    client, the physical table name of each of the app's seed tables, and validated params."""

    app: str
    name: str
    description: str
    params: tuple[Param, ...]
    run: Callable[[Any, Mapping[str, str], Mapping[str, Any]], Any]
    writes: bool = False
    # Parameters taken from the seed document's own examples: `make demo` runs each pattern
    # with them, and the seeded data always answers them.
    example: Mapping[str, Any] = field(default_factory=dict)
    # The seed table the pattern reads or writes first, and the GSI it queries (None: the table's
    # own key); the NoSQL Workbench model shows each pattern as a facet of that table.
    table: str | None = None
    index: str | None = None
    # Whether its reads are strongly consistent (GetItem with ConsistentRead): the cost per call
    # (tooling.cost.patterns) counts them at a whole read unit per 4 KB instead of a half.
    consistent_read: bool = False


@dataclass(frozen=True)
class App:
    name: str
    tables: tuple[str, ...]
    generate: Callable[[GenerationContext], Iterator[tuple[str, Item]]]
    patterns: tuple[AccessPattern, ...] = ()


def get_app(name: str) -> App:
    if name not in PACKAGES:
        raise UsageError(f"unknown app {name} (apps: {', '.join(PACKAGES)})")
    app: App = importlib.import_module(f"{__name__}.{PACKAGES[name]}").APP
    return app


def all_apps() -> list[App]:
    return [get_app(name) for name in PACKAGES]


def generators(names: Iterable[str], ctx: GenerationContext) -> Generators:
    """(app, its items) for each named app, lazily: what the seeders and writers consume."""
    return [(name, get_app(name).generate(ctx)) for name in names]
