"""`docs`: write or check the inputs/outputs tables of every module README."""

from __future__ import annotations

import argparse
from pathlib import Path

from tooling.errors import ToolingError, UsageError
from tooling.terraform import docs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "docs",
        help="generate the inputs/outputs tables of module READMEs from the .tf files",
        description="Write (or with --check, verify) the Inputs and Outputs tables between "
        f"{docs.BEGIN} and {docs.END} in each module's README.md.",
    )
    p.add_argument(
        "modules", nargs="*", type=Path, help="module dirs (default: modules/* and examples/*)"
    )
    p.add_argument("--repo", type=Path, default=Path("."), help="repository root (default: .)")
    p.add_argument("--check", action="store_true", help="exit 1 if any README is out of date")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    dirs = args.modules or docs.module_dirs(args.repo)
    stale = []
    for module_dir in dirs:
        if not module_dir.is_dir():
            raise UsageError(f"{module_dir}: no such module directory")
        readme, current, new = docs.updated_readme(module_dir)
        if current == new:
            continue
        stale.append(str(readme))
        if not args.check:
            readme.write_text(new)
    if args.check and stale:
        raise ToolingError(f"out of date: {', '.join(stale)} (run: python -m tooling docs)")
    verb = "up to date" if args.check else "written"
    print(f"{len(dirs)} module README(s) checked, {len(stale)} {'stale' if args.check else verb}")
    return 0
