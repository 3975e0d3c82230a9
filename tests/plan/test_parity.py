"""Plan assertions for the parity features of modules/dynamodb-table: replicas, import_table,
restore, resource policy, contributor insights, Kinesis destination and timeouts.

Fixtures in tests/fixtures/parity (copied into the session's test tree, where their module path
resolves the same way): `valid` holds one module call per feature; `invalid_values` and
`invalid_combinations` one module call per refused input, each named for its case, so that one
plan refuses all of them and each error is matched to its call. Four plans in all, plus one root
plan with replica_regions and one refused root plan.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import tftest

from support.paths import REPO
from support.plan_tables import planned_tables
from support.seed_spec import SEED_SPEC

pytestmark = pytest.mark.plan

FIXTURES = Path("tests") / "fixtures" / "parity"


def _workspace(workspaces: Any, tf_tree: Path, name: str) -> Any:
    dest = tf_tree / FIXTURES / name
    if not dest.exists():
        shutil.copytree(REPO / FIXTURES / name, dest)
        shutil.copy2(REPO / ".terraform.lock.hcl", dest)
    return workspaces(str(FIXTURES / name))


@pytest.fixture(scope="module")
def plan(workspaces: Any, tf_tree: Path) -> Any:
    return _workspace(workspaces, tf_tree, "valid").plan()


def _resources(plan: Any, rtype: str) -> dict[str, dict[str, Any]]:
    return {
        rc["address"]: rc["change"]["after"]
        for rc in plan["resource_changes"]
        if rc["type"] == rtype and rc["mode"] == "managed"
    }


def test_replicas_per_region_with_kms_pitr_and_tags(plan: Any) -> None:
    t = planned_tables(plan)["replicated"]
    replicas = {r["region_name"]: r for r in t["replica"]}
    assert set(replicas) == {"us-west-2", "eu-west-1"}
    west, eu = replicas["us-west-2"], replicas["eu-west-1"]
    assert west["kms_key_arn"].startswith("arn:aws:kms:us-west-2:")
    assert eu["kms_key_arn"].startswith("arn:aws:kms:eu-west-1:")
    # Unset PITR follows the table's (on); propagate_tags defaults to true.
    assert (west["point_in_time_recovery"], west["propagate_tags"]) == (True, True)
    assert (eu["point_in_time_recovery"], eu["propagate_tags"]) == (False, False)


def test_replicas_switch_streams_on_with_both_images(plan: Any) -> None:
    tables = planned_tables(plan)
    assert tables["replicated"]["stream_enabled"] is True
    assert tables["replicated"]["stream_view_type"] == "NEW_AND_OLD_IMAGES"
    # Without replicas the caller's choice stands.
    assert tables["extras"]["stream_view_type"] == "KEYS_ONLY"
    assert tables["imported"]["stream_enabled"] is False
    assert all(not tables[n]["replica"] for n in ("imported", "extras", "restored_latest"))


def test_import_table_from_s3(plan: Any) -> None:
    t = planned_tables(plan)["imported"]
    (imp,) = t["import_table"]
    assert (imp["input_format"], imp["input_compression_type"]) == ("CSV", "GZIP")
    assert imp["s3_bucket_source"] == [
        {
            "bucket": "parity-import-bucket",
            "bucket_owner": "123456789012",
            "key_prefix": "exports/2026-11-01/",
        }
    ]
    (csv,) = imp["input_format_options"][0]["csv"]
    assert csv["delimiter"] == ";"
    assert sorted(csv["header_list"]) == ["owner", "pk", "sk"]
    assert [g["name"] for g in t["global_secondary_index"]] == ["by-owner"]
    assert all(planned_tables(plan)[n]["import_table"] == [] for n in ("extras", "replicated"))


def test_restore_to_a_point_in_time_or_the_latest(plan: Any) -> None:
    tables = planned_tables(plan)
    at = tables["restored_at_time"]
    assert at["restore_source_name"] == "parity-source"
    assert at["restore_date_time"] == "2026-11-01T12:00:00Z"
    assert at.get("restore_to_latest_time") is None
    latest = tables["restored_latest"]
    assert latest["restore_source_table_arn"].endswith(":table/parity-source")
    assert latest["restore_to_latest_time"] is True
    assert latest.get("restore_date_time") is None and latest.get("restore_source_name") is None
    assert tables["replicated"].get("restore_source_name") is None


def test_policy_insights_and_kinesis_attach_to_their_table(plan: Any) -> None:
    prefix = "module.extras."
    (policy_addr, policy) = next(iter(_resources(plan, "aws_dynamodb_resource_policy").items()))
    assert policy_addr.startswith(prefix)
    statement = json.loads(policy["policy"])["Statement"][0]
    assert statement["Action"] == ["dynamodb:GetItem", "dynamodb:Query"]
    # The ARN is known after apply; the reference to the extras table is in the configuration.
    refs = {
        r["address"]: r["expressions"]["resource_arn"]["references"]
        for r in plan["configuration"]["root_module"]["module_calls"]["extras"]["module"][
            "resources"
        ]
        if r["type"] == "aws_dynamodb_resource_policy"
    }
    assert "aws_dynamodb_table.this.arn" in refs["aws_dynamodb_resource_policy.this"]

    insights = _resources(plan, "aws_dynamodb_contributor_insights")
    assert {
        a.removeprefix(prefix): (i["table_name"], i.get("index_name")) for a, i in insights.items()
    } == {
        'aws_dynamodb_contributor_insights.this["table"]': ("parity-extras", None),
        'aws_dynamodb_contributor_insights.this["index/by-status"]': ("parity-extras", "by-status"),
    }

    (kinesis_addr, kinesis) = next(
        iter(_resources(plan, "aws_dynamodb_kinesis_streaming_destination").items())
    )
    assert kinesis_addr.startswith(prefix)
    assert kinesis["table_name"] == "parity-extras"
    assert kinesis["stream_arn"].endswith(":stream/parity-changes")


def test_timeouts_only_where_set(plan: Any) -> None:
    tables = planned_tables(plan)
    assert tables["extras"]["timeouts"] == {"create": "45m", "update": "2h", "delete": "1h30m"}
    assert tables["replicated"]["timeouts"] is None


def _errors(workspace: Any) -> dict[str, list[str]]:
    """Error diagnostics of a refused plan, keyed by the snippet's block (`module "case"`)."""
    result = workspace.run("plan", "-json", "-input=false", "-no-color", check=False)
    assert result.returncode != 0, "the plan should have been refused"
    errors: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        event = json.loads(line)
        diag = event.get("diagnostic") if event.get("type") == "diagnostic" else None
        if diag and diag["severity"] == "error":
            where = (diag.get("snippet") or {}).get("context") or ""
            errors.setdefault(where, []).append(" ".join(diag["detail"].split()))
    return errors


@pytest.fixture(scope="module")
def refused(workspaces: Any, tf_tree: Path) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("invalid_values", "invalid_combinations"):
        for where, details in _errors(_workspace(workspaces, tf_tree, name)).items():
            errors.setdefault(where, []).extend(details)
    return errors


INVALID = {
    # case (module call in the fixtures) -> message; each message names the variable.
    "replica_duplicate_region": "replicas lists a region more than once: us-west-2",
    "replica_bad_region": "replicas[*].region_name must be an AWS region name",
    "replica_stream_conflict": "replicas need stream_view_type NEW_AND_OLD_IMAGES",
    "replica_deletion_protection": "replicas[*].deletion_protection_enabled cannot be set",
    "replica_cmk_without_key": "replicas[*].kms_key_arn is required for every replica",
    "replica_key_other_region": "replicas[*].kms_key_arn must be a KMS key ARN in the replica's",
    "replica_key_without_cmk": "replicas[*].kms_key_arn may only be set when encryption_key_type",
    "import_with_restore": "import_table cannot be combined with restore",
    "import_unknown_format": "import_table.input_format must be one of DYNAMODB_JSON, ION, CSV",
    "import_unknown_compression": "import_table.input_compression_type must be one of NONE, GZIP",
    "import_csv_options_not_csv": "import_table.csv options apply only when",
    "import_bad_delimiter": "import_table.csv.delimiter must be one of comma, tab",
    "import_bad_bucket": "import_table.s3_bucket_source.bucket must be an S3 bucket name",
    "import_provisioned_no_capacity": "read_capacity must be at least 1 when billing_mode",
    "import_with_lsi": "import_table cannot create local_secondary_indexes",
    "restore_without_source": "restore needs exactly one source: restore.source_table_name",
    "restore_time_and_latest": "restore needs exactly one of restore.date_time or",
    "restore_no_time": "restore needs exactly one of restore.date_time or",
    "restore_bad_time": "restore.date_time must be an RFC 3339 timestamp",
    "resource_policy_not_json": "resource_policy must be a JSON policy document with a Statement",
    "insights_unknown_index": "contributor_insights.indexes names unknown global",
    "kinesis_bad_arn": "kinesis_stream_arn must be a Kinesis stream ARN",
    "timeouts_bad": "timeouts.create/update/delete must be durations",
}


@pytest.mark.parametrize(("case", "message"), INVALID.items(), ids=list(INVALID))
def test_invalid_input_is_refused_naming_the_variable(
    refused: dict[str, list[str]], case: str, message: str
) -> None:
    details = refused.get(f'module "{case}"', [])
    assert any(d.startswith(message) for d in details), details


def test_replica_in_the_providers_own_region_is_refused(refused: dict[str, list[str]]) -> None:
    # A resource precondition (the region comes from the provider): its snippet is the resource.
    details = refused['resource "aws_dynamodb_table" "this"']
    assert details == [
        "replicas must not include the table's own region us-east-1 (the provider's region): "
        "a replica lives in another region."
    ]


def test_every_invalid_case_is_refused_once(refused: dict[str, list[str]]) -> None:
    cases = {w.split('"')[1] for w in refused if w.startswith("module ")}
    assert cases == set(INVALID)
    assert all(len(d) == 1 for w, d in refused.items()), refused


def test_root_replica_regions_put_a_replica_on_every_table(root_variants: Any) -> None:
    plan = root_variants["replicas"]  # replica_regions = ["us-west-2"], contributor insights on
    tables = planned_tables(plan)
    assert sorted(tables) == sorted(SEED_SPEC)
    insights = _resources(plan, "aws_dynamodb_contributor_insights").values()
    assert sorted(i["table_name"] for i in insights) == sorted(SEED_SPEC)
    for name, t in tables.items():
        assert [r["region_name"] for r in t["replica"]] == ["us-west-2"], name
        assert t["replica"][0]["point_in_time_recovery"] is True
        assert t["replica"][0]["propagate_tags"] is True
        assert (t["stream_enabled"], t["stream_view_type"]) == (True, "NEW_AND_OLD_IMAGES"), name


def test_root_replica_regions_are_checked(workspaces: Any) -> None:
    # One refused plan (each costs a provider start): both checks of replica_regions at once.
    with pytest.raises(tftest.TerraformTestError) as err:
        workspaces(".").plan(replica_regions=["us-east-1", "us-west-2", "us-west-2"])
    text = " ".join(str(err.value).replace("\\n", " ").split())
    # (the message is a repr: its apostrophe comes escaped)
    assert "replica_regions must not include the stack" in text
    assert "own region us-east-1: a replica lives in another region" in text
    assert "replica_regions lists a region more than once" in text
