"""The one way the tests run the Terraform CLI (the real binary, the provider from the local
mirror): `terraform(where, *args)`, plus the two sequences many tests need."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEV_VARS = ["-var", "enable_deletion_protection=false", "-var", "environment=development"]


def _with_no_color(args: tuple[str, ...]) -> list[str]:
    """-no-color right after the command words (`state list`, `show`): Terraform reads a
    command's flags only before its positional arguments (`show -json PLANFILE`)."""
    if "-no-color" in args:
        return list(args)
    words = next((i for i, a in enumerate(args) if a.startswith("-")), len(args))
    return [*args[:words], "-no-color", *args[words:]]


def terraform(
    where: Path, *args: str, env: Mapping[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """`terraform ARGS` in `where` without colour; with check, a failure is an AssertionError
    naming the command, the directory and the end of its stderr."""
    done = subprocess.run(
        ["terraform", *_with_no_color(args)],
        cwd=where,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
    )
    if check:
        assert done.returncode == 0, (
            f"terraform {' '.join(args[:2])} failed in {where} (exit {done.returncode}):\n"
            f"{done.stdout[-2000:]}{done.stderr[-3000:]}"
        )
    return done


def init_and_apply(where: Path, *args: str, env: Mapping[str, str] | None = None) -> None:
    terraform(where, "init", "-input=false", env=env)
    terraform(where, "apply", "-auto-approve", "-input=false", *args, env=env)


def show_json(where: Path, planfile: str, env: Mapping[str, str] | None = None) -> Any:
    return json.loads(terraform(where, "show", "-json", planfile, env=env).stdout)
