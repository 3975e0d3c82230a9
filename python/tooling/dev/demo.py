"""The main job on a local endpoint: apply the stack to a moto server, seed every app, run every
access pattern with the seeds' own example parameters, print a cost summary, tear down.

The stack is applied from a Terraform directory (examples/local by default) in the `local`
workspace, so its state never mixes with a real deployment's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tooling import aws
from tooling.apps import AccessPattern, all_apps
from tooling.cost.api import demo_summary
from tooling.dev.local import MotoServer, endpoint_env, wait_until_up
from tooling.errors import ToolingError
from tooling.terraform import adapter
from tooling.terraform.stack import Stack, load

WORKSPACE = "local"
ENTRIES = Path("examples/entries.json")


@dataclass(frozen=True)
class PatternResult:
    app: str
    pattern: str
    count: int
    sample: str
    ok: bool


def _python_tooling(*args: str) -> None:
    """Run a tooling command in a child process, its output going straight to the terminal."""
    result = subprocess.run([sys.executable, "-m", "tooling", *args], stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise ToolingError(f"`python -m tooling {args[0]}` failed (exit {result.returncode})")


def apply_stack(tf_dir: Path, console: Console) -> Stack:
    console.print(f"[bold]terraform apply[/] {tf_dir} (workspace {WORKSPACE})")
    adapter.run(tf_dir, "init", "-input=false", "-no-color")
    adapter.run(tf_dir, "workspace", "select", "-or-create", "-no-color", WORKSPACE)
    adapter.run(tf_dir, "apply", "-auto-approve", "-input=false", "-no-color")
    stack = load(tf_dir)
    console.print(
        f"  {len(stack.tables)} tables: {', '.join(t.name for t in stack.tables.values())}"
    )
    return stack


def destroy_stack(tf_dir: Path, console: Console) -> None:
    console.print(f"[bold]terraform destroy[/] {tf_dir} (workspace {WORKSPACE})")
    adapter.run(tf_dir, "destroy", "-auto-approve", "-input=false", "-no-color")


def _summarise(result: Any) -> tuple[int, str]:
    items = result if isinstance(result, list) else [result] if result else []
    sample = json.dumps(items[0], default=str, sort_keys=True) if items else ""
    return len(items), (sample[:57] + "...") if len(sample) > 60 else sample


def run_patterns(stack: Stack, options: aws.AwsOptions | None = None) -> list[PatternResult]:
    """Every access pattern of every deployed app, with its example parameters."""
    client = aws.dynamodb(options)
    results = []
    for app in all_apps():
        tables = {t.seed_name: t.name for t in stack.for_apps([app.name])}
        if not tables:
            continue
        for pattern in app.patterns:
            results.append(_run_one(client, tables, app.name, pattern))
    return results


def _run_one(
    client: Any, tables: dict[str, str], app: str, pattern: AccessPattern
) -> PatternResult:
    count, sample = _summarise(pattern.run(client, tables, dict(pattern.example)))
    return PatternResult(app, pattern.name, count, sample, ok=count > 0)


def print_patterns(results: list[PatternResult], console: Console) -> None:
    table = Table(title="Access patterns (seed example parameters)")
    for col in ("app", "pattern", "items"):
        table.add_column(col, no_wrap=True)
    table.add_column("first item", no_wrap=True, overflow="ellipsis")
    for r in results:
        table.add_row(r.app, r.pattern, str(r.count) if r.ok else "[red]0[/]", r.sample)
    console.print(table)


def run_demo(tf_dir: Path, usage: Path | None, console: Console, log_dir: Path) -> int:
    log_dir.mkdir(parents=True, exist_ok=True)
    with MotoServer(log_path=log_dir / "moto.log") as server:
        console.print(
            f"[bold]local endpoint[/] {server.url} (moto server, pid {server.process.pid})"
        )
        os.environ.update(endpoint_env(server.url))
        os.environ.pop("AWS_PROFILE", None)
        stack = apply_stack(tf_dir, console)
        try:
            _python_tooling("seed", "--tf-dir", str(tf_dir))
            if ENTRIES.exists():
                _python_tooling("migrate", "fusion", str(ENTRIES), "--tf-dir", str(tf_dir))
            results = run_patterns(stack)
            print_patterns(results, console)
            console.print("[bold]monthly cost[/] (the seeds' usage presets, examples/usage/)")
            console.print(demo_summary(tf_dir=tf_dir, usage=[usage] if usage else None))
        finally:
            destroy_stack(tf_dir, console)
    console.print("[bold]local endpoint stopped[/]")
    failed = [f"{r.app}/{r.pattern}" for r in results if not r.ok]
    if failed:
        raise ToolingError(f"access patterns returned no items: {', '.join(failed)}")
    return 0


# --- a local stack that stays up for exploring -------------------------------------------------


def _state_file(log_dir: Path) -> Path:
    return log_dir / "endpoint.json"


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(env)
    os.environ.pop("AWS_PROFILE", None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def local_up(tf_dir: Path, console: Console, log_dir: Path) -> dict[str, str]:
    """Start a detached moto server, apply and seed; record how to reach it."""
    state = _state_file(log_dir)
    if state.exists():
        raise ToolingError(f"a local stack is already up ({state}); run `make local-down` first")
    log_dir.mkdir(parents=True, exist_ok=True)
    server = MotoServer(log_path=log_dir / "moto.log").start()
    env = endpoint_env(server.url)
    state.write_text(json.dumps({"pid": server.process.pid, "env": env, "tf_dir": str(tf_dir)}))
    (log_dir / "endpoint.env").write_text("".join(f"export {k}={v}\n" for k, v in env.items()))
    with _environment(env):
        apply_stack(tf_dir, console)
        _python_tooling("seed", "--tf-dir", str(tf_dir))
    console.print(f"local stack up at {server.url}; `source {log_dir / 'endpoint.env'}` to use it")
    return env


def local_down(console: Console, log_dir: Path) -> None:
    state = _state_file(log_dir)
    if not state.exists():
        console.print("no local stack is up")
        return
    info = json.loads(state.read_text())
    try:
        wait_until_up(info["env"]["AWS_ENDPOINT_URL"], timeout=2)
        with _environment(info["env"]):
            destroy_stack(Path(info["tf_dir"]), console)
    except ToolingError as exc:
        console.print(f"[yellow]skipping destroy: {exc}[/]")
    try:
        os.killpg(info["pid"], signal.SIGTERM)
        time.sleep(0.5)
    except ProcessLookupError:
        pass
    state.unlink()
    (log_dir / "endpoint.env").unlink(missing_ok=True)
    console.print("local stack down")
