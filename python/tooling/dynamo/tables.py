"""Seeding the stack's tables: every app's items through one writer, then read back by key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tooling.dynamo.keys import Key
from tooling.dynamo.retry import RetryPolicy
from tooling.dynamo.serialize import SerializationError, to_item
from tooling.dynamo.verify import verify_keys
from tooling.dynamo.writer import DEFAULT_WORKERS, BatchWriter, ProgressCallback, WriteResult
from tooling.errors import ToolingError

# (app name, its items as (seed table name, item)): what the seeders and writers consume.
Generators = Iterable[tuple[str, Iterable[tuple[str, Mapping[str, Any]]]]]


@dataclass
class TableSeed:
    """One seed table's outcome: the write result and, when verified, the keys found missing."""

    seed_name: str
    app: str
    result: WriteResult
    missing: list[Key] | None = None  # None: not verified
    key_names: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.result.ok and not self.missing


def seed_tables(
    client: Any,
    generators: Generators,
    physical: Mapping[str, str],
    *,
    workers: int = DEFAULT_WORKERS,
    policy: RetryPolicy | None = None,
    on_progress: ProgressCallback | None = None,
    verify: bool = True,
) -> list[TableSeed]:
    """Write every (seed_table, item) the generators yield into its physical table, then verify.

    generators  (app name, iterator of (seed table name, plain item)) per app
    physical    seed table name -> physical table name (from the stack)
    Every table is checked (exists, ACTIVE, key schema) before the first write.
    """
    generators = list(generators)
    apps_of: dict[str, str] = {}
    writer = BatchWriter(client, workers=workers, policy=policy, on_progress=on_progress)
    with writer:
        for table in physical.values():
            writer.add_table(table)
        for app, items in generators:
            for seed_name, item in items:
                table = physical.get(seed_name)
                if table is None:
                    raise ToolingError(f"app {app} generated an item for unknown table {seed_name}")
                apps_of.setdefault(seed_name, app)
                try:
                    writer.put(table, to_item(item))
                except SerializationError as exc:
                    raise ToolingError(f"app {app}, table {seed_name}: {exc}") from None
    results = writer.close()
    out = []
    for seed_name, table in physical.items():
        result = results[table]
        names = writer.key_names(table)
        seed = TableSeed(seed_name, apps_of.get(seed_name, ""), result, key_names=names)
        if verify and result.keys:
            seed.missing = verify_keys(client, table, result.keys, names, workers=workers)
        elif verify:
            seed.missing = []
        out.append(seed)
    return out
