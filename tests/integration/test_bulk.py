"""`seed --output DIR --format dynamodb-json`: gzip'd DynamoDB JSON for S3 import, read back
through `import` into moto tables and compared item by item with what the generators yield."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters

from support.items import canon, canon_item, scanned_items
from support.paths import REPO
from support.seed_spec import SEED_SPEC
from support.tables import make_table
from tooling import aws, cli
from tooling.apps import GenerationContext, all_apps, start_of_utc_day
from tooling.dynamo.serialize import to_item
from tooling.terraform.tree import copy_root

pytestmark = pytest.mark.integration

SCALE = 0.25
PER_FILE = 100  # small, so that most tables roll over into several part files
IMPORT_TABLE = (
    botocore.session.get_session().get_service_model("dynamodb").operation_model("ImportTable")
)


def key_names(seed: str) -> tuple[str, ...]:
    spec = SEED_SPEC[seed]
    return (spec["hash"][0],) + ((spec["range"][0],) if spec["range"] else ())


def generated() -> dict[str, list[dict[str, Any]]]:
    """Every item the generators yield for the seed command's context, as wire items, per table."""
    ctx = GenerationContext(random_seed=7, scale=SCALE, now=start_of_utc_day())
    out: dict[str, list[dict[str, Any]]] = {}
    for app in all_apps():
        for seed, item in app.generate(ctx):
            out.setdefault(seed, []).append(to_item(item))
    return out


def seed_files(out: Path, source: Path, *extra: str) -> int:
    """`seed --output OUT --format dynamodb-json` with the tables of `source`: a `terraform show
    -json` plan file (--plan), else a Terraform directory (--tf-dir)."""
    where = ["--plan" if source.is_file() else "--tf-dir", str(source)]
    return cli.main(
        [
            "seed",
            *where,
            "--random-seed",
            "7",
            "--scale",
            str(SCALE),
            "--output",
            str(out),
            "--format",
            "dynamodb-json",
            "--items-per-file",
            str(PER_FILE),
            *extra,
        ]
    )


@pytest.fixture(scope="module")
def client(moto_server: str) -> Any:
    return aws.dynamodb(max_pool_connections=32)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, moto_server: str) -> tuple[Path, Path]:
    """One output directory of every app's tables, from the root's configuration with no state:
    the command plans it for the key schemas (physical names: the seed names)."""
    tf_dir = copy_root(REPO, tmp_path_factory.mktemp("no-state"))
    out = tmp_path_factory.mktemp("bulk") / "out"
    assert seed_files(out, tf_dir) == 0
    return out, tf_dir


@pytest.fixture(scope="module")
def root_plan(workspaces: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's plan of the root under its defaults (the configuration `written` planned),
    as a file for --plan: the tests below need its tables, not another plan of them."""
    path = tmp_path_factory.mktemp("bulk-plan") / "root.json"
    path.write_text(json.dumps(workspaces(".").plan()._raw))
    return path


def test_layout_and_manifests(written: tuple[Path, Path]) -> None:
    out, _ = written
    expected = generated()
    assert sorted(p.name for p in out.iterdir()) == sorted(SEED_SPEC)  # nothing .partial left
    umask = os.umask(0o022)
    os.umask(umask)
    for seed, items in expected.items():
        d = out / seed
        # A table directory is made private while written (mkdtemp), then opened up like any
        # other directory: `aws s3 cp` run by another user must read it.
        assert stat.S_IMODE(d.stat().st_mode) == 0o777 & ~umask, seed
        manifest = json.loads((d / "manifest.json").read_text())
        parts = sorted((d / "data").iterdir())
        assert [f"data/{p.name}" for p in parts] == [f["key"] for f in manifest["files"]]
        assert manifest["item_count"] == len(items)
        assert [f["items"] for f in manifest["files"]] == [
            min(PER_FILE, len(items) - i) for i in range(0, len(items), PER_FILE)
        ]
        for part, meta in zip(parts, manifest["files"], strict=True):
            assert part.name.endswith(".json.gz")
            assert part.stat().st_size == meta["bytes"]
            lines = gzip.decompress(part.read_bytes()).decode().splitlines()
            assert len(lines) == meta["items"]
            assert all(json.loads(line).keys() == {"Item"} for line in lines)
        request = json.loads((d / "import-table.json").read_text())
        assert request["S3BucketSource"]["S3KeyPrefix"] == f"{seed}/data/"
        assert (request["InputFormat"], request["InputCompressionType"]) == (
            "DYNAMODB_JSON",
            "GZIP",
        )
        # What `aws dynamodb import-table --cli-input-json` sends: botocore's own model accepts it.
        validate_parameters(request, IMPORT_TABLE.input_shape)
        keys = request["TableCreationParameters"]["KeySchema"]
        assert [k["AttributeName"] for k in keys] == list(key_names(seed))
        assert request == manifest["import_table"]


def test_without_a_key_schema_no_import_request_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No --plan, no state and no configuration: the data files, but no ImportTable request
    (botocore's model, like ImportTable, refuses an empty KeySchema), and the reason said."""
    empty = tmp_path / "empty"
    empty.mkdir()
    assert seed_files(tmp_path / "out", empty, "--apps", "mediphant") == 0
    captured = capsys.readouterr()
    d = tmp_path / "out" / "mediphant-data"
    assert list((d / "data").glob("part-*.json.gz"))
    assert not (d / "import-table.json").exists()
    assert json.loads((d / "manifest.json").read_text())["import_table"] is None
    assert "import-table.json not written" in captured.out
    assert f"no Terraform state or configuration in {empty}" in captured.out + captured.err
    with pytest.raises(ParamValidationError, match="KeySchema"):
        request = {
            "S3BucketSource": {"S3Bucket": "BUCKET"},
            "InputFormat": "DYNAMODB_JSON",
            "TableCreationParameters": {
                "TableName": "mediphant-data",
                "KeySchema": [],
                "AttributeDefinitions": [],
                "BillingMode": "PAY_PER_REQUEST",
            },
        }
        validate_parameters(request, IMPORT_TABLE.input_shape)


def test_files_round_trip_every_item_exactly(
    client: Any, written: tuple[Path, Path], tmp_path: Path
) -> None:
    out, tf_dir = written
    for seed, items in generated().items():
        spec = SEED_SPEC[seed]
        keys = (spec["hash"],) + ((spec["range"],) if spec["range"] else ())
        table = make_table(client, f"bulk-{seed}", keys)
        assert cli.main(["import", str(out / seed), "--table", table, "--tf-dir", str(tf_dir)]) == 0
        names = key_names(seed)
        want = {tuple(canon(it[k]) for k in names): canon_item(it) for it in items}
        assert scanned_items(client, table, names) == want, seed


def test_same_seed_gives_identical_files_and_reruns_replace(
    written: tuple[Path, Path], root_plan: Path, tmp_path: Path
) -> None:
    out, _ = written
    again = tmp_path / "again"
    assert seed_files(again, root_plan, "--apps", "mediphant") == 0
    first = json.loads((out / "mediphant-data" / "manifest.json").read_text())
    second = json.loads((again / "mediphant-data" / "manifest.json").read_text())
    assert first["files"] == second["files"]  # sha256 of every part: byte-identical
    assert first["import_table"] == second["import_table"]  # the same tables, planned twice
    (again / "mediphant-data" / "data" / "part-99999.json.gz").write_bytes(b"stale")
    assert seed_files(again, root_plan, "--apps", "mediphant") == 0  # an earlier output: replaced
    assert not (again / "mediphant-data" / "data" / "part-99999.json.gz").exists()


def test_bad_output_and_bad_files_are_refused_whole(
    client: Any,
    written: tuple[Path, Path],
    root_plan: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, tf_dir = written
    foreign = tmp_path / "foreign"
    (foreign / "mediphant-data").mkdir(parents=True)
    (foreign / "mediphant-data" / "notes.txt").write_text("mine")
    assert seed_files(foreign, root_plan, "--apps", "mediphant") == 2
    assert "is not an earlier seed output" in capsys.readouterr().err
    assert sorted(p.name for p in foreign.iterdir()) == ["mediphant-data"]  # nothing written

    assert cli.main(["seed", "--tf-dir", str(tf_dir), "--format", "dynamodb-json"]) == 2
    assert "needs --output DIR" in capsys.readouterr().err

    # A truncated part: refused naming the file, nothing imported.
    broken = tmp_path / "broken"
    src = out / "mediphant-data" / "data" / "part-00001.json.gz"
    broken.mkdir()
    (broken / "part-00000.json.gz").write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    table = make_table(client, "bulk-broken", (("PK", "S"), ("SK", "S")))
    assert cli.main(["import", str(broken), "--table", table]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {broken / 'part-00000.json.gz'}: line ") and "\n" not in err
    assert client.scan(TableName=table, Select="COUNT")["Count"] == 0

    # A table directory whose part no longer matches its manifest.
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(out / "mediphant-data"), str(copy)], check=True)
    part = copy / "data" / "part-00000.json.gz"
    lines = gzip.decompress(part.read_bytes()).splitlines(keepends=True)
    part.write_bytes(gzip.compress(b"".join(lines[1:])))
    assert cli.main(["import", str(copy), "--table", table]) == 2
    assert "SHA-256 differs" in capsys.readouterr().err
    assert client.scan(TableName=table, Select="COUNT")["Count"] == 0


MEMORY_SCALE = 20  # about 45,000 items; scale 1 is 2,236
PEAK_SCRIPT = """
import sys
from tooling import cli
from tooling.dev.bench import _rss_mb
code = cli.main(sys.argv[1:])
print(f"PEAK {_rss_mb():.1f}")
sys.exit(code)
"""


@pytest.mark.slow
def test_peak_memory_stays_flat(tmp_path: Path) -> None:
    """Peak RSS of writing about 45,000 items to files (a child process), well under 200 MB;
    the README gives the figure for 1,000,000 (scale 450)."""
    args = ["seed", "--tf-dir", str(tmp_path), "--scale", str(MEMORY_SCALE)]
    args += ["--output", str(tmp_path / "out"), "--format", "dynamodb-json"]
    done = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    peak = float(done.stdout.split("PEAK ")[-1])
    total = sum(
        json.loads(m.read_text())["item_count"] for m in (tmp_path / "out").glob("*/manifest.json")
    )
    assert total > 40_000
    assert peak < 200, f"{peak} MB for {total} items"


def test_a_failed_run_leaves_no_directory_it_made(tmp_path: Path) -> None:
    """`seed --output NEW` stopped part-way (Ctrl-C, a generator error) left NEW behind, empty."""
    from tooling.dynamo.bulk import TableTarget, write_tables

    def items() -> Any:
        yield "orders", {"pk": "a"}
        raise KeyboardInterrupt  # what Ctrl-C raises inside the generators

    out = tmp_path / "new"
    targets = {"orders": TableTarget("orders", "shop", "orders")}
    with pytest.raises(KeyboardInterrupt):
        write_tables([("shop", items())], targets, out)
    assert list(tmp_path.iterdir()) == []
    kept = tmp_path / "kept"
    kept.mkdir()  # the user's own directory stays, even empty
    with pytest.raises(KeyboardInterrupt):
        write_tables([("shop", items())], targets, kept)
    assert list(kept.iterdir()) == []
