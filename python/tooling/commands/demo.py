"""`demo` and `local up|down`: the stack on a local moto server."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from tooling import demo

LOG_DIR = Path(".local")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="apply, seed, query and cost the whole stack on a local endpoint, then tear it down",
    )
    p.add_argument("--tf-dir", type=Path, default=Path("examples/local"), help="stack to apply")
    p.add_argument("--usage", type=Path, help="usage file for the cost summary")
    p.set_defaults(run=_demo)

    local = sub.add_parser("local", help="keep a seeded local stack up for exploring")
    local.add_argument("action", choices=("up", "down"))
    local.add_argument("--tf-dir", type=Path, default=Path("examples/local"), help="stack to apply")
    local.set_defaults(run=_local)


def _demo(args: argparse.Namespace) -> int:
    return demo.run_demo(args.tf_dir, args.usage, Console(), LOG_DIR)


def _local(args: argparse.Namespace) -> int:
    console = Console()
    if args.action == "up":
        demo.local_up(args.tf_dir, console, LOG_DIR)
    else:
        demo.local_down(console, LOG_DIR)
    return 0
