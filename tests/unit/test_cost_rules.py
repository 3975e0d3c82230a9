"""Every pricing rule of the cost estimator against figures computed by hand in the test.

Plans here are small hand-written `terraform show -json` documents (see `plan_doc`); the prices
are the bundled us-east-1 list, restated below as the arithmetic's literals on purpose.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from support.plans import plan_doc, table_values
from tooling.cost import estimate, load_pricing, parse_usage
from tooling.errors import UsageError
from tooling.terraform import plan as tfplan

GB = 2**30
HOURS = 730
DAYS = 730 / 24


def run(doc: dict[str, Any], usage_yaml: str, **kw: Any):
    usage = parse_usage(usage_yaml, "usage.yaml")
    return estimate(tfplan.tables(doc), usage, load_pricing(region=usage.region), **kw)


def approx(x: float) -> Any:
    return pytest.approx(x, rel=1e-9, abs=1e-12)


def test_on_demand_table_with_two_gsis_and_pitr() -> None:
    doc = plan_doc(
        table_values(
            "orders",
            pitr=True,
            gsis=(
                {"name": "ByCustomer"},
                {"name": "ByStatus", "projection": "INCLUDE", "non_key": ["total"]},
            ),
        )
    )
    e = run(
        doc,
        """
tables:
  orders:
    item_size_bytes: 1500
    items: 100000
    writes_per_month: 1000000
    reads_per_month: 2000000
    read_consistency: strong
    gsi:
      ByStatus: {write_share: 0.5, entry_size_bytes: 300}
""",
    )
    (t,) = e.tables
    c = t.components
    assert c["write_requests"] == approx(1_000_000 * 2 * 0.625 / 1e6)  # ceil(1500/1024) = 2
    assert c["read_requests"] == approx(2_000_000 * 1 * 0.125 / 1e6)  # ceil(1500/4096) = 1, strong
    # ByCustomer (ALL): 2 units per write; ByStatus: half the writes, ceil(300/1024) = 1 unit.
    assert c["gsi_write_requests"] == approx((1_000_000 * 2 + 500_000 * 1) * 0.625 / 1e6)
    assert c["storage"] == approx(100_000 * (1500 + 100) / GB * 0.25)
    assert c["gsi_storage"] == approx((100_000 * (1500 + 100) + 50_000 * (300 + 100)) / GB * 0.25)
    assert c["pitr"] == approx(100_000 * 1600 / GB * 0.20)  # table data only, GSIs excluded
    assert t.monthly_usd == approx(sum(c.values()))
    assert e.total_monthly_usd == approx(t.monthly_usd)


def test_eventual_transactional_and_write_units() -> None:
    doc = plan_doc(table_values("t"))
    e = run(
        doc,
        """
tables:
  t:
    item_size_bytes: 5000
    writes_per_day: 1000
    transactional_write_share: 0.25
    reads_per_second: 2
    read_consistency: transactional
""",
    )
    c = e.tables[0].components
    writes = 1000 * DAYS
    # ceil(5000/1024) = 5 units; a quarter of the writes transactional, at twice the units.
    assert c["write_requests"] == approx(writes * 5 * (0.75 + 0.25 * 2) * 0.625 / 1e6)
    reads = 2 * HOURS * 3600
    assert c["read_requests"] == approx(reads * 2 * 2 * 0.125 / 1e6)  # ceil(5000/4096)=2, x2 tx

    e2 = run(doc, "tables: {t: {item_size_bytes: 5000, reads_per_day: 1000}}")
    assert e2.tables[0].components["read_requests"] == approx(1000 * DAYS * 2 * 0.5 * 0.125 / 1e6)


def test_retention_gives_items_on_a_ttl_table_and_ttl_deletes_are_free() -> None:
    doc = plan_doc(table_values("log", ttl="expires"))
    e = run(doc, "tables: {log: {item_size_bytes: 1024, writes_per_day: 1000, retention_days: 30}}")
    c = e.tables[0].components
    assert c["storage"] == approx(1000 * 30 * (1024 + 100) / GB * 0.25)
    assert c["write_requests"] == approx(1000 * DAYS * 1 * 0.625 / 1e6)  # no charge for deletes


def test_retention_without_ttl_is_refused() -> None:
    doc = plan_doc(table_values("log"))
    with pytest.raises(UsageError, match=r"tables\.log\.retention_days: log has no TTL"):
        run(doc, "tables: {log: {writes_per_day: 10, retention_days: 30}}")


def test_provisioned_table_with_gsi_capacity_and_break_even() -> None:
    doc = plan_doc(
        table_values(
            "p",
            billing="PROVISIONED",
            rc=10,
            wc=5,
            gsis=({"name": "G", "rc": 4, "wc": 3},),
        )
    )
    e = run(doc, "tables: {p: {item_size_bytes: 1024, writes_per_month: 1000000, items: 0}}")
    t = e.tables[0]
    c = t.components
    assert c["read_capacity"] == approx(10 * 730 * 0.00013)
    assert c["write_capacity"] == approx(5 * 730 * 0.00065)
    assert c["gsi_read_capacity"] == approx(4 * 730 * 0.00013)
    assert c["gsi_write_capacity"] == approx(3 * 730 * 0.00065)
    provisioned = (10 + 4) * 730 * 0.00013 + (5 + 3) * 730 * 0.00065
    assert t.monthly_usd == approx(provisioned)
    on_demand = (1_000_000 + 1_000_000) * 0.625 / 1e6  # table + GSI write units
    assert t.alternative_mode == "PAY_PER_REQUEST"
    assert t.alternative_usd == approx(on_demand)
    full_use = 730 * 3600 * ((5 + 3) * 0.625 + (10 + 4) * 0.125) / 1e6
    assert t.break_even_utilisation == approx(provisioned / full_use)
    assert t.utilisation == approx(on_demand / full_use)
    assert t.recommendation.startswith("switch to PAY_PER_REQUEST")


def test_on_demand_table_sized_for_provisioned_with_peak_to_average() -> None:
    doc = plan_doc(table_values("busy", gsis=({"name": "G"},)))
    # 10 writes/s of 1 KB on average, peaks 3x: 30 WCU on the table and on the GSI; 1 RCU each.
    e = run(doc, "tables: {busy: {writes_per_second: 10, peak_to_average: 3.0}}")
    t = e.tables[0]
    assert t.capacity is not None
    assert (t.capacity.write, t.capacity.read, t.capacity.gsis["G"]) == (30, 1, (1, 30))
    provisioned = (30 + 30) * 730 * 0.00065 + (1 + 1) * 730 * 0.00013
    assert t.alternative_usd == approx(provisioned)
    writes = 10 * 730 * 3600
    assert t.monthly_usd == approx(2 * writes * 0.625 / 1e6)
    # Utilisation 1/3 (average over the peak-sized capacity) > break-even: provisioned pays.
    assert t.recommendation.startswith("switch to PROVISIONED")


def test_autoscaling_bounds_clamp_the_sized_capacity() -> None:
    t = table_values("a", billing="PROVISIONED", rc=5, wc=5)
    targets = [
        {
            "address": f"aws_appautoscaling_target.{dim}",
            "mode": "managed",
            "type": "aws_appautoscaling_target",
            "name": dim,
            "values": {
                "service_namespace": "dynamodb",
                "resource_id": "table/a",
                "scalable_dimension": f"dynamodb:table:{unit}CapacityUnits",
                "min_capacity": lo,
                "max_capacity": hi,
            },
        }
        for dim, unit, lo, hi in (("r", "Read", 5, 100), ("w", "Write", 2, 40))
    ]
    # 50 writes/s at peak: clamped to the 40 WCU maximum; no reads: the 5 RCU minimum.
    e = run(plan_doc(t, extra=targets), "tables: {a: {writes_per_second: 50}}")
    cap = e.tables[0].capacity
    assert cap is not None and (cap.read, cap.write) == (5, 40)
    assert e.tables[0].components["write_capacity"] == approx(40 * 730 * 0.00065)
    assert any("throttling" in n for n in e.tables[0].notes)


def test_standard_infrequent_access() -> None:
    doc = plan_doc(table_values("ia", table_class="STANDARD_INFREQUENT_ACCESS", pitr=True))
    e = run(
        doc,
        "tables: {ia: {item_size_bytes: 2048, items: 1000000, writes_per_month: 100000,"
        " reads_per_month: 400000}}",
    )
    c = e.tables[0].components
    assert c["write_requests"] == approx(100_000 * 2 * 0.625 * 1.25 / 1e6)
    assert c["read_requests"] == approx(400_000 * 1 * 0.5 * 0.125 * 1.25 / 1e6)
    assert c["storage"] == approx(1_000_000 * 2148 / GB * 0.10)
    assert c["pitr"] == approx(1_000_000 * 2148 / GB * 0.20)  # PITR is not discounted


def test_standard_ia_provisioned_capacity_costs_a_quarter_more() -> None:
    doc = plan_doc(
        table_values(
            "ia", billing="PROVISIONED", rc=8, wc=4, table_class="STANDARD_INFREQUENT_ACCESS"
        )
    )
    c = run(doc, "tables: {ia: {items: 0}}").tables[0].components
    assert c["read_capacity"] == approx(8 * 730 * 0.00013 * 1.25)
    assert c["write_capacity"] == approx(4 * 730 * 0.00065 * 1.25)


def test_backups_restores_and_streams() -> None:
    doc = plan_doc(table_values("g", stream="NEW_IMAGE", gsis=({"name": "G"},)))
    e = run(
        doc,
        """
tables:
  g:
    item_size_bytes: 1024
    items: 1000000
    writes_per_month: 2000000
    stream_reads_per_month: 4000000
    backup_storage_gb: 50
    restore_gb_per_month: 10
""",
    )
    c = e.tables[0].components
    assert c["backup_storage"] == approx(50 * 0.10)
    assert c["restore"] == approx(10 * 0.15)
    assert c["stream_reads"] == approx(4_000_000 / 100_000 * 0.02)


def test_free_tier_off_and_on_is_shared_across_tables() -> None:
    doc = plan_doc(
        table_values("a", billing="PROVISIONED", rc=20, wc=20),
        table_values("b", billing="PROVISIONED", rc=20, wc=20, stream="KEYS_ONLY"),
    )
    usage = """
tables:
  a: {item_size_bytes: 924, items: 15000000}
  b: {item_size_bytes: 924, items: 15000000, stream_reads_per_month: 3000000}
"""
    gb = 15_000_000 * (924 + 100) / GB  # 14.305 GB each
    off = run(doc, "free_tier: false\n" + usage)
    on = run(doc, "free_tier: true\n" + usage)
    gross_a = 20 * 730 * 0.00013 + 20 * 730 * 0.00065 + gb * 0.25
    gross_b = gross_a + 3_000_000 / 100_000 * 0.02
    assert off.total_monthly_usd == approx(gross_a + gross_b)
    a, b = on.tables
    # a uses up 20 of the 25 WCU, 20 of the 25 RCU and 14.3 of the 25 GB; b gets the rest,
    # and 2.5 million of its 3 million stream reads are free.
    assert a.components["free_tier"] == approx(-(20 * 730 * (0.00013 + 0.00065) + gb * 0.25))
    assert b.components["free_tier"] == approx(
        -(5 * 730 * (0.00013 + 0.00065) + (25 - gb) * 0.25 + 2_500_000 / 100_000 * 0.02)
    )
    assert on.total_monthly_usd == approx(
        gross_a + gross_b - 25 * 730 * (0.00013 + 0.00065) - 25 * 0.25 - 0.5
    )


def test_free_tier_leaves_standard_ia_tables_alone() -> None:
    doc = plan_doc(table_values("ia", table_class="STANDARD_INFREQUENT_ACCESS"))
    e = run(doc, "free_tier: true\ntables: {ia: {items: 1000}}")
    assert "free_tier" not in e.tables[0].components


def test_infracost_usage_file() -> None:
    doc = plan_doc(table_values("legacy", pitr=True, stream="NEW_IMAGE"))
    e = run(
        doc,
        """
version: 0.1
resource_usage:
  module.app.aws_dynamodb_table.this[*]:
    monthly_write_request_units: 3000000
    monthly_read_request_units: 8000000
    storage_gb: 230
    pitr_backup_storage_gb: 2300
    on_demand_backup_storage_gb: 460
    monthly_data_restored_gb: 230
    monthly_streams_read_request_units: 2000000
""",
    )
    c = e.tables[0].components
    assert c["write_requests"] == approx(3_000_000 * 0.625 / 1e6)
    assert c["read_requests"] == approx(8_000_000 * 0.125 / 1e6)
    assert c["storage"] == approx(230 * 0.25)
    assert c["pitr"] == approx(2300 * 0.20)
    assert c["backup_storage"] == approx(460 * 0.10)
    assert c["restore"] == approx(230 * 0.15)
    assert c["stream_reads"] == approx(2_000_000 / 100_000 * 0.02)
    assert e.total_monthly_usd == approx(1.875 + 1.0 + 57.5 + 460 + 46 + 34.5 + 0.4)


def test_per_unit_usage_is_multiplied_by_the_count() -> None:
    doc = plan_doc(table_values("users"))
    e = run(
        doc,
        """
units: {active_users: 2000}
tables:
  users: {per: active_users, item_size_bytes: 1024, items: 3, writes_per_month: 50,
          reads_per_month: 500}
""",
    )
    c = e.tables[0].components
    assert c["write_requests"] == approx(2000 * 50 * 0.625 / 1e6)
    assert c["read_requests"] == approx(2000 * 500 * 0.5 * 0.125 / 1e6)
    assert c["storage"] == approx(2000 * 3 * 1124 / GB * 0.25)
    assert e.per_unit()["active_users"] == approx(e.total_monthly_usd / 2000)


def test_tables_without_usage_are_priced_at_zero_traffic_or_left_out() -> None:
    doc = plan_doc(table_values("a"), table_values("p", billing="PROVISIONED", rc=1, wc=1))
    e = run(doc, "tables: {a: {items: 0}}")
    assert [t.name for t in e.tables] == ["a", "p"]
    assert e.tables[1].monthly_usd == approx(730 * (0.00013 + 0.00065))
    assert [t.name for t in run(doc, "tables: {a: {items: 0}}", all_tables=False).tables] == ["a"]


@pytest.mark.parametrize(
    ("usage", "message"),
    [
        ("tables: {nope: {items: 1}}", r"usage.yaml: tables.nope: no such table in the plan"),
        ("tables: {a: {gsi: {X: {}}}}", r"usage.yaml: tables.a.gsi.X: no such GSI"),
    ],
)
def test_usage_that_does_not_fit_the_plan_is_refused(usage: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        run(plan_doc(table_values("a")), usage)


def test_break_even_is_the_price_ratio() -> None:
    # $0.00065 per WCU-hour against $0.625 per million WRU: 28.9 % for writes (and for reads).
    doc = plan_doc(table_values("a"))
    t = run(doc, "tables: {a: {writes_per_second: 1}}").tables[0]
    assert t.break_even_utilisation == approx(
        (730 * 0.00065 + 730 * 0.00013) / (730 * 3600 * (0.625 + 0.125) / 1e6)
    )
    assert math.isclose(0.00065 / (0.625e-6 * 3600), 0.2888888, rel_tol=1e-6)
