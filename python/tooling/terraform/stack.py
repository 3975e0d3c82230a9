"""What the deployed stack holds: physical table names, read from Terraform outputs.

The root module's `tables` output maps each seed table name to its physical name, ARN, key schema
and index names. Without a readable state the seeds' own names are used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tooling.apps.catalog import APP_OF_TABLE, SEED_TABLES
from tooling.errors import UsageError
from tooling.terraform import adapter


@dataclass(frozen=True)
class Table:
    seed_name: str
    app: str
    name: str
    arn: str | None = None
    stream_arn: str | None = None
    indexes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Stack:
    tables: dict[str, Table]
    source: str  # "terraform outputs of DIR" or "seed names"

    def physical(self, seed_name: str) -> str:
        try:
            return self.tables[seed_name].name
        except KeyError:
            raise UsageError(
                f"table {seed_name} is not deployed (deployed: {', '.join(self.tables)})"
            ) from None

    def for_apps(self, apps: Iterable[str]) -> list[Table]:
        wanted = set(apps)
        return [t for t in self.tables.values() if t.app in wanted]


def check_apps(apps: Iterable[str]) -> list[str]:
    apps = list(apps)
    unknown = [a for a in apps if a not in SEED_TABLES]
    if unknown:
        raise UsageError(f"unknown app {', '.join(unknown)} (apps: {', '.join(SEED_TABLES)})")
    return apps


def from_outputs(outputs: dict[str, Any], source: str) -> Stack:
    raw = outputs.get("tables") or {}
    tables = {
        seed: Table(
            seed_name=seed,
            app=t.get("app") or APP_OF_TABLE.get(seed, "unknown"),
            name=t["name"],
            arn=t.get("arn"),
            stream_arn=t.get("stream_arn"),
            indexes=tuple(t.get("global_secondary_index_names") or ())
            + tuple(t.get("local_secondary_index_names") or ()),
        )
        for seed, t in raw.items()
    }
    return Stack(tables=tables, source=source)


def seed_names() -> Stack:
    tables = {seed: Table(seed_name=seed, app=app, name=seed) for seed, app in APP_OF_TABLE.items()}
    return Stack(tables=tables, source="seed names")


def where(tf_dir: Path | None) -> tuple[Path, str]:
    """The Terraform directory a command uses (--tf-dir, else the current one) and how it was
    chosen, in words."""
    if tf_dir is not None:
        return tf_dir, f"{tf_dir} (--tf-dir)"
    return Path(), f"{Path.cwd()} (the current directory)"


def load(tf_dir: Path | None) -> Stack:
    """The stack applied from tf_dir (default: the current directory; its `tables` output),
    else the seeds' table names. `source` says which, and from which directory."""
    directory, named = where(tf_dir)
    if not directory.is_dir():
        # A mistyped --tf-dir must not quietly send the data to the seed-named tables.
        raise UsageError(f"--tf-dir {directory}: no such directory")
    values = adapter.outputs(directory)
    if values and values.get("tables"):
        return from_outputs(values, f"terraform outputs of {named}")
    hint = "" if tf_dir is not None else "; --tf-dir names the stack's directory"
    stack = seed_names()
    return Stack(
        stack.tables, f"seed names: no Terraform state with a `tables` output in {named}{hint}"
    )
