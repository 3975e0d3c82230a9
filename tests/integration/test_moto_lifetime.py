"""The local endpoint dies with the process that started it, even when that process is killed
and runs no cleanup (a CI job cancelled with SIGTERM, an OOM kill), unless it was started to
outlive it (`local up`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tooling.dev.procs import Identity, identity, is_running

pytestmark = [pytest.mark.integration]

# Starts a server, prints its PID and URL, then waits to be killed.
STARTER = """
import sys, time
from tooling.dev.local import MotoServer
server = MotoServer(outlive_parent=sys.argv[1] == "outlive").start()
print(server.process.pid, server.url, flush=True)
time.sleep(600)
"""


def _serving(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):
            return True
    except OSError:
        return False


def _gone_within(server: Identity, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not is_running(server):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def started() -> Iterator[object]:
    """Factory: (server, URL) of a server whose starter has been SIGKILLed. Any server still up
    at the end is stopped by the identity recorded here."""
    servers: list[Identity] = []

    def start(mode: str) -> tuple[Identity, str]:
        starter = subprocess.Popen(
            [sys.executable, "-c", STARTER, mode],
            stdout=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        assert starter.stdout is not None
        pid_text, url = starter.stdout.readline().split()
        server = identity(int(pid_text))
        assert server is not None
        servers.append(server)
        assert _serving(url)
        starter.send_signal(signal.SIGKILL)
        starter.wait()
        return server, url

    yield start
    for server in servers:
        if is_running(server):
            os.killpg(server.pid, signal.SIGKILL)


def test_server_dies_with_a_killed_parent(started: object) -> None:
    server, url = started("bound")  # type: ignore[operator]
    assert _gone_within(server, 10), f"moto server {server.pid} outlived its starter"
    assert not _serving(url)


def test_server_started_to_outlive_its_parent_keeps_serving(started: object) -> None:
    server, url = started("outlive")  # type: ignore[operator]
    assert not _gone_within(server, 1)
    assert _serving(url)
