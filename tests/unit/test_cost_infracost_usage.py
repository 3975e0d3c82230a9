"""Usage files in exactly the form `infracost breakdown --sync-usage-file` writes them, for a plan
that holds DynamoDB tables (with count and for_each, in modules), their autoscaling targets and
other resources; and the bounds every usage and price figure is held to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.plans import table_values
from tooling.cli import main
from tooling.cost import estimate, load_pricing, parse_usage
from tooling.cost.usage import MAX_FILE_BYTES
from tooling.errors import UsageError
from tooling.terraform import plan as tfplan

GB = 2**30


def _resource(address: str, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"address": address, "mode": "managed", "type": kind, "values": values}


def mixed_plan() -> dict[str, Any]:
    """A plan with tables at `[0]`, `["orders"]` and `["users"]` in modules, an autoscaled
    provisioned table, an S3 bucket and a Lambda function."""
    counted = table_values("legacy")
    orders, users = table_values("orders"), table_values("users")
    scaled = table_values("scaled", billing="PROVISIONED", rc=30, wc=20)
    target = {
        "service_namespace": "dynamodb",
        "resource_id": "table/scaled",
        "scalable_dimension": "dynamodb:table:WriteCapacityUnits",
        "min_capacity": 7,
        "max_capacity": 98,
    }
    return {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    _resource("aws_dynamodb_table.legacy[0]", "aws_dynamodb_table", counted),
                    _resource("aws_dynamodb_table.scaled", "aws_dynamodb_table", scaled),
                    _resource("aws_appautoscaling_target.w", "aws_appautoscaling_target", target),
                    _resource("aws_s3_bucket.assets", "aws_s3_bucket", {"bucket": "a"}),
                ],
                "child_modules": [
                    {
                        "address": "module.app",
                        "resources": [
                            _resource(
                                f'module.app.aws_dynamodb_table.this["{t["name"]}"]',
                                "aws_dynamodb_table",
                                t,
                            )
                            for t in (orders, users)
                        ]
                        + [
                            _resource("module.app.aws_lambda_function.f", "aws_lambda_function", {})
                        ],
                    }
                ],
            }
        },
    }


# Infracost's own form: `version`, `resource_type_default_usage`, `resource_usage` keyed by
# address with [index] / ["key"] / [*], entries for every resource type, and entries whose keys
# are all commented out (YAML null).
SYNCED = """
version: 0.1
resource_type_default_usage:
  aws_dynamodb_table:
    monthly_read_request_units: 1000000 # Monthly read request units in ...
  aws_lambda_function:
    monthly_requests: 100000 # Monthly requests to the Lambda function.
resource_usage:
  aws_dynamodb_table.legacy[0]:
    monthly_write_request_units: 3000000 # Monthly write request units ...
    storage_gb: 230 # Total storage for tables in GB.
    monthly_streams_read_request_units: 2000000 # Monthly streams read request units.
  aws_dynamodb_table.scaled:
    # monthly_write_request_units: 0 # Monthly write request units ...
  aws_appautoscaling_target.w:
    capacity: 77 # Number of capacity units the target will scale to.
  module.app.aws_dynamodb_table.this[*]:
    monthly_write_request_units: 1000000
    storage_gb: 10
  module.app.aws_dynamodb_table.this["orders"]:
    storage_gb: 20
  aws_s3_bucket.assets:
    standard:
      storage_gb: 10000 # Total storage in GB.
  module.app.aws_lambda_function.f:
    monthly_requests: 100000
"""


def test_a_synced_infracost_usage_file() -> None:
    usage = parse_usage(SYNCED, "infracost-usage.yml")
    e = estimate(tfplan.tables(mixed_plan()), usage, load_pricing())
    by = {t.address: t for t in e.tables}
    legacy = by["aws_dynamodb_table.legacy[0]"].components
    assert legacy["write_requests"] == pytest.approx(3_000_000 * 0.625 / 1e6)
    # resource_type_default_usage fills the key the table's own entry leaves out
    assert legacy["read_requests"] == pytest.approx(1_000_000 * 0.125 / 1e6)
    assert legacy["storage"] == pytest.approx(230 * 0.25)
    # stream reads on a table without a stream: priced as stated, with a note (as Infracost)
    assert legacy["stream_reads"] == pytest.approx(2_000_000 / 1e5 * 0.02)
    assert any(
        "without a stream: priced as stated" in n for n in by["aws_dynamodb_table.legacy[0]"].notes
    )
    # [*] applies to every instance; the ["orders"] entry overrides its storage only
    orders = by['module.app.aws_dynamodb_table.this["orders"]'].components
    users = by['module.app.aws_dynamodb_table.this["users"]'].components
    assert (orders["storage"], users["storage"]) == (
        pytest.approx(20 * 0.25),
        pytest.approx(10 * 0.25),
    )
    assert orders["write_requests"] == users["write_requests"] == pytest.approx(0.625)
    # the autoscaling target's `capacity` is the write capacity (30 RCU as planned)
    scaled = by["aws_dynamodb_table.scaled"]
    assert scaled.capacity is not None and (scaled.capacity.write, scaled.capacity.read) == (77, 30)
    assert scaled.components["write_capacity"] == pytest.approx(77 * 730 * 0.00065)
    # the other resource types: one note naming them
    (note,) = e.notes
    assert note == (
        "infracost-usage.yml: ignored the usage of 2 resource(s) that are not DynamoDB tables: "
        "aws_s3_bucket.assets, module.app.aws_lambda_function.f"
    )


def test_a_synced_file_through_the_command(tmp_path: Path, capsys) -> None:
    plan, usage = tmp_path / "plan.json", tmp_path / "infracost-usage.yml"
    plan.write_text(json.dumps(mixed_plan()))
    usage.write_text(SYNCED)
    assert main(["cost", "--usage", str(usage), "--plan", str(plan), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["notes"][0].startswith("infracost-usage.yml: ignored the usage of 2 resource(s)")
    legacy = next(t for t in doc["tables"] if t["address"] == "aws_dynamodb_table.legacy[0]")
    line = next(x for x in legacy["lines"] if x["key"] == "write_requests")
    assert (line["quantity"], line["unit"], line["unit_price_usd"]) == (3_000_000, "WRU", 0.625e-6)
    assert line["monthly_usd"] == pytest.approx(1.875)


@pytest.mark.parametrize(
    ("usage", "message"),
    [
        (
            "resource_usage: {aws_dynamodb_table.nope: {storage_gb: 1}}",
            "u.yml: resource_usage.aws_dynamodb_table.nope: no such table in the plan",
        ),
        (
            "resource_usage: {aws_appautoscaling_target.x: {capacity: 5}}",
            "u.yml: resource_usage.aws_appautoscaling_target.x: no aws_appautoscaling_target",
        ),
        (
            "resource_usage: {aws_appautoscaling_target.w: {capacity: -1}}",
            "u.yml: resource_usage.aws_appautoscaling_target.w.capacity: must be >= 0",
        ),
        (
            "resource_usage: {aws_dynamodb_table.scaled: {storage_gb: '5'}}",
            "u.yml: resource_usage.aws_dynamodb_table.scaled.storage_gb: must be a number",
        ),
    ],
)
def test_bad_infracost_entries(usage: str, message: str) -> None:
    with pytest.raises(UsageError, match="^" + message.replace("[", r"\[").replace("(", r"\(")):
        estimate(tfplan.tables(mixed_plan()), parse_usage(usage, "u.yml"), load_pricing())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tables: {t: {items: 1.0e+308}}", "u.yaml: tables.t.items: must be <= 1e+15"),
        (
            "tables: {t: {writes_per_second: 1.0e+308}}",
            "u.yaml: tables.t.writes_per_second: must be <= 1e+15",
        ),
        ("tables: {t: {items: .inf}}", "u.yaml: tables.t.items: must be a finite number"),
        (
            "tables: {t: {backup_storage_gb: 2.0e+9}}",
            "u.yaml: tables.t.backup_storage_gb: must be <= 1e+09",
        ),
        (
            "tables: {t: {peak_to_average: 5000}}",
            "u.yaml: tables.t.peak_to_average: must be <= 1000",
        ),
        ("units: {u: 1.0e+13}\ntables: {t: {per: u}}", "u.yaml: units.u: must be <= 1e+12"),
        (
            "tables: {t: {attribute_sizes: {pk: 0}}}",
            "u.yaml: tables.t.attribute_sizes.pk: must be > 0",
        ),
        ("x: &a [1]\ntables: {t: *a}", "u.yaml: line 1: YAML anchors and aliases are not accepted"),
        ("tables: " + "[" * 5000 + "]" * 5000, "u.yaml: line 1: nested deeper than 16 levels"),
        ("tables: {t: {items: 1}}\n#" + "x" * MAX_FILE_BYTES, "u.yaml: larger than 1024 KB"),
    ],
)
def test_every_number_is_bounded_and_the_document_too(text: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_usage(text, "u.yaml")
    assert str(info.value) == message


def test_bounded_inputs_through_the_command(tmp_path: Path, capsys) -> None:
    plan, usage = tmp_path / "plan.json", tmp_path / "u.yaml"
    plan.write_text(json.dumps(mixed_plan()))
    for text in (
        "tables: {orders: {items: 1.0e+308}}",
        "tables: {orders: {writes_per_second: 1.0e+308}}",
        "tables: " + "{a: " * 5000 + "1" + "}" * 5000,
    ):
        usage.write_text(text)
        assert main(["cost", "--usage", str(usage), "--plan", str(plan)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: u.yaml: ") and err.count("\n") == 1
        assert "inf" not in err and "Traceback" not in err
    big = tmp_path / "big.yaml"
    big.write_bytes(b"tables: {orders: {items: 1}}\n" + b"#" * (10 * 1024 * 1024))
    assert main(["cost", "--usage", str(big), "--plan", str(plan)]) == 2
    assert capsys.readouterr().err == f"error: --usage {big}: larger than 1024 KB\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"table": "orders", "item": {"pk": {"S": "a"}}}\nnot json\n', "line 2: not JSON"),
        (b'{"table": "nope", "item": {"pk": {"S": "a"}}}\n', "line 1: table 'nope' is not in"),
        (
            b'{"Item": {"pk": {"S": "a"}, "sk": {"S": "b"}}}\n',
            "line 1: the item's key attributes match several tables",
        ),
        (b'{"table": "orders", "item": {"pk": {"N": "x"}}}\n', "line 1: pk: 'x' is not a number"),
        (b'{"table": "orders", "item": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "line 1: "),
        (
            b'{"table": "orders", "item": {"pk": {"S": "' + b"a" * 600_000 + b'"}}}\n',
            "line 1: longer than 512 KB",
        ),
        (b"\n", "no items"),
    ],
)
def test_bad_sample_items_are_one_line(
    tmp_path: Path, capsys, content: bytes, message: str
) -> None:
    plan, usage, items = tmp_path / "plan.json", tmp_path / "u.yaml", tmp_path / "items.jsonl"
    plan.write_text(json.dumps(mixed_plan()))
    usage.write_text("tables: {orders: {items: 1}}")
    items.write_bytes(content)
    args = ["cost", "--usage", str(usage), "--plan", str(plan), "--sample-items", str(items)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --sample-items {items}: {message}") and err.count("\n") == 1


def test_plan_files_are_bounded_input_too(tmp_path: Path, capsys) -> None:
    usage = tmp_path / "u.yaml"
    usage.write_text("tables: {orders: {items: 1}}")
    plan = tmp_path / "plan.json"
    doc = mixed_plan()
    doc["planned_values"]["root_module"]["resources"][1]["values"]["read_capacity"] = 1e308
    plan.write_text(json.dumps(doc))
    assert main(["cost", "--usage", str(usage), "--plan", str(plan)]) == 2
    assert capsys.readouterr().err == (
        "error: the plan: aws_dynamodb_table.scaled: read_capacity 1e+308 is beyond DynamoDB's "
        "limits\n"
    )
    plan.write_text('{"planned_values": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert main(["cost", "--usage", str(usage), "--plan", str(plan)]) == 2
    assert capsys.readouterr().err == f"error: --plan {plan}: not JSON (nested too deeply)\n"
