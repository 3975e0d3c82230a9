"""The one way the tests run the Terraform CLI (the real binary, the provider from the local
mirror): `terraform(where, *args)`, the sequences many tests need, and `Terraform`, one
directory against one endpoint for the tests that apply a configuration and plan another over the
same state."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tooling.dev.local import endpoint_env

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


class Terraform:
    """`terraform` in `where`, with the standard AWS variables pointing at `endpoint`."""

    def __init__(self, where: Path, endpoint: str) -> None:
        self.dir = where
        self.env = {**os.environ, **endpoint_env(endpoint), "AWS_MAX_ATTEMPTS": "2"}
        self.env.pop("AWS_PROFILE", None)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return terraform(self.dir, *args, env=self.env, check=False)

    def ok(self, *args: str) -> subprocess.CompletedProcess[str]:
        """run(), asserting exit 0 (the output's tail is the failure message)."""
        return terraform(self.dir, *args, env=self.env)

    def write_vars(self, tf_vars: Mapping[str, Any], name: str = "test.tfvars.json") -> str:
        """The variables as a file in the directory; returns the -var-file argument."""
        (self.dir / name).write_text(json.dumps(tf_vars))
        return f"-var-file={name}"

    def take_state(self, other: Terraform) -> None:
        """Use the local state of another directory (as a user upgrading in place would)."""
        shutil.copy2(other.dir / "terraform.tfstate", self.dir / "terraform.tfstate")

    def plan_json(self, *args: str) -> tuple[int, dict[str, Any], str]:
        """`plan -detailed-exitcode` (exit 0 or 2 asserted), its `show -json` and its text."""
        done = self.run("plan", "-input=false", "-detailed-exitcode", "-out=check.tfplan", *args)
        assert done.returncode in (0, 2), f"terraform plan failed:\n{done.stderr[-3000:]}"
        shown = self.ok("show", "-json", "check.tfplan")
        return done.returncode, json.loads(shown.stdout), done.stdout + done.stderr


def changes(plan: Mapping[str, Any]) -> list[str]:
    """Every resource change of a plan other than a no-op, a read or a move ("ADDR: actions")."""
    return [
        f"{rc['address']}: {rc['change']['actions']}"
        for rc in plan.get("resource_changes", [])
        if rc["change"]["actions"] not in (["no-op"], ["read"])
    ]


def moves(plan: Mapping[str, Any]) -> dict[str, str]:
    """previous address -> address of every resource the plan moves."""
    return {
        rc["previous_address"]: rc["address"]
        for rc in plan.get("resource_changes", [])
        if rc.get("previous_address")
    }
