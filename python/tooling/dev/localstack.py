"""`local up` / `local down`: a seeded local stack that stays up for exploring.

`up` starts a detached moto server, applies the stack to it and seeds it; LOG_DIR/endpoint.json
records the server (PID, start time, command line) and LOG_DIR/endpoint.env how to reach it. A
failed or interrupted `up` stops its server and removes both files; a record whose server has gone
is reported and replaced. `down` signals the recorded PID only while it is still that server.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
from pathlib import Path
from typing import Any

from rich.console import Console

from tooling.dev.demo import apply_stack, forget_stack, python_tooling
from tooling.dev.local import MotoServer, endpoint_env, environment
from tooling.dev.procs import Identity, identity, is_running
from tooling.errors import ToolingError
from tooling.terraform import cliconfig


def _files(log_dir: Path) -> tuple[Path, Path]:
    return log_dir / "endpoint.json", log_dir / "endpoint.env"


def _record(state: Path) -> dict[str, Any] | None:
    try:
        info = json.loads(state.read_text())
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def _server(info: dict[str, Any] | None) -> Identity | None:
    """The recorded server when it is still running under its PID, else None."""
    recorded = Identity.from_json(info) if info else None
    return recorded if recorded is not None and is_running(recorded) else None


def _forget(log_dir: Path) -> None:
    for path in _files(log_dir):
        path.unlink(missing_ok=True)


def _stop(server: Identity) -> None:
    # moto keeps everything in memory: nothing to flush, so the group is killed outright.
    if is_running(server):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)


def local_up(tf_dir: Path, console: Console, log_dir: Path) -> dict[str, str]:
    """Start a detached moto server, apply and seed; record how to reach it."""
    state, env_file = _files(log_dir)
    if state.exists():
        info = _record(state)
        if _server(info) is not None:
            raise ToolingError(
                f"a local stack is already up ({state}); run `python -m tooling local down` first"
            )
        pid = info.get("pid") if info else None
        console.print(
            f"[yellow]replacing {state}: the server it records (pid {pid}) is no longer running[/]",
            soft_wrap=True,
        )
        _forget(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    tf_env, how = cliconfig.ensure(log_dir)
    Console(stderr=True).print(
        f"terraform CLI configuration: {how}", highlight=False, soft_wrap=True
    )
    server = MotoServer(log_path=log_dir / "moto.log", outlive_parent=True)
    started = False
    try:
        server.start()
        started = True
        assert server.process is not None
        me = identity(server.process.pid)
        if me is None:
            raise ToolingError(f"the local endpoint (pid {server.process.pid}) exited at start")
        env = endpoint_env(server.url)
        record = {**me.as_json(), "env": env, "tf_dir": str(tf_dir.resolve())}
        state.write_text(json.dumps(record))
        env_file.write_text("".join(f"export {k}={v}\n" for k, v in env.items()))
        with environment({**env, **tf_env}, unset=("AWS_PROFILE",)):
            apply_stack(tf_dir, console)
            python_tooling("seed", "--tf-dir", str(tf_dir))
    except BaseException:
        # Nothing half up: no record of a server that is not serving a seeded stack.
        if started:
            server.stop()
        _forget(log_dir)
        raise
    console.print(f"local stack up at {server.url}; `source {env_file}` to use it", soft_wrap=True)
    return env


def local_down(console: Console, log_dir: Path) -> None:
    state, _ = _files(log_dir)
    if not state.exists():
        console.print("no local stack is up")
        return
    info = _record(state)
    server = _server(info)
    if server is None:
        pid = info.get("pid") if info else None
        console.print(
            f"[yellow]the server {state} records (pid {pid}) is no longer running: nothing to "
            "stop[/]",
            soft_wrap=True,
        )
        _forget(log_dir)
        console.print("local stack down")
        return
    assert info is not None
    _stop(server)
    _forget(log_dir)
    try:
        tf_env, _how = cliconfig.ensure(log_dir)
        with environment(tf_env):
            forget_stack(Path(info["tf_dir"]), console)
    except ToolingError as exc:
        console.print(f"[yellow]the `local` workspace keeps its state: {exc}[/]", soft_wrap=True)
    console.print("local stack down")
