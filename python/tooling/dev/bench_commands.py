"""End-to-end benchmarks: the commands users run, each in a child process, beside what a user
would write by hand with boto3, locally and behind the delay proxy, in one run.

- `python -m tooling seed` (default options but --scale; ten tables of the root stack applied to
  the bench's moto server, its outputs read as a user's would be), verification on and off,
  against the same items generated beforehand and written with boto3's `Table.batch_writer()`
  (one per table, as a script would) and with a raw loop of pre-serialised `batch_write_item`
  calls of 25;
- `import FILE --table T` against `batch_writer()` fed from the same file (parsing included);
- `export T -o FILE` against a plain paginated `Scan` writing the same lines;
- start-up: `--help` and `query --list`; and `seed` at scale 0.01 (the fixed cost of a seed).

Every run writes into tables created for it (same definitions as the stack's, dropped after), and
its item counts are checked. The runs of a section are interleaved in rounds (in a rotating
order) and each ratio is the median of the ratios of the rounds, so a burst of load from
elsewhere on the machine hits both sides of a ratio alike.

Behind the delay, batch_writer and the raw loop are sequential (one call in flight): their rate
does not depend on how many items they write, so they write `delay_baseline_items` of the same
items (every k-th one) and are compared by items/s. "Once started" is the seed command's rate
beyond its fixed cost: (items - items at scale 0.01) / (seconds - seconds at scale 0.01), both
measured through the proxy in the same round, against the latency limit workers x 25 / round trip.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tooling.dev import bench
from tooling.errors import ToolingError, UsageError

Progress = Callable[[str], None]
REPO_ROOT = Path(__file__).resolve().parents[3]
STACK_VARS = {
    "environment": "development",
    "enable_deletion_protection": False,
    "enable_point_in_time_recovery": False,
}

# Acceptance thresholds (issue 14).
MIN_SEED_VS_RAW = 0.9
MIN_SEED_VS_BATCH_WRITER = 1.2
MIN_DELAYED_SEED_VS_BATCH_WRITER = 6.0
MIN_DELAYED_FRACTION_OF_LIMIT = 0.5
MAX_HELP_SECONDS = 0.3
MAX_SMALL_SEED_SECONDS = 1.5


@dataclass(frozen=True)
class CommandsConfig:
    scale: float = 9.0  # about 20,000 items over the ten tables
    delay_scale: float = 3.6  # about 8,000
    rounds: int = 3
    delay_rounds: int = 3
    delay_ms: float = 50.0
    delay_baseline_items: int = 1000
    file_items: int = 20_000
    delay_file_items: int = 2000
    startup_runs: int = 5
    workers: int = 16  # the seed command's default; the limit's numerator
    delay_runs: bool = True

    def validate(self) -> None:
        if not 0 < self.scale <= 1000 or not 0 < self.delay_scale <= 1000:
            raise UsageError("bench: --scale and --delay-scale must be in (0, 1000]")
        if min(self.rounds, self.delay_rounds, self.startup_runs) < 1:
            raise UsageError("bench: --command-rounds, --delay-rounds, startup runs must be >= 1")
        if min(self.file_items, self.delay_file_items, self.delay_baseline_items) < bench.BATCH:
            raise UsageError(f"bench: file and baseline item counts must be >= {bench.BATCH}")


# -- the stack and its tables ----------------------------------------------------------------------


def _copy_stack(dest: Path) -> Path:
    """The root stack's Terraform files (and its modules) in a directory of the bench's own."""
    dest.mkdir(parents=True)
    for src in [*REPO_ROOT.glob("*.tf"), REPO_ROOT / ".terraform.lock.hcl"]:
        if src.is_file():
            shutil.copy2(src, dest / src.name)
    shutil.copytree(
        REPO_ROOT / "modules", dest / "modules", ignore=shutil.ignore_patterns(".terraform")
    )
    (dest / "bench.auto.tfvars.json").write_text(json.dumps(STACK_VARS))
    return dest


def apply_stack(url: str, dest: Path) -> dict[str, str]:
    """Apply the root stack to the endpoint at url; seed table name -> physical name."""
    from tooling.dev.local import endpoint_env
    from tooling.terraform import adapter, stack

    tf_dir = _copy_stack(dest)
    env = endpoint_env(url)
    adapter.run(tf_dir, "init", "-input=false", "-no-color", env=env)
    adapter.run(tf_dir, "apply", "-auto-approve", "-input=false", "-no-color", env=env)
    deployed = stack.load(tf_dir)
    if len(deployed.tables) < 10:
        raise ToolingError(f"bench: the applied stack has {len(deployed.tables)} tables, not 10")
    return {seed: t.name for seed, t in deployed.tables.items()}


def table_spec(client: Any, name: str) -> dict[str, Any]:
    """create_table arguments that make a table like `name` (keys, indexes, stream), on demand."""
    t = client.describe_table(TableName=name)["Table"]
    spec: dict[str, Any] = {
        "KeySchema": t["KeySchema"],
        "AttributeDefinitions": t["AttributeDefinitions"],
        "BillingMode": "PAY_PER_REQUEST",
    }
    gsis = [
        {k: g[k] for k in ("IndexName", "KeySchema", "Projection")}
        for g in t.get("GlobalSecondaryIndexes") or ()
    ]
    lsis = [
        {k: i[k] for k in ("IndexName", "KeySchema", "Projection")}
        for i in t.get("LocalSecondaryIndexes") or ()
    ]
    if gsis:
        spec["GlobalSecondaryIndexes"] = gsis
    if lsis:
        spec["LocalSecondaryIndexes"] = lsis
    stream = t.get("StreamSpecification")
    if stream and stream.get("StreamEnabled"):
        spec["StreamSpecification"] = stream
    return spec


class Tables:
    """Fresh tables of the stack's definitions for each run; item counts checked after it."""

    def __init__(self, client: Any, specs: Mapping[str, dict[str, Any]]) -> None:
        self.client = client
        self.specs = dict(specs)  # physical name -> create_table arguments

    def key_names(self, physical: str) -> tuple[str, ...]:
        schema = sorted(self.specs[physical]["KeySchema"], key=lambda k: k["KeyType"] != "HASH")
        return tuple(k["AttributeName"] for k in schema)

    def drop(self, names: Iterator[str] | list[str]) -> None:
        for name in names:
            with contextlib.suppress(self.client.exceptions.ResourceNotFoundException):
                self.client.delete_table(TableName=name)

    @contextlib.contextmanager
    def fresh(self, expected: Mapping[str, int], prefix: str = "") -> Iterator[dict[str, str]]:
        """Tables `prefix + physical` for every physical name of `expected` (recreated if they
        exist); on a clean exit each must hold exactly its expected item count."""
        names = {p: prefix + p for p in expected}
        self.drop(list(names.values()))
        for physical, name in names.items():
            self.client.create_table(TableName=name, **self.specs[physical])
        try:
            yield names
            for physical, name in names.items():
                count = self.client.describe_table(TableName=name)["Table"]["ItemCount"]
                if count != expected[physical]:
                    raise ToolingError(
                        f"bench: table {name} holds {count} items, {expected[physical]} expected"
                    )
        finally:
            self.drop(list(names.values()))


# -- the items the seed command generates, generated beforehand -----------------------------------


@dataclass
class Generated:
    """What `seed --scale S` writes, by physical table: plain items (for batch_writer) and
    pre-serialised PutRequest batches (for the raw loop), duplicate keys merged as the seeder
    does (the last one wins)."""

    items: dict[str, list[dict[str, Any]]]
    batches: dict[str, list[list[dict[str, Any]]]]

    @property
    def counts(self) -> dict[str, int]:
        return {t: len(v) for t, v in self.items.items()}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def every(self, k: int) -> Generated:
        """Every k-th item of each table (at least one): a subset with the same mix."""
        items = {t: v[::k] for t, v in self.items.items()}
        return Generated(items, {t: bench._wire_batches(v) for t, v in items.items()})


def generate(scale: float, physical: Mapping[str, str], tables: Tables) -> Generated:
    from tooling.apps import DEFAULT_RANDOM_SEED, GenerationContext, generators, start_of_utc_day
    from tooling.apps.catalog import SEED_TABLES

    # What the seed command generates with its default options.
    ctx = GenerationContext(random_seed=DEFAULT_RANDOM_SEED, scale=scale, now=start_of_utc_day())
    by_key: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {t: {} for t in physical.values()}
    for _app, items in generators(SEED_TABLES, ctx):
        for seed_name, item in items:
            table = physical[seed_name]
            key = tuple(repr(item[k]) for k in tables.key_names(table))
            by_key[table].pop(key, None)  # re-inserted last, as a later put wins
            by_key[table][key] = item
    items = {t: list(v.values()) for t, v in by_key.items()}
    return Generated(items, {t: bench._wire_batches(v) for t, v in items.items()})


# -- the runs --------------------------------------------------------------------------------------


def tooling_command(args: list[str], url: str, cwd: Path) -> float:
    """Seconds of `python -m tooling ARGS` in a child process against the endpoint at url.

    The child may cache its bytecode (under cwd/pycache, not in the source tree), as an
    installed package does: `make` sets PYTHONDONTWRITEBYTECODE, which would make every start
    compile the package again."""
    from tooling.dev.local import endpoint_env

    env = {**os.environ, **endpoint_env(url), "COLUMNS": "160"}
    for k in (
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL_DYNAMODB",
        "TOOLING_DEBUG",
        "PYTHONDONTWRITEBYTECODE",
    ):
        env.pop(k, None)
    env["PYTHONPYCACHEPREFIX"] = str(cwd / "pycache")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tooling", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ToolingError(f"bench: `tooling {' '.join(args)}` exited {done.returncode}: {last}")
    return seconds


def batch_writer_tables(resource_: Any, names: Mapping[str, str], gen: Generated) -> None:
    for physical, items in gen.items.items():
        with resource_.Table(names[physical]).batch_writer() as writer:
            for item in items:
                writer.put_item(Item=item)


def raw_tables(client: Any, names: Mapping[str, str], gen: Generated) -> None:
    for physical, batches in gen.batches.items():
        bench.raw_loop(client, names[physical], batches)


def write_file(path: Path, n: int) -> None:
    """n bench items as DynamoDB JSON lines, the format `export` writes and `import` reads."""
    from boto3.dynamodb.types import TypeSerializer

    ser = TypeSerializer()
    with path.open("w", encoding="utf-8") as out:
        for item in bench.bench_items(n, seed=5):
            wire = {k: ser.serialize(v) for k, v in item.items()}
            out.write(json.dumps({"Item": wire}) + "\n")


def batch_writer_file(resource_: Any, table: str, path: Path) -> None:
    """What a user writes to load a DynamoDB JSON lines file: parse, deserialise, batch_writer."""
    from boto3.dynamodb.types import TypeDeserializer

    de = TypeDeserializer()
    with path.open(encoding="utf-8") as lines, resource_.Table(table).batch_writer() as writer:
        for line in lines:
            wire = json.loads(line)["Item"]
            writer.put_item(Item={k: de.deserialize(v) for k, v in wire.items()})


def scan_to_file(client: Any, table: str, path: Path) -> int:
    """What a user writes to dump a table: a paginated Scan, one {"Item": ...} line per item."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for page in client.get_paginator("scan").paginate(TableName=table):
            for item in page["Items"]:
                out.write(json.dumps({"Item": item}) + "\n")
                n += 1
    return n


def _lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


# -- the report ------------------------------------------------------------------------------------


@dataclass
class Timings:
    """Seconds of each labelled run, one entry per round."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, items: int, seconds: float) -> None:
        self.seconds.setdefault(label, []).append(seconds)
        self.items[label] = items

    def median(self, label: str) -> float:
        return statistics.median(self.seconds[label])

    def rate(self, label: str) -> float:
        return self.items[label] / self.median(label)

    def ratio(self, a: str, b: str) -> float:
        """Median over the rounds of (a's items/s) / (b's items/s)."""
        pairs = zip(self.seconds[a], self.seconds[b], strict=True)
        return statistics.median(
            (self.items[a] / sa) / (self.items[b] / sb) for sa, sb in pairs if sa and sb
        )


@dataclass
class CommandsReport:
    config: CommandsConfig
    local: Timings = field(default_factory=Timings)
    delayed: Timings = field(default_factory=Timings)
    startup: Timings = field(default_factory=Timings)
    rtts: list[float] = field(default_factory=list)  # per delay round, one batch of 25
    started_fractions: dict[str, list[float]] = field(default_factory=dict)  # per delay round
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def fraction_of_limit(self, label: str) -> float:
        return statistics.median(self.started_fractions[label])

    @property
    def limit(self) -> float:
        return self.config.workers * bench.BATCH / statistics.median(self.rtts)

    def checks(self) -> list[bench.Check]:
        out = []
        lo = self.local
        r = lo.ratio("seed", "raw")
        out.append(bench.Check("local: seed (verify) >= 0.9x raw loop", r >= MIN_SEED_VS_RAW,
                               f"{r:.2f}x"))  # fmt: skip
        r = lo.ratio("seed", "batch_writer")
        out.append(bench.Check("local: seed (verify) >= 1.2x batch_writer",
                               r >= MIN_SEED_VS_BATCH_WRITER, f"{r:.2f}x"))  # fmt: skip
        s = lo.median("seed-small")
        out.append(bench.Check("local: seed --scale 0.01 < 1.5 s", s < MAX_SMALL_SEED_SECONDS,
                               f"{s:.2f} s"))  # fmt: skip
        s = self.startup.median("--help")
        out.append(bench.Check("start-up: --help < 0.3 s", s < MAX_HELP_SECONDS, f"{s:.2f} s"))
        if self.delayed.seconds:
            d = self.delayed
            r = d.ratio("seed", "batch_writer")
            out.append(bench.Check("delay: seed (verify) >= 6x batch_writer",
                                   r >= MIN_DELAYED_SEED_VS_BATCH_WRITER, f"{r:.1f}x"))  # fmt: skip
            f = self.fraction_of_limit("seed")
            out.append(bench.Check(
                f"delay: seed (verify) once started >= 50% of {self.config.workers} x 25 / RTT",
                f >= MIN_DELAYED_FRACTION_OF_LIMIT,
                f"{f:.0%} of {self.limit:,.0f}/s",
            ))  # fmt: skip
        return out


# -- the whole section -----------------------------------------------------------------------------


def _rounds(
    steps: dict[str, Callable[[], tuple[int, float]]], rounds: int, timings: Timings,
    say: Progress, what: str,
) -> None:  # fmt: skip
    """Run every step once per round, in an order rotated each round."""
    order = list(steps)
    for r in range(rounds):
        say(f"{what}: round {r + 1} of {rounds}")
        for label in order[r % len(order):] + order[: r % len(order)]:  # fmt: skip
            n, seconds = steps[label]()
            timings.add(label, n, seconds)


def _seed_steps(
    tables: Tables, physical: Mapping[str, str], gen: Generated, small: Generated, url: str,
    tf_dir: Path, work: Path, scale: float, baseline: Generated, client: Any, resource_: Any,
) -> dict[str, Callable[[], tuple[int, float]]]:  # fmt: skip
    """seed (verify on/off, at `scale` and at 0.01) and the two baselines, each on fresh tables."""

    def seed(extra: list[str], g: Generated, s: float) -> Callable[[], tuple[int, float]]:
        def step() -> tuple[int, float]:
            with tables.fresh(g.counts):
                args = ["seed", "--tf-dir", str(tf_dir), "--scale", f"{s:g}", *extra]
                return g.total, tooling_command(args, url, work)

        return step

    def baseline_step(fn: Callable[[Mapping[str, str]], None]) -> Callable[[], tuple[int, float]]:
        def step() -> tuple[int, float]:
            with tables.fresh(baseline.counts, prefix="hand-") as names:
                start = time.perf_counter()
                fn(names)
                return baseline.total, time.perf_counter() - start

        return step

    return {
        "seed": seed([], gen, scale),
        "seed --no-verify": seed(["--no-verify"], gen, scale),
        "seed-small": seed([], small, 0.01),
        "batch_writer": baseline_step(lambda n: batch_writer_tables(resource_, n, baseline)),
        "raw": baseline_step(lambda n: raw_tables(client, n, baseline)),
    }


def _file_steps(
    direct: Any, url: str, client: Any, resource_: Any, work: Path, n: int, tag: str
) -> dict[str, Callable[[], tuple[int, float]]]:
    """import vs batch_writer of the same file; export vs a paginated Scan of the same table."""
    spec = {"bench": table_spec_of_bench(direct)}
    src = work / f"items-{tag}.jsonl"
    write_file(src, n)
    source = f"bench-export-{tag}"
    with contextlib.suppress(direct.exceptions.ResourceNotFoundException):
        direct.delete_table(TableName=source)
    direct.create_table(TableName=source, **spec["bench"])
    bench.raw_loop(direct, source, bench._wire_batches(_read_items(src)))
    files = Tables(direct, spec)

    def into(fn: Callable[[str], None]) -> Callable[[], tuple[int, float]]:
        def step() -> tuple[int, float]:
            with files.fresh({"bench": n}, prefix=f"{tag}-{fn.__name__}-") as names:
                start = time.perf_counter()
                fn(names["bench"])
                return n, time.perf_counter() - start

        return step

    def import_command(table: str) -> None:
        tooling_command(["import", str(src), "--table", table], url, work)

    def import_batch_writer(table: str) -> None:
        batch_writer_file(resource_, table, src)

    def out(fn: Callable[[Path], None]) -> Callable[[], tuple[int, float]]:
        def step() -> tuple[int, float]:
            path = work / f"export-{tag}.jsonl"
            start = time.perf_counter()
            fn(path)
            seconds = time.perf_counter() - start
            if _lines(path) != n:
                raise ToolingError(f"bench: {path} holds {_lines(path)} lines, {n} expected")
            path.unlink()
            return n, seconds

        return step

    return {
        "import": into(import_command),
        "import: batch_writer": into(import_batch_writer),
        "export": out(lambda p: tooling_command(["export", source, "-o", str(p)], url, work)),
        "export: scan": out(lambda p: scan_to_file(client, source, p) and None),
    }


def table_spec_of_bench(_client: Any) -> dict[str, Any]:
    return {
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def _read_items(path: Path) -> Iterator[dict[str, Any]]:
    from boto3.dynamodb.types import TypeDeserializer

    de = TypeDeserializer()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield {k: de.deserialize(v) for k, v in json.loads(line)["Item"].items()}


def run_commands(
    server_url: str, server_port: int, cfg: CommandsConfig, say: Progress = lambda _: None
) -> CommandsReport:
    """Every end-to-end section against the moto server at server_url."""
    from tooling.dev.netdelay import delay_proxy_process

    cfg.validate()
    report = CommandsReport(cfg, load_average=os.getloadavg())
    direct = bench.dynamodb_client(server_url, pool=cfg.workers + 4)
    with tempfile.TemporaryDirectory(prefix="tooling-bench-") as tmp:
        work = Path(tmp)
        say("terraform apply of the root stack to the bench's moto server")
        physical = apply_stack(server_url, work / "stack")
        tables = Tables(direct, {p: table_spec(direct, p) for p in physical.values()})
        tf_dir = work / "stack"

        say("start-up: --help, query --list")
        for args in (["seed", "--help"], ["import", "--help"], ["export", "--help"]):
            tooling_command(args, server_url, work)  # untimed: bytecode cached, as installed
        for _ in range(cfg.startup_runs):
            for label, args in (("--help", ["--help"]), ("query --list", ["query", "--list"])):
                report.startup.add(label, 0, tooling_command(args, server_url, work))

        say(f"generating the items of seed --scale {cfg.scale:g}")
        gen = generate(cfg.scale, physical, tables)
        small = generate(0.01, physical, tables)
        resource_ = bench.dynamodb_resource(server_url)
        steps = _seed_steps(tables, physical, gen, small, server_url, tf_dir, work, cfg.scale,
                            gen, direct, resource_)  # fmt: skip
        steps |= _file_steps(direct, server_url, direct, resource_, work, cfg.file_items, "local")
        _rounds(steps, cfg.rounds, report.local, say, "local")

        if cfg.delay_runs:
            say(f"generating the items of seed --scale {cfg.delay_scale:g}")
            gen = generate(cfg.delay_scale, physical, tables)
            baseline = gen.every(max(1, gen.total // cfg.delay_baseline_items))
            with delay_proxy_process(server_port, cfg.delay_ms / 1000) as url:
                client = bench.dynamodb_client(url, pool=cfg.workers + 4)
                resource_ = bench.dynamodb_resource(url)
                rtt_table = "bench-rtt"
                direct.create_table(TableName=rtt_table, **table_spec_of_bench(direct))
                one_batch = bench._wire_batches(bench.bench_items(bench.BATCH))[0]
                steps = _seed_steps(tables, physical, gen, small, url, tf_dir, work,
                                    cfg.delay_scale, baseline, client, resource_)  # fmt: skip
                steps |= _file_steps(direct, url, client, resource_, work, cfg.delay_file_items,
                                     "delay")  # fmt: skip
                # import/export of the sequential baselines at 100 ms a call: fewer rounds' worth
                steps["rtt"] = lambda: (0, bench.round_trip(client, rtt_table, one_batch, 9))
                _rounds(steps, cfg.delay_rounds, report.delayed, say, f"{cfg.delay_ms:g} ms")
                report.rtts = report.delayed.seconds.pop("rtt")
                report.delayed.items.pop("rtt")
            d = report.delayed
            for label in ("seed", "seed --no-verify"):
                report.started_fractions[label] = [
                    (d.items[label] - d.items["seed-small"]) / (s - small_s) / (
                        cfg.workers * bench.BATCH / rtt)
                    for s, small_s, rtt in zip(d.seconds[label], d.seconds["seed-small"],
                                               report.rtts, strict=True)
                ]  # fmt: skip
    return report


def run(cfg: CommandsConfig, say: Progress = lambda _: None) -> CommandsReport:
    """The end-to-end sections on a fresh moto server of their own."""
    from tooling.dev.local import MotoServer

    cfg.validate()
    say("starting a local moto server for the command runs")
    with MotoServer() as server:
        return run_commands(server.url, server.port, cfg, say)
