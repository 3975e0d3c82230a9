"""`import` and `migrate fusion` refuse, before the first write, what DynamoDB would refuse, and
say exactly what they wrote when a write stops (issue 16, cases 3 and 9).

Real CLI against the session's moto server; each case checks the exit code, the one error line
and the tables' contents afterwards. The bad-input catalogue (test_bad_input.py) holds the plain
one-line cases; here are the ones that need a table's contents or a stopped write.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from support.tables import count, make_table
from tooling import aws, cli
from tooling.dev.netdelay import delay_proxy_process
from tooling.dynamo.serialize import MAX_ITEM_BYTES, item_from_json, item_size

pytestmark = pytest.mark.integration

KEYS = (("PK", "S"), ("SK", "S"))


@pytest.fixture(scope="module")
def client(moto_server: str) -> Any:
    return aws.dynamodb(max_pool_connections=32)


def line(pk: str, **attrs: Any) -> str:
    return json.dumps({"Item": {"PK": {"S": pk}, "SK": {"S": "s"}, **attrs}}) + "\n"


def test_one_byte_over_400_kb_is_refused_before_any_write(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """DynamoDB's size rules (names + values) computed as DynamoDB counts them: the item one
    byte over 409,600 is refused on its line with nothing written, the one before it included.
    (moto's own limit is lower, 405,000 bytes by its count, so the largest item DynamoDB takes
    cannot be written to moto: a 400,000-byte one shows that big items do import.)"""
    base = {"PK": {"S": "big"}, "SK": {"S": "s"}, "n": {"N": "12345"}, "pad": {"S": ""}}
    pad = MAX_ITEM_BYTES - item_size(item_from_json(base))
    over_item = {**base, "pad": {"S": "x" * (pad + 1)}}
    assert item_size(item_from_json(over_item)) == MAX_ITEM_BYTES + 1
    table = make_table(client, "size", KEYS)
    ok, over = tmp_path / "ok.jsonl", tmp_path / "over.jsonl"
    ok.write_text(json.dumps({"Item": {**base, "pad": {"S": "x" * (pad - 9_600)}}}) + "\n")
    over.write_text(line("a") + json.dumps({"Item": over_item}) + "\n")
    assert cli.main(["import", str(over), "--table", table]) == 2
    err = capsys.readouterr().err
    assert f"{over}: line 2: item is 409,601 bytes, over DynamoDB's limit" in err
    assert count(client, table) == 0
    assert cli.main(["import", str(ok), "--table", table]) == 0, capsys.readouterr().err
    got = client.get_item(TableName=table, Key={"PK": {"S": "big"}, "SK": {"S": "s"}})["Item"]
    assert len(got["pad"]["S"]) == pad - 9_600


def test_import_counts_a_duplicate_that_replaced_an_earlier_item(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Line 55 repeats line 1's key, in a later batch: today's code said 0 duplicates."""
    table = make_table(client, "dupes", KEYS)
    lines = [line(f"k{i}", v={"N": str(i)}) for i in range(60)]
    lines[54] = line("k0", v={"N": "999"})
    path = tmp_path / "dupes.jsonl"
    path.write_text("".join(lines))
    assert cli.main(["import", str(path), "--table", table]) == 0
    err = capsys.readouterr().err
    assert "imported 60 items" in err and "1 duplicate keys" in err, err
    assert count(client, table) == 59
    got = client.get_item(TableName=table, Key={"PK": {"S": "k0"}, "SK": {"S": "s"}})["Item"]
    assert got["v"] == {"N": "999"}


def test_interrupted_import_says_how_many_items_it_wrote_and_a_rerun_finishes(
    client: Any, moto_server: str, tmp_path: Path
) -> None:
    table = make_table(client, "interrupt", KEYS)
    total = 5_000  # about 12 s through the proxy with 2 workers: interrupted well before the end
    path = tmp_path / "many.jsonl"
    path.write_text("".join(line(f"k{i:05d}", pad={"S": "p" * 200}) for i in range(total)))
    port = int(moto_server.rsplit(":", 1)[1])
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("TOOLING_DEBUG", None)
    argv = [sys.executable, "-m", "tooling", "import", str(path), "--table", table]
    with delay_proxy_process(port, 0.05) as url:
        proc = subprocess.Popen(
            [*argv, "--endpoint-url", url, "--workers", "2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        deadline = time.monotonic() + 60
        while count(client, table) < 500 and time.monotonic() < deadline:
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    (message,) = err.splitlines()[-1:]
    m = re.fullmatch(
        rf"error: interrupted: ([\d,]+) of 5,000 items were written to {table}; run the same "
        r"command again to finish \(items are put by key, so a rerun rewrites the same items "
        r"and leaves no duplicates\)",
        message,
    )
    assert m, err
    written = int(m.group(1).replace(",", ""))
    assert 0 < written < total
    assert count(client, table) == written  # exactly what it said
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert count(client, table) == total


# -- migrate fusion -------------------------------------------------------------------------------


@pytest.fixture()
def fusion(client: Any, tmp_path: Path) -> dict[str, Any]:
    """Fresh fusion tables under unique names, and a --tf-dir whose outputs would name them is
    not needed: migrate takes seed names without state, so the tables use the seed names on a
    private moto server."""
    from tooling.dev.local import MotoServer

    server = MotoServer().start()
    c = aws.dynamodb(aws.AwsOptions(endpoint_url=server.url))
    for table, schema in (
        ("fusion-health-entries", (("date", "HASH"), ("timestamp", "RANGE"))),
        ("fusion-daily-summaries", (("date", "HASH"),)),
    ):
        c.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": n, "KeyType": t} for n, t in schema],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n, _ in schema],
            BillingMode="PAY_PER_REQUEST",
        )
    nostate = tmp_path / "nostate"
    nostate.mkdir()
    yield {"url": server.url, "client": c, "nostate": nostate, "dir": tmp_path}
    server.stop()


def migrate(fusion: dict[str, Any], doc: Any) -> int:
    path = fusion["dir"] / "entries.json"
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    argv = ["migrate", "fusion", str(path), "--tf-dir", str(fusion["nostate"])]
    return cli.main([*argv, "--endpoint-url", fusion["url"]])


def contents(fusion: dict[str, Any]) -> dict[str, int]:
    return {
        t: count(fusion["client"], t) for t in ("fusion-health-entries", "fusion-daily-summaries")
    }


def test_an_entry_over_400_kb_is_refused_before_any_write(
    fusion: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    day = {f"{h:02d}00": {"note": "ok"} for h in range(10)}
    day["2300"] = {"Medications": {f"m{i}": "x" * 9_000 for i in range(50)}}
    assert migrate(fusion, {"0523": day}) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "0523/2300 (entry): item is" in err[0] and "400 KB" in err[0], err
    assert contents(fusion) == {"fusion-health-entries": 0, "fusion-daily-summaries": 0}


def test_a_computed_summary_over_the_limits_is_refused_before_any_write(
    fusion: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each entry is storable; the day's summary is not (50 long medication names: over
    400 KB; two activity readings whose total is out of DynamoDB's range). Today's code wrote
    the entries, then failed on the summary, leaving it stale."""
    many = {f"{i // 60:02d}{i % 60:02d}": {"Medications": {f"{i}" * 9_000: "1"}} for i in range(50)}
    nines = int("9" * 38)  # the largest integer DynamoDB stores; twice it has 39 digits
    huge = {"0900": {"Activities": {"walking": nines}}, "1000": {"Activities": {"walking": nines}}}
    for doc, fragment in (
        ({"0523": many}, "0523 (daily summary): item is"),
        ({"0524": huge}, "0524 (daily summary): activity_totals: "),
    ):
        assert migrate(fusion, doc) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and fragment in err[0], err
        assert contents(fusion) == {"fusion-health-entries": 0, "fusion-daily-summaries": 0}


def test_the_summary_counts_entries_already_in_the_table(
    fusion: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """The pre-write check judges the summary as it will be: with the table's own entries of
    that date. Each file alone is fine; together their summary has 39 digits."""
    nines = int("9" * 38)
    assert migrate(fusion, {"0601": {"0900": {"Activities": {"walking": nines}}}}) == 0
    capsys.readouterr()
    assert migrate(fusion, {"0601": {"1000": {"Activities": {"walking": nines}}}}) == 2
    err = capsys.readouterr().err
    assert "0601 (daily summary): activity_totals: " in err and "38" in err, err
    assert contents(fusion) == {"fusion-health-entries": 1, "fusion-daily-summaries": 1}
