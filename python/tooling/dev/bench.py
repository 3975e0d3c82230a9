"""Seeding benchmarks: the package's seeder against what a user would write by hand.

Everything runs against a fresh local moto server started for the benchmark (so its memory and
CPU are not mixed with ours), each measurement on a fresh table of its own, in one run:

- local engine: the seeder, boto3's `Table.batch_writer()` and a raw loop of pre-serialised
  `batch_write_item` calls of 25 (the engine's ceiling), items per second and ratios;
- the same engine behind `tooling.netdelay` (a fixed delay each way, a laptop far from its
  region): the seeder at several concurrencies against `batch_writer` and against the limit
  min(engine ceiling, workers x 25 items / round trip);
- peak RSS of seeding many items, in a child process per run, to a null sink (`--dry-run`) and to
  the engine, at two sizes, to show it does not grow with N.

`run_bench` returns a `BenchReport`; `checks()` compares it with the acceptance thresholds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice, pairwise
from typing import Any

from tooling.errors import ToolingError, UsageError

BATCH = 25  # DynamoDB's BatchWriteItem limit
REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

# Acceptance thresholds (issue 7).
MIN_SEEDER_VS_RAW = 0.90
MIN_SEEDER_VS_BATCH_WRITER = 1.0
MIN_DELAYED_SPEEDUP = 6.0
MIN_FRACTION_OF_LIMIT = 0.80
MAX_PEAK_RSS_MB = 200.0

Item = dict[str, Any]
Progress = Callable[[str], None]


# -- the items -------------------------------------------------------------------------------------

_VOCABULARY = (
    "pain morning walk sleep medication fatigue stiff lower back neck physio swim stretch "
    "appointment dose ibuprofen rest flare better worse weather cold warm nausea headache"
)
_WORDS = tuple(_VOCABULARY.split())


def bench_items(n: int, seed: int = 42) -> Iterator[Item]:
    """`n` synthetic items of realistic size (about 0.5 KB, the seeds' health entries), streamed:
    nothing is kept, so memory does not depend on `n`. The same seed gives the same items."""
    rng = random.Random(seed)
    words = _WORDS
    for i in range(n):
        day = i // 96
        yield {
            "pk": f"user#{i % 1000:04d}",
            "sk": f"entry#{day:05d}#{i:09d}",
            "date": f"2026-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}",
            "timestamp": f"T{(i % 96) // 4:02d}:{(i % 4) * 15:02d}:00Z",
            "pain_level": rng.randint(0, 10),
            "max_pain_level": rng.randint(0, 10),
            "medication_taken": "yes" if rng.random() < 0.4 else "no",
            "notes": " ".join(rng.choice(words) for _ in range(rng.randint(20, 40))),
            "vitals": {
                "heart_rate": rng.randint(50, 120),
                "temperature": Decimal(f"{rng.uniform(36.0, 38.5):.1f}"),
                "blood_pressure": f"{rng.randint(100, 140)}/{rng.randint(60, 90)}",
            },
            "tags": {rng.choice(words) for _ in range(3)},
            "steps": rng.randint(0, 20000),
        }


def _wire_batches(items: Iterable[Item]) -> list[list[dict[str, Any]]]:
    """Pre-serialised PutRequests in batches of 25 (boto3's own serializer, outside the timing)."""
    from boto3.dynamodb.types import TypeSerializer

    ser = TypeSerializer()
    batches: list[list[dict[str, Any]]] = []
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append({"PutRequest": {"Item": {k: ser.serialize(v) for k, v in item.items()}}})
        if len(batch) == BATCH:
            batches.append(batch)
            batch = []
    if batch:
        batches.append(batch)
    return batches


# -- clients and tables ----------------------------------------------------------------------------


def dynamodb_client(url: str, pool: int = 10) -> Any:
    import boto3
    from botocore.config import Config

    cfg = Config(
        max_pool_connections=max(10, pool), retries={"max_attempts": 10, "mode": "standard"}
    )
    return boto3.Session(region_name=REGION, **CREDENTIALS).client(
        "dynamodb", endpoint_url=url, config=cfg
    )


def _create_table(client: Any, name: str) -> None:
    client.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1})


class _FreshTable:
    """A new table for one measurement; checks the item count, then drops it (moto's memory)."""

    _serial = 0

    def __init__(self, client: Any, label: str, expected: int) -> None:
        _FreshTable._serial += 1
        self.client = client
        self.name = f"bench-{label}-{_FreshTable._serial}"
        self.expected = expected

    def __enter__(self) -> str:
        _create_table(self.client, self.name)
        return self.name

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type is None:
                count = self.client.describe_table(TableName=self.name)["Table"]["ItemCount"]
                if count != self.expected:
                    raise ToolingError(
                        f"bench: table {self.name} holds {count} items, "
                        f"{self.expected} were written"
                    )
        finally:
            self.client.delete_table(TableName=self.name)


# -- the three writers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    label: str
    items: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else 0.0


def _timed(label: str, n: int, fn: Callable[[], object]) -> Measurement:
    start = time.perf_counter()
    fn()
    return Measurement(label, n, time.perf_counter() - start)


def seeder_writer(
    client: Any, table: str, items: Iterable[Item], workers: int | None, **options: Any
) -> None:
    """The package's writer (tooling.dynamo.writer); its default settings when workers is None."""
    from tooling.dynamo.writer import write_items

    if workers is not None:
        options["workers"] = workers
    result = write_items(client, table, items, **options)
    if not result.ok:
        raise ToolingError(
            f"bench: the seeder left {len(result.failed)} items of {table} unwritten"
        )


def default_workers() -> int:
    from tooling.dynamo.writer import DEFAULT_WORKERS

    return int(DEFAULT_WORKERS)


def dynamodb_resource(url: str) -> Any:
    import boto3

    return boto3.Session(region_name=REGION, **CREDENTIALS).resource("dynamodb", endpoint_url=url)


def batch_writer(url: str, table: str, items: Iterable[Item], resource_: Any = None) -> None:
    """What a user writes by hand: boto3's resource API and `Table.batch_writer()`. Pass a
    resource made beforehand to keep its start-up (loading boto3's models) out of a timing."""
    resource_ = resource_ or dynamodb_resource(url)
    with resource_.Table(table).batch_writer() as writer:
        for item in items:
            writer.put_item(Item=item)


def raw_loop(client: Any, table: str, batches: list[list[dict[str, Any]]]) -> None:
    """One batch_write_item per pre-serialised batch of 25, in a loop: the engine's ceiling."""
    for batch in batches:
        request = {table: batch}
        while request:
            request = client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}


def round_trip(client: Any, table: str, batch: list[dict[str, Any]], samples: int = 15) -> float:
    """Median seconds of one batch_write_item of 25 items (network + engine)."""
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        client.batch_write_item(RequestItems={table: batch})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# -- memory (a child process per run) --------------------------------------------------------------


class NullSink:
    """A DynamoDB client that accepts every write, keeps nothing and finds every key it is asked
    for: the `--dry-run` sink, so that only generation, serialisation, batching, key keeping and
    the read-back's own work are measured."""

    def describe_table(self, **_: Any) -> dict[str, Any]:
        schema = [{"AttributeName": "pk", "KeyType": "HASH"}]
        schema.append({"AttributeName": "sk", "KeyType": "RANGE"})
        return {"Table": {"TableStatus": "ACTIVE", "KeySchema": schema}}

    def batch_write_item(self, **_: Any) -> dict[str, Any]:
        return {"UnprocessedItems": {}}

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        return {"Responses": {t: list(r["Keys"]) for t, r in RequestItems.items()}}

    def scan(self, **_: Any) -> dict[str, Any]:
        # Never empty: the read-back goes key by key, the path that holds the most in memory.
        return {"Count": 1, "ScannedCount": 1}


MEMORY_MODES = ("streaming", "seed")  # write_items(collect_keys=False) / `seed`'s default path


@dataclass(frozen=True)
class MemoryRun:
    sink: str  # "null" or "engine"
    items: int
    mode: str  # "streaming": write only, keeping no key; "seed": write, keep keys, read back
    peak_rss_mb: float
    baseline_rss_mb: float
    seconds: float


def _rss_mb() -> float:
    """Peak RSS of this process so far, in MiB.

    /proc's VmHWM belongs to this program's own address space; ru_maxrss is not used first
    because Linux carries it over from the parent across fork+exec (a child started by a big
    process would report the parent's peak)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _seed_path(client: Any, table: str, n: int, workers: int | None) -> None:
    """What `seed` does by default: seed_tables (keys kept) and the read-back of every key."""
    from tooling.dynamo.tables import seed_tables

    options = {} if workers is None else {"workers": workers}
    (outcome,) = seed_tables(
        client, [("bench", (("bench", it) for it in bench_items(n)))], {"bench": table}, **options
    )
    verified = len(outcome.result.keys or ())
    if not outcome.ok or outcome.missing is None or verified != n:
        raise ToolingError(
            f"bench: seed path on {table}: {len(outcome.result.failed)} unwritten, "
            f"{len(outcome.missing or [])} missing, {verified} of {n} keys verified"
        )


def _memory_child(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tooling.bench")
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--sink", choices=("null", "engine"), required=True)
    parser.add_argument("--mode", choices=MEMORY_MODES, default="streaming")
    parser.add_argument("--endpoint-url")
    parser.add_argument("--workers", type=int)
    args = parser.parse_args(argv)
    import tooling.dynamo.tables  # noqa: F401 - imported before the baseline is taken

    if args.sink == "engine":
        client = dynamodb_client(args.endpoint_url, pool=(args.workers or 16) + 4)
        table = f"bench-memory-{args.mode}-{args.items}"
        _create_table(client, table)
    else:
        client, table = NullSink(), "bench-null"
    baseline = _rss_mb()
    start = time.perf_counter()
    if args.mode == "seed":
        _seed_path(client, table, args.items, args.workers)
    else:
        seeder_writer(
            client,
            table,
            bench_items(args.items),
            args.workers,
            key_names=("pk", "sk"),
            collect_keys=False,
        )
    seconds = time.perf_counter() - start
    if args.sink == "engine":
        count = client.describe_table(TableName=table)["Table"]["ItemCount"]
        client.delete_table(TableName=table)
        if count != args.items:
            print(f"{table} holds {count} items, {args.items} were written", file=sys.stderr)
            return 1
    print(json.dumps({"peak": _rss_mb(), "baseline": baseline, "seconds": seconds}))
    return 0


def measure_memory(
    sink: str, items: int, url: str | None = None, mode: str = "streaming"
) -> MemoryRun:
    """Peak RSS of a child process that seeds `items` bench items to `sink` and nothing else:
    mode "streaming" writes only (`seed --no-verify`), "seed" is `seed`'s default path (keys kept,
    every key read back)."""
    if mode not in MEMORY_MODES:
        raise UsageError(f"bench: memory mode {mode!r} is not one of {', '.join(MEMORY_MODES)}")
    cmd = [sys.executable, "-m", "tooling.dev.bench", "--items", str(items), "--sink", sink]
    cmd += ["--mode", mode]
    if url:
        cmd += ["--endpoint-url", url]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ToolingError(f"bench: memory run ({sink}, {mode}, {items} items) failed: {last}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return MemoryRun(sink, items, mode, out["peak"], out["baseline"], out["seconds"])


# -- the whole benchmark ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchConfig:
    items: int = 20_000
    rounds: int = 3  # local runs interleaved in this many slices
    delay_ms: float = 50.0
    delay_rounds: int = 3  # delay runs: rounds of (ceiling, round trip, every writer), median taken
    delay_seconds: float = 4.0  # target seconds of each writer in each delay round
    delay_items: int = 20_000  # at most this many items per writer per delay round
    concurrencies: tuple[int, ...] = (1, 4, 8, 16)
    delay_runs: bool = True
    memory_runs: bool = True
    memory_items: int = 1_000_000  # dry-run to the null sink; also at a tenth of it
    memory_engine_items: int = 50_000  # to the engine; also at a quarter of it

    def validate(self) -> None:
        if self.rounds < 1:
            raise UsageError(f"bench: --rounds must be at least 1 (got {self.rounds})")
        if self.items < BATCH:
            raise UsageError(f"bench: --items must be at least {BATCH} (got {self.items})")
        if self.delay_runs and self.delay_items < BATCH:
            raise UsageError(f"bench: --delay-items must be at least {BATCH}")
        if self.delay_runs and self.delay_rounds < 1:
            raise UsageError(f"bench: --delay-rounds must be at least 1 (got {self.delay_rounds})")
        if self.delay_runs and not 0 < self.delay_seconds <= 600:
            raise UsageError(
                f"bench: --delay-seconds must be in (0, 600] (got {self.delay_seconds})"
            )
        if not 0 < self.delay_ms <= 1000:
            raise UsageError(f"bench: --delay-ms must be in (0, 1000] (got {self.delay_ms})")
        if not self.concurrencies or min(self.concurrencies) < 1:
            raise UsageError("bench: --workers needs positive worker counts, e.g. 1,4,8,16")
        if self.memory_runs and min(self.memory_items, self.memory_engine_items) < 4 * BATCH:
            raise UsageError(f"bench: memory runs need at least {4 * BATCH} items")


@dataclass(frozen=True)
class DelayRound:
    """One delay round: the engine ceiling (raw loop, no proxy) and the round trip of one batch
    through the proxy, measured just before that round's writers."""

    ceiling: float  # items/s
    rtt: float  # seconds


@dataclass(frozen=True)
class DelayRow:
    workers: int
    seeder: Measurement  # pooled over the rounds
    limits: tuple[float, ...]  # per round: min(ceiling, workers x 25 / round trip)
    fractions: tuple[float, ...]  # per round: the seeder's rate / that round's limit

    @property
    def limit(self) -> float:
        return statistics.median(self.limits)

    @property
    def fraction(self) -> float:
        return statistics.median(self.fractions)


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class BenchReport:
    config: BenchConfig
    local: dict[str, Measurement] = field(default_factory=dict)  # seeder, batch_writer, raw
    default_workers: int = 0
    delay_rounds: list[DelayRound] = field(default_factory=list)
    delayed_batch_writer: Measurement | None = None
    delayed_default: Measurement | None = None
    delay_rows: list[DelayRow] = field(default_factory=list)
    memory: list[MemoryRun] = field(default_factory=list)

    @property
    def ceiling(self) -> float:
        return self.local["raw"].rate

    @property
    def rtt(self) -> float:
        """Median round trip of a batch of 25 through the proxy over the delay rounds."""
        return statistics.median(r.rtt for r in self.delay_rounds) if self.delay_rounds else 0.0

    @property
    def delay_ceiling(self) -> float:
        """Median engine ceiling over the delay rounds."""
        return statistics.median(r.ceiling for r in self.delay_rounds) if self.delay_rounds else 0.0

    def checks(self) -> list[Check]:
        out: list[Check] = []
        seeder, bw, raw = self.local["seeder"], self.local["batch_writer"], self.local["raw"]
        r = seeder.rate / raw.rate
        out.append(
            Check("local: seeder >= 90% of raw loop", r >= MIN_SEEDER_VS_RAW, f"{r:.0%} of raw")
        )
        r = seeder.rate / bw.rate
        out.append(
            Check(
                "local: seeder not slower than batch_writer",
                r >= MIN_SEEDER_VS_BATCH_WRITER,
                f"{r:.2f}x batch_writer",
            )
        )
        if self.delayed_default and self.delayed_batch_writer:
            r = self.delayed_default.rate / self.delayed_batch_writer.rate
            out.append(
                Check(
                    f"delay: default seeder ({self.default_workers} workers) >= 6x batch_writer",
                    r >= MIN_DELAYED_SPEEDUP,
                    f"{r:.1f}x",
                )
            )
        for row in self.delay_rows:
            out.append(
                Check(
                    f"delay: seeder, {row.workers} worker(s) >= 80% of limit",
                    row.fraction >= MIN_FRACTION_OF_LIMIT,
                    f"{row.fraction:.0%} of {row.limit:,.0f}/s (median of {len(row.fractions)})",
                )
            )
        for run in self.memory:
            what = "seed (keys kept, read back)" if run.mode == "seed" else "streaming write"
            out.append(
                Check(
                    f"memory: {what}, {run.sink} sink, {run.items:,} items < 200 MB peak",
                    run.peak_rss_mb < MAX_PEAK_RSS_MB,
                    f"{run.peak_rss_mb:.0f} MB",
                )
            )
        return out

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks())


def _local_section(client: Any, url: str, cfg: BenchConfig, report: BenchReport, say: Progress):
    """The three writers, interleaved: N items each, written in `rounds` slices taken in turn (in
    a rotating order), so that a burst of load from elsewhere on the machine hits all three alike
    instead of whichever happened to be running."""
    n = cfg.items
    with _FreshTable(client, "warm-up", 1000) as table:  # moto's first-call costs, untimed
        raw_loop(client, table, _wire_batches(bench_items(1000, seed=7)))
    batches = _wire_batches(bench_items(n))
    rounds = max(1, min(cfg.rounds, len(batches)))
    # Slice boundaries on whole batches of 25, so the raw loop sends the same batches as the others.
    bounds = [len(batches) * r // rounds for r in range(rounds + 1)]
    sizes = [sum(len(b) for b in batches[lo:hi]) for lo, hi in pairwise(bounds)]
    seconds = {"raw": 0.0, "seeder": 0.0, "batch_writer": 0.0}
    with contextlib.ExitStack() as stack:
        tables = {
            k: stack.enter_context(_FreshTable(client, k.replace("_", "-"), n)) for k in seconds
        }
        streams = {"seeder": bench_items(n), "batch_writer": bench_items(n)}
        resource_ = dynamodb_resource(url)
        steps: dict[str, Callable[[int, int], None]] = {
            "raw": lambda r, _k: raw_loop(
                client, tables["raw"], batches[bounds[r] : bounds[r + 1]]
            ),
            "seeder": lambda _r, k: seeder_writer(
                client, tables["seeder"], islice(streams["seeder"], k), None
            ),
            "batch_writer": lambda _r, k: batch_writer(
                url, tables["batch_writer"], islice(streams["batch_writer"], k), resource_
            ),
        }
        order = list(seconds)
        for r in range(rounds):
            say(f"local engine: round {r + 1} of {rounds}, {sizes[r]:,} items per writer")
            for key in order[r % 3 :] + order[: r % 3]:
                start = time.perf_counter()
                steps[key](r, sizes[r])
                seconds[key] += time.perf_counter() - start
    labels = {"raw": "raw loop", "seeder": "seeder", "batch_writer": "batch_writer"}
    for key, secs in seconds.items():
        report.local[key] = Measurement(labels[key], n, secs)


def _items_for(expected_rate: float, workers: int, cfg: BenchConfig) -> int:
    """Items for one writer in one delay round: about `delay_seconds` at its expected rate, at
    least two batches per worker (so each one reaches steady state), at most `delay_items`, in
    whole batches."""
    n = max(2 * workers * BATCH, expected_rate * cfg.delay_seconds)
    return max(BATCH, int(min(n, cfg.delay_items)) // BATCH * BATCH)


def _delay_section(
    direct: Any, port: int, cfg: BenchConfig, report: BenchReport, say: Progress
) -> None:
    """Rounds of: the engine ceiling (raw loop, straight to the engine), the round trip of one
    batch through the proxy, then every writer through the proxy in a rotating order. Each
    writer's fraction of its limit is computed against the ceiling and round trip of its own
    round, and the median over the rounds is reported: a burst of load from elsewhere on the
    machine moves the limit and the rate together instead of failing one row."""
    from tooling.dev.netdelay import delay_proxy_process

    keys = ("pk", "sk")
    ceiling_batches = _wire_batches(bench_items(min(cfg.delay_items, 100 * BATCH), seed=11))
    ceiling_items = sum(len(b) for b in ceiling_batches)
    default = report.default_workers
    writers: list[int | None] = [None, *cfg.concurrencies]  # None: batch_writer
    if default not in cfg.concurrencies:
        writers.append(-1)  # -1: the seeder with its default settings
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(delay_proxy_process(port, cfg.delay_ms / 1000))
        client = dynamodb_client(url, pool=max(cfg.concurrencies) + 4)
        resource_ = dynamodb_resource(url)
        ceiling_table = stack.enter_context(_FreshTable(direct, "ceiling", ceiling_items))
        rtt_table = stack.enter_context(_FreshTable(client, "rtt", BATCH))
        fresh = {w: _FreshTable(client, "batch-writer-delay" if w is None else f"seeder-w{w}", 0)
                 for w in writers}  # fmt: skip
        tables = {w: stack.enter_context(t) for w, t in fresh.items()}
        streams = {w: bench_items(10**9) for w in writers}
        items = dict.fromkeys(writers, 0)
        seconds = dict.fromkeys(writers, 0.0)
        per_round: dict[int | None, list[tuple[float, float]]] = {w: [] for w in writers}
        raw_loop(direct, ceiling_table, ceiling_batches[:4])  # warm the connection, untimed
        for r in range(cfg.delay_rounds):
            say(f"delay {cfg.delay_ms:g} ms each way: round {r + 1} of {cfg.delay_rounds}")
            start = time.perf_counter()
            raw_loop(direct, ceiling_table, ceiling_batches)
            ceiling = ceiling_items / (time.perf_counter() - start)
            rtt = round_trip(client, rtt_table, ceiling_batches[0], samples=9)
            report.delay_rounds.append(DelayRound(ceiling, rtt))
            rotation = r % len(writers)
            for w in writers[rotation:] + writers[:rotation]:
                workers = 1 if w is None else default if w == -1 else w
                limit = ceiling if w == -1 else min(ceiling, workers * BATCH / rtt)
                n = _items_for(BATCH / rtt if w is None else limit, workers, cfg)
                chunk = islice(streams[w], n)
                table = tables[w]
                if w is None:
                    m = _timed(
                        "batch_writer",
                        n,
                        lambda t=table, c=chunk: batch_writer(url, t, c, resource_),
                    )
                else:
                    m = _timed(
                        "seeder",
                        n,
                        lambda t=table, c=chunk, k=(None if w == -1 else w): seeder_writer(
                            client, t, c, k, key_names=keys
                        ),
                    )
                items[w] += n
                seconds[w] += m.seconds
                per_round[w].append((m.rate, limit))
        for w, t in fresh.items():
            t.expected = items[w]
    report.delayed_batch_writer = Measurement("batch_writer", items[None], seconds[None])
    for w in cfg.concurrencies:
        rounds = per_round[w]
        report.delay_rows.append(
            DelayRow(
                w,
                Measurement(f"seeder x{w}", items[w], seconds[w]),
                tuple(limit for _rate, limit in rounds),
                tuple(rate / limit for rate, limit in rounds),
            )
        )
    d = default if default in cfg.concurrencies else -1
    report.delayed_default = Measurement("seeder", items[d], seconds[d])


def _memory_section(url: str, cfg: BenchConfig, report: BenchReport, say: Progress) -> None:
    for mode in MEMORY_MODES:
        for items in (cfg.memory_items // 10, cfg.memory_items):
            say(f"peak memory: {mode}, dry-run to a null sink, {items:,} items")
            report.memory.append(measure_memory("null", items, mode=mode))
    runs = [("streaming", cfg.memory_engine_items)]
    runs += [("seed", cfg.memory_engine_items // 4), ("seed", cfg.memory_engine_items)]
    for mode, items in runs:
        say(f"peak memory: {mode}, to the engine, {items:,} items")
        report.memory.append(measure_memory("engine", items, url, mode=mode))


def run_bench(cfg: BenchConfig, say: Progress = lambda _: None) -> BenchReport:
    """Start a fresh moto server and run every section the config asks for."""
    from tooling.dev.local import MotoServer

    cfg.validate()
    report = BenchReport(cfg, default_workers=default_workers())
    with MotoServer() as server:
        client = dynamodb_client(server.url, pool=max(cfg.concurrencies) + 4)
        _local_section(client, server.url, cfg, report, say)
        if cfg.delay_runs:
            _delay_section(client, server.port, cfg, report, say)
        if cfg.memory_runs:
            _memory_section(server.url, cfg, report, say)
    return report


if __name__ == "__main__":
    sys.exit(_memory_child(sys.argv[1:]))
