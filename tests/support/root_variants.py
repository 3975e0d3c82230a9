"""The sets of root variables the plan tests need beyond the defaults, planned together once per
session (tests/support/variants.py: one provider for all of them) through the `root_variants`
fixture. A test that needs a new set adds it here."""

from __future__ import annotations

from typing import Any

from tooling.dev import cost_report

ROOT_VARIANTS: dict[str, dict[str, Any]] = {
    # The fusion seed's "deploy for development" command.
    "development": {
        "environment": "development",
        "enable_deletion_protection": False,
        "enable_point_in_time_recovery": False,
    },
    # The fusion seed's "deploy with provisioned capacity" command.
    "provisioned": {"billing_mode": "PROVISIONED", "read_capacity": 10, "write_capacity": 5},
    "affixes_and_override": {
        "table_name_prefix": "acme-",
        "table_name_suffix": "-dev",
        "table_overrides": {
            "SchizodotJobs": {
                "billing_mode": "PROVISIONED",
                "read_capacity": 5,
                "write_capacity": 5,
            }
        },
    },
    "two_apps": {"apps": ["mediphant", "upnest"]},
    "upnest_per_user": {"upnest_per_user_isolation": True},
    "replicas": {"replica_regions": ["us-west-2"], "enable_contributor_insights": True},
    # Per-table autoscaling in the one override map, the same in 0.1.0's autoscaling.tables, and
    # both at once (table_overrides wins field by field): tests/plan/test_overrides.py.
    "scaling_overrides": {
        "apps": ["iops-dashboard"],
        "table_overrides": {
            "iops-dashboard-metrics": {
                "billing_mode": "PROVISIONED",
                "autoscaling": {
                    "enabled": True,
                    "read": {"max": 50},
                    "indexes": {"LastUpdatedIndex": {"write": {"min": 3, "max": 30}}},
                },
            },
        },
    },
    "scaling_deprecated": {
        "apps": ["iops-dashboard"],
        "table_overrides": {"iops-dashboard-metrics": {"billing_mode": "PROVISIONED"}},
        "autoscaling": {
            "tables": {
                "iops-dashboard-metrics": {
                    "enabled": True,
                    "read": {"max": 50},
                    "indexes": {"LastUpdatedIndex": {"write": {"min": 3, "max": 30}}},
                },
            },
        },
    },
    "scaling_both": {
        "apps": ["iops-dashboard"],
        "table_overrides": {
            "iops-dashboard-metrics": {
                "billing_mode": "PROVISIONED",
                "autoscaling": {
                    "read": {"max": 50},
                    "indexes": {"LastUpdatedIndex": {"write": {"max": 30}}},
                },
            },
        },
        "autoscaling": {
            "tables": {
                "iops-dashboard-metrics": {
                    "enabled": True,
                    "read": {"max": 40},
                    "indexes": {"LastUpdatedIndex": {"write": {"min": 3, "max": 20}}},
                },
            },
        },
    },
    # The plan `make cost-report` prices: SchizoDot's tables PROVISIONED 5/5, the rest defaults.
    "cost_report": cost_report.VARIABLES,
}
