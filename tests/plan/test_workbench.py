"""`workbench --plan` on a real plan of the root stack: the model validates against the Workbench
3.0 schema and holds every table, index, facet and sample item of the five apps; the same plan
gives `seed --format dynamodb-json` its complete ImportTable requests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from support.plan_tables import gsis, planned_tables
from tooling import cli, workbench
from tooling.apps import GenerationContext, all_apps, start_of_utc_day
from tooling.apps.catalog import APP_OF_TABLE
from tooling.dynamo.serialize import item_to_json, to_item

pytestmark = pytest.mark.plan


@pytest.fixture(scope="module")
def plan_file(workspaces: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workbench") / "root.json"
    path.write_text(json.dumps(workspaces(".").plan()._raw))
    return path


@pytest.fixture(scope="module")
def model(plan_file: Path) -> dict[str, Any]:
    out = plan_file.with_name("model.json")
    assert (
        cli.main(["workbench", "--plan", str(plan_file), "--with-sample-data", "-o", str(out)]) == 0
    )
    return json.loads(out.read_text())


def test_model_validates_against_the_workbench_schema(model: dict[str, Any]) -> None:
    schema = json.loads(workbench.SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(model)
    assert model["ModelMetadata"]["Version"] == "3.0"


def test_every_table_key_and_index_of_the_plan(model: dict[str, Any], plan_file: Path) -> None:
    planned = planned_tables(json.loads(plan_file.read_text()))
    tables = {t["TableName"]: t for t in model["DataModel"]}
    assert sorted(tables) == sorted(t["name"] for t in planned.values())
    assert sorted(planned) == sorted(APP_OF_TABLE)  # all five apps
    for p in planned.values():
        t = tables[p["name"]]
        types = {a["name"]: a["type"] for a in p["attribute"]}
        keys = t["KeyAttributes"]
        assert keys["PartitionKey"] == {
            "AttributeName": p["hash_key"],
            "AttributeType": types[p["hash_key"]],
        }
        if p["range_key"]:
            assert keys["SortKey"]["AttributeName"] == p["range_key"]
        else:
            assert "SortKey" not in keys
        want = {
            name: (g["hash_key"], g["range_key"] or None, g["projection_type"])
            for name, g in gsis(p).items()
        }
        got = {
            g["IndexName"]: (
                g["KeyAttributes"]["PartitionKey"]["AttributeName"],
                g["KeyAttributes"].get("SortKey", {}).get("AttributeName"),
                g["Projection"]["ProjectionType"],
            )
            for g in t.get("GlobalSecondaryIndexes", [])
        }
        assert got == want
        non_key = {a["AttributeName"] for a in t["NonKeyAttributes"]}
        assert {k for g in want.values() for k in g[:2] if k} - set(keys_of(t)) <= non_key
        assert t["BillingMode"] == p["billing_mode"] == "PAY_PER_REQUEST"
        assert "ProvisionedCapacitySettings" not in t


def keys_of(table: dict[str, Any]) -> list[str]:
    return [k["AttributeName"] for k in table["KeyAttributes"].values()]


def test_every_access_pattern_is_a_facet_of_its_table(model: dict[str, Any]) -> None:
    tables = {t["TableName"]: t for t in model["DataModel"]}
    n = 0
    for app in all_apps():
        for p in app.patterns:
            t = tables[p.table]
            (facet,) = [f for f in t["TableFacets"] if f["FacetName"] == p.name]
            assert facet["KeyAttributeAlias"]["PartitionKeyAlias"] == keys_of(t)[0]
            if p.index:
                assert p.index in {g["IndexName"] for g in t["GlobalSecondaryIndexes"]}
            assert facet["NonKeyAttributes"]
            assert facet["TableData"], f"{app.name} {p.name}: no sample item answers the example"
            assert all(item in t["TableData"] for item in facet["TableData"])
            n += 1
    assert sum(len(t["TableFacets"]) for t in model["DataModel"]) == n


def test_sample_items_are_generated_items_of_their_table(model: dict[str, Any]) -> None:
    ctx = GenerationContext(scale=workbench.SAMPLE_SCALE, now=start_of_utc_day())
    generated: dict[str, list[Any]] = {}
    for app in all_apps():
        for seed, item in app.generate(ctx):
            generated.setdefault(seed, []).append(item_to_json(to_item(item)))
    for t in model["DataModel"]:
        data = t["TableData"]
        assert 1 <= len(data) <= workbench.SAMPLE_LIMIT
        assert all(item in generated[t["TableName"]] for item in data)
        keys = [tuple(json.dumps(it[k]) for k in keys_of(t)) for it in data]
        assert len(set(keys)) == len(keys)
        seen = {a for it in data for a in it} - set(keys_of(t))
        assert seen <= {a["AttributeName"] for a in t["NonKeyAttributes"]}
    # The seeds' own examples are in: the fusion 0523/1300 entry, SchizoDot's job.
    entries = {t["TableName"]: t for t in model["DataModel"]}["fusion-health-entries"]["TableData"]
    assert any(it["date"]["S"] == "0523" and it["timestamp"]["S"] == "1300" for it in entries)
    jobs = {t["TableName"]: t for t in model["DataModel"]}["SchizodotJobs"]["TableData"]
    assert {"S": "job-abc123def456"} in [it["job_id"] for it in jobs]


def test_without_the_flag_no_table_data(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "bare.json"
    assert cli.main(["workbench", "--plan", str(plan_file), "-o", str(out)]) == 0
    model = json.loads(out.read_text())
    assert all(t["TableData"] == [] for t in model["DataModel"])
    assert all(f["TableData"] == [] for t in model["DataModel"] for f in t["TableFacets"])
    assert all(t["NonKeyAttributes"] for t in model["DataModel"])


def test_seed_files_with_the_plan_carry_complete_import_requests(
    plan_file: Path, tmp_path: Path
) -> None:
    planned = planned_tables(json.loads(plan_file.read_text()))
    out = tmp_path / "files"
    args = ["seed", "--tf-dir", str(tmp_path), "--apps", "fusion-health", "iops-dashboard"]
    args += ["--scale", "0.1", "--output", str(out), "--format", "dynamodb-json"]
    assert cli.main([*args, "--plan", str(plan_file), "--s3-bucket", "my-bucket"]) == 0
    for seed in ("fusion-health-entries", "fusion-daily-summaries", "iops-dashboard-metrics"):
        p = planned[seed]
        request = json.loads((out / p["name"] / "import-table.json").read_text())
        assert request["S3BucketSource"] == {
            "S3Bucket": "my-bucket",
            "S3KeyPrefix": f"{p['name']}/data/",
        }
        params = request["TableCreationParameters"]
        assert params["KeySchema"][0] == {"AttributeName": p["hash_key"], "KeyType": "HASH"}
        assert {a["AttributeName"]: a["AttributeType"] for a in params["AttributeDefinitions"]} == {
            a["name"]: a["type"] for a in p["attribute"]
        }
        assert sorted(g["IndexName"] for g in params.get("GlobalSecondaryIndexes", [])) == sorted(
            gsis(p)
        )
        manifest = json.loads((out / p["name"] / "manifest.json").read_text())
        assert manifest["key_schema"][0]["AttributeName"] == p["hash_key"]
