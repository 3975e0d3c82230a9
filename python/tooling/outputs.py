"""Output files of every command: complete or absent, never half-written, never a device replaced.

`open_output(path)` is the one way a command writes a file:

- a regular file or a new path is written to a unique temporary file in the target's directory
  (`tempfile`), which replaces the target (`os.replace`, atomic on one file system) only once
  complete. Concurrent writers of one path each have their own temporary file, so the last
  complete file wins whole; an error or Ctrl-C removes the temporary file and leaves the target
  as it was;
- a symbolic link is followed: its target is what gets written (atomically, as above), the link
  stays;
- a character device (/dev/null, /dev/stdout, a terminal) or a FIFO is written straight through:
  renaming over it would replace the device with a regular file;
- `-` is standard output;
- a directory, a socket or a block device is refused with a one-line UsageError.

A failed write (ENOSPC on /dev/full, EIO, ...) is an OutputError naming the path and the cause.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tooling.errors import ToolingError, UsageError

STDOUT = "-"


class OutputError(ToolingError):
    """Writing an output file failed (runtime: exit 1)."""


def umask() -> int:
    # os.umask can only be read by setting it; mkstemp's 0600 would otherwise stick to new files.
    current = os.umask(0o022)
    os.umask(current)
    return current


class _Guarded:
    """A file object whose write errors become one-line OutputErrors naming the path."""

    def __init__(self, f: IO[Any], shown: str) -> None:
        self._f = f
        self._shown = shown

    def _fail(self, exc: OSError) -> OutputError:
        return OutputError(f"cannot write {self._shown}: {exc.strerror or exc}")

    def write(self, data: Any) -> int:
        try:
            return self._f.write(data)
        except BrokenPipeError:
            raise  # the reader went away (`| head`): the CLI ends quietly, exit 0
        except OSError as exc:
            raise self._fail(exc) from None

    def writelines(self, lines: Any) -> None:
        try:
            self._f.writelines(lines)
        except BrokenPipeError:
            raise  # the reader went away (`| head`): the CLI ends quietly, exit 0
        except OSError as exc:
            raise self._fail(exc) from None

    def flush(self) -> None:
        try:
            self._f.flush()
        except BrokenPipeError:
            raise  # the reader went away (`| head`): the CLI ends quietly, exit 0
        except OSError as exc:
            raise self._fail(exc) from None

    def fileno(self) -> int:
        return self._f.fileno()

    def close(self) -> None:
        try:
            self._f.close()
        except BrokenPipeError:
            raise  # the reader went away (`| head`): the CLI ends quietly, exit 0
        except OSError as exc:
            raise self._fail(exc) from None


def describe_target(path: Path, flag: str = "--output") -> tuple[str, Path]:
    """How `path` would be written: ("stdout" | "through" | "atomic", the path written).

    Raises UsageError for a directory, a socket, a block device or a missing parent directory,
    before anything is generated or read.
    """
    if str(path) == STDOUT:
        return "stdout", path
    target = Path(os.path.realpath(path))  # symlinks followed, even a dangling one
    try:
        st = target.stat()
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise UsageError(f"{flag} {path}: directory {target.parent} does not exist") from None
        return "atomic", target
    except OSError as exc:
        raise UsageError(f"{flag} {path}: {exc.strerror}") from None
    if stat.S_ISREG(st.st_mode):
        return "atomic", target
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return "through", target
    if stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{flag} {path}: is a directory, expected a file")
    kind = "a socket" if stat.S_ISSOCK(st.st_mode) else "a block device"
    raise UsageError(f"{flag} {path}: is {kind}, expected a file")


@contextlib.contextmanager
def open_output(
    path: Path, mode: str = "w", *, flag: str = "--output", encoding: str = "utf-8"
) -> Iterator[Any]:
    """A file object for `path` (text for mode "w", bytes for "wb"); see the module docstring.

    The target is replaced only when the `with` block ends without an exception.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode {mode!r}: only 'w' or 'wb'")
    how, target = describe_target(path, flag)
    text = {"encoding": encoding} if mode == "w" else {}
    if how == "stdout":
        out = sys.stdout if mode == "w" else sys.stdout.buffer
        guarded = _Guarded(out, "standard output")
        yield guarded
        guarded.flush()
        return
    if how == "through":
        try:
            f = open(target, mode, **text)  # noqa: SIM115 - closed below, its errors reported
        except OSError as exc:
            raise OutputError(f"cannot open {path}: {exc.strerror or exc}") from None
        guarded = _Guarded(f, str(path))
        try:
            yield guarded
        except BaseException:
            with contextlib.suppress(OSError):
                f.close()
            raise
        guarded.close()
        return
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        try:
            keep = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            keep = 0o666 & ~umask()
        os.fchmod(fd, keep)
        f = os.fdopen(fd, mode, **text)
        guarded = _Guarded(f, str(path))
        try:
            yield guarded
        except BaseException:
            with contextlib.suppress(OSError):
                f.close()
            raise
        guarded.flush()
        try:
            os.fsync(f.fileno())
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        guarded.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str, *, flag: str = "--output") -> None:
    """Write a whole text file through open_output."""
    with open_output(path, flag=flag) as f:
        f.write(text)
