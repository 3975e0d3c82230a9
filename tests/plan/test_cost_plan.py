"""The cost estimator on real `terraform plan` output of the root stack (AWS provider, moto)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO
from tooling.cli import main
from tooling.cost import estimate, load_pricing, parse_usage
from tooling.cost.usage import load_usage, merge
from tooling.dev import cost_report
from tooling.errors import UsageError
from tooling.terraform import plan as tfplan

pytestmark = pytest.mark.plan

GB = 2**30


@pytest.fixture(scope="module")
def tables(root_variants: Any) -> list[tfplan.TableConfig]:
    # The plan `make cost-report` prices: SchizoDot's tables PROVISIONED 5/5, the rest defaults.
    return tfplan.tables(root_variants["cost_report"])


def test_plan_reader_sees_the_ten_tables_as_planned(tables) -> None:
    by_seed = {t.seed_name: t for t in tables}
    assert len(by_seed) == 10
    jobs = by_seed["SchizodotJobs"]
    assert (jobs.billing_mode, jobs.read_capacity, jobs.write_capacity) == ("PROVISIONED", 5, 5)
    assert [(g.name, g.projection_type, g.read_capacity, g.write_capacity) for g in jobs.gsis] == [
        ("patient_id-created_at-index", "ALL", 5, 5)
    ]
    med = by_seed["mediphant-data"]
    assert (med.billing_mode, med.read_capacity, med.gsis[0].write_capacity) == (
        "PAY_PER_REQUEST",
        None,
        None,
    )
    assert (med.ttl_attribute, med.pitr_enabled, med.table_class) == ("TTL", True, "STANDARD")
    assert by_seed["UpNest-Users"].stream_view_type == "NEW_AND_OLD_IMAGES"
    assert by_seed["iops-dashboard-metrics"].stream_enabled is True
    assert all(t.deletion_protection and t.sse_enabled for t in tables)


def test_presets_on_the_planned_stack(tables) -> None:
    usage = [load_usage(REPO / f"examples/usage/{a}.yaml") for a in ("mediphant", "schizodot")]
    e = estimate(tables, merge(usage), load_pricing(), all_tables=False)
    by_name = {t.name: t for t in e.tables}
    assert sorted(by_name) == ["SchizodotJobs", "SchizodotUsers", "mediphant-data"]
    writes = 1000 * 730 / 24
    med = by_name["mediphant-data"]
    assert med.monthly_usd == pytest.approx(
        2 * writes * 0.625 / 1e6  # 1 KB writes on the table and on GSI1
        + writes * 0.5 * 0.125 / 1e6  # eventually consistent 1 KB reads
        + 2 * 30_000 * 1124 / GB * 0.25  # 1,000 a day x 30 days, table and GSI1
        + 30_000 * 1124 / GB * 0.20  # PITR
    )
    jobs = by_name["SchizodotJobs"]
    capacity = 2 * (5 * 730 * 0.00013 + 5 * 730 * 0.00065)  # table and its GSI, 5/5 each
    data = 2 * 18_000 * 2148 / GB * 0.25 + 18_000 * 2148 / GB * 0.20
    assert jobs.monthly_usd == pytest.approx(capacity + data)
    assert jobs.alternative_usd == pytest.approx(
        2 * 600 * 730 / 24 * 2 * 0.625 / 1e6 + 2000 * 730 / 24 * 1 * 0.125 / 1e6 + data
    )
    assert jobs.recommendation.startswith("switch to PAY_PER_REQUEST")


SMALL_STACK = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

resource "aws_dynamodb_table" "events" {
  name           = "events"
  billing_mode   = "PROVISIONED"
  hash_key       = "id"
  read_capacity  = 4
  write_capacity = 2
  table_class    = "STANDARD_INFREQUENT_ACCESS"
  attribute {
    name = "id"
    type = "S"
  }
  tags = { Table = "events" }
}

resource "aws_appautoscaling_target" "write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.events.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 2
  max_capacity       = 20
}
"""


def test_cost_command_plans_a_terraform_directory(
    tf_tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # tf_tree: the session's Terraform CLI configuration and moto endpoint are in place.
    stack = tmp_path / "stack"
    stack.mkdir()
    (stack / "main.tf").write_text(SMALL_STACK)
    shutil.copy2(REPO / ".terraform.lock.hcl", stack / ".terraform.lock.hcl")
    usage = tmp_path / "usage.yaml"
    usage.write_text("tables: {events: {writes_per_second: 10, items: 0}}")
    code = main(["cost", "--usage", str(usage), "--tf-dir", str(stack), "--format", "json"])
    assert code == 0, capsys.readouterr().err
    (t,) = json.loads(capsys.readouterr().out)["tables"]
    assert (t["name"], t["billing_mode"], t["table_class"]) == (
        "events",
        "PROVISIONED",
        "STANDARD_INFREQUENT_ACCESS",
    )
    # Writes autoscale within 2..20 WCU: 10 writes/s need 10; reads keep the planned 4 RCU.
    assert t["provisioned_capacity"]["write"] == 10
    assert t["monthly_usd"] == pytest.approx((10 * 730 * 0.00065 + 4 * 730 * 0.00013) * 1.25)
    assert not list(stack.glob("*.tfstate")) and not list(stack.glob("*.tfplan"))


def test_seed_report_sets_claims_beside_computed_figures(tables) -> None:
    text = cost_report.render(tables, load_pricing())
    assert "| mediphant | total ~$1.13 a month | $0.0619 |" in text
    assert "| schizodot | ~$3-5 a month for 5 RCU / 5 WCU on two tables and the GSI | $8.57" in text
    assert "$0.000846 per active user" in text
    committed = (REPO / "docs" / "cost-report.md").read_text()
    assert committed == text, "docs/cost-report.md is stale: run make cost-report"


def test_unknown_table_in_usage_names_the_plan_tables(tables) -> None:
    with pytest.raises(UsageError, match=r"tables\.Nope: no such table in the plan \(tables: "):
        estimate(tables, parse_usage("tables: {Nope: {}}", "u.yaml"), load_pricing())


def test_production_autoscaling_is_sized_at_its_policies_target(workspaces: Any) -> None:
    # examples/production: seed 004's dashboard tables autoscale 5..100 at a 70 % target.
    doc = workspaces("examples/production").plan(budget_alert_emails=["ops@example.com"])
    by_seed = {t.seed_name: t for t in tfplan.tables(doc)}
    metrics = by_seed["iops-dashboard-metrics"]
    read = metrics.autoscaling.read
    assert read is not None and (read.min, read.max, read.target) == (5, 100, 70.0)
    assert all(g.autoscaling.write and g.autoscaling.write.target == 70.0 for g in metrics.gsis)
    usage = parse_usage(
        "tables: {iops-dashboard-metrics: {reads_per_second: 40, read_consistency: strong}}",
        "u.yaml",
    )
    e = estimate(list(by_seed.values()), usage, load_pricing(), all_tables=False)
    (t,) = e.tables
    # 40 strongly consistent 1 KB reads a second = 40 RRU/s; / 0.70 = 57.1 -> 58 RCU
    assert t.capacity is not None and t.capacity.read == 58
    assert t.components["read_capacity"] == pytest.approx(58 * 730 * 0.00013)
