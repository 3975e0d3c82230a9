"""The main job on a local endpoint: apply the stack to a moto server, seed every app, run every
access pattern with the seeds' own example parameters, print a cost summary, tear down.

The stack is applied from a Terraform directory (examples/local by default) in the `local`
workspace, so its state never mixes with a real deployment's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from tooling import aws
from tooling.apps import AccessPattern, all_apps
from tooling.cost.api import demo_summary
from tooling.dev.local import MotoServer, endpoint_env, environment
from tooling.errors import ToolingError
from tooling.terraform import adapter, cliconfig
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


def python_tooling(*args: str) -> None:
    """Run a tooling command in a child process, its output going straight to the terminal."""
    result = subprocess.run([sys.executable, "-m", "tooling", *args], stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise ToolingError(f"`python -m tooling {args[0]}` failed (exit {result.returncode})")


def apply_stack(tf_dir: Path, console: Console) -> Stack:
    console.print(f"[bold]terraform apply[/] {tf_dir} (workspace {WORKSPACE})", soft_wrap=True)
    adapter.run(tf_dir, "init", "-input=false", "-no-color")
    adapter.run(tf_dir, "workspace", "select", "-or-create", "-no-color", WORKSPACE)
    adapter.run(tf_dir, "apply", "-auto-approve", "-input=false", "-no-color")
    stack = load(tf_dir)
    console.print(
        f"  {len(stack.tables)} tables: {', '.join(t.name for t in stack.tables.values())}",
        soft_wrap=True,
    )
    return stack


def forget_stack(tf_dir: Path, console: Console) -> None:
    """The `local` workspace forgets the stack of a local endpoint that has been stopped.

    moto keeps everything in memory, so stopping the server is the teardown; what is left is the
    workspace's state, naming tables that no longer exist anywhere. Deleting the workspace (its
    state only: nothing is called) lets the next apply start clean. A `terraform destroy` first
    would call the endpoint once for every resource, only for the server to drop them all when
    it stops (10 s of the demo here).
    """
    console.print(f"[bold]forget[/] the stack of workspace {WORKSPACE} in {tf_dir}", soft_wrap=True)
    adapter.run(tf_dir, "workspace", "select", "-no-color", "default")
    adapter.run(tf_dir, "workspace", "delete", "-force", "-no-color", WORKSPACE)


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


def run_demo(
    tf_dir: Path,
    usage: Path | None,
    console: Console,
    log_dir: Path,
    show_patterns: Callable[[list[PatternResult]], None],
) -> int:
    """The demo; `show_patterns` prints the access patterns' results (the CLI's table)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    tf_env, how = cliconfig.ensure(log_dir)
    Console(stderr=True).print(
        f"terraform CLI configuration: {how}", highlight=False, soft_wrap=True
    )
    applied = False
    try:
        with MotoServer(log_path=log_dir / "moto.log") as server:
            console.print(
                f"[bold]local endpoint[/] {server.url} (moto server, pid {server.process.pid})"
            )
            with environment({**endpoint_env(server.url), **tf_env}, unset=("AWS_PROFILE",)):
                applied = True  # from here on the workspace may hold state
                stack = apply_stack(tf_dir, console)
                python_tooling("seed", "--tf-dir", str(tf_dir))
                if ENTRIES.exists():
                    python_tooling("migrate", "fusion", str(ENTRIES), "--tf-dir", str(tf_dir))
                results = run_patterns(stack)
                show_patterns(results)
                console.print("[bold]monthly cost[/] (the seeds' usage presets, examples/usage/)")
                # Lines of their own: wrapped at 80 columns (a CI log) the figures would break.
                console.print(
                    demo_summary(tf_dir=tf_dir, usage=[usage] if usage else None),
                    soft_wrap=True,
                    highlight=False,
                )
        console.print("[bold]local endpoint stopped[/]")
    finally:
        if applied:
            with environment(tf_env):
                forget_stack(tf_dir, console)
    failed = [f"{r.app}/{r.pattern}" for r in results if not r.ok]
    if failed:
        raise ToolingError(f"access patterns returned no items: {', '.join(failed)}")
    return 0
