"""The one way the tests run the Terraform CLI (the real binary, the provider from the local
mirror): `terraform(where, *args)`, the sequences many tests need, and `Terraform`, one
directory against one endpoint for the tests that apply a configuration and plan another over the
same state."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from filelock import FileLock

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


# Where `init` keeps one initialised `.terraform` per configuration for the session (shared by
# the xdist workers); None: every init is a real one. Set by the session's conftest.
INIT_CACHE: Path | None = None
_CONFIG_FILES = ("*.tf", "*.tf.json", ".terraform.lock.hcl")


def _fingerprint(where: Path, dirs: Iterable[str]) -> str:
    """A hash of the Terraform files of where/d for each d: what `terraform init` reads."""
    digest = hashlib.sha256()
    for d in sorted(set(dirs)):
        for pattern in _CONFIG_FILES:
            for f in sorted((where / d).glob(pattern)):
                digest.update(f"{d}/{f.name}\0".encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()[:32]


def init(where: Path, env: Mapping[str, str] | None = None) -> None:
    """`terraform init -input=false` of where, run for real once per configuration per session.

    A real init of a local-mirror provider hashes its 700 MB package (about 2 s of CPU) and
    writes `.terraform`: symlinks to the mirror and modules.json, whose paths are relative. Every
    other copy of the same configuration (its files and those of every module it calls, byte for
    byte) gets a copy of that `.terraform` instead; anything else is initialised for real.
    """
    if INIT_CACHE is None:
        terraform(where, "init", "-input=false", env=env)
        return
    entry = INIT_CACHE / _fingerprint(where, ["."])
    with FileLock(f"{entry}.lock"):
        meta = entry / "modules.json"
        if meta.is_file():
            known = json.loads(meta.read_text())
            if _fingerprint(where, known["dirs"]) == known["fingerprint"]:
                shutil.copytree(entry / ".terraform", where / ".terraform", symlinks=True)
                if not (where / ".terraform.lock.hcl").exists():
                    shutil.copy2(entry / ".terraform.lock.hcl", where / ".terraform.lock.hcl")
                return
        terraform(where, "init", "-input=false", env=env)
        listed = where / ".terraform" / "modules" / "modules.json"  # absent: no module calls
        modules = json.loads(listed.read_text())["Modules"] if listed.is_file() else []
        dirs = [".", *(m["Dir"] for m in modules if not m["Dir"].startswith(".terraform"))]
        if entry.exists():
            shutil.rmtree(entry)
        entry.mkdir(parents=True)
        shutil.copytree(where / ".terraform", entry / ".terraform", symlinks=True)
        shutil.copy2(where / ".terraform.lock.hcl", entry / ".terraform.lock.hcl")
        meta.write_text(json.dumps({"dirs": dirs, "fingerprint": _fingerprint(where, dirs)}))


def init_and_apply(where: Path, *args: str, env: Mapping[str, str] | None = None) -> None:
    init(where, env=env)
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
