"""`local up|down`: a seeded local stack (moto server) that stays up for exploring."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from tooling.cli.commands.demo import LOG_DIR, check_tf_dir
from tooling.dev import localstack


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "local",
        help="keep a seeded local stack up for exploring",
        description="up: start a local moto server, apply the stack to it and seed it; its "
        f"address goes to {LOG_DIR}/endpoint.env. down: stop the server (the stack lives in its "
        "memory) and delete the `local` workspace's state.",
    )
    p.add_argument("action", choices=("up", "down"))
    p.add_argument("--tf-dir", type=Path, default=Path("examples/local"), help="stack to apply")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    console = Console()
    if args.action == "up":
        check_tf_dir(args.tf_dir)
        localstack.local_up(args.tf_dir, console, LOG_DIR)
    else:
        localstack.local_down(console, LOG_DIR)
    return 0
