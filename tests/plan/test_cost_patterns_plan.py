"""Cost per access pattern on the real plan of the root stack and real sample items (`seed
--dry-run`): every pattern of `query --list` resolves to its planned table and index, with the
read shape and consistency DynamoDB would bill."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from tooling.apps.runner import all_patterns
from tooling.cli import main
from tooling.cost import load_pricing, parse_usage
from tooling.cost.patterns import pattern_costs
from tooling.terraform import plan as tfplan

pytestmark = pytest.mark.plan


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("pattern-sample")
    out = where / "items.jsonl"
    assert (
        main(["seed", "--dry-run", "--tf-dir", str(where), "--scale", "0.2", "-o", str(out)]) == 0
    )
    return out


def test_every_pattern_is_costed_on_the_planned_tables(root_variants: Any, sample: Path) -> None:
    tables = tfplan.tables(root_variants["cost_report"])
    usage = parse_usage(
        "tables: {mediphant-data: {}}\npatterns:\n"
        + "".join(f"  {p.app}/{p.name}: {{calls_per_day: 100}}\n" for p in all_patterns())
    )
    costs = {c.key: c for c in pattern_costs(all_patterns(), tables, usage, load_pricing(), sample)}
    assert sorted(costs) == sorted(f"{p.app}/{p.name}" for p in all_patterns())
    by_label = {t.label: t for t in tables}
    for p in all_patterns():
        c = costs[f"{p.app}/{p.name}"]
        t = by_label[p.table]
        assert c.index == p.index and (p.index is None or t.gsi(p.index) is not None)
        if p.writes:
            assert (c.operation, c.unit) == ("write", "WRU")
            assert c.units_per_call >= math.ceil(c.entry_bytes / 1024)
        elif p.index is None and t.range_key is None:
            assert (c.operation, c.consistency) == (
                "GetItem",
                "strong" if p.consistent_read else "eventual",
            )
            assert c.units_per_call == math.ceil(c.entry_bytes / 4096) * (
                1 if p.consistent_read else 0.5
            )
        else:
            assert c.operation == "Query"
            assert c.consistency == "eventual"  # no Query pattern of the seeds reads strongly
            assert (
                c.units_per_call == math.ceil(c.items_per_call * c.entry_bytes / 4096 - 1e-9) * 0.5
            )
        assert c.monthly_usd == pytest.approx(
            100 * 730 / 24 * c.units_per_call * (0.625 if p.writes else 0.125) / 1e6
        )
        assert any("sample items" in d for d in c.derived)  # sizes measured, not assumed
    # get-job reads SchizodotJobs by its hash key with ConsistentRead: a strong GetItem.
    assert costs["schizodot/get-job"].operation == "GetItem"
    assert costs["schizodot/get-job"].consistency == "strong"
