"""The delay proxy: bytes arrive intact, and each direction costs the configured delay."""

from __future__ import annotations

import os
import socket
import socketserver
import threading
import time
from collections.abc import Iterator

import pytest

from tooling.dev.netdelay import DelayProxy, delay_proxy_process
from tooling.errors import UsageError

DELAY = 0.04


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(65536):
            self.request.sendall(data)


@pytest.fixture(scope="module")
def echo_port() -> Iterator[int]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _round_trips(port: int, payloads: list[bytes]) -> tuple[list[bytes], float]:
    """Send each payload, read its echo back; the echoes and the median seconds per round trip."""
    echoes, times = [], []
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        for payload in payloads:
            start = time.perf_counter()
            s.sendall(payload)
            got = b""
            while len(got) < len(payload):
                chunk = s.recv(65536)
                assert chunk, "connection closed early"
                got += chunk
            times.append(time.perf_counter() - start)
            echoes.append(got)
    return echoes, sorted(times)[len(times) // 2]


def test_proxy_forwards_bytes_intact_and_adds_the_delay_each_way(echo_port: int) -> None:
    payloads = [os.urandom(n) for n in (1, 100, 70_000, 300_000, 5)] + [bytes(range(256))]
    direct, direct_rtt = _round_trips(echo_port, payloads)
    with DelayProxy(echo_port, DELAY) as proxy:
        delayed, delayed_rtt = _round_trips(proxy.port, payloads)
    assert direct == payloads
    assert delayed == payloads
    # One round trip crosses the proxy twice: it costs about 2 x DELAY more than going direct.
    added = delayed_rtt - direct_rtt
    assert 1.8 * DELAY <= added <= 2 * DELAY + 0.05, (direct_rtt, delayed_rtt)


def test_chunks_are_pipelined_not_delayed_one_after_another(echo_port: int) -> None:
    # 20 writes in quick succession must all arrive about one delay later, not 20 delays later.
    with (
        DelayProxy(echo_port, DELAY) as proxy,
        socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s,
    ):
        start = time.perf_counter()
        for i in range(20):
            s.sendall(bytes([i]) * 10)
        got = b""
        while len(got) < 200:
            got += s.recv(65536)
        elapsed = time.perf_counter() - start
    assert got == b"".join(bytes([i]) * 10 for i in range(20))
    assert elapsed < 5 * DELAY


def test_subprocess_proxy_delays_and_stops(echo_port: int) -> None:
    with delay_proxy_process(echo_port, DELAY) as url:
        port = int(url.rsplit(":", 1)[1])
        echoes, rtt = _round_trips(port, [b"ping"] * 5)
    assert echoes == [b"ping"] * 5
    assert rtt >= 1.8 * DELAY
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_only_loopback_targets_are_accepted() -> None:
    with pytest.raises(UsageError, match="not a loopback address"):
        DelayProxy(80, DELAY, target_host="10.0.0.1")
    with pytest.raises(UsageError, match="delay"):
        DelayProxy(80, -1.0)
