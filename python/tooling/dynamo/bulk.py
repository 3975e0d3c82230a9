"""Generated items as gzip'd DynamoDB JSON files in the layout DynamoDB's S3 import reads.

One directory per table: `DIR/<table>/data/part-00000.json.gz, ...` (one `{"Item": {...}}` line
per item, the DYNAMODB_JSON input format, GZIP compression), rolled over every
`items_per_file` items, plus `DIR/<table>/manifest.json` (item count, size, MD5 and SHA-256 of
every file, key schema) and `DIR/<table>/import-table.json`, the `ImportTable` request for the
files once uploaded (`aws dynamodb import-table --cli-input-json file://...`), written only when
the table's key schema is known (from a plan or the stack).

Streaming: generator -> serialise -> gzip, a few hundred lines buffered per table, so memory does
not depend on the number of items. Files are written under a hidden, unique `.partial` directory
per table (tempfile) and moved into place only once every table is complete. Gzip headers carry no
time or name, so the same random seed gives byte-identical files (and checksums).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tooling import outputs
from tooling.dynamo.serialize import SerializationError, item_to_json, to_item
from tooling.dynamo.tables import Generators
from tooling.errors import ToolingError, UsageError

if TYPE_CHECKING:  # the plan's model of a table; bulk only reads its fields
    from tooling.terraform.plan import TableConfig

DEFAULT_ITEMS_PER_FILE = 1_000_000
COMPRESS_LEVEL = 6  # gzip's own default: most of level 9's ratio at a fraction of its time
BUFFERED_LINES = 512
MANIFEST = "manifest.json"
IMPORT_REQUEST = "import-table.json"
DATA_DIR = "data"
FORMAT = "DYNAMODB_JSON"
COMPRESSION = "GZIP"


@dataclass(frozen=True)
class KeyAttribute:
    name: str
    type: str  # S, N or B
    key_type: str  # HASH or RANGE


@dataclass(frozen=True)
class TableTarget:
    """Where one seed table's files go and what the ImportTable request creates."""

    seed_name: str
    app: str
    name: str  # physical name: the directory and the table ImportTable creates
    key_schema: tuple[KeyAttribute, ...] = ()  # () when unknown (no plan, no state)
    config: TableConfig | None = None  # from a plan: the whole TableCreationParameters


@dataclass(frozen=True)
class PartFile:
    key: str  # path relative to the table's directory, e.g. data/part-00000.json.gz
    items: int
    bytes: int
    md5: str
    sha256: str


@dataclass
class TableFiles:
    target: TableTarget
    directory: Path
    items: int = 0
    files: list[PartFile] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(f.bytes for f in self.files)


# -- key schema and the ImportTable request ------------------------------------------------------


def _capacity(read: int | None, write: int | None) -> dict[str, int]:
    return {"ReadCapacityUnits": read or 1, "WriteCapacityUnits": write or 1}


def creation_parameters(target: TableTarget) -> dict[str, Any]:
    """ImportTable's TableCreationParameters: keys always, indexes and billing from a plan."""
    params: dict[str, Any] = {
        "TableName": target.name,
        "KeySchema": [{"AttributeName": k.name, "KeyType": k.key_type} for k in target.key_schema],
        "AttributeDefinitions": [
            {"AttributeName": k.name, "AttributeType": k.type} for k in target.key_schema
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }
    cfg = target.config
    if cfg is None:
        return params
    params["AttributeDefinitions"] = [
        {"AttributeName": n, "AttributeType": t} for n, t in sorted(cfg.attributes.items())
    ]
    params["BillingMode"] = cfg.billing_mode
    if cfg.provisioned:
        params["ProvisionedThroughput"] = _capacity(cfg.read_capacity, cfg.write_capacity)
    gsis = []
    for g in cfg.gsis:
        index: dict[str, Any] = {
            "IndexName": g.name,
            "KeySchema": [{"AttributeName": g.hash_key, "KeyType": "HASH"}]
            + ([{"AttributeName": g.range_key, "KeyType": "RANGE"}] if g.range_key else []),
            "Projection": {"ProjectionType": g.projection_type},
        }
        if g.non_key_attributes:
            index["Projection"]["NonKeyAttributes"] = list(g.non_key_attributes)
        if cfg.provisioned:
            index["ProvisionedThroughput"] = _capacity(g.read_capacity, g.write_capacity)
        gsis.append(index)
    if gsis:
        params["GlobalSecondaryIndexes"] = gsis
    if cfg.sse_enabled:
        sse: dict[str, Any] = {"Enabled": True, "SSEType": "KMS"}
        if cfg.kms_key_arn:
            sse["KMSMasterKeyId"] = cfg.kms_key_arn
        params["SSESpecification"] = sse
    return params


def import_request(target: TableTarget, bucket: str, prefix: str) -> dict[str, Any]:
    """The ImportTable request for a table's files uploaded under s3://bucket/prefix/<table>/."""
    key_prefix = "/".join(p for p in (prefix.strip("/"), target.name, DATA_DIR) if p) + "/"
    return {
        "S3BucketSource": {"S3Bucket": bucket, "S3KeyPrefix": key_prefix},
        "InputFormat": FORMAT,
        "InputCompressionType": COMPRESSION,
        "TableCreationParameters": creation_parameters(target),
    }


# -- writing ---------------------------------------------------------------------------------------


class _Hashing:
    """A write-only file that hashes and counts what goes through it (the compressed bytes)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def write(self, data: bytes) -> int:
        self.md5.update(data)
        self.sha256.update(data)
        self.bytes += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


class _TableWriter:
    """Rolling gzip part files of one table under `directory/data/`."""

    def __init__(self, files: TableFiles, items_per_file: int, level: int) -> None:
        self.files = files
        self.items_per_file = items_per_file
        self.level = level
        self.buffer: list[bytes] = []
        self.in_part = 0
        self.raw: BinaryIO | None = None
        self.hashing: _Hashing | None = None
        self.gz: gzip.GzipFile | None = None

    def _open(self) -> None:
        key = f"{DATA_DIR}/part-{len(self.files.files):05d}.json.gz"
        self.key = key
        self.raw = (self.files.directory / key).open("wb")
        self.hashing = _Hashing(self.raw)
        # No name and mtime 0 in the header: the same items give the same bytes.
        self.gz = gzip.GzipFile(
            filename="", mode="wb", fileobj=self.hashing, compresslevel=self.level, mtime=0
        )

    def write(self, line: bytes) -> None:
        if self.gz is None:
            self._open()
        self.buffer.append(line)
        self.in_part += 1
        self.files.items += 1
        if len(self.buffer) >= BUFFERED_LINES:
            self._flush()
        if self.in_part >= self.items_per_file:
            self.close()

    def _flush(self) -> None:
        if self.buffer and self.gz is not None:
            self.gz.write(b"".join(self.buffer))
            self.buffer.clear()

    def close(self) -> None:
        if self.gz is None or self.raw is None or self.hashing is None:
            return
        self._flush()
        self.gz.close()
        self.raw.close()
        h = self.hashing
        self.files.files.append(
            PartFile(self.key, self.in_part, h.bytes, h.md5.hexdigest(), h.sha256.hexdigest())
        )
        self.gz = self.raw = self.hashing = None
        self.in_part = 0

    def abort(self) -> None:
        for f in (self.gz, self.raw):
            try:
                if f is not None:
                    f.close()
            except OSError:
                pass


def check_output(out_dir: Path, targets: Iterable[TableTarget]) -> None:
    """Refuse, before writing anything, an output that would overwrite something not ours."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--output {out_dir}: exists and is not a directory")
    if not out_dir.exists() and not out_dir.parent.is_dir():
        raise UsageError(f"--output {out_dir}: directory {out_dir.parent} does not exist")
    for t in targets:
        d = out_dir / t.name
        if d.exists() and not (d.is_dir() and (d / MANIFEST).is_file()):
            raise UsageError(
                f"--output {out_dir}: {d} exists and is not an earlier seed output "
                f"(no {MANIFEST}); remove it or choose another directory"
            )


def manifest(files: TableFiles, bucket: str, prefix: str) -> dict[str, Any]:
    t = files.target
    return {
        "table": t.name,
        "seed_table": t.seed_name,
        "app": t.app,
        "format": FORMAT,
        "compression": COMPRESSION,
        "item_count": files.items,
        "bytes": files.bytes,
        "key_schema": [
            {"AttributeName": k.name, "AttributeType": k.type, "KeyType": k.key_type}
            for k in t.key_schema
        ]
        or None,
        "files": [
            {"key": f.key, "items": f.items, "bytes": f.bytes, "md5": f.md5, "sha256": f.sha256}
            for f in files.files
        ],
        # ImportTable refuses a request without a key schema: none rather than an invalid one.
        "import_table": import_request(t, bucket, prefix) if t.key_schema else None,
    }


def write_tables(
    generators: Generators,
    targets: Mapping[str, TableTarget],
    out_dir: Path,
    *,
    items_per_file: int = DEFAULT_ITEMS_PER_FILE,
    bucket: str = "BUCKET",
    prefix: str = "",
    compresslevel: int = COMPRESS_LEVEL,
    on_progress: Callable[[str, int], None] | None = None,
) -> list[TableFiles]:
    """Write every (seed table, item) the generators yield to its table's part files.

    targets   seed table name -> TableTarget; an item of another table is a ToolingError
    Returns one TableFiles per target (tables that got no item have no part file). Nothing
    appears under out_dir/<table> unless every table was written completely.
    """
    if items_per_file < 1:
        raise UsageError(f"--items-per-file {items_per_file}: must be >= 1")
    check_output(out_dir, targets.values())
    made = not out_dir.exists()  # removed again if this run stops: nothing half-written
    out_dir.mkdir(exist_ok=True)
    done: list[TableFiles] = []
    private: list[Path] = []  # this run's own directories (tempfile: unique even across runs)
    writers: dict[str, _TableWriter] = {}
    try:
        for seed, t in targets.items():
            tmp = Path(tempfile.mkdtemp(dir=out_dir, prefix=f".{t.name}.", suffix=".partial"))
            private.append(tmp)
            tmp.chmod(0o777 & ~outputs.umask())  # mkdtemp's 0700 would stick to the final directory
            (tmp / DATA_DIR).mkdir()
            writers[seed] = _TableWriter(TableFiles(t, tmp), items_per_file, compresslevel)
        dumps = json.JSONEncoder(separators=(",", ":")).encode
        for app, items in generators:
            for seed, item in items:
                writer = writers.get(seed)
                if writer is None:
                    raise ToolingError(f"app {app} generated an item for unknown table {seed}")
                try:
                    wire = to_item(item)
                except SerializationError as exc:
                    raise ToolingError(f"app {app}, table {seed}: {exc}") from None
                writer.write((dumps({"Item": item_to_json(wire)}) + "\n").encode())
                if on_progress is not None and writer.files.items % 10_000 == 0:
                    on_progress(seed, 10_000)
        for seed, writer in writers.items():
            writer.close()
            if on_progress is not None:
                on_progress(seed, writer.files.items % 10_000)
        for writer in writers.values():
            f = writer.files
            doc = manifest(f, bucket, prefix)
            outputs.write_text(f.directory / MANIFEST, json.dumps(doc, indent=2) + "\n")
            if doc["import_table"] is not None:
                outputs.write_text(
                    f.directory / IMPORT_REQUEST, json.dumps(doc["import_table"], indent=2) + "\n"
                )
        for writer in writers.values():
            f = writer.files
            _move_into_place(f.directory, out_dir / f.target.name, private)
            f.directory = out_dir / f.target.name
            done.append(f)
        return done
    finally:
        for writer in writers.values():
            writer.abort()
        for tmp in private:
            shutil.rmtree(tmp, ignore_errors=True)
        if made and not done:
            with contextlib.suppress(OSError):  # not empty: another run's tables are in it
                out_dir.rmdir()


def _move_into_place(tmp: Path, final: Path, private: list[Path]) -> None:
    """Rename a complete table directory to its final name. An earlier run's output there
    (check_output made sure it is one) is first renamed aside, then removed: a concurrent run
    finds either the old directory or a complete new one, never a half-deleted one."""
    for _ in range(3):
        try:
            tmp.rename(final)
            return
        except OSError:
            if not final.exists():
                raise
        aside = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.", suffix=".old"))
        private.append(aside)
        with contextlib.suppress(FileNotFoundError):  # another run moved it meanwhile: retry
            final.rename(aside / final.name)
    tmp.rename(final)
