"""Who a process is, from /proc: so that a PID written down earlier is signalled only while it
still names the process that was started (a PID is reused once its process has gone)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROC = Path("/proc")


@dataclass(frozen=True)
class Identity:
    pid: int
    start_time: int  # clock ticks after boot (field 22 of /proc/PID/stat)
    cmdline: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"pid": self.pid, "start_time": self.start_time, "cmdline": list(self.cmdline)}

    @classmethod
    def from_json(cls, data: Any) -> Identity | None:
        """The identity recorded in a state file, or None when the record lacks one."""
        try:
            return cls(int(data["pid"]), int(data["start_time"]), tuple(data["cmdline"]))
        except (KeyError, TypeError, ValueError):
            return None


def identity(pid: int) -> Identity | None:
    """The running (not zombie) process `pid`, or None when there is none."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # the command name in parentheses may hold spaces
    if not fields or fields[0] in ("Z", "X"):
        return None
    cmdline = tuple(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    return Identity(pid, int(fields[19]), cmdline)


def is_running(recorded: Identity) -> bool:
    """Whether the process recorded is still the one running under its PID."""
    return identity(recorded.pid) == recorded
