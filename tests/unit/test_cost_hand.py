"""Issue 12's hand-computed cases, off the seeds' shapes: each figure is worked out next to its
assertion from the bundled price lists (us-east-1 and us-east-2: $0.625 per million WRU, $0.125
per million RRU, $0.00065 per WCU-hour, $0.00013 per RCU-hour, $0.25 per GB-month, $0.20 PITR;
us-west-1: $0.000725 per rWCU-hour only), a month of 730 hours and GB = 2^30 bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.plans import plan_doc, table_values
from tooling.cost import estimate, load_pricing, parse_usage
from tooling.cost.pricing import load_price_book
from tooling.cost.samples import load_samples
from tooling.terraform import plan as tfplan

GB = 2**30


def within_1pct(x: float) -> Any:
    return pytest.approx(x, rel=0.01)


def run(doc: dict[str, Any], usage_yaml: str, **kw: Any):
    usage = parse_usage(usage_yaml, "usage.yaml")
    return estimate(tfplan.tables(doc), usage, load_pricing(region=usage.region), **kw)


def test_lsi_table_with_pitr() -> None:
    t = table_values("events", pitr=True)
    t["attribute"].append({"name": "lsk", "type": "S"})
    t["local_secondary_index"] = [
        {"name": "ByDate", "range_key": "lsk", "projection_type": "KEYS_ONLY"}
    ]
    e = run(
        plan_doc(t),
        """
tables:
  events:
    item_size_bytes: 2000
    items: 1000000
    writes_per_month: 3000000
    attribute_sizes: {pk: 30, sk: 20, lsk: 26}
""",
    )
    (c,) = e.tables
    x = c.components
    # 3,000,000 writes x ceil(2000/1024) = 2 units = 6,000,000 WRU x $0.625/M = $3.75
    assert x["write_requests"] == within_1pct(3.75)
    # LSI entry (KEYS_ONLY) = pk 30 + sk 20 + lsk 26 = 76 B: 1 unit per write, $1.875
    assert x["lsi_write_requests"] == within_1pct(1.875)
    # table: 1e6 x (2000 + 100) B = 1.95578 GB x $0.25 = $0.48894
    assert x["storage"] == within_1pct(0.48894)
    # LSI: 1e6 x (76 + 100) B = 0.163913 GB x $0.25 = $0.040978
    assert x["lsi_storage"] == within_1pct(0.040978)
    # PITR bills the table and its LSIs: 2.11969 GB x $0.20 = $0.42394
    assert x["pitr"] == within_1pct(0.42394)
    assert c.monthly_usd == within_1pct(3.75 + 1.875 + 0.48894 + 0.040978 + 0.42394)
    assert any(
        "LSI ByDate: entry 76 B (KEYS_ONLY: pk 30 B + sk 20 B + lsk 26 B" in h for h in c.derivation
    )


def test_lsi_writes_consume_the_tables_write_capacity() -> None:
    t = table_values("p", billing="PROVISIONED", rc=1, wc=1)
    t["local_secondary_index"] = [{"name": "L", "range_key": "lsk", "projection_type": "ALL"}]
    e = run(plan_doc(t), "tables: {p: {item_size_bytes: 1024, writes_per_second: 3}}")
    # 3 writes/s on the table + 3 on the LSI (ALL, 1 KB) = 6 WCU needed on the table's 1 WCU.
    assert any("peak writes exceed the 1 WCU provisioned" in n for n in e.tables[0].notes)
    assert e.tables[0].alternative_usd == within_1pct(2 * 3 * 730 * 3600 * 0.625 / 1e6)


def test_keys_only_and_include_gsis_with_stated_attribute_sizes() -> None:
    doc = plan_doc(
        table_values(
            "docs",
            gsis=(
                {"name": "ByOwner", "projection": "KEYS_ONLY"},
                {"name": "ByStatus", "projection": "INCLUDE", "non_key": ["total", "title"]},
            ),
        )
    )
    # table_values gives each GSI hash key gpk; ByStatus sorts on `created` here.
    doc["planned_values"]["root_module"]["child_modules"][0]["resources"][0]["values"][
        "global_secondary_index"
    ][1]["range_key"] = "created"
    e = run(
        doc,
        """
tables:
  docs:
    item_size_bytes: 3000
    items: 200000
    writes_per_month: 1000000
    attribute_sizes: {pk: 40, sk: 24, gpk: 30, created: 16, total: 9, title: 60}
""",
    )
    x = e.tables[0].components
    # ByOwner: pk 40 + sk 24 + gpk 30 = 94 B; ByStatus: 94 + created 16 + total 9 + title 60 =
    # 179 B. Both under 1 KB: 1 unit per write each (the full 3,000 B item would be 3 units).
    # (1,000,000 + 1,000,000) WRU x $0.625/M = $1.25
    assert x["gsi_write_requests"] == within_1pct(1.25)
    # 200,000 x ((94 + 100) + (179 + 100)) B = 0.0880973 GB x $0.25 = $0.022024
    assert x["gsi_storage"] == within_1pct(0.022024)


def test_index_sizes_from_sample_items(tmp_path: Path) -> None:
    doc = plan_doc(table_values("s", gsis=({"name": "G", "projection": "KEYS_ONLY"},)))
    big = "x" * 1000
    lines = [
        # pk 2+6=8, sk 2+4=6, gpk 3+4=7, big 3+1000=1003, n 1+(5+1)//2+1=5: 1,029 B
        {
            "table": "s",
            "item": {
                "pk": {"S": "u#1234"},
                "sk": {"S": "2024"},
                "gpk": {"S": "g#12"},
                "big": {"S": big},
                "n": {"N": "12345"},
            },
        },
        # no gpk (not in the GSI): 8 + 6 + 1003 + 5 = 1,022 B
        {
            "Item": {
                "pk": {"S": "u#5678"},
                "sk": {"S": "2025"},
                "big": {"S": big},
                "n": {"N": "67890"},
            }
        },
    ]
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    tables = tfplan.tables(doc)
    samples = load_samples(path, tables)
    usage = parse_usage("tables: {s: {items: 1000, writes_per_month: 10000}}", "u.yaml")
    e = estimate(tables, usage, load_pricing(), samples=samples)
    x = e.tables[0].components
    # item (1029 + 1022) / 2 = 1,025.5 B: ceil(/1024) = 2 units; 10,000 x 2 x $0.625/M
    assert x["write_requests"] == within_1pct(0.0125)
    # G: half the sample items carry gpk; entry pk 8 + sk 6 + gpk 7 = 21 B, 1 unit
    assert x["gsi_write_requests"] == within_1pct(10_000 * 0.5 * 0.625 / 1e6)
    assert x["storage"] == within_1pct(1000 * (1025.5 + 100) / GB * 0.25)
    assert x["gsi_storage"] == within_1pct(1000 * 0.5 * (21 + 100) / GB * 0.25)


def _target(address: str, rid: str, dim: str, lo: int, hi: int) -> dict[str, Any]:
    return {
        "address": address,
        "mode": "managed",
        "type": "aws_appautoscaling_target",
        "name": address.split(".")[-1],
        "values": {
            "service_namespace": "dynamodb",
            "resource_id": rid,
            "scalable_dimension": f"dynamodb:table:{dim}CapacityUnits",
            "min_capacity": lo,
            "max_capacity": hi,
        },
    }


def _policy(address: str, rid: str, dim: str, target: float) -> dict[str, Any]:
    return {
        "address": address,
        "mode": "managed",
        "type": "aws_appautoscaling_policy",
        "name": address.split(".")[-1],
        "values": {
            "service_namespace": "dynamodb",
            "resource_id": rid,
            "scalable_dimension": f"dynamodb:table:{dim}CapacityUnits",
            "policy_type": "TargetTrackingScaling",
            "target_tracking_scaling_policy_configuration": [{"target_value": target}],
        },
    }


def test_autoscaling_5_to_50_at_70_percent_with_20_rru_per_second() -> None:
    extra = [
        _target("aws_appautoscaling_target.r", "table/a", "Read", 5, 50),
        _policy("aws_appautoscaling_policy.r", "table/a", "Read", 70),
    ]
    doc = plan_doc(table_values("a", billing="PROVISIONED", rc=5, wc=5), extra=extra)
    # 20 strongly consistent 1 KB reads a second = 20 RRU/s; at 70 %: 20 / 0.7 = 28.6 -> 29 RCU
    e = run(doc, "tables: {a: {reads_per_second: 20, read_consistency: strong}}")
    (t,) = e.tables
    assert t.capacity is not None and t.capacity.read == 29
    # 29 RCU x 730 h x $0.00013 = $2.7521
    assert t.components["read_capacity"] == within_1pct(2.7521)
    assert any("at 70 % target = 29, within autoscaling 5..50: 29" in h for h in t.derivation)
    line = t.line("read_capacity")
    assert line is not None and (line.quantity, line.unit, line.unit_price) == (
        29 * 730,
        "RCU-hour",
        0.00013,
    )


def _two_region_doc() -> dict[str, Any]:
    """module.east (provider aws, us-east-1) and module.west (aws.west, us-east-2) each hold a
    table named `same`, each with its own autoscaling target and policy."""

    def module(name: str, lo: int, hi: int, target: float) -> dict[str, Any]:
        t = table_values("same", billing="PROVISIONED", rc=5, wc=5)
        return {
            "address": f"module.{name}",
            "resources": [
                {
                    "address": f"module.{name}.aws_dynamodb_table.t",
                    "mode": "managed",
                    "type": "aws_dynamodb_table",
                    "name": "t",
                    "values": t,
                },
                _target(f"module.{name}.aws_appautoscaling_target.r", "table/same", "Read", lo, hi),
                _policy(f"module.{name}.aws_appautoscaling_policy.r", "table/same", "Read", target),
            ],
        }

    def config(key: str) -> dict[str, Any]:
        return {
            "resources": [
                {"address": a, "provider_config_key": key}
                for a in (
                    "aws_dynamodb_table.t",
                    "aws_appautoscaling_target.r",
                    "aws_appautoscaling_policy.r",
                )
            ]
        }

    return {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "child_modules": [module("east", 5, 50, 70), module("west", 100, 200, 50)]
            }
        },
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}},
                "aws.west": {
                    "name": "aws",
                    "alias": "west",
                    "expressions": {"region": {"constant_value": "us-east-2"}},
                },
            },
            "root_module": {
                "module_calls": {
                    "east": {"module": config("aws")},
                    "west": {"module": config("aws.west")},
                }
            },
        },
    }


def test_autoscaling_targets_match_by_region_as_well_as_by_name() -> None:
    tables = tfplan.tables(_two_region_doc())
    by = {t.address: t for t in tables}
    east, west = by["module.east.aws_dynamodb_table.t"], by["module.west.aws_dynamodb_table.t"]
    assert (east.region, west.region) == ("us-east-1", "us-east-2")
    assert east.autoscaling.read is not None and west.autoscaling.read is not None
    assert (east.autoscaling.read.min, east.autoscaling.read.max, east.autoscaling.read.target) == (
        5,
        50,
        70,
    )
    assert (west.autoscaling.read.min, west.autoscaling.read.max, west.autoscaling.read.target) == (
        100,
        200,
        50,
    )
    usage = parse_usage(
        """
resource_usage:
  module.east.aws_dynamodb_table.t: {monthly_read_request_units: 52560000}
  module.west.aws_dynamodb_table.t: {monthly_read_request_units: 52560000}
""",
        "u.yaml",
    )
    e = estimate(tables, usage, load_pricing(), prices=load_price_book())
    caps = {t.address: t.capacity.read for t in e.tables if t.capacity}
    # 52,560,000 RRU / (730 x 3600 s) = 20 RRU/s: east at 70 % -> 29; west at 50 % -> 40,
    # raised to its minimum of 100.
    assert caps == {"module.east.aws_dynamodb_table.t": 29, "module.west.aws_dynamodb_table.t": 100}
    west_cost = next(t for t in e.tables if t.address.startswith("module.west"))
    assert west_cost.region == "us-east-2"  # priced at the us-east-2 list, the plan's region


def test_autoscaling_target_naming_one_of_two_alternative_tables_scales_the_planned_one() -> None:
    # A module that declares the table twice (with and without ignore_changes on its GSIs,
    # count 1 or 0) and points its target at whichever exists: resource_id =
    # "table/${try(aws_dynamodb_table.scaled[0].name, aws_dynamodb_table.scaled_kept[0].name)}".
    # Only `scaled_kept` is planned; the target refers to both (the absent one first).
    refs = [
        "aws_dynamodb_table.scaled[0].name",
        "aws_dynamodb_table.scaled[0]",
        "aws_dynamodb_table.scaled",
        "aws_dynamodb_table.scaled_kept[0].name",
        "aws_dynamodb_table.scaled_kept[0]",
        "aws_dynamodb_table.scaled_kept",
    ]
    doc = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "child_modules": [
                    {
                        "address": "module.db",
                        "resources": [
                            {
                                "address": "module.db.aws_dynamodb_table.scaled_kept[0]",
                                "mode": "managed",
                                "type": "aws_dynamodb_table",
                                "name": "scaled_kept",
                                "index": 0,
                                "values": table_values("t", billing="PROVISIONED", rc=5, wc=5),
                            },
                            _target(
                                "module.db.aws_appautoscaling_target.r[0]", "table/t", "Read", 5, 10
                            ),
                            _policy(
                                "module.db.aws_appautoscaling_policy.r[0]", "table/t", "Read", 45
                            ),
                        ],
                    }
                ]
            }
        },
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}}
            },
            "root_module": {
                "module_calls": {
                    "db": {
                        "module": {
                            "resources": [
                                {
                                    "address": "aws_dynamodb_table.scaled",
                                    "type": "aws_dynamodb_table",
                                },
                                {
                                    "address": "aws_dynamodb_table.scaled_kept",
                                    "type": "aws_dynamodb_table",
                                },
                                {
                                    "address": "aws_appautoscaling_target.r",
                                    "type": "aws_appautoscaling_target",
                                    "expressions": {"resource_id": {"references": refs}},
                                },
                                {
                                    "address": "aws_appautoscaling_policy.r",
                                    "type": "aws_appautoscaling_policy",
                                    "expressions": {
                                        "resource_id": {
                                            "references": [
                                                "aws_appautoscaling_target.r[0].resource_id",
                                                "aws_appautoscaling_target.r[0]",
                                                "aws_appautoscaling_target.r",
                                            ]
                                        }
                                    },
                                },
                            ]
                        }
                    }
                }
            },
        },
    }
    (table,) = tfplan.tables(doc)
    scaling = table.autoscaling.read
    assert scaling is not None and (scaling.min, scaling.max, scaling.target) == (5, 10, 45)
    # 31,536,000 eventually consistent reads = 15,768,000 RRU a month / (730 x 3600 s)
    # = 6 RRU/s; at 45 %: 13.3 -> 14, above the maximum: 10 RCU, not the 5 planned.
    # 10 RCU x 730 h x $0.00013 = $0.949
    e = run(doc, "tables: {t: {reads_per_month: 31536000}}")
    (t,) = e.tables
    assert t.capacity is not None and t.capacity.read == 10
    assert t.components["read_capacity"] == within_1pct(0.949)


def test_provisioned_table_with_replicas_in_other_regions() -> None:
    doc = plan_doc(
        table_values(
            "g",
            billing="PROVISIONED",
            rc=30,
            wc=20,
            replicas=("us-east-2", "us-west-1", "eu-west-1"),
        )
    )
    e = run(doc, "tables: {g: {item_size_bytes: 1000, items: 1000000}}")
    (t,) = e.tables
    x = t.components
    # home (us-east-1): 20 WCU x 730 x $0.00065 = $9.49; 30 RCU x 730 x $0.00013 = $2.847
    assert x["write_capacity"] == within_1pct(9.49)
    assert x["read_capacity"] == within_1pct(2.847)
    # global table: 1e6 x (1000 + 100 + 48) B = 1.069158 GB x $0.25 = $0.26729
    assert x["storage"] == within_1pct(0.26729)
    # us-east-2: its own rWCU ($0.00065) and the table's RCU again, and a copy of the data
    assert x["replicated_write_capacity[us-east-2]"] == within_1pct(9.49)
    assert x["replica_read_capacity[us-east-2]"] == within_1pct(2.847)
    assert x["replica_storage[us-east-2]"] == within_1pct(0.26729)
    # us-west-1 at its own rWCU price: 20 x 730 x $0.000725 = $10.585
    assert x["replicated_write_capacity[us-west-1]"] == within_1pct(10.585)
    # ... but the us-west-1 list states no RCU or storage price: not priced, with a warning
    assert {"replica_read_capacity[us-west-1]", "replica_storage[us-west-1]"} <= set(t.unpriced)
    assert (
        "Replica read capacity (us-west-1) not priced: "
        "the region's price list has no figure for it (us-west-1)" in t.warnings
    )
    # eu-west-1 has no list at all: a warning per component and a JSON field, no substitute
    assert t.missing_price_lists == ("eu-west-1",) and e.missing_price_lists == ["eu-west-1"]
    assert any("(eu-west-1) not priced: no price list for the region" in w for w in t.warnings)
    assert x["replicated_write_capacity[eu-west-1]"] == 0
    assert t.monthly_usd == within_1pct(9.49 + 2.847 + 0.26729 + 9.49 + 2.847 + 0.26729 + 10.585)


def test_utilisation_and_break_even_on_a_global_table() -> None:
    doc = plan_doc(table_values("gt", replicas=("us-east-2",)))
    e = run(doc, "tables: {gt: {item_size_bytes: 1024, writes_per_second: 10}}")
    (t,) = e.tables
    # on demand: 10 x 730 x 3600 = 26,280,000 WRU at home ($16.425) and as many rWRU in
    # us-east-2 ($16.425): $32.85
    assert t.monthly_usd == within_1pct(32.85)
    # provisioned: 10 WCU + 1 RCU at home, 10 rWCU + 1 RCU in us-east-2:
    # 2 x (10 x 730 x 0.00065 + 730 x 0.00013) = $9.6798
    assert t.alternative_usd == within_1pct(9.6798)
    # full use of that capacity on demand: 2.628 M-seconds x (10 x (0.625 + 0.625) + 1 x 0.125)
    # = $33.1785; utilisation 32.85 / 33.1785 = 99.0 % (a write uses capacity in both regions),
    # break-even 9.6798 / 33.1785 = 29.2 %
    assert t.utilisation == within_1pct(0.990099)
    assert t.break_even_utilisation == within_1pct(0.291749)
    assert t.recommendation.startswith("switch to PROVISIONED")
    assert "no autoscaling headroom" in t.recommendation


def test_sample_items_from_seed_dry_run(tmp_path: Path, capsys) -> None:
    from tooling.cli import main

    items = tmp_path / "items.jsonl"
    seed = ["seed", "--apps", "mediphant", "--dry-run", "--scale", "0.01", "-o", str(items)]
    assert main([*seed, "--tf-dir", str(tmp_path)]) == 0
    capsys.readouterr()
    t = table_values("mediphant-data")
    t.update(hash_key="PK", range_key="SK")
    t["global_secondary_index"] = [
        {
            "name": "GSI1",
            "hash_key": "GSI1PK",
            "range_key": "GSI1SK",
            "projection_type": "KEYS_ONLY",
            "non_key_attributes": [],
        }
    ]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(plan_doc(t)))
    usage = tmp_path / "u.yaml"
    usage.write_text("tables: {mediphant-data: {items: 100000, writes_per_month: 1000000}}")
    args = ["cost", "--usage", str(usage), "--plan", str(plan), "--format", "json"]
    assert main([*args, "--sample-items", str(items)]) == 0
    (table,) = json.loads(capsys.readouterr().out)["tables"]
    # By hand from the file: a string attribute is its name's bytes plus its value's; the
    # entry is PK + SK + GSI1PK + GSI1SK, each averaged over the items that carry it, and the
    # GSI gets the share of items that carry GSI1PK.
    records = [json.loads(line)["item"] for line in items.read_text().splitlines()]

    def avg(name: str) -> float:
        held = [len(name) + len(r[name]["S"].encode()) for r in records if name in r]
        return sum(held) / len(held)

    entry = sum(avg(n) for n in ("PK", "SK", "GSI1PK", "GSI1SK"))
    share = sum("GSI1PK" in r for r in records) / len(records)
    assert entry < 1024 and 0 < share < 1  # the seed's items: small keys, a sparse index
    lines = {x["key"]: x for x in table["lines"]}
    assert lines["gsi_write_requests"]["quantity"] == within_1pct(1_000_000 * share)
    assert lines["gsi_storage"]["quantity"] == within_1pct(100_000 * share * (entry + 100) / GB)
    assert any(h.startswith("item ") and "average of 10 sample items" in h for h in table["how"])


def test_on_demand_throughput_below_the_traffic_is_flagged() -> None:
    # max_read_request_units = 1, max_write_request_units = 1 (terraform-aws-modules' basic
    # example); the provider plans -1 for "no maximum".
    capped = table_values("capped")
    capped["on_demand_throughput"] = [{"max_read_request_units": 1, "max_write_request_units": 1}]
    free = table_values("free")
    free["on_demand_throughput"] = [{"max_read_request_units": -1, "max_write_request_units": -1}]
    doc = plan_doc(capped, free)
    by = {t.name: t for t in tfplan.tables(doc)}
    assert (by["capped"].max_read_request_units, by["capped"].max_write_request_units) == (1, 1)
    assert (by["free"].max_read_request_units, by["free"].max_write_request_units) == (None, None)
    # 2,628,000 writes a month of 1 KB items = 1 WRU/s, within the maximum; 10,512,000 eventually
    # consistent reads = 5,256,000 RRU = 2 RRU/s, above it.
    e = run(
        doc,
        "tables: {capped: {writes_per_month: 2628000, reads_per_month: 10512000},"
        " free: {writes_per_month: 2628000, reads_per_month: 10512000}}",
    )
    costs = {t.name: t for t in e.tables}
    assert [n for n in costs["capped"].notes if "on_demand_throughput" in n] == [
        "peak reads (2.00 units/s) exceed on_demand_throughput's maximum of 1/s: throttling, "
        "not all of the traffic priced is served"
    ]
    assert not [n for n in costs["free"].notes if "on_demand_throughput" in n]


def test_a_table_imported_from_s3_says_the_import_charge_is_not_in_the_monthly_figure() -> None:
    imported = table_values("imported")
    imported["import_table"] = [
        {
            "input_format": "DYNAMODB_JSON",
            "input_compression_type": "NONE",
            "s3_bucket_source": [{"bucket": "src-bucket", "key_prefix": "p"}],
        }
    ]
    doc = plan_doc(imported, table_values("plain"))
    e = run(doc, "tables: {imported: {items: 10}, plain: {items: 10}}")
    costs = {t.name: t for t in e.tables}
    assert [n for n in costs["imported"].notes if "import" in n] == [
        "created by import_table from S3 bucket src-bucket: AWS's one-time import charge "
        "(per GB of source data) is not in this monthly figure"
    ]
    assert not [n for n in costs["plain"].notes if "import" in n]
