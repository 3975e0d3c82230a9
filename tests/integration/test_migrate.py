"""`migrate fusion` against the fusion module applied from the real Terraform to the moto server:
writes what the file says, computes the summaries, verifies, writes nothing for an invalid file
and reports integrity mismatches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO
from support.terraform import init_and_apply
from tooling import aws
from tooling.apps import runner
from tooling.apps._common import query_all
from tooling.apps.fusion.migration import daily_summaries, flatten, load_entries, plan, verify
from tooling.cli import main
from tooling.dynamo.serialize import to_item
from tooling.terraform import stack

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXAMPLE = REPO / "examples" / "entries.json"


@pytest.fixture(scope="module")
def deployed(fresh_tree: Any) -> tuple[Path, stack.Stack]:
    tree = fresh_tree("migrate")
    (tree / "test.auto.tfvars.json").write_text(
        json.dumps(
            {
                "apps": ["fusion-health"],
                "environment": "development",
                "enable_deletion_protection": False,
                "enable_point_in_time_recovery": False,
                "table_name_prefix": "mig-",
            }
        )
    )
    init_and_apply(tree)
    return tree, stack.load(tree)


def table_items(client: Any, table: str) -> list[dict[str, Any]]:
    out = []
    for page in client.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        out.extend(page["Items"])
    return out


def test_migrates_verifies_and_is_idempotent(deployed: Any, capsys: Any) -> None:
    tree, st = deployed
    client = aws.dynamodb()
    entries_t, summaries_t = (
        st.physical("fusion-health-entries"),
        st.physical("fusion-daily-summaries"),
    )
    assert entries_t == "mig-fusion-health-entries"
    args = ["migrate", "fusion", str(EXAMPLE), "--tf-dir", str(tree)]
    assert main(args) == 0
    assert "verified" in capsys.readouterr().out
    expected = flatten(load_entries(EXAMPLE))
    got = table_items(client, entries_t)
    key = lambda i: (i["date"]["S"], i["timestamp"]["S"])  # noqa: E731
    assert sorted(got, key=key) == sorted((to_item(i) for i in expected), key=key)
    assert len(table_items(client, summaries_t)) == len(daily_summaries(expected)) == 14
    # The seed's GSI example now answers from the migrated data.
    oxy = runner.find("fusion-health", "entries-by-medication")
    found = runner.run(
        oxy,
        client,
        st,
        runner.parse_params(oxy, ["medication=oxycodone", "from_date=0520", "to_date=0530"]),
    )
    want = {
        (i["date"], i["timestamp"])
        for i in expected
        if i.get("medication_taken") == "oxycodone" and "0520" <= i["date"] <= "0530"
    }
    assert {(i["date"], i["timestamp"]) for i in found} == want and ("0523", "1300") in want
    # A second run leaves the same items.
    assert main(args) == 0
    assert len(table_items(client, entries_t)) == len(expected)


def test_invalid_file_writes_nothing(deployed: Any, tmp_path: Path, capsys: Any) -> None:
    tree, st = deployed
    client = aws.dynamodb()
    doc = {
        "0701": {"0900": {"Medications": {"oxycodone": "5mg"}, "Pain": {"back": "5"}}},
        "0702": {"0900": {"Pain": {"back": "6"}}, "1000": {"Pain": {"back": ["7"]}}},
    }
    bad = tmp_path / "entries.json"
    bad.write_text(json.dumps(doc))
    before = len(table_items(client, st.physical("fusion-health-entries")))
    assert main(["migrate", "fusion", str(bad), "--tf-dir", str(tree)]) == 2
    assert f"{bad}: 0702/1000: Pain.back:" in capsys.readouterr().err
    assert len(table_items(client, st.physical("fusion-health-entries"))) == before
    assert not query_all(
        client,
        TableName=st.physical("fusion-health-entries"),
        KeyConditionExpression="#d = :d",
        ExpressionAttributeNames={"#d": "date"},
        ExpressionAttributeValues={":d": {"S": "0701"}},
    )
    truncated = tmp_path / "truncated.json"
    truncated.write_text(EXAMPLE.read_text()[:500])
    assert main(["migrate", "fusion", str(truncated), "--tf-dir", str(tree)]) == 2
    assert "invalid JSON" in capsys.readouterr().err
    assert len(table_items(client, st.physical("fusion-health-entries"))) == before


def test_integrity_mismatches_are_reported(deployed: Any, tmp_path: Path, capsys: Any) -> None:
    tree, st = deployed
    client = aws.dynamodb()
    doc = {"0801": {"0900": {"Pain": {"back": "5"}, "note": "ok"}, "1000": {"o2": "95"}}}
    path = tmp_path / "entries.json"
    path.write_text(json.dumps(doc))
    entries_t = st.physical("fusion-health-entries")
    # A stray entry of that date already in the table: noted, not an integrity failure.
    client.put_item(TableName=entries_t, Item=to_item({"date": "0801", "timestamp": "2300"}))
    assert main(["migrate", "fusion", str(path), "--tf-dir", str(tree)]) == 0
    out = capsys.readouterr().out
    assert "0801: holds 3 entries, 1 of them not from this file" in out and "verified" in out
    # Content read back is compared: a changed item and a missing one are mismatches.
    report = plan(path)
    report.entries_table = entries_t
    report.summaries_table = st.physical("fusion-daily-summaries")
    report.entries[0]["note"] = "changed"
    client.delete_item(TableName=entries_t, Key=to_item({"date": "0801", "timestamp": "1000"}))
    problems = verify(client, report)
    assert f"{entries_t}: 0801/0900: differs in note" in problems
    assert f"{entries_t}: 0801/1000: missing" in problems
    assert any(p.endswith("matching items of 3 written") for p in problems)
