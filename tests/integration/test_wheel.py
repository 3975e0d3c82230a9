"""The package as a user gets it: a wheel of python/ installed (no editable install, no extras)
into a fresh virtualenv in a directory outside the repository, run against a copy of the root
stack applied there to the session's moto server. Nothing here may need the checkout: the
commands find the stack in the current directory, and the optional tools (moto, matplotlib,
python-hcl2) are named by the extra that brings them when a command needs one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from support.paths import REPO
from support.terraform import init_and_apply, terraform
from tooling.apps import get_app
from tooling.cli import SCRIPT
from tooling.cli.commands import COMMANDS
from tooling.terraform.tree import copy_root

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PREFIX = "whl-"


class Installed:
    """The virtualenv holding the wheel, and the applied stack beside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = root / "venv" / "bin"
        self.stack = root / "stack"

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """`dynamodb-tooling ARGS` from the virtualenv, in the stack's directory by default."""
        return subprocess.run(
            [str(self.bin / SCRIPT), *args],
            cwd=cwd or self.stack,
            env=_user_env(self.bin),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=300,
        )


def _user_env(venv_bin: Path) -> dict[str, str]:
    # The user's shell: the virtualenv first on PATH, nothing pointing into the checkout.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONPYCACHEPREFIX")
    }
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    return env


def _check(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, f"{done.args}: {done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, fresh_tree: Any) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel").resolve()
    assert REPO not in root.parents, f"{root} is inside the repository"
    it = Installed(root)
    copy_root(REPO, it.stack)
    (it.stack / "test.auto.tfvars.json").write_text(
        json.dumps(
            {
                "environment": "development",
                "table_name_prefix": PREFIX,
                "enable_deletion_protection": False,
                "enable_point_in_time_recovery": False,
            }
        )
    )
    # Terraform applies the stack while pip builds and installs the wheel (both take seconds).
    with ThreadPoolExecutor(max_workers=1) as pool:
        applying = pool.submit(init_and_apply, it.stack)
        _install_wheel(root)
        applying.result()
    yield it


def _install_wheel(root: Path) -> None:
    """A wheel of python/ installed into root/venv (no editable install, no extras)."""
    dist = root / "dist"
    # Built from a copy: setuptools writes build/ and *.egg-info next to the sources.
    source = root / "source"
    shutil.copytree(
        REPO / "python",
        source,
        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"),
    )
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist)]
    _check(subprocess.run([*build, str(source)], capture_output=True, text=True))
    (wheel,) = dist.glob("dynamodb_tooling-*.whl")
    # A virtualenv without pip of its own (ensurepip costs 8 s of CPU here): the test's pip
    # installs into it (--python), as the virtualenv's own pip would.
    venv = [sys.executable, "-m", "venv", "--without-pip", str(root / "venv")]
    _check(subprocess.run(venv, capture_output=True))
    python = str(root / "venv" / "bin" / "python")
    # --no-compile: the commands compile what they import; pip would compile all of Faker's locales.
    pip = [
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-compile",
        str(wheel),
    ]
    _check(subprocess.run(pip, capture_output=True, text=True, cwd=root))
    where = _check(
        subprocess.run(
            [
                str(root / "venv" / "bin" / "python"),
                "-c",
                "import tooling; print(tooling.__file__)",
            ],
            capture_output=True,
            text=True,
            cwd=root,
        )
    )
    assert Path(where.stdout.strip()).is_relative_to(root / "venv"), where.stdout


def test_help_of_every_command(installed: Installed) -> None:
    top = _check(installed.run("--help"))
    assert top.stdout.startswith(f"usage: {SCRIPT} ")
    for name in COMMANDS:
        assert f"    {name}" in top.stdout
        done = _check(installed.run(name, "--help"))
        assert done.stdout.startswith(f"usage: {SCRIPT} {name}"), done.stdout[:200]
    assert _check(installed.run("--version")).stdout.startswith(SCRIPT)


def test_seed_query_export_import_from_the_stack_directory(installed: Installed) -> None:
    seeded = _check(installed.run("seed", "--apps", "mediphant"))
    assert f"terraform outputs of {installed.stack} (the current directory)" in seeded.stderr
    assert f"{PREFIX}mediphant-data" in seeded.stdout

    pattern = next(p for p in get_app("mediphant").patterns if p.name == "find-session")
    params = [a for k, v in pattern.example.items() for a in ("--param", f"{k}={v}")]
    found = _check(installed.run("query", "mediphant", pattern.name, *params, "--format", "json"))
    assert json.loads(found.stdout), "the seeded session is found"
    assert f"terraform outputs of {installed.stack}" in found.stderr

    out = installed.root / "mediphant.jsonl"
    exported = _check(installed.run("export", "mediphant-data", "-o", str(out)))
    assert f"items of {PREFIX}mediphant-data" in exported.stderr
    assert f"(mediphant-data: terraform outputs of {installed.stack}" in exported.stderr
    lines = out.read_text().splitlines()
    assert lines and all("Item" in json.loads(line) for line in lines)
    imported = _check(installed.run("import", str(out), "--table", "mediphant-data"))
    assert f"imported {len(lines):,} items" in imported.stderr


def test_without_state_the_command_says_so(installed: Installed, tmp_path: Path) -> None:
    done = installed.run("query", "upnest", "get-user", "--param", "user_id=nobody", cwd=tmp_path)
    assert "seed names: no Terraform state with a `tables` output in" in done.stderr
    assert "(the current directory); --tf-dir names the stack's directory" in done.stderr


def test_cost_and_check_plan_of_the_applied_stack(installed: Installed) -> None:
    usage = installed.root / "usage.yaml"
    usage.write_text((REPO / "examples" / "usage" / "mediphant.yaml").read_text())
    cost = _check(installed.run("cost", "--usage", str(usage), "--format", "json"))
    assert f"{PREFIX}mediphant-data" in cost.stdout

    plan = installed.root / "plan.bin"
    terraform(installed.stack, "plan", "-input=false", f"-out={plan}")
    shown = terraform(installed.stack, "show", "-json", str(plan))
    (installed.root / "plan.json").write_text(shown.stdout)
    _check(installed.run("check-plan", str(installed.root / "plan.json")))


def test_optional_tools_are_named_by_their_extra(installed: Installed, tmp_path: Path) -> None:
    local = installed.run("local", "up", "--tf-dir", str(installed.stack), cwd=tmp_path)
    assert local.returncode == 1
    assert local.stderr.strip().splitlines()[-1] == (
        f"error: the local endpoint needs moto's server: pip install '{SCRIPT}[local]'"
    )
    assert not (tmp_path / ".local" / "endpoint.json").exists()
    # The demo's default --tf-dir (examples/local) exists only in a clone: the missing extra
    # is what the user must hear first.
    demo = installed.run("demo", cwd=tmp_path)
    assert demo.returncode == 1
    assert demo.stderr.strip().splitlines() == [
        f"error: the local endpoint needs moto's server: pip install '{SCRIPT}[local]'"
    ]
    docs = installed.run("docs", str(installed.stack / "modules" / "dynamodb-table"))
    assert docs.returncode == 1 and f"pip install '{SCRIPT}[dev]'" in docs.stderr
    usage = tmp_path / "usage.yaml"
    usage.write_text((REPO / "examples" / "usage" / "mediphant.yaml").read_text())
    chart = installed.run("cost", "--usage", str(usage), "--chart", str(tmp_path / "c.png"))
    assert chart.returncode == 1 and f"pip install '{SCRIPT}[chart]'" in chart.stderr
