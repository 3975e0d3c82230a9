"""The one adapter between Python and Terraform.

python-terraform (unmaintained since 2019) is confined to what still works on current Terraform:
running `output` and `show`. Everything else the package needs from Terraform it reads from JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

from python_terraform import IsFlagged
from python_terraform import Terraform as _PyTerraform

from tooling.errors import ToolingError, UsageError
from tooling.interrupts import shielded
from tooling.terraform import cliconfig, outputs_cache


def _terraform(working_dir: Path) -> _PyTerraform:
    if shutil.which("terraform") is None:
        raise ToolingError("terraform is not on PATH")
    if not working_dir.is_dir():
        raise UsageError(f"--tf-dir {working_dir}: no such directory")
    return _PyTerraform(working_dir=str(working_dir))


def outputs(working_dir: Path) -> dict[str, Any] | None:
    """Output values of the stack's state, or None when it has no state or no outputs yet; read
    once per local state (outputs_cache), with `terraform output` otherwise."""
    if (
        not (working_dir / ".terraform").exists()
        and not (working_dir / "terraform.tfstate").exists()
    ):
        return None
    key = outputs_cache.state_key(working_dir)
    values = outputs_cache.get(working_dir, key) if key else None
    if values is None:
        code, out, _err = _terraform(working_dir).cmd("output", json=IsFlagged, no_color=IsFlagged)
        if code != 0 or not out.strip():
            return None
        values = json.loads(out)
        if key:
            outputs_cache.put(working_dir, key, values)
    return {name: item.get("value") for name, item in values.items()} or None


def show_json(working_dir: Path, plan_file: Path | None = None) -> dict[str, Any]:
    """`terraform show -json` of a saved plan, or of the current state when no plan is given."""
    args = [str(plan_file)] if plan_file else []
    code, out, err = _terraform(working_dir).cmd("show", *args, json=IsFlagged, no_color=IsFlagged)
    if code != 0:
        last = err.strip().splitlines()[-1] if err.strip() else "unknown error"
        raise ToolingError(f"terraform show failed in {working_dir}: {last}")
    return json.loads(out)


# How long terraform may take to stop cleanly (saving its state) after an interrupt before its
# whole process group, provider plugins included, is killed.
STOP_GRACE_SECONDS = 20.0


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _wait(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Terraform's output once it has exited; on Ctrl-C, a clean stop, then the whole group.

    Terraform runs in a session of its own, so a Ctrl-C at the terminal reaches only this process:
    terraform is then asked once (SIGINT to its group) to stop and save its state; a second
    Ctrl-C, or STOP_GRACE_SECONDS, kills the group. Provider plugins are terraform's children in
    that group, so none is left running with no parent.
    """
    try:
        return process.communicate()
    except KeyboardInterrupt:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
        with contextlib.suppress(KeyboardInterrupt, subprocess.TimeoutExpired):
            process.communicate(timeout=STOP_GRACE_SECONDS)
        raise
    finally:
        if process.returncode is None:  # not waited for yet: its pid, the group's id, is ours
            with shielded():
                if os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
                    _kill_group(process.pid)  # still running
                os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
                _kill_group(process.pid)  # leftovers of the group: a plugin terraform left
                process.wait()


def run(
    working_dir: Path,
    *args: str,
    env: dict[str, str] | None = None,
    capture: bool = True,
) -> str:
    """Run `terraform ARGS` in working_dir (init, plan, apply, destroy, workspace: the commands
    python-terraform gets wrong); raise a ToolingError with terraform's own message on failure."""
    if shutil.which("terraform") is None:
        raise ToolingError("terraform is not on PATH")
    full_env = {**os.environ, "TF_IN_AUTOMATION": "1", **(env or {})}
    process = subprocess.Popen(
        ["terraform", *args],
        cwd=working_dir,
        env=full_env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    stdout, stderr = _wait(process)
    if process.returncode != 0:
        lines = [ln.strip(" │╷╵") for ln in (stderr or "").splitlines()]
        message = next((ln for ln in lines if ln.startswith("Error:")), None) or next(
            (ln for ln in reversed(lines) if ln), "unknown error"
        )
        raise ToolingError(f"terraform {args[0]} failed in {working_dir}: {message}")
    return stdout or ""


def plan_json(working_dir: Path, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """`terraform show -json` of a fresh plan of working_dir (initialised first when needed).

    The saved plan and the variables file live in a temporary directory; nothing is written to
    working_dir but what `terraform init` writes there.
    """
    import tempfile

    if not working_dir.is_dir():
        raise UsageError(f"--tf-dir {working_dir}: no such directory")
    with tempfile.TemporaryDirectory(prefix="tooling-plan-") as tmp:
        # The project's CLI configuration (provider mirror) unless the user has their own.
        env, _how = cliconfig.ensure(Path(tmp))
        if not (working_dir / ".terraform").is_dir():
            run(working_dir, "init", "-input=false", "-no-color", env=env)
        plan_file = Path(tmp) / "plan.bin"
        args = ["plan", "-input=false", "-no-color", f"-out={plan_file}"]
        if variables:
            var_file = Path(tmp) / "vars.tfvars.json"
            var_file.write_text(json.dumps(variables))
            args.append(f"-var-file={var_file}")
        run(working_dir, *args, env=env)
        return show_json(working_dir, plan_file)


def state_json(working_dir: Path) -> dict[str, Any] | None:
    """`terraform show -json` of working_dir's current state when it holds any resource, else
    None (no state, an empty one, or one terraform cannot show)."""
    if (
        not (working_dir / ".terraform").exists()
        and not (working_dir / "terraform.tfstate").exists()
    ):
        return None
    try:
        doc = show_json(working_dir)
    except ToolingError:
        return None
    root = (doc.get("values") or {}).get("root_module") or {}
    return doc if root.get("resources") or root.get("child_modules") else None


def configuration_json(working_dir: Path) -> dict[str, Any]:
    """What the tables of working_dir are: its applied state when it has one, else a plan.
    The state is shown once: each `terraform show` loads the provider's schema (seconds)."""
    state = state_json(working_dir)
    return state if state is not None else plan_json(working_dir)
