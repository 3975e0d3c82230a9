"""Arguments shared by several commands: the table a command works on and how it reaches it."""

from __future__ import annotations

import argparse
from pathlib import Path

from tooling.apps.catalog import APP_OF_TABLE
from tooling.terraform import stack

TF_DIR_HELP = (
    "Terraform root whose outputs name the tables (default: the current directory; without "
    "state the seeds' table names are used, and the command says so)"
)


def add_tf_dir(parser: argparse.ArgumentParser, more: str = "") -> None:
    """`--tf-dir`, the one way every command that reads a stack is told where it is."""
    parser.add_argument("--tf-dir", type=Path, help=TF_DIR_HELP + more)


def add_table_arguments(parser: argparse.ArgumentParser) -> None:
    add_tf_dir(parser)
    parser.add_argument(
        "--workers", type=int, default=16, help="parallel requests (default %(default)s)"
    )


def resolve_table(name: str, tf_dir: Path | None) -> tuple[str, str]:
    """A seed table name resolved through the stack's outputs; any other name is physical.
    Also returns where the name came from, for the command's closing line."""
    if name not in APP_OF_TABLE:
        return name, "a physical name"
    deployed = stack.load(tf_dir)
    physical = deployed.tables[name].name if name in deployed.tables else name
    return physical, deployed.source
