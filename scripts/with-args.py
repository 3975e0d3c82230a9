"""with-args.py VAR CMD [ARG ...]: run CMD ARG ... followed by the words of the environment
variable VAR, split by POSIX shell quoting rules (shlex): quotes group words, nothing is
expanded or executed.

The Makefile hands user-supplied option lists (VARS, GUARD, BENCH_ARGS) to commands this way
instead of pasting them into a recipe, where the shell would run a `;` or `$(...)` inside them.
"""

from __future__ import annotations

import os
import shlex
import sys


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: with-args.py VAR CMD [ARG ...]", file=sys.stderr)
        return 2
    name, command = argv[0], argv[1:]
    text = os.environ.get(name, "")
    try:
        words = shlex.split(text)
    except ValueError as exc:
        print(f"{name}: {exc} in {text!r}", file=sys.stderr)
        return 2
    os.execvp(command[0], [*command, *words])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
