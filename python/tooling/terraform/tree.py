"""A private copy of a Terraform root: every root `*.tf` file, the lock file and the module
directories, without state or `.terraform`. Plans and applies that must not touch the original
(`make cost-report`, the tests) run in such a copy; copying every `*.tf` keeps the copy valid as
the root grows files."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from tooling.errors import UsageError

LOCK_FILE = ".terraform.lock.hcl"
# Never copied: a copy starts with no initialisation and no state of its own.
_IGNORED = shutil.ignore_patterns(".terraform", "*.tfstate*", "terraform.tfstate.d", ".local")


def copy_root(source: Path, dest: Path, subdirs: Iterable[str] = ("modules",)) -> Path:
    """Copy the root module in `source` (and `subdirs` below it) into `dest`; returns dest."""
    files = sorted(source.glob("*.tf"))
    if not files:
        raise UsageError(f"{source}: no Terraform files (*.tf)")
    dest.mkdir(parents=True, exist_ok=True)
    for src in [*files, source / LOCK_FILE]:
        if src.is_file():
            shutil.copy2(src, dest / src.name)
    for name in subdirs:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=_IGNORED, dirs_exist_ok=True)
    return dest
