"""Stack outputs read once per state: `terraform output` costs one to three seconds (terraform
starts, reads its configuration and state), and a command reads the same state's outputs every
time it runs.

A local state file starts with its `serial` (incremented on every change Terraform writes) and
`lineage` (unique to the state): the outputs cached under those two, the file's size and
modification time, are the outputs of that very state. Remote backends keep no local state file,
so their outputs are not cached. Outputs marked sensitive are never cached (the cache must not
copy secrets out of the state file).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

CACHE_NAME = "tooling-outputs.json"  # under the directory's .terraform/
_HEAD = re.compile(rb'"serial":\s*(\d+),\s*"lineage":\s*"([^"]+)"')


def state_file(working_dir: Path) -> Path | None:
    """The local state file of working_dir's selected workspace, if there is one."""
    try:
        workspace = (working_dir / ".terraform" / "environment").read_text().strip() or "default"
    except OSError:
        workspace = os.environ.get("TF_WORKSPACE") or "default"
    if workspace == "default":
        path = working_dir / "terraform.tfstate"
    else:
        path = working_dir / "terraform.tfstate.d" / workspace / "terraform.tfstate"
    return path if path.is_file() else None


def state_key(working_dir: Path) -> str | None:
    """What identifies the current state: lineage, serial, size and mtime of its local file."""
    path = state_file(working_dir)
    if path is None:
        return None
    try:
        stat = path.stat()
        with path.open("rb") as f:
            head = f.read(4096)  # terraform writes version, serial, lineage first
    except OSError:
        return None
    match = _HEAD.search(head)
    if match is None:
        return None
    serial, lineage = match.group(1).decode(), match.group(2).decode()
    return f"{lineage}:{serial}:{stat.st_size}:{stat.st_mtime_ns}:{path.resolve()}"


def _cache_path(working_dir: Path) -> Path:
    dot = working_dir / ".terraform"
    if dot.is_dir():
        return dot / CACHE_NAME
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tooling"
    digest = hashlib.sha256(str(working_dir.resolve()).encode()).hexdigest()[:24]
    return base / f"outputs-{digest}.json"


def get(working_dir: Path, key: str) -> dict[str, Any] | None:
    """The raw `terraform output -json` document cached for this state key, if any."""
    with contextlib.suppress(OSError, ValueError):
        doc = json.loads(_cache_path(working_dir).read_text())
        if isinstance(doc, dict) and doc.get("key") == key and isinstance(doc.get("outputs"), dict):
            return doc["outputs"]
    return None


def put(working_dir: Path, key: str, outputs: dict[str, Any]) -> None:
    """Cache the outputs of this state (best effort: a read-only directory just means no cache)."""
    if any(isinstance(v, dict) and v.get("sensitive") for v in outputs.values()):
        return
    path = _cache_path(working_dir)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "outputs": outputs}))
        tmp.replace(path)
