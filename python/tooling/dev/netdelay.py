"""A loopback TCP proxy that adds a fixed delay to each direction: a far-away region, locally.

Every chunk read from one side is written to the other side `delay` seconds after it arrived, in
order, per direction. Chunks are pipelined (a chunk's delay does not wait for the previous one's),
so a request/response round trip costs about 2 x delay plus the engine's own time, whatever the
sizes: exactly what a client far from its region sees on a kept-alive connection.

Only loopback addresses are accepted, the number of connections and the bytes in flight per
direction are bounded, and the proxy stops when its context exits (or when the parent process
dies, for the subprocess variant used by the benchmarks so that the proxy does not compete for
the GIL with the client being measured).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from tooling.errors import ToolingError, UsageError

CHUNK = 64 * 1024
# Bytes buffered per direction before the reader stops reading (TCP back-pressure then applies).
MAX_IN_FLIGHT = 8 * 1024 * 1024
MAX_CONNECTIONS = 256


def _require_loopback(host: str) -> None:
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise UsageError(f"netdelay: {host} is not a loopback address (only 127.0.0.0/8, ::1)")


async def _pump(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float, budget: int
) -> None:
    """Copy reader -> writer, each chunk `delay` seconds after it was read, preserving order."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
    room = asyncio.Semaphore(max(1, budget // CHUNK))

    async def read_side() -> None:
        while True:
            await room.acquire()
            data = await reader.read(CHUNK)
            queue.put_nowait((loop.time() + delay, data))
            if not data:
                return

    async def write_side() -> None:
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()
            room.release()

    reading = asyncio.ensure_future(read_side())
    try:
        await write_side()
    finally:
        reading.cancel()
        with contextlib.suppress(asyncio.CancelledError, OSError):
            await reading


@dataclass
class DelayProxy:
    """The proxy on 127.0.0.1:<free port>, run by an event loop in a daemon thread.

    `with DelayProxy(target_port, 0.05) as proxy:` then point clients at `proxy.url`."""

    target_port: int
    delay: float
    target_host: str = "127.0.0.1"
    port: int = 0
    max_connections: int = MAX_CONNECTIONS
    _loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _server: asyncio.AbstractServer | None = field(default=None, repr=False)
    _tasks: set[asyncio.Task] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        _require_loopback(self.target_host)
        if not 0 <= self.delay <= 10:
            raise UsageError(f"netdelay: delay {self.delay} s is outside 0..10 s")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if len(self._tasks) >= self.max_connections:
            client_w.close()
            return
        assert task is not None
        self._tasks.add(task)
        upstream_w: asyncio.StreamWriter | None = None
        try:
            upstream_r, upstream_w = await asyncio.open_connection(
                self.target_host, self.target_port
            )
            await asyncio.gather(
                _pump(client_r, upstream_w, self.delay, MAX_IN_FLIGHT),
                _pump(upstream_r, client_w, self.delay, MAX_IN_FLIGHT),
            )
        except (OSError, asyncio.IncompleteReadError):
            pass  # a peer went away: close both sides below
        except asyncio.CancelledError:
            # stop(): end quietly (re-raising makes asyncio's stream callback log a traceback).
            pass
        finally:
            self._tasks.discard(task)
            for w in (client_w, upstream_w):
                if w is not None:
                    w.close()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def start(self) -> DelayProxy:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="netdelay", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> DelayProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def delay_proxy_process(target_port: int, delay: float) -> Iterator[str]:
    """The same proxy in a child process (so it never competes with the caller for the GIL);
    yields its URL and stops it on exit."""
    _require_loopback("127.0.0.1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tooling.dev.netdelay", str(target_port), str(delay)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.isdigit():
            raise ToolingError(f"netdelay: the proxy process did not start (said {line!r})")
        yield f"http://127.0.0.1:{line}"
    finally:
        # Closing stdin tells the child to stop; it also stops if this process dies.
        with contextlib.suppress(OSError):
            assert proc.stdin is not None
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tooling.netdelay")
    parser.add_argument("target_port", type=int)
    parser.add_argument("delay", type=float, help="seconds added to each direction")
    args = parser.parse_args(argv)
    with DelayProxy(args.target_port, args.delay) as proxy:
        print(proxy.port, flush=True)
        # Runs until the parent closes our stdin (or dies, which closes it too).
        with contextlib.suppress(OSError):
            sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(_main())
