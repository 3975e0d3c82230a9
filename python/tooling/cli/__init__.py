"""The `python -m tooling` command line: a thin layer over the library.

Each module of `tooling.commands` adds one sub-command through `register(subparsers)`; the parser
stores the function to run in `args.run`. Every error a user can meet ends as one line on stderr
and an exit code: 2 for bad input, 1 for runtime failures, never a traceback (set
TOOLING_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from tooling import __version__
from tooling.cli import commands
from tooling.errors import UsageError, describe


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad flags as a UsageError instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m tooling",
        description="Seed, query, migrate, cost and guard the DynamoDB tables of the stack.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("TOOLING_DEBUG"):
            raise
        error = describe(exc)
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
