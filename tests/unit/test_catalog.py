"""The Python side's one list of apps and tables (apps/catalog.py) against Terraform, parsed with
python-hcl2: every app module's `locals.tables` and `app_name`, and the root's `seed_tables`.
A sixth app must appear in all three, and a renamed table cannot drift on one side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hcl2
import pytest
from hcl2.utils import SerializationOptions

from support.paths import MODULES, REPO
from tooling.apps import all_apps
from tooling.apps.catalog import CATALOG, SEED_TABLES

OPTIONS = SerializationOptions(strip_string_quotes=True)


def _blocks(directory: Path) -> list[dict[str, Any]]:
    docs = []
    for path in sorted(directory.glob("*.tf")):
        with path.open() as f:
            docs.append(hcl2.load(f, serialization_options=OPTIONS))
    return docs


def _name(key: str) -> str:
    return key.strip('"')


def module_tables() -> dict[str, tuple[str, ...]]:
    """app_name -> the table names its module declares, for every module built on app-tables."""
    found: dict[str, tuple[str, ...]] = {}
    for directory in sorted(p for p in MODULES.iterdir() if p.is_dir()):
        docs = _blocks(directory)
        tables = [
            tuple(_name(k) for k in block["tables"])
            for doc in docs
            for block in doc.get("locals", [])
            if "tables" in block
        ]
        apps = [
            _name(body["app_name"])
            for doc in docs
            for module in doc.get("module", [])
            for body in module.values()
            if isinstance(body, dict) and "app_name" in body
        ]
        if apps:
            assert len(apps) == len(tables) == 1, directory
            found[apps[0]] = tables[0]
    return found


def root_seed_tables() -> dict[str, tuple[str, ...]]:
    for doc in _blocks(REPO):
        for block in doc.get("locals", []):
            if "seed_tables" in block:
                return {
                    _name(app): tuple(_name(t) for t in tables)
                    for app, tables in block["seed_tables"].items()
                }
    raise AssertionError("no locals { seed_tables = ... } in the root module")


def test_catalog_lists_exactly_the_terraform_modules_tables() -> None:
    modules = module_tables()
    assert len(modules) == 5
    assert {a: set(t) for a, t in SEED_TABLES.items()} == {a: set(t) for a, t in modules.items()}


def test_catalog_matches_the_roots_seed_tables() -> None:
    assert root_seed_tables() == SEED_TABLES


@pytest.mark.parametrize("app", list(CATALOG))
def test_each_app_package_is_found_and_owns_its_tables(app: str) -> None:
    (found,) = [a for a in all_apps() if a.name == app]
    assert found.tables == SEED_TABLES[app]
    assert {p.table for p in found.patterns} <= set(found.tables) | {None}
