"""One per-table override map: autoscaling set in table_overrides plans exactly what 0.1.0's
autoscaling.tables planned (still accepted, deprecated), and where both are set table_overrides
wins field by field."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.plan

TABLE = "iops-dashboard-metrics"


def _managed(plan: Any) -> dict[str, Any]:
    return {
        rc["address"]: rc["change"]["after"]
        for rc in plan["resource_changes"]
        if rc["mode"] == "managed"
    }


def _bounds(plan: Any) -> dict[str, tuple[int, int]]:
    """resource_id|dimension -> (min, max) of every scalable target."""
    return {
        f"{a['resource_id']}|{a['scalable_dimension'].rsplit(':', 1)[1]}": (
            a["min_capacity"],
            a["max_capacity"],
        )
        for a in _managed(plan).values()
        if "min_capacity" in a
    }


EXPECTED = {
    f"table/{TABLE}|ReadCapacityUnits": (5, 50),
    f"table/{TABLE}|WriteCapacityUnits": (5, 100),
    f"table/{TABLE}/index/LastUpdatedIndex|ReadCapacityUnits": (5, 50),
    f"table/{TABLE}/index/LastUpdatedIndex|WriteCapacityUnits": (3, 30),
    f"table/{TABLE}/index/EntityTypeHealthIndex|ReadCapacityUnits": (5, 50),
    f"table/{TABLE}/index/EntityTypeHealthIndex|WriteCapacityUnits": (5, 100),
}


@pytest.mark.parametrize("variant", ["scaling_overrides", "scaling_deprecated", "scaling_both"])
def test_per_table_autoscaling_bounds(root_variants: Any, variant: str) -> None:
    # Only the overridden table is autoscaled; the GSIs follow the table unless overridden.
    assert _bounds(root_variants[variant]) == EXPECTED


def test_deprecated_form_plans_the_same_resources(root_variants: Any) -> None:
    assert _managed(root_variants["scaling_deprecated"]) == _managed(
        root_variants["scaling_overrides"]
    )


def test_table_starts_at_the_minimum_capacity(root_variants: Any) -> None:
    (table,) = [
        a
        for a in _managed(root_variants["scaling_overrides"]).values()
        if a.get("name") == TABLE and "billing_mode" in a
    ]
    assert (table["read_capacity"], table["write_capacity"]) == (5, 5)
    gsi = {
        g["name"]: (g["read_capacity"], g["write_capacity"])
        for g in table["global_secondary_index"]
    }
    assert gsi == {"LastUpdatedIndex": (5, 3), "EntityTypeHealthIndex": (5, 5)}
