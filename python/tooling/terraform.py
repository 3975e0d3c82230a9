"""The one adapter between Python and Terraform.

python-terraform (unmaintained since 2019) is confined to what still works on current Terraform:
running `output` and `show`. Everything else the package needs from Terraform it reads from JSON.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from python_terraform import IsFlagged
from python_terraform import Terraform as _PyTerraform

from tooling.errors import ToolingError, UsageError


def _terraform(working_dir: Path) -> _PyTerraform:
    if shutil.which("terraform") is None:
        raise ToolingError("terraform is not on PATH")
    if not working_dir.is_dir():
        raise UsageError(f"--tf-dir {working_dir}: no such directory")
    return _PyTerraform(working_dir=str(working_dir))


def outputs(working_dir: Path) -> dict[str, Any] | None:
    """Output values of the stack's state, or None when it has no state or no outputs yet."""
    if (
        not (working_dir / ".terraform").exists()
        and not (working_dir / "terraform.tfstate").exists()
    ):
        return None
    code, out, _err = _terraform(working_dir).cmd("output", json=IsFlagged, no_color=IsFlagged)
    if code != 0 or not out.strip():
        return None
    values = json.loads(out)
    return {name: item.get("value") for name, item in values.items()} or None


def show_json(working_dir: Path, plan_file: Path | None = None) -> dict[str, Any]:
    """`terraform show -json` of a saved plan, or of the current state when no plan is given."""
    args = [str(plan_file)] if plan_file else []
    code, out, err = _terraform(working_dir).cmd("show", *args, json=IsFlagged, no_color=IsFlagged)
    if code != 0:
        last = err.strip().splitlines()[-1] if err.strip() else "unknown error"
        raise ToolingError(f"terraform show failed in {working_dir}: {last}")
    return json.loads(out)
