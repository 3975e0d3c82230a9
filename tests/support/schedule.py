"""The order in which the test modules reach the xdist workers: the longest first.

`--dist loadfile` hands each worker whole modules in collection order, so a long module collected
last keeps one core busy while the other has nothing left to do. The modules measured longest
(docs/testing.md) are collected first, longest first; every other module keeps its place after
them. Only the order changes: what runs is what was selected.
"""

from __future__ import annotations

import pytest

# Longest first, as measured by `pytest --durations=0` (setup, call and teardown per module).
LONGEST_FIRST = (
    "integration/test_upgrade_production.py",
    "integration/test_interrupted.py",
    "integration/test_wheel.py",
    "plan/test_root_plan.py",
    "integration/test_layout_migration.py",
    "integration/test_drift.py",
    "integration/test_bulk.py",
    "integration/test_outputs.py",
    "unit/test_bench.py",
    "plan/test_static.py",
    "integration/test_local_stack.py",
    "integration/test_make_quoting.py",
    "integration/test_seed_stack.py",
    "plan/test_parity.py",
    "integration/test_autoscaling.py",
    "integration/test_plan_guard_root.py",
    "integration/test_cost_diff.py",
    "integration/test_patterns.py",
    "plan/test_checkov.py",
)


def module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(module_of(item), len(rank)))  # stable: the rest in order
