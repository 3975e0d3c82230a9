"""The five seed applications and their seed table names.

Terraform defines the tables; this catalogue only names them so that the package can fall back to
the seeds' names when no Terraform state is at hand, and validate --apps / table arguments.
"""

from __future__ import annotations

SEED_TABLES: dict[str, tuple[str, ...]] = {
    "fusion-health": ("fusion-health-entries", "fusion-daily-summaries"),
    "schizodot": ("SchizodotJobs", "SchizodotUsers"),
    "mediphant": ("mediphant-data",),
    "upnest": ("UpNest-Users", "UpNest-Babies", "UpNest-GrowthData"),
    "iops-dashboard": ("iops-dashboard-metrics", "iops-dashboard-insights"),
}

APP_OF_TABLE: dict[str, str] = {t: app for app, tables in SEED_TABLES.items() for t in tables}
ALL_TABLES: tuple[str, ...] = tuple(APP_OF_TABLE)
