"""Generated items as gzip'd DynamoDB JSON files in the layout DynamoDB's S3 import reads.

One directory per table: `DIR/<table>/data/part-00000.json.gz, ...` (one `{"Item": {...}}` line
per item, the DYNAMODB_JSON input format, GZIP compression), rolled over every
`items_per_file` items, plus `DIR/<table>/manifest.json` (item count, size, MD5 and SHA-256 of
every file, key schema) and `DIR/<table>/import-table.json`, the `ImportTable` request for the
files once uploaded (`aws dynamodb import-table --cli-input-json file://...`).

Streaming: generator -> serialise -> gzip, a few hundred lines buffered per table, so memory does
not depend on the number of items. Files are written under a hidden `.partial` directory per table
and moved into place only once every table is complete. Gzip headers carry no time or name, so the
same random seed gives byte-identical files (and checksums).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from tooling.apps import Generators
from tooling.apps.catalog import APP_OF_TABLE, SEED_TABLES
from tooling.dynamo.serialize import SerializationError, item_to_json, to_item
from tooling.errors import ToolingError, UsageError
from tooling.terraform import adapter, plan
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


def key_schema_from_config(cfg: TableConfig) -> tuple[KeyAttribute, ...]:
    keys = [(cfg.hash_key, "HASH"), (cfg.range_key, "RANGE")]
    return tuple(
        KeyAttribute(name, cfg.attributes.get(name, "S"), kind) for name, kind in keys if name
    )


def key_schema_from_output(schema: Any) -> tuple[KeyAttribute, ...]:
    """The stack's `tables` output key_schema ({partition_key: {name, type}, sort_key: ...})."""
    if not isinstance(schema, dict):
        return ()
    out = []
    for part, kind in (("partition_key", "HASH"), ("sort_key", "RANGE")):
        k = schema.get(part)
        if isinstance(k, dict) and isinstance(k.get("name"), str):
            out.append(KeyAttribute(k["name"], str(k.get("type") or "S"), kind))
    return tuple(out)


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
        "import_table": import_request(t, bucket, prefix),
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
    out_dir.mkdir(exist_ok=True)
    tag = f".partial-{os.getpid()}"
    writers: dict[str, _TableWriter] = {}
    try:
        for seed, t in targets.items():
            tmp = out_dir / f".{t.name}{tag}"
            shutil.rmtree(tmp, ignore_errors=True)
            (tmp / DATA_DIR).mkdir(parents=True)
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
            (f.directory / MANIFEST).write_text(json.dumps(doc, indent=2) + "\n")
            (f.directory / IMPORT_REQUEST).write_text(
                json.dumps(doc["import_table"], indent=2) + "\n"
            )
        done = []
        for writer in writers.values():
            f = writer.files
            final = out_dir / f.target.name
            if final.exists():
                shutil.rmtree(final)  # an earlier run's output (check_output made sure)
            f.directory.rename(final)
            f.directory = final
            done.append(f)
        return done
    finally:
        for writer in writers.values():
            writer.abort()
            if writer.files.directory.name.endswith(tag):
                shutil.rmtree(writer.files.directory, ignore_errors=True)


def targets(
    apps: Iterable[str], *, plan_path: Path | None, tf_dir: Path
) -> tuple[dict[str, TableTarget], str]:
    """Seed table -> where its files go and what ImportTable creates, for the tables of `apps`,
    and where that came from: a saved plan (`plan_path`: the whole TableCreationParameters), else
    the outputs of the stack deployed from `tf_dir` (names and key schemas), else the seed names
    alone (key schema unknown)."""
    wanted = [t for a in apps for t in SEED_TABLES[a]]
    if plan_path is not None:
        configs = {c.label: c for c in plan.tables(plan.load(plan_path))}
        if not configs:
            raise UsageError(f"--plan {plan_path}: the plan holds no DynamoDB table")
        return {
            seed: TableTarget(
                seed,
                APP_OF_TABLE[seed],
                configs[seed].name,
                key_schema_from_config(configs[seed]),
                configs[seed],
            )
            for seed in wanted
            if seed in configs
        }, f"plan {plan_path}"
    deployed = (adapter.outputs(tf_dir) or {}).get("tables") or {}
    if deployed:
        return {
            seed: TableTarget(
                seed,
                APP_OF_TABLE[seed],
                deployed[seed]["name"],
                key_schema_from_output(deployed[seed].get("key_schema")),
            )
            for seed in wanted
            if seed in deployed
        }, f"terraform outputs of {tf_dir}"
    return {s: TableTarget(s, APP_OF_TABLE[s], s) for s in wanted}, "seed names"
