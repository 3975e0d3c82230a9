"""`local up` / `local down` as a user types them (no TF_CLI_CONFIG_FILE exported): a stale
record is replaced, a failed or interrupted `up` leaves no process and no record behind, and
`down` never signals a PID that no longer names the server it started."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from support.paths import TESTS
from tooling.dev.procs import Identity, identity

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REAPER = TESTS / "support" / "reaper.py"


def _env() -> dict[str, str]:
    # As typed in a fresh shell: no CLI configuration exported, no endpoint of the session's.
    return {
        k: v
        for k, v in os.environ.items()
        if k != "TF_CLI_CONFIG_FILE" and not k.startswith("AWS_")
    }


def tooling(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tooling", *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def reaped(cwd: Path, *args: str, interrupt: bool = False) -> dict[str, Any]:
    """`python -m tooling ARGS` under tests/support/reaper.py: its exit code, the processes it
    started and those that outlived it."""
    flags = ["--interrupt-twice"] if interrupt else []
    done = subprocess.run(
        [sys.executable, str(REAPER), *flags, "--", sys.executable, "-m", "tooling", *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["output"] = done.stdout + done.stderr
    return report


@pytest.fixture(scope="module")
def local_dir(fresh_tree: Any) -> Path:
    return fresh_tree("local-stack") / "examples" / "local"


def test_up_replaces_a_stale_record_and_down_stops_its_server(
    local_dir: Path, tmp_path: Path
) -> None:
    state = tmp_path / ".local" / "endpoint.json"
    state.parent.mkdir()
    # Above the kernel's largest pid_max (2**22): no process can have this PID.
    state.write_text(json.dumps({"pid": 2**22 + 1, "start_time": 1, "cmdline": ["python"]}))

    up = tooling(tmp_path, "local", "up", "--tf-dir", str(local_dir))
    try:
        assert up.returncode == 0, up.stderr[-2000:]
        assert "is no longer running" in up.stdout and "local stack up at" in up.stdout
        assert "terraform CLI configuration:" in up.stderr
        record = json.loads(state.read_text())
        server = Identity.from_json(record)
        assert server is not None and identity(server.pid) == server
        assert any("moto.server" in part for part in server.cmdline)
        client = boto3.client(
            "dynamodb",
            endpoint_url=record["env"]["AWS_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        assert "mediphant-data" in client.list_tables()["TableNames"]
        assert client.scan(TableName="mediphant-data", Select="COUNT")["Count"] > 0

        again = tooling(tmp_path, "local", "up", "--tf-dir", str(local_dir))
        assert again.returncode == 1 and "already up" in again.stderr
    finally:
        down = tooling(tmp_path, "local", "down")  # stops the server whatever failed
    assert down.returncode == 0, down.stderr[-2000:]
    assert "local stack down" in down.stdout
    assert identity(server.pid) is None
    assert not state.exists() and not (tmp_path / ".local" / "endpoint.env").exists()


@pytest.mark.parametrize("wrong", ["start_time", "cmdline"])
def test_down_leaves_a_process_that_reused_the_pid(tmp_path: Path, wrong: str) -> None:
    other = subprocess.Popen(["sleep", "300"], start_new_session=True)
    try:
        real = identity(other.pid)
        while real is None or real.cmdline != ("sleep", "300"):  # until the child has exec'd
            real = identity(other.pid)
        record = real.as_json()
        record[wrong] = (
            real.start_time - 1
            if wrong == "start_time"
            else [sys.executable, "-m", "moto.server", "-p", "1"]
        )
        state = tmp_path / ".local" / "endpoint.json"
        state.parent.mkdir()
        state.write_text(json.dumps({**record, "env": {}, "tf_dir": str(tmp_path)}))
        down = tooling(tmp_path, "local", "down")
        assert down.returncode == 0, down.stderr
        assert f"(pid {other.pid}) is no longer running" in down.stdout
        assert other.poll() is None and identity(other.pid) == real  # not signalled
        assert not state.exists()
    finally:
        os.kill(other.pid, signal.SIGKILL)
        other.wait()


def test_failed_up_stops_its_server_and_keeps_no_record(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "main.tf").write_text('module "gone" {\n  source = "./no-such-module"\n}\n')
    report = reaped(tmp_path, "local", "up", "--tf-dir", str(broken))
    assert report["exit"] == 1 and "terraform init failed" in report["output"]
    assert report["seen"], "the moto server was started"
    assert report["survivors"] == []
    assert not (tmp_path / ".local" / "endpoint.json").exists()
    assert not (tmp_path / ".local" / "endpoint.env").exists()


def test_ctrl_c_twice_during_up_leaves_no_process(local_dir: Path, tmp_path: Path) -> None:
    report = reaped(tmp_path, "local", "up", "--tf-dir", str(local_dir), interrupt=True)
    assert report["interrupted"], "terraform's provider plugin never started"
    assert report["exit"] == 130, report["output"][-2000:]
    assert len(report["seen"]) >= 3  # moto server, terraform, the AWS provider plugin
    assert report["survivors"] == [], report["output"][-2000:]
    assert not (tmp_path / ".local" / "endpoint.json").exists()
