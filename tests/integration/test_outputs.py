"""Output files from a user's point of view (issue 16, cases 1, 2 and 8's export part).

Every command that writes a file goes through tooling.outputs: concurrent `export`s of one path
leave one whole file; character devices and FIFOs are written through (never replaced by a
regular file); symlinks are followed; a directory is refused; Ctrl-C during a long export exits
130 promptly with no temporary file left. Runs the real CLI as child processes against the
session's moto server. Device nodes are ones these tests create themselves (as root) — never a
system path, except /dev/null, only ever written through and checked with stat.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from support.tables import make_table
from tooling import aws
from tooling.dev.netdelay import delay_proxy_process
from tooling.dynamo.writer import write_items

pytestmark = pytest.mark.integration

ITEMS = 3_000


@pytest.fixture(scope="module")
def client(moto_server: str) -> Any:
    return aws.dynamodb(max_pool_connections=32)


@pytest.fixture(scope="module")
def table(client: Any) -> str:
    """A 3,000-item table (about 1.4 MB: several scan pages)."""
    name = make_table(client, "outputs")
    items = ({"pk": f"k{i:05d}", "n": i, "pad": "x" * 450} for i in range(ITEMS))
    assert write_items(client, name, items).ok
    return name


def tooling(*args: str, **kwargs: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("TOOLING_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "tooling", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kwargs,
    )


def run(*args: str) -> tuple[int, str, str]:
    proc = tooling(*args)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def assert_complete(path: Path, n: int = ITEMS) -> None:
    lines = path.read_text().splitlines()
    keys = {json.loads(line)["Item"]["pk"]["S"] for line in lines}  # every line parses
    assert len(lines) == n and len(keys) == n


def leftovers(directory: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


def test_concurrent_exports_of_one_path_leave_one_whole_file(table: str, tmp_path: Path) -> None:
    out = tmp_path / "backup.jsonl"
    for round_ in range(3):
        procs = [tooling("export", table, "-o", str(out), "--segments", "4") for _ in range(2)]
        results = [p.communicate(timeout=120) for p in procs]
        for p, (_o, err) in zip(procs, results, strict=True):
            assert p.returncode == 0, err
            assert f"exported {ITEMS:,} items" in err
        assert_complete(out)
        assert leftovers(tmp_path, {"backup.jsonl"}) == [], f"round {round_}"


def test_an_existing_file_keeps_its_permissions(table: str, tmp_path: Path) -> None:
    out = tmp_path / "backup.jsonl"
    out.write_text("old\n")
    out.chmod(0o640)
    assert run("export", table, "-o", str(out))[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert_complete(out)


def test_dev_null_stays_a_character_device(table: str, tmp_path: Path) -> None:
    before = os.stat("/dev/null")
    for argv in (
        ["export", table, "-o", "/dev/null"],
        ["seed", "--dry-run", "--apps", "mediphant", "--tf-dir", str(tmp_path), "-o", "/dev/null"],
    ):
        code, _out, err = run(*argv)
        assert code == 0, err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev, after.st_mode) == (
        before.st_ino,
        before.st_rdev,
        before.st_mode,
    )


def _device(path: Path, major: int, minor: int) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(major, minor))
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")


def test_a_device_node_is_written_through_not_replaced(table: str, tmp_path: Path) -> None:
    """Today's code renamed its temporary file over the device (as root: the device was gone)."""
    null = tmp_path / "null"
    _device(null, 1, 3)  # our own node for the null device: replacing it harms nothing
    for argv in (
        ["export", table, "-o", str(null)],
        ["seed", "--dry-run", "--apps", "mediphant", "--tf-dir", str(tmp_path), "-o", str(null)],
        ["workbench", "--plan", str(_plan(tmp_path)), "-o", str(null)],
    ):
        code, _out, err = run(*argv)
        assert code == 0, err
        assert stat.S_ISCHR(null.stat().st_mode), argv
    assert leftovers(tmp_path, {"null", "plan.json"}) == []


def test_a_full_device_is_one_error_line(table: str, tmp_path: Path) -> None:
    full = tmp_path / "full"
    _device(full, 1, 7)  # our own node for /dev/full: every write fails with ENOSPC
    code, _out, err = run("export", table, "-o", str(full))
    assert code == 1
    assert err.splitlines() == [f"error: cannot write {full}: No space left on device"]
    assert stat.S_ISCHR(full.stat().st_mode)


def test_a_symlink_is_followed_and_kept(table: str, tmp_path: Path) -> None:
    target = tmp_path / "real" / "backup.jsonl"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    dangling = tmp_path / "next.jsonl"
    dangling.symlink_to(tmp_path / "real" / "next.jsonl")
    for path in (link, dangling):
        assert run("export", table, "-o", str(path))[0] == 0
        assert path.is_symlink()
        assert_complete(path.resolve())
    assert sorted(p.name for p in target.parent.iterdir()) == ["backup.jsonl", "next.jsonl"]


def test_a_fifo_is_written_through(table: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.extend(fifo.open().read().splitlines()))
    reader.start()
    code, _out, err = run("export", table, "-o", str(fifo))
    reader.join(timeout=60)
    assert code == 0, err
    assert not reader.is_alive() and len(got) == ITEMS
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_dash_is_stdout(table: str) -> None:
    code, out, err = run("export", table, "-o", "-")
    assert code == 0, err
    assert len(out.splitlines()) == ITEMS
    assert not Path("-").exists()


@pytest.mark.parametrize("command", ["export", "seed", "workbench"])
def test_a_directory_is_refused_in_one_line(command: str, table: str, tmp_path: Path) -> None:
    out = tmp_path / "dir"
    out.mkdir()
    argv = {
        "export": ["export", table, "-o", str(out)],
        "seed": ["seed", "--dry-run", "--tf-dir", str(tmp_path), "-o", str(out)],
        "workbench": ["workbench", "--plan", str(_plan(tmp_path)), "-o", str(out)],
    }[command]
    code, _o, err = run(*argv)
    assert code == 2
    assert err.splitlines() == [f"error: --output {out}: is a directory, expected a file"]
    assert list(out.iterdir()) == []


def test_ctrl_c_during_a_long_export_exits_130_promptly(
    client: Any, moto_server: str, tmp_path: Path
) -> None:
    """A scan slowed to ~0.4 s a page by a delay proxy: Ctrl-C 2 s in; an export that ignored it
    kept scanning until the end (about 15 pages, 6 s)."""
    big = make_table(client, "outputs-big")
    # 15 MB in few items: the pages are 1 MB each however many items they hold.
    items = ({"pk": f"k{i:05d}", "pad": "y" * 50_000} for i in range(300))
    assert write_items(client, big, items).ok
    out = tmp_path / "big.jsonl"
    port = int(moto_server.rsplit(":", 1)[1])
    with delay_proxy_process(port, 0.2) as url:
        proc = tooling("export", big, "-o", str(out), "--segments", "1", "--endpoint-url", url)
        time.sleep(2.0)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _o, err = proc.communicate(timeout=30)
        elapsed = time.monotonic() - sent
    assert proc.returncode == 130, err
    assert err.splitlines() == ["interrupted"]
    assert elapsed < 3, f"exited {elapsed:.1f} s after Ctrl-C"
    assert list(tmp_path.iterdir()) == []  # no temporary file, no partial output


def _plan(directory: Path) -> Path:
    """A one-table plan document for `workbench`."""
    from support.plans import plan_doc, table_values

    path = directory / "plan.json"
    if not path.exists():
        path.write_text(json.dumps(plan_doc(table_values("orders"))))
    return path


def _cost_commands(directory: Path, out: Path) -> list[list[str]]:
    """Every `cost` command that writes a file, on a one-table plan (diffed against itself)."""
    plan = str(_plan(directory))
    usage = directory / "usage.yaml"
    usage.write_text("tables:\n  orders: {item_size_bytes: 1000, items: 100}\n")
    common = ["--usage", str(usage), "--output", str(out)]
    return [
        ["cost", "--plan", plan, "--format", "json", *common],
        ["cost", "diff", "--base", plan, "--plan", plan, *common],
        ["cost", "patterns", "--plan", plan, *common],
    ]


def test_cost_outputs_write_a_device_through_and_follow_a_symlink(tmp_path: Path) -> None:
    """`cost`'s files went around tooling.outputs: a symlink, or a device (as root: /dev/null)
    was replaced by a regular file of mode 0600."""
    null = tmp_path / "null"
    _device(null, 1, 3)
    target = tmp_path / "real" / "cost.txt"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "latest.txt"
    link.symlink_to(target)
    for argv in _cost_commands(tmp_path, null):
        code, _out, err = run(*argv)
        assert code == 0, (argv, err)
        assert stat.S_ISCHR(null.stat().st_mode), argv
    target.chmod(0o640)
    for argv in _cost_commands(tmp_path, link):
        target.write_text("old\n")
        code, _out, err = run(*argv)
        assert code == 0, (argv, err)
        assert link.is_symlink() and target.read_text() != "old\n", argv
        assert stat.S_IMODE(target.stat().st_mode) == 0o640, argv
    assert leftovers(tmp_path, {"null", "plan.json", "usage.yaml", "real", "latest.txt"}) == []


def test_cost_outputs_refuse_a_directory_or_a_missing_one(tmp_path: Path) -> None:
    out = tmp_path / "dir"
    out.mkdir()
    missing = tmp_path / "no-dir" / "cost.txt"
    for argv in _cost_commands(tmp_path, out):
        code, _o, err = run(*argv)
        assert (code, err.splitlines()) == (
            2,
            [f"error: --output {out}: is a directory, expected a file"],
        ), argv
    for argv in _cost_commands(tmp_path, missing):
        code, _o, err = run(*argv)
        assert (code, err.splitlines()) == (
            2,
            [f"error: --output {missing}: directory {missing.parent} does not exist"],
        ), argv
    assert list(out.iterdir()) == [] and not missing.parent.exists()
