"""Module READMEs carry inputs/outputs tables generated from the .tf files, and stay true."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.paths import REPO
from tooling.cli import main
from tooling.terraform import docs

MODULES = docs.module_dirs(REPO)


@pytest.mark.parametrize("module_dir", MODULES, ids=[str(m.relative_to(REPO)) for m in MODULES])
def test_readme_tables_match_the_tf_files(module_dir: Path) -> None:
    readme, current, new = docs.updated_readme(module_dir)
    assert current == new, f"{readme} is out of date: run `python -m tooling docs`"


def test_every_variable_and_output_is_documented() -> None:
    inputs, outputs = docs.read_module(REPO / "modules" / "dynamodb-table")
    text = (REPO / "modules" / "dynamodb-table" / "README.md").read_text()
    assert {"name", "partition_key", "billing_mode"} <= {i.name for i in inputs}
    for item in (*inputs, *outputs):
        assert f"| `{item.name}` |" in text


def test_check_fails_when_a_variable_changes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    module = tmp_path / "dynamodb-table"
    shutil.copytree(REPO / "modules" / "dynamodb-table", module)
    assert main(["docs", "--check", str(module)]) == 0
    with (module / "variables.tf").open("a") as f:
        f.write('\nvariable "extra" {\n  description = "Added later."\n  type = number\n}\n')
    assert main(["docs", "--check", str(module)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main(["docs", str(module)]) == 0
    assert "| `extra` | Added later. | `number` | n/a | yes |" in (module / "README.md").read_text()
    assert main(["docs", "--check", str(module)]) == 0


def test_root_readme_names_every_root_variable_and_output() -> None:
    inputs, outputs = docs.read_module(REPO)
    text = (REPO / "README.md").read_text()
    missing = [item.name for item in (*inputs, *outputs) if f"`{item.name}`" not in text]
    assert not missing, f"README.md does not document: {', '.join(missing)}"
