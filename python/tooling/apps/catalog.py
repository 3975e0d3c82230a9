"""The seed applications: the one list of apps, their packages and their seed table names.

Terraform defines the tables (modules/<app>/); this catalogue names them so that the package can
fall back to the seeds' names when no Terraform state is at hand, validate --apps / table
arguments, and find each app's generator package without importing every app. A test
(tests/unit/test_catalog.py) holds it equal to the Terraform modules and the root's seed_tables.
A sixth app: its Terraform module, its package tooling/apps/<package>/, and one line here.
"""

from __future__ import annotations

# app name: (package under tooling.apps, its seed tables in the order the app declares them)
CATALOG: dict[str, tuple[str, tuple[str, ...]]] = {
    "fusion-health": ("fusion", ("fusion-health-entries", "fusion-daily-summaries")),
    "schizodot": ("schizodot", ("SchizodotJobs", "SchizodotUsers")),
    "mediphant": ("mediphant", ("mediphant-data",)),
    "upnest": ("upnest", ("UpNest-Users", "UpNest-Babies", "UpNest-GrowthData")),
    "iops-dashboard": ("iops", ("iops-dashboard-metrics", "iops-dashboard-insights")),
}

PACKAGES: dict[str, str] = {app: package for app, (package, _tables) in CATALOG.items()}
SEED_TABLES: dict[str, tuple[str, ...]] = {app: tables for app, (_p, tables) in CATALOG.items()}
APP_OF_TABLE: dict[str, str] = {t: app for app, tables in SEED_TABLES.items() for t in tables}
ALL_TABLES: tuple[str, ...] = tuple(APP_OF_TABLE)
