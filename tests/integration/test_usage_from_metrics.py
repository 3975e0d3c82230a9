"""`cost usage-from-metrics` against a moto server of its own: a seed-named table with a KEYS_ONLY
GSI, items written through the API, CloudWatch metrics put with put_metric_data; the usage file
must state the hand-computed figures, load back, and price back to the consumed units."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest

from support.plans import plan_doc, table_values
from tooling.cli import main
from tooling.cost import estimate, load_pricing, load_usage
from tooling.dev.local import MotoServer, endpoint_env, environment
from tooling.terraform import plan as tfplan

pytestmark = pytest.mark.integration

TABLE = "SchizodotJobs"  # a seed name: without Terraform state the stack's tables are these
GSI = "patient_id-created_at-index"
HOURS = 14 * 24  # the window: 336 hours
# (hours ago, value): hourly sums CloudWatch will hold.
WRITES = ((3, 100.0), (27, 100.0), (51, 400.0))
READS = ((4, 50.0), (28, 50.0))
GSI_WRITES = ((3, 150.0),)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("moto-metrics") / "moto.log"
    with MotoServer(log_path=log) as server, environment(endpoint_env(server.url)):
        yield server.url


@pytest.fixture(scope="module")
def measured(endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    ddb = boto3.client("dynamodb", endpoint_url=endpoint)
    cw = boto3.client("cloudwatch", endpoint_url=endpoint)
    ddb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "job_id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": n, "AttributeType": "S"}
            for n in ("job_id", "patient_id", "created_at")
        ],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": GSI,
                "KeySchema": [
                    {"AttributeName": "patient_id", "KeyType": "HASH"},
                    {"AttributeName": "created_at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    for i in range(10):
        item = {"job_id": {"S": f"job{i:04d}"}, "data": {"S": "x" * 1500}}
        if i % 2:  # half the items carry the index keys
            item |= {"patient_id": {"S": "p1"}, "created_at": {"S": "2026-01-01"}}
        ddb.put_item(TableName=TABLE, Item=item)
    now = datetime.now(timezone.utc)

    def put(metric: str, dims: dict[str, str], points: tuple[tuple[int, float], ...]) -> None:
        cw.put_metric_data(
            Namespace="AWS/DynamoDB",
            MetricData=[
                {
                    "MetricName": metric,
                    "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
                    "Timestamp": now - timedelta(hours=h, minutes=10),
                    "Value": value,
                }
                for h, value in points
            ],
        )

    put("ConsumedWriteCapacityUnits", {"TableName": TABLE}, WRITES)
    put("ConsumedReadCapacityUnits", {"TableName": TABLE}, READS)
    put(
        "ConsumedWriteCapacityUnits",
        {"TableName": TABLE, "GlobalSecondaryIndexName": GSI},
        GSI_WRITES,
    )
    put("ReturnedItemCount", {"TableName": TABLE, "Operation": "Query"}, ((5, 42.0),))
    # Outside the window: 20 days ago.
    put("ConsumedWriteCapacityUnits", {"TableName": TABLE}, ((20 * 24, 9999.0),))
    out = tmp_path_factory.mktemp("metrics-out") / "usage.yaml"
    nostate = tmp_path_factory.mktemp("nostate")
    code = main(
        ["cost", "usage-from-metrics", "--days", "14", "--tf-dir", str(nostate), "-o", str(out)]
    )
    assert code == 0
    return out


# Item sizes (DynamoDB's rule: attribute name bytes + value bytes): job_id "jobNNNN" 6 + 7,
# data 4 + 1500, and on half the items patient_id 10 + 2, created_at 10 + 10.
ITEM = (6 + 7 + 4 + 1500) + (10 + 2 + 10 + 10) / 2  # 1533 B: 2 write units, 1 read unit
ENTRY = (6 + 7) + (10 + 2) + (10 + 10)  # KEYS_ONLY: the table's key and the index's: 45 B
MONTH = 730 / HOURS
WRITE_UNITS = (100 + 100 + 400) * MONTH  # 1,303.57 a month
READ_UNITS = (50 + 50) * MONTH
GSI_UNITS = 150 * MONTH


def test_figures_are_the_hand_computed_ones(measured: Path) -> None:
    usage = load_usage(measured)  # the file loads back with the package's own loader
    t = usage.tables[TABLE]
    assert (t.items, t.item_size_bytes) == (10, pytest.approx(ITEM))
    assert t.writes_per_month == pytest.approx(WRITE_UNITS / 2)
    assert t.reads_per_month == pytest.approx(READ_UNITS / 1)
    assert t.read_consistency == "strong"
    # Busiest hour against the average hour: 400 / (600 / 336) = 224 (reads: 50 / (100 / 336)).
    assert t.peak_to_average == pytest.approx(224)
    g = t.gsi[GSI]
    assert g.entry_size_bytes == pytest.approx(ENTRY)
    assert g.write_share == pytest.approx(GSI_UNITS / 1 / (WRITE_UNITS / 2))  # 0.5


def test_each_figure_says_where_it_came_from(measured: Path) -> None:
    text = measured.read_text()
    assert "ConsumedWriteCapacityUnits: 600 units x 730 h / 336 h = 1,303.57 a month" in text
    assert "busiest hour 400 (peak-to-average 224.00)" in text
    assert "(peak-to-average 168.00)" in text  # reads: 50 / (100 / 336)
    assert "average of 10 items read by a Scan" in text
    assert "average of 5 entries read by a Scan" in text
    assert "GlobalSecondaryIndexName=patient_id-created_at-index): 150 units" in text
    assert "ReturnedItemCount (Query): 42 items in the window" in text
    assert "Not deployed (no such table): fusion-health-entries" in text
    assert not list(measured.parent.glob(".usage.yaml.*"))  # no temporary file left


def test_the_file_prices_back_to_the_consumed_units(measured: Path) -> None:
    values = table_values(TABLE, gsis=({"name": GSI, "projection": "KEYS_ONLY"},))
    tables = tfplan.tables(plan_doc(values))
    e = estimate(tables, load_usage(measured), load_pricing())
    (cost,) = e.tables
    assert cost.demand.write_units == pytest.approx(WRITE_UNITS)
    assert cost.demand.read_units == pytest.approx(READ_UNITS)
    assert cost.demand.gsi_write_units[GSI] == pytest.approx(GSI_UNITS)
    assert cost.components["write_requests"] == pytest.approx(WRITE_UNITS * 0.625 / 1e6)


def test_stdout_and_an_existing_file_replaced_whole(
    endpoint: str, measured: Path, tmp_path: Path, capsys: Any
) -> None:
    target = tmp_path / "usage.yaml"
    target.write_text("old\n")
    args = ["cost", "usage-from-metrics", "--tf-dir", str(tmp_path)]
    assert main([*args, "-o", str(target)]) == 0
    assert "tables:" in target.read_text() and "old" not in target.read_text()
    capsys.readouterr()
    assert main([*args, "-o", "-", "--days", "1"]) == 0
    out = capsys.readouterr().out
    # One day: only the hours 3 and 4 ago are in the window.
    assert "ConsumedWriteCapacityUnits: 100 units x 730 h / 24 h" in out
