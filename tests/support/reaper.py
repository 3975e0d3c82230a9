"""Run a command and report every process it started that outlives it.

    python reaper.py [--interrupt-twice] -- COMMAND...

The command runs in a process group of its own, as a shell runs a foreground job. This process
is made a child subreaper, so anything the command leaves behind becomes its child instead of
init's. While the command runs, every descendant is recorded (PID and start time, from /proc).
With --interrupt-twice, once a grandchild exists (terraform's provider plugin: the command's
children are terraform, the moto server and python), the command's group gets SIGINT twice, as
a terminal's Ctrl-C pressed twice. The last line printed is JSON: the command's exit code, the
descendants seen, and those still running after it exited (which this process then kills, by
the PIDs it recorded, and reaps).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
PROC = Path("/proc")


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent PID, start time) of a process, or None when it has gone."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return fields[0], int(fields[1]), int(fields[19])


def _descendants(root: int) -> dict[int, tuple[int, int]]:
    """PID -> (depth below root, start time) of root's running descendants."""
    parents: dict[int, int] = {}
    starts: dict[int, int] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            st = _stat(int(entry.name))
            if st is not None and st[0] not in ("Z", "X"):
                parents[int(entry.name)] = st[1]
                starts[int(entry.name)] = st[2]
    found: dict[int, tuple[int, int]] = {}
    frontier, depth = [root], 0
    while frontier:
        depth += 1
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier and pid not in found]
        for pid in frontier:
            found[pid] = (depth, starts[pid])
    return found


def _alive(pid: int, start: int) -> bool:
    st = _stat(pid)
    return st is not None and st[0] not in ("Z", "X") and st[2] == start


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def main(argv: list[str]) -> int:
    interrupt = "--interrupt-twice" in argv[: argv.index("--")]
    command = argv[argv.index("--") + 1 :]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
    child = subprocess.Popen(command, start_new_session=True, stdin=subprocess.DEVNULL)
    seen: dict[int, int] = {}
    interrupted = False
    while child.poll() is None:
        now = _descendants(child.pid)
        seen.update({pid: start for pid, (_depth, start) in now.items()})
        if interrupt and not interrupted and any(d >= 2 for d, _s in now.values()):
            os.killpg(child.pid, signal.SIGINT)
            time.sleep(0.5)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGINT)
            interrupted = True
        time.sleep(0.05)
    deadline = time.monotonic() + 10  # what the command killed may take a moment to go
    while any(_alive(p, s) for p, s in seen.items()) and time.monotonic() < deadline:
        _reap()
        time.sleep(0.1)
    survivors = sorted(p for p, s in seen.items() if _alive(p, s))
    for pid in survivors:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    _reap()
    print(
        json.dumps(
            {
                "exit": child.returncode,
                "interrupted": interrupted,
                "seen": sorted(seen),
                "survivors": survivors,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
