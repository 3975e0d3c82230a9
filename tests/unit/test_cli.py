"""The command line itself: its one name, the static command table that keeps `--help` from
importing the library, dev-only dependencies never imported by a command's help, and `query
--list` readable without a terminal in both formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tooling import __version__
from tooling.apps import runner
from tooling.cli import SCRIPT, build_parser, main
from tooling.cli.commands import COMMANDS

HEAVY = ("boto3", "botocore", "rich", "pydantic", "faker", "yaml")
DEV_ONLY = ("moto", "hcl2", "matplotlib", "pytest", "jsonschema", "tftest")


def _imported_after(*argvs: list[str]) -> set[str]:
    """Top-level modules a fresh interpreter holds after `main(argv)` for each argv."""
    code = (
        "import sys\n"
        "from tooling.cli import main\n"
        f"for argv in {list(argvs)!r}:\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.splitlines()[-1].split())  # the last line: after the help text


def test_static_table_is_what_each_command_registers() -> None:
    parser = build_parser(load_all=True)
    sub = next(a for a in parser._actions if a.dest == "command")
    registered = {a.dest: a.help for a in sub._choices_actions}
    assert registered == {name: c.help for name, c in COMMANDS.items()}


def test_top_level_help_imports_no_library() -> None:
    loaded = _imported_after(["--help"])
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_command_help_imports_no_dev_only_tool() -> None:
    # Every command's help in one interpreter: what it loads only grows, so none loads one.
    loaded = _imported_after(*([name, "--help"] for name in sorted(COMMANDS)))
    assert not loaded & set(DEV_ONLY), sorted(loaded & set(DEV_ONLY))


def test_one_name_in_help_and_version(capsys: Any) -> None:
    # The console script installed beside this interpreter (the venv's bin directory).
    script = subprocess.run(
        [str(Path(sys.executable).with_name(SCRIPT)), "--version"], capture_output=True, text=True
    )
    assert script.stdout.strip() == f"{SCRIPT} {__version__}"
    module = subprocess.run(
        [sys.executable, "-m", "tooling", "--help"], capture_output=True, text=True
    )
    assert module.stdout.startswith("usage: python -m tooling ")
    assert f"`{SCRIPT}`" in module.stdout
    # An error names the program as it was called: `cost` without --usage said `python -m tooling`.
    bare = subprocess.run(
        [str(Path(sys.executable).with_name(SCRIPT)), "cost"], capture_output=True, text=True
    )
    assert (bare.returncode, bare.stderr) == (
        2,
        f"error: {SCRIPT} cost: the following arguments are required: --usage\n",
    )


def test_query_list_table_keeps_names_whole_at_80_columns(
    capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["query", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80
    for p in runner.all_patterns():
        # app and pattern name whole, side by side on one line of the table
        assert any(f" {p.app} " in line and f" {p.name} " in line for line in lines), p.name


def test_query_list_json(capsys: Any) -> None:
    assert main(["query", "--list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    want = runner.all_patterns()
    assert [(x["app"], x["pattern"]) for x in listed] == [(p.app, p.name) for p in want]
    first = next(x for x in listed if x["params"])
    pattern = runner.find(first["app"], first["pattern"])
    assert [x["name"] for x in first["params"]] == [x.name for x in pattern.params]
    assert main(["query", "upnest", "--list", "--format", "json"]) == 0
    assert {x["app"] for x in json.loads(capsys.readouterr().out)} == {"upnest"}
