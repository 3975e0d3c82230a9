"""`export` / `import`: every item round-trips exactly; a malformed file is refused whole."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from support.items import scanned_items
from support.tables import count, make_table
from tooling import aws, cli
from tooling.dynamo.writer import write_items

pytestmark = pytest.mark.integration


def every_type(i: int) -> dict[str, Any]:
    return {
        "pk": f"item{i:05d}",
        "sk": i,
        "s": "ünïcode ✓ " * 20,
        "n": Decimal(f"{1234567890 + i}.1234567890123456789012345678"),  # 38 digits
        "small": Decimal("-1E-130"),
        "b": bytes(range(i % 256)) + b"\x00\xff",
        "flag": i % 2 == 0,
        "nothing": None,
        "m": {"nested": {"deep": [1, "two", Decimal("3.5"), {b"\x01"}]}},
        "l": [i, "x", None, True],
        "ss": {"a", "b", f"c{i}"},
        "ns": {1, Decimal("2.50"), Decimal("-0.000001")},
        "bs": {b"\x00", b"\x01\x02"},
    }


@pytest.fixture(scope="module")
def client(moto_server: str) -> Any:
    return aws.dynamodb(max_pool_connections=32)


KEYS = (("pk", "S"), ("sk", "N"))


def test_export_import_round_trip_is_exact(client: Any, tmp_path: Path) -> None:
    source = make_table(client, "export-src", KEYS)
    n = 800  # ~1.4 MB: more than one 1 MB scan page for the single-segment export
    assert write_items(client, source, (every_type(i) for i in range(n))).ok
    first = tmp_path / "first.jsonl"
    assert cli.main(["export", source, "-o", str(first), "--segments", "3"]) == 0
    lines = first.read_text().splitlines()
    assert len(lines) == n
    assert not (tmp_path / "first.jsonl.partial").exists()
    assert json.loads(lines[0]).keys() == {"Item"}

    target = make_table(client, "export-dst", KEYS)
    assert cli.main(["import", str(first), "--table", target]) == 0
    assert count(client, target) == n
    original, copy = (
        scanned_items(client, source, ("pk", "sk")),
        scanned_items(client, target, ("pk", "sk")),
    )
    assert len(original) == n
    for key, item in original.items():
        assert copy[key] == item, key
    seventh = original[(("S", "item00007"), ("N", "7"))]
    assert seventh["n"] == ("N", "1234567897.1234567890123456789012345678")

    second = tmp_path / "second.jsonl"
    assert cli.main(["export", target, "-o", str(second), "--segments", "1"]) == 0
    assert len(second.read_text().splitlines()) == n


def test_seed_dry_run_output_imports(client: Any, tmp_path: Path) -> None:
    """`seed --dry-run` lines ({"table", "item"}) are accepted by `import` too."""
    pytest.importorskip("tooling.apps.mediphant")
    out = tmp_path / "dry.jsonl"
    code = cli.main(
        ["seed", "--apps", "mediphant", "--dry-run", "-o", str(out), "--tf-dir", str(tmp_path)]
    )
    assert code == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records and {r["table"] for r in records} == {"mediphant-data"}
    target = make_table(client, "dry", (("PK", "S"), ("SK", "S")))
    assert cli.main(["import", str(out), "--table", target]) == 0
    distinct = {(r["item"]["PK"]["S"], r["item"]["SK"]["S"]) for r in records}
    assert count(client, target) == len(distinct)


GOOD = '{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}'


@pytest.mark.parametrize(
    "bad_line, problem",
    [
        ('{"Item": {"pk": {"S": "b"}, "sk": {"N": "2"}', "line 3: not JSON"),
        ('{"pk": {"S": "b"}}', 'line 3: expected {"Item": {...}}'),
        ('{"Item": {"pk": {"S": "b"}}}', "line 3: no key attribute sk"),
        ('{"Item": {"pk": {"S": "b"}, "sk": {"S": "2"}}}', "line 3: key attribute sk is S, not N"),
        ('{"Item": {"pk": {"S": "b"}, "sk": {"N": "two"}}}', "line 3: sk: 'two' is not a number"),
        ('{"Item": {"pk": {"S": "b"}, "sk": {"N": "2"}, "x": {"B": "!"}}}', "line 3: x: invalid"),
    ],
)
def test_malformed_import_names_the_line_and_writes_nothing(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_line: str, problem: str
) -> None:
    table = make_table(client, "bad-import", KEYS)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([GOOD, "", bad_line, GOOD.replace('"a"', '"z"')]) + "\n")
    assert cli.main(["import", str(path), "--table", table]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {path}: {problem}" or err.startswith(f"error: {path}: {problem}")
    assert count(client, table) == 0


def test_export_and_import_errors(client: Any, tmp_path: Path, capsys: Any) -> None:
    assert cli.main(["export", "no-such-table", "-o", str(tmp_path / "x.jsonl")]) == 1
    assert "table no-such-table does not exist" in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()
    assert cli.main(["import", str(tmp_path / "missing.jsonl"), "--table", "t"]) == 2
    assert "missing.jsonl: no such file" in capsys.readouterr().err
