"""An endpoint that dies mid-seed (issue 16, case 4): the seed fails within seconds, naming the
lost connection and how many items it wrote; today's code retried for minutes (221 s) and then
said "could not read back the keys ... retries exhausted".

The test starts its own moto server, seeds a large scale from a child process (the real CLI) and
kills the server (its own child, by PID) once the seed has written a few thousand items.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.tables import MEDIPHANT_KEYS, create_table
from tooling import aws
from tooling.dev.local import MotoServer
from tooling.dynamo.endpoint import EndpointLost
from tooling.dynamo.verify import verify_keys

pytestmark = pytest.mark.integration


def _table(url: str) -> None:
    client = aws.dynamodb(aws.AwsOptions(endpoint_url=url))
    create_table(client, "mediphant-data", MEDIPHANT_KEYS)


def test_a_killed_endpoint_fails_the_seed_within_seconds_naming_the_cause(
    moto_server: str, tmp_path: Path
) -> None:
    server = MotoServer().start()
    try:
        _table(server.url)
        env = {**os.environ, "COLUMNS": "200"}
        env.pop("TOOLING_DEBUG", None)
        argv = ["seed", "--apps", "mediphant", "--scale", "200", "--tf-dir", str(tmp_path)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "tooling", *argv, "--endpoint-url", server.url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        client = aws.dynamodb(aws.AwsOptions(endpoint_url=server.url))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:  # writing has begun
            table = client.describe_table(TableName="mediphant-data")["Table"]
            if table["ItemCount"] >= 2_000:
                break
            time.sleep(0.2)
        time.sleep(1.0)
        assert proc.poll() is None, proc.communicate()
    finally:
        server.stop()  # SIGKILL to the server this test started
    killed = time.monotonic()
    try:
        _out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()  # the seed this test started
        proc.communicate()
        pytest.fail("the seed still ran 60 s after its endpoint died")
    elapsed = time.monotonic() - killed
    assert proc.returncode == 1, err
    last = err.strip().splitlines()[-1]
    m = re.fullmatch(
        rf"error: lost connection to {re.escape(server.url)} while writing to mediphant-data: "
        r"([\d,]+) items were written to the tables of mediphant; run the same command again "
        r"to finish \(items are put by key, so a rerun rewrites the same items and leaves no "
        r"duplicates\)",
        last,
    )
    assert m, err[-2000:]
    assert int(m.group(1).replace(",", "")) > 0
    assert "Traceback" not in err
    assert elapsed < 10, f"took {elapsed:.1f} s after the endpoint died"


def test_verification_tells_a_lost_endpoint_from_missing_items(moto_server: str) -> None:
    """Keys read back from a live endpoint that lacks them: "missing"; from a dead one: lost."""
    server = MotoServer().start()
    try:
        _table(server.url)
        client = aws.dynamodb(aws.AwsOptions(endpoint_url=server.url))
        keys = [(("S", f"u{i}"), ("S", "x")) for i in range(150)]
        names = ("PK", "SK")
        assert verify_keys(client, "mediphant-data", keys, names) == keys  # all missing
    finally:
        server.stop()
    start = time.monotonic()
    with pytest.raises(EndpointLost) as lost:
        verify_keys(client, "mediphant-data", keys, names)
    assert str(lost.value) == (
        f"lost connection to {server.url} while reading back the keys of mediphant-data"
    )
    assert time.monotonic() - start < 10
