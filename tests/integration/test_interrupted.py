"""Lose no data when interrupted: `python -m tooling migrate fusion` and `seed` SIGKILLed halfway
through, then run again, leave exactly the items an uninterrupted run leaves.

Both run as the user runs them (child processes of the real CLI) against a stack applied to the
session's moto server; the expected contents are computed in-process from the same inputs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.seed_spec import SEED_SPEC
from support.terraform import DEV_VARS, init, terraform
from tooling import aws
from tooling.apps import GenerationContext, all_apps, start_of_utc_day
from tooling.dynamo.keys import Key, item_key
from tooling.dynamo.serialize import to_item

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PREFIX = "killtest-"
SCALE = 5  # about 11,000 items over the ten tables: seconds of writing, killed midway
RANDOM_SEED = 7


def key_names(seed: str) -> tuple[str, ...]:
    spec = SEED_SPEC[seed]
    return (spec["hash"][0],) + ((spec["range"][0],) if spec["range"] else ())


def keys_in(client: Any, table: str, names: tuple[str, ...]) -> set[Key]:
    """The keys a table holds (a key-only scan through every page)."""
    attrs = {f"#k{i}": n for i, n in enumerate(names)}
    found: set[Key] = set()
    pages = client.get_paginator("scan").paginate(
        TableName=table, ProjectionExpression=", ".join(attrs), ExpressionAttributeNames=attrs
    )
    for page in pages:
        found.update(item_key(item, names) for item in page["Items"])
    return found


def item_count(client: Any, table: str) -> int:
    """moto computes ItemCount on every DescribeTable: a cheap live count to poll."""
    return int(client.describe_table(TableName=table)["Table"]["ItemCount"])


def tooling(*args: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tooling", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "COLUMNS": "200"},
        )


def kill_when(
    proc: subprocess.Popen[bytes], reached: Any, log: Path, every: float, timeout: float = 180
) -> None:
    """SIGKILL proc once reached() is true (checked every `every` s: polling loads the server
    too); fail if it ends or times out first."""
    deadline = time.monotonic() + timeout
    while not reached():
        assert proc.poll() is None, f"ended before the kill point:\n{log.read_text()}"
        assert time.monotonic() < deadline, "kill point never reached"
        time.sleep(every)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def applied(fresh_tree: Any) -> Iterator[tuple[Path, dict[str, str]]]:
    """The root stack applied under PREFIX (deletion protection off); (its directory, seed name
    -> physical name)."""
    tree = fresh_tree("interrupted")
    args = ["-input=false", "-no-color", "-var", f"table_name_prefix={PREFIX}", *DEV_VARS]
    init(tree)
    terraform(tree, "apply", "-auto-approve", *args)
    tables = json.loads(terraform(tree, "output", "-json", "tables").stdout)
    physical = {seed: t["name"] for seed, t in tables.items()}
    try:
        yield tree, physical
    finally:  # deleting the tables frees the server as `destroy` would, in a fraction of the time
        client = aws.dynamodb()
        for name in physical.values():
            client.delete_table(TableName=name)


def entries_document(days: int = 60, per_day: int = 50) -> dict[str, dict[str, Any]]:
    """A fusion entries.json of days x per_day entries, from 1 January on."""
    doc: dict[str, dict[str, Any]] = {}
    for d in range(days):
        day = time.strftime("%m%d", time.gmtime(1672531200 + d * 86400))
        doc[day] = {
            f"{6 + t // 4:02d}{(t % 4) * 15 + d % 15:02d}": {
                "Medications": {"acetaminophen": "500mg"} if t % 3 == 0 else {},
                "Pain": {"back": f"{(d + t) % 10}/10", "hips": (d * t) % 10},
                "Activities": {"walking": t * 5} if t % 2 else {},
                "o2": str(90 + t % 8),
                "bpr": f"{110 + t % 30}/{70 + t % 9}",
                "note": f"entry {d}-{t}",
            }
            for t in range(per_day)
        }
    return doc


def test_migration_killed_halfway_completes_on_rerun(
    applied: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    tree, physical = applied
    client = aws.dynamodb()
    entries, summaries = physical["fusion-health-entries"], physical["fusion-daily-summaries"]
    doc = entries_document()
    source = tmp_path / "entries.json"
    source.write_text(json.dumps(doc))
    in_file = {(("S", day), ("S", hhmm)) for day, times in doc.items() for hhmm in times}
    assert len(in_file) == 60 * 50
    # Expected: whatever the tables already hold plus the file (other tests of this module may
    # have run first).
    want_entries = keys_in(client, entries, key_names("fusion-health-entries")) | in_file
    days_before = keys_in(client, summaries, ("date",))
    want_days = days_before | {(("S", day),) for day in doc}
    start = item_count(client, entries)

    cmd = ["migrate", "fusion", str(source), "--tf-dir", str(tree)]
    proc = tooling(*cmd, log=tmp_path / "killed.log")
    kill_when(
        proc,
        lambda: item_count(client, entries) - start >= len(in_file) // 2,
        tmp_path / "killed.log",
        every=0.1,
    )
    assert item_count(client, summaries) == len(days_before)  # killed before the summaries

    rerun = tooling(*cmd, log=tmp_path / "rerun.log")
    assert rerun.wait(timeout=300) == 0, (tmp_path / "rerun.log").read_text()
    out = (tmp_path / "rerun.log").read_text()
    assert "verified: every item read back as written" in out
    assert keys_in(client, entries, key_names("fusion-health-entries")) == want_entries
    assert keys_in(client, summaries, ("date",)) == want_days
    # The command read back and compared every item; spot-check one summary here too.
    got = client.get_item(TableName=summaries, Key={"date": {"S": "0214"}})["Item"]
    assert got["entry_count"] == {"N": str(sum(k[0][1] == "0214" for k in want_entries))}


def expected_keys(seeds: list[str]) -> dict[str, set[Key]]:
    """The distinct keys an uninterrupted `seed --scale SCALE --random-seed RANDOM_SEED` writes."""
    ctx = GenerationContext(random_seed=RANDOM_SEED, scale=SCALE, now=start_of_utc_day())
    keys: dict[str, set[Key]] = {seed: set() for seed in seeds}
    for app in all_apps():
        for seed, item in app.generate(ctx):
            keys[seed].add(item_key(to_item(item), key_names(seed)))
    return keys


def test_seed_killed_halfway_completes_on_rerun(
    applied: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    tree, physical = applied
    client = aws.dynamodb()
    generated = expected_keys(sorted(physical))
    total = sum(len(k) for k in generated.values())
    assert 9_000 < total < 13_000
    held = {seed: keys_in(client, physical[seed], key_names(seed)) for seed in physical}
    want = {seed: len(held[seed] | generated[seed]) for seed in physical}
    start = sum(len(k) for k in held.values())

    def written() -> int:
        return sum(item_count(client, t) for t in physical.values()) - start

    # --no-verify: the counts below check every table exactly (the read-back would double the
    # server's work; it is tested in test_seed_engine.py and test_faults.py).
    cmd = [
        "seed", "--tf-dir", str(tree), "--scale", str(SCALE), "--random-seed", str(RANDOM_SEED),
        "--no-verify",
    ]  # fmt: skip
    killed = tooling(*cmd, log=tmp_path / "killed.log")
    kill_when(killed, lambda: written() >= total // 2, tmp_path / "killed.log", every=0.2)
    partial = written()
    assert total // 4 <= partial < total, partial  # really killed midway

    rerun = tooling(*cmd, log=tmp_path / "rerun.log")
    assert rerun.wait(timeout=600) == 0, (tmp_path / "rerun.log").read_text()[-3000:]
    assert "Seeded tables" in (tmp_path / "rerun.log").read_text()
    assert {seed: item_count(client, physical[seed]) for seed in physical} == want
