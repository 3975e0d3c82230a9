"""The whole job on a local endpoint: `terraform apply` of the root stack, `seed` fills all ten
tables, a second seed changes no count, a table round-trips through export/import, and the stack
is destroyed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support.items import scanned_items
from support.seed_spec import SEED_SPEC
from support.tables import count, make_table
from support.terraform import DEV_VARS, init, terraform
from tooling import aws

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def tooling_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tooling", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.fixture(scope="module")
def applied(fresh_tree: Any) -> Any:
    tree = fresh_tree("seed-stack")
    init(tree)
    terraform(
        tree, "apply", "-auto-approve", "-input=false", "-no-color", "-var",
        "table_name_prefix=seedtest-", *DEV_VARS,
    )  # fmt: skip
    try:
        yield tree
    finally:
        terraform(
            tree, "destroy", "-auto-approve", "-input=false", "-no-color", "-var",
            "table_name_prefix=seedtest-", *DEV_VARS,
        )  # fmt: skip


def test_seed_fills_every_table_idempotently_and_round_trips(applied: Path, tmp_path: Path) -> None:
    client = aws.dynamodb()
    outputs = json.loads(terraform(applied, "output", "-json", "tables").stdout)
    assert sorted(outputs) == sorted(SEED_SPEC)
    physical = {seed: t["name"] for seed, t in outputs.items()}
    assert all(name == f"seedtest-{seed}" for seed, name in physical.items())

    # Other tests may hold tables under the bare seed names on this server: they must not change.
    bystanders = {
        n: count(client, n) for n in set(client.list_tables()["TableNames"]) & set(SEED_SPEC)
    }
    first = tooling_cli("seed", "--tf-dir", str(applied))  # no --apps: every deployed table
    assert first.returncode == 0, first.stderr
    assert "Seeded tables" in first.stdout
    seeded = sorted(SEED_SPEC)
    counts = {seed: count(client, physical[seed]) for seed in seeded}
    for seed, n in counts.items():
        assert n > 0, f"{seed} is empty"
    # The seed names are untouched: everything went to the prefixed physical tables.
    assert {n: count(client, n) for n in bystanders} == bystanders

    second = tooling_cli("seed", "--tf-dir", str(applied))
    assert second.returncode == 0, second.stderr
    assert {seed: count(client, physical[seed]) for seed in seeded} == counts

    # Round trip of one seeded table, by its seed name, through a file into a new table.
    seed = seeded[0]
    spec = SEED_SPEC[seed]
    keys = [spec["hash"][0]] + ([spec["range"][0]] if spec["range"] else [])
    dump = tmp_path / "dump.jsonl"
    exported = tooling_cli("export", seed, "--tf-dir", str(applied), "-o", str(dump))
    assert exported.returncode == 0, exported.stderr
    assert len(dump.read_text().splitlines()) == counts[seed]
    key_attrs = (spec["hash"],) + ((spec["range"],) if spec["range"] else ())
    copy = make_table(client, f"copy-of-{seed}", tuple(tuple(k) for k in key_attrs))
    imported = tooling_cli("import", str(dump), "--table", copy)
    assert imported.returncode == 0, imported.stderr
    assert scanned_items(client, copy, keys) == scanned_items(client, physical[seed], keys)
    client.delete_table(TableName=copy)
