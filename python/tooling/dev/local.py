"""A local DynamoDB-compatible endpoint: moto's server on a free loopback port.

Used by `make demo`, `make local-up`, the benchmarks and the tests. The environment it hands out
is the standard AWS one (AWS_ENDPOINT_URL plus dummy credentials), so that Terraform, boto3 and
the AWS CLI all talk to it with no special configuration.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tooling.errors import ToolingError
from tooling.interrupts import shielded

DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


LOCAL_EXTRA = "pip install 'dynamodb-tooling[local]'"


def require_moto() -> None:
    """The local endpoint is moto's server, an optional dependency (the `local` extra)."""
    if importlib.util.find_spec("moto") is None or importlib.util.find_spec("flask") is None:
        raise ToolingError(f"the local endpoint needs moto's server: {LOCAL_EXTRA}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def endpoint_env(url: str, region: str = "us-east-1") -> dict[str, str]:
    """The standard AWS variables that point every client at `url`."""
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        **DUMMY_CREDENTIALS,
    }


def wait_until_up(url: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ToolingError(f"the local endpoint exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise ToolingError(f"the local endpoint at {url} did not come up within {timeout:.0f} s")


# Runs moto's server after executing the given Python files in the same process, so that they
# can register calls moto lacks on its response classes before the first request. With
# TOOLING_MOTO_PARENT set, the kernel kills the server when that parent dies (Linux): a test run
# or demo ended by SIGTERM or SIGKILL runs no cleanup, and its server would otherwise live on.
_BOOT = """
import os, runpy, sys
parent = os.environ.pop("TOOLING_MOTO_PARENT", "")
if parent and sys.platform.startswith("linux"):
    import ctypes, signal
    ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    if os.getppid() != int(parent):
        sys.exit(0)
split = sys.argv.index("--")
for path in sys.argv[1:split]:
    runpy.run_path(path)
from moto.server import main
main(sys.argv[split + 1:])
"""


PATCHES = Path(__file__).with_name("moto_patches.py")


@dataclass
class MotoServer:
    """moto's HTTP server as a child process; stop() leaves nothing running.

    The server runs moto_patches.py first (its fixes for a dependable endpoint under a whole
    stack's load, each explained there); `patched=False` leaves it out (the tests that show what
    it fixes). `extensions` are Python files run inside the server process before it starts (e.g. a
    test's additions for API calls moto does not implement). The server dies with the process
    that started it unless `outlive_parent` (`local up`, whose server serves later commands).
    """

    port: int = field(default_factory=free_port)
    log_path: Path | None = None
    process: subprocess.Popen | None = None
    extensions: tuple[Path, ...] = ()
    patched: bool = True
    outlive_parent: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> MotoServer:
        require_moto()
        for path in self.extensions:
            if not Path(path).is_file():
                raise ToolingError(f"moto extension {path} does not exist")
        server_args = ["-H", "127.0.0.1", "-p", str(self.port)]
        boot = [*([PATCHES] if self.patched else []), *self.extensions]
        argv = ["-c", _BOOT, *map(str, boot), "--", *server_args]
        env = dict(os.environ)
        if not self.outlive_parent:
            env["TOOLING_MOTO_PARENT"] = str(os.getpid())
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, *argv],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
        )
        if log is not subprocess.DEVNULL:
            log.close()
        wait_until_up(self.url, process=self.process)
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGKILL straight away: moto keeps everything in memory, so there is nothing to flush,
        # and a clean exit spends seconds of CPU freeing a large store (1.7 s at 30,000 items).
        with shielded(), contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def environment(values: Mapping[str, str], unset: Iterable[str] = ()) -> Iterator[None]:
    """os.environ with `values` set and `unset` removed for the block, restored afterwards (the
    way every in-process user of a local endpoint points boto3 and Terraform at it)."""
    unset = tuple(unset)
    saved = {k: os.environ.get(k) for k in (*values, *unset)}
    os.environ.update(values)
    for k in unset:
        os.environ.pop(k, None)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def running_endpoint(region: str = "us-east-1") -> Iterator[dict[str, str]]:
    """Start a moto server and yield the environment that points at it."""
    with MotoServer() as server:
        yield endpoint_env(server.url, region)
