"""Arguments shared by several commands: the table a command works on and how it reaches it."""

from __future__ import annotations

import argparse
from pathlib import Path

from tooling.apps.catalog import APP_OF_TABLE
from tooling.terraform import stack

REPO_ROOT = Path(__file__).resolve().parents[3]


def add_table_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tf-dir",
        type=Path,
        default=REPO_ROOT,
        help="Terraform root whose outputs map seed table names to physical names "
        "(default: the repository root)",
    )
    parser.add_argument(
        "--workers", type=int, default=16, help="parallel requests (default %(default)s)"
    )


def resolve_table(name: str, tf_dir: Path) -> str:
    """A seed table name resolved through the stack's outputs; any other name is physical."""
    if name in APP_OF_TABLE:
        deployed = stack.load(tf_dir)
        if name in deployed.tables:
            return deployed.physical(name)
    return name
