"""The `python -m tooling` command line (console script `dynamodb-tooling`): a thin layer over
the library.

Each module of `tooling.cli.commands` adds one sub-command through `register(subparsers)`; the
parser stores the function to run in `args.run`. Only the module of the command being run is
imported; the others appear in `--help` from the static table in tooling.cli.commands. Every error
a user can meet ends as one line on stderr and an exit code: 2 for bad input, 1 for runtime
failures, never a traceback (set TOOLING_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Sequence

from tooling import __version__
from tooling.cli.commands import COMMANDS
from tooling.errors import UsageError, describe

SCRIPT = "dynamodb-tooling"  # the console script; `python -m tooling` is the same program


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad flags as a UsageError instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _chosen(argv: Sequence[str]) -> str | None:
    """The sub-command named on the command line (the top level has no option with a value)."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in COMMANDS else None


def build_parser(
    argv: Sequence[str] = (), prog: str = "python -m tooling", load_all: bool = False
) -> argparse.ArgumentParser:
    """The parser for argv: the named command in full, the others as entries of `--help` only
    (every command in full with load_all)."""
    parser = _Parser(
        prog=prog,
        description="Seed, query, migrate, cost and guard the DynamoDB tables of a Terraform "
        f"stack. The same program runs as `python -m tooling` and as `{SCRIPT}`.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    chosen = _chosen(argv)
    for name, command in COMMANDS.items():
        if load_all or name == chosen:
            importlib.import_module(f"{__name__}.commands.{command.module}").register(sub)
        else:
            sub.add_parser(name, help=command.help, add_help=False)
    return parser


def _prog() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return SCRIPT if name == SCRIPT else "python -m tooling"


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(args_in, prog or _prog()).parse_args(args_in)
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        # Exiting anyway: a further Ctrl-C must not turn the exit into a traceback or a kill.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
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
