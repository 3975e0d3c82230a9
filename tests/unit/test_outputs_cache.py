"""Stack outputs are read with `terraform output` once per state, then from the cache, and read
again as soon as the state changes (real terraform applies of a configuration of outputs only:
no provider, so no endpoint)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tooling.errors import ToolingError
from tooling.terraform import adapter, outputs_cache


def apply(where: Path, value: object, *, sensitive: bool = False) -> None:
    flag = "\n  sensitive = true" if sensitive else ""
    (where / "main.tf").write_text(
        f'output "tables" {{\n  value = jsondecode({json.dumps(json.dumps(value))}){flag}\n}}\n'
    )
    for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        subprocess.run(
            ["terraform", *args, "-no-color"], cwd=where, check=True, capture_output=True
        )


def without_terraform(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, any `terraform` call fails: what is still read comes from the cache."""
    monkeypatch.setenv("PATH", "/nonexistent")


@pytest.fixture
def stack_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    where = tmp_path / "stack"
    where.mkdir()
    return where


def test_outputs_are_read_once_per_state(stack_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apply(stack_dir, {"a": {"name": "first"}})
    assert adapter.outputs(stack_dir) == {"tables": {"a": {"name": "first"}}}

    with monkeypatch.context() as m:
        without_terraform(m)
        with pytest.raises(ToolingError, match="terraform is not on PATH"):
            adapter.show_json(stack_dir)  # terraform really is gone
        assert adapter.outputs(stack_dir) == {"tables": {"a": {"name": "first"}}}

    apply(stack_dir, {"a": {"name": "second"}})  # a new serial: the cache no longer applies
    assert adapter.outputs(stack_dir) == {"tables": {"a": {"name": "second"}}}
    with monkeypatch.context() as m:
        without_terraform(m)
        assert adapter.outputs(stack_dir) == {"tables": {"a": {"name": "second"}}}


def test_a_hand_edited_state_is_read_again(
    stack_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply(stack_dir, {"a": 1})
    assert adapter.outputs(stack_dir) == {"tables": {"a": 1}}
    state = stack_dir / "terraform.tfstate"
    doc = json.loads(state.read_text())
    doc["outputs"]["tables"]["value"] = {"a": 22}  # same serial, other content
    state.write_text(json.dumps(doc, indent=2))
    assert adapter.outputs(stack_dir) == {"tables": {"a": 22}}


def test_sensitive_outputs_are_never_cached(
    stack_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply(stack_dir, {"secret": "s3cr3t"}, sensitive=True)
    assert adapter.outputs(stack_dir) == {"tables": {"secret": "s3cr3t"}}
    key = outputs_cache.state_key(stack_dir)
    assert key is not None and outputs_cache.get(stack_dir, key) is None
    holders = {
        p.name for p in stack_dir.parent.rglob("*") if p.is_file() and "s3cr3t" in p.read_text()
    }
    assert holders == {"main.tf", "terraform.tfstate"}  # the secret is only where it was


def test_each_workspace_has_its_own_state(stack_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apply(stack_dir, {"w": "default"})
    assert adapter.outputs(stack_dir) == {"tables": {"w": "default"}}
    subprocess.run(["terraform", "workspace", "new", "other"], cwd=stack_dir, check=True,
                   capture_output=True)  # fmt: skip
    apply(stack_dir, {"w": "other"})
    assert outputs_cache.state_file(stack_dir) == (
        stack_dir / "terraform.tfstate.d" / "other" / "terraform.tfstate"
    )
    assert adapter.outputs(stack_dir) == {"tables": {"w": "other"}}
    subprocess.run(["terraform", "workspace", "select", "default"], cwd=stack_dir, check=True,
                   capture_output=True)  # fmt: skip
    assert adapter.outputs(stack_dir) == {"tables": {"w": "default"}}
