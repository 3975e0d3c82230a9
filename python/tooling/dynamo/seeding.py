"""The seeding engine: streaming, parallel, retrying BatchWriteItem, and verification by key.

Items flow generator -> serialise once -> per-table batch of at most 25 distinct keys -> a bounded
pool of workers. At most `workers * 2` batches are queued or in flight, so memory stays bounded
however many items a generator yields. Only the keys written are kept (for verification and for
naming what is missing), in a KeySet: the encoded keys in one bytearray plus an 8-byte digest
slot table, about (key bytes + 20) bytes a key instead of ~300 for a Python set of tuples.
Verification streams them back in bounded chunks, so seeding 1,000,000 items and reading every
key back stays well under 200 MB.

Each batch is retried until written: UnprocessedItems are re-sent, throttling errors and dropped
connections are retried, all with exponential backoff and full jitter (sleep uniformly in
[0, min(max_delay, base_delay * 2**n)]), n counting attempts that made no progress. Puts are
idempotent, so re-sending an item that did reach the table is harmless and a second run leaves
the same item count.
"""

from __future__ import annotations

import contextlib
import queue
import random
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from hashlib import blake2b
from typing import Any

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

from tooling.dynamo.serialize import SerializationError, WireItem, to_item
from tooling.errors import ToolingError

BATCH_WRITE_LIMIT = 25  # BatchWriteItem's maximum number of requests
BATCH_GET_LIMIT = 100  # BatchGetItem's maximum number of keys
DEFAULT_WORKERS = 16  # enough to hide network latency; the service, not the client, is the limit
THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)

Key = tuple[tuple[str, Any], ...]  # ((type, value), ...) in key-schema order: hashable
ProgressCallback = Callable[[str, int], None]  # (table, items just written)


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff of one batch: full jitter, `max_attempts` consecutive attempts without progress."""

    max_attempts: int = 10
    base_delay: float = 0.05
    max_delay: float = 5.0

    def delay(self, attempt: int) -> float:
        return random.uniform(0.0, min(self.max_delay, self.base_delay * (2**attempt)))


@dataclass
class WriteResult:
    """What happened to one table's items."""

    table: str
    received: int = 0  # items handed to the writer
    duplicates: int = 0  # items superseded by a later item with the same key in the same batch
    written: int = 0  # put requests DynamoDB acknowledged (re-sends counted once)
    batches: int = 0  # BatchWriteItem batches formed
    calls: int = 0  # BatchWriteItem calls made (batches + retries)
    unprocessed: int = 0  # items DynamoDB handed back as UnprocessedItems (then re-sent)
    throttled: int = 0  # calls refused with a throttling error (then retried)
    connection_errors: int = 0  # calls lost to a dropped connection (then retried)
    failed: list[Key] = field(default_factory=list)  # keys still unwritten when retries ran out
    seconds: float = 0.0
    keys: KeySet | None = None  # distinct keys written, when collect_keys=True

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def items_per_second(self) -> float:
        return self.written / self.seconds if self.seconds > 0 else 0.0


# -- keys -----------------------------------------------------------------------------------------


def key_schema(client: Any, table: str, *, timeout: float = 300.0) -> tuple[str, ...]:
    """The table's key attribute names (partition first), once the table is ACTIVE."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            desc = client.describe_table(TableName=table)["Table"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                raise ToolingError(f"table {table} does not exist at this endpoint") from None
            raise
        if desc.get("TableStatus") == "ACTIVE":
            schema = sorted(desc["KeySchema"], key=lambda k: k["KeyType"] != "HASH")
            return tuple(k["AttributeName"] for k in schema)
        if time.monotonic() > deadline:
            raise ToolingError(f"table {table} is still {desc.get('TableStatus')} after {timeout}s")
        time.sleep(1.0)


def _key_part(av: Any) -> tuple[str, Any]:
    ((t, v),) = av.items()
    # DynamoDB compares numbers by value: 1, 1.0 and 1E0 are one key.
    return (t, str(Decimal(v).normalize())) if t == "N" else (t, v)


def item_key(item: WireItem, key_names: Sequence[str]) -> Key:
    try:
        return tuple(_key_part(item[k]) for k in key_names)
    except KeyError as exc:
        raise SerializationError(f"item has no key attribute {exc.args[0]}") from None


_KEY_TYPES = ("S", "N", "B")  # the key attribute types, by their code in a KeySet
_KEY_TYPE_CODES = {t: i for i, t in enumerate(_KEY_TYPES)}


class KeySet:
    """A set of keys that costs about (key bytes + 20) bytes per key.

    Each distinct key is appended, encoded, to one bytearray (per part: type, 2-byte length,
    value; DynamoDB keys are at most 2,048 bytes a part); membership is an open-addressing table
    of 8-byte blake2b digests in an array, at most half full. Two distinct keys share a digest
    with probability about n^2 / 2^65 (3e-8 at a million keys): the later one would count as
    already present. Iteration decodes the keys in insertion order.
    """

    __slots__ = ("_count", "_log", "_mask", "_slots")

    def __init__(self, keys: Iterable[Key] = ()) -> None:
        self._log = bytearray()
        self._slots = array("Q", bytes(8 * 1024))
        self._mask = 1023
        self._count = 0
        self.update(keys)

    @classmethod
    def _encode(cls, key: Key) -> bytes:
        out = bytearray((len(key),))
        for t, v in key:
            raw = v if t == "B" else v.encode("utf-8")
            out.append(_KEY_TYPE_CODES[t])
            out += len(raw).to_bytes(2, "little")
            out += raw
        return bytes(out)

    @staticmethod
    def _digest(data: bytes) -> int:
        return int.from_bytes(blake2b(data, digest_size=8).digest(), "little") or 1  # 0: empty

    def _insert(self, digest: int) -> bool:
        slots, mask = self._slots, self._mask
        i = digest & mask
        while True:
            held = slots[i]
            if held == 0:
                slots[i] = digest
                self._count += 1
                if 2 * self._count > mask:
                    self._grow()
                return True
            if held == digest:
                return False
            i = (i + 1) & mask

    def _grow(self) -> None:
        old = self._slots
        self._mask = mask = 2 * len(old) - 1
        self._slots = slots = array("Q", bytes(8 * (mask + 1)))
        for digest in old:
            if digest:
                i = digest & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i] = digest

    def add(self, key: Key) -> bool:
        """Add `key`; False when it was already present."""
        data = self._encode(key)
        if self._insert(self._digest(data)):
            self._log += data
            return True
        return False

    def update(self, keys: Iterable[Key]) -> None:
        for key in keys:
            self.add(key)

    def __contains__(self, key: object) -> bool:
        try:
            digest = self._digest(self._encode(key))  # type: ignore[arg-type]
        except (TypeError, ValueError, KeyError, AttributeError):
            return False
        slots, mask = self._slots, self._mask
        i = digest & mask
        while slots[i]:
            if slots[i] == digest:
                return True
            i = (i + 1) & mask
        return False

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Key]:
        log, names, pos, end = self._log, _KEY_TYPES, 0, len(self._log)
        while pos < end:
            parts = log[pos]
            pos += 1
            key = []
            for _ in range(parts):
                t = names[log[pos]]
                size = int.from_bytes(log[pos + 1 : pos + 3], "little")
                raw = bytes(log[pos + 3 : pos + 3 + size])
                pos += 3 + size
                key.append((t, raw if t == "B" else raw.decode("utf-8")))
            yield tuple(key)

    @property
    def nbytes(self) -> int:
        """Bytes held: the encoded keys and the digest table."""
        return len(self._log) + self._slots.itemsize * len(self._slots)

    def __repr__(self) -> str:
        return f"KeySet({self._count} keys, {self.nbytes:,} bytes)"


def key_to_wire(key: Key, key_names: Sequence[str]) -> WireItem:
    return {name: {t: v} for name, (t, v) in zip(key_names, key, strict=True)}


def format_key(key: Key, key_names: Sequence[str]) -> str:
    return ", ".join(f"{n}={v!r}" for n, (_t, v) in zip(key_names, key, strict=True))


# -- one batch ------------------------------------------------------------------------------------


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _send_batch(
    client: Any,
    table: str,
    items: list[WireItem],
    policy: RetryPolicy,
    stats: WriteResult,
    lock: threading.Lock,
    on_written: Callable[[int], None],
) -> list[WireItem]:
    """Write one batch until done or out of attempts; returns the items left unwritten."""
    pending = [{"PutRequest": {"Item": it}} for it in items]
    attempt = 0
    calls = unprocessed = throttled = dropped = 0
    try:
        while pending:
            calls += 1
            try:
                resp = client.batch_write_item(RequestItems={table: pending})
            except ClientError as exc:
                if _error_code(exc) not in THROTTLING_CODES:
                    raise
                throttled += 1
            except (ConnectionError, HTTPClientError):
                dropped += 1
            else:
                left = resp.get("UnprocessedItems", {}).get(table, [])
                done = len(pending) - len(left)
                if done:
                    on_written(done)
                    attempt = 0  # progress: start the backoff over
                unprocessed += len(left)
                pending = left
                if not pending:
                    break
            attempt += 1
            if attempt >= policy.max_attempts:
                return [r["PutRequest"]["Item"] for r in pending]
            time.sleep(policy.delay(attempt))
        return []
    finally:
        with lock:
            stats.calls += calls
            stats.unprocessed += unprocessed
            stats.throttled += throttled
            stats.connection_errors += dropped


# -- the writer -----------------------------------------------------------------------------------


class BatchWriter:
    """Parallel, bounded, retrying writer for any number of tables. Not thread-safe: one producer.

    put(table, wire_item) buffers by key (last write wins inside a batch) and submits a batch when
    25 distinct keys are buffered; an item whose key is in a batch still in flight waits for that
    batch, so the later write also lands last. close() flushes; it returns a WriteResult per table.
    """

    def __init__(
        self,
        client: Any,
        *,
        workers: int = DEFAULT_WORKERS,
        policy: RetryPolicy | None = None,
        on_progress: ProgressCallback | None = None,
        collect_keys: bool = True,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self._client = client
        self._policy = policy or RetryPolicy()
        self._on_progress = on_progress
        self._collect_keys = collect_keys
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="seed")
        self._slots = threading.BoundedSemaphore(workers * 2)
        self._lock = threading.Lock()
        self._key_names: dict[str, tuple[str, ...]] = {}
        self._buffers: dict[str, dict[Key, WireItem]] = {}
        self._results: dict[str, WriteResult] = {}
        self._started: dict[str, float] = {}
        self._inflight: dict[tuple[str, Key], Future[list[WireItem]]] = {}
        self._submitted: deque[tuple[str, list[Key], Future[list[WireItem]]]] = deque()
        self._outstanding: dict[str, int] = {}  # batches submitted and not yet accounted for
        self._finishing: dict[str, Callable[[WriteResult], None]] = {}
        self._finished: set[str] = set()
        self._closed = False

    def add_table(self, table: str, key_names: Sequence[str] | None = None) -> WriteResult:
        """Register a table (reads its key schema, waiting for ACTIVE, unless key_names given)."""
        if table not in self._results:
            self._key_names[table] = tuple(key_names or key_schema(self._client, table))
            self._buffers[table] = {}
            keys = KeySet() if self._collect_keys else None
            self._results[table] = WriteResult(table, keys=keys)
            self._started[table] = time.perf_counter()
        return self._results[table]

    def key_names(self, table: str) -> tuple[str, ...]:
        return self._key_names[table]

    def finish(self, table: str, then: Callable[[WriteResult], None]) -> None:
        """No more items for `table`: its buffer is sent, and then(result) is called (in the
        producer's thread, from a later put, finish or close) as soon as every batch of it is
        accounted for, while other tables' writes go on. Putting to it afterwards is an error."""
        self._submit(table)
        self._finishing[table] = then
        self._reap()

    def _fire_finished(self) -> None:
        for table in [t for t in self._finishing if not self._outstanding.get(t)]:
            then = self._finishing.pop(table)
            self._finished.add(table)
            result = self._results[table]
            result.seconds = time.perf_counter() - self._started[table]
            then(result)

    def put(self, table: str, item: WireItem) -> None:
        if table not in self._results:
            self.add_table(table)
        if table in self._finishing or table in self._finished:
            raise ToolingError(f"an item for table {table} came after its writes were finished")
        result = self._results[table]
        key = item_key(item, self._key_names[table])
        result.received += 1
        buf = self._buffers[table]
        if key in buf:
            result.duplicates += 1
        else:
            pending = self._inflight.get((table, key))
            if pending is not None and not pending.done():
                pending.exception()  # wait: the earlier write of this key must land first
        buf[key] = item
        if len(buf) >= BATCH_WRITE_LIMIT:
            self._submit(table)

    def _submit(self, table: str) -> None:
        buf = self._buffers[table]
        if not buf:
            return
        self._buffers[table] = {}
        self._reap()
        result = self._results[table]
        result.batches += 1
        keys = list(buf)
        self._slots.acquire()
        self._outstanding[table] = self._outstanding.get(table, 0) + 1

        def written(n: int) -> None:
            with self._lock:
                result.written += n
            if self._on_progress is not None:
                self._on_progress(table, n)

        fut = self._pool.submit(
            _send_batch, self._client, table, list(buf.values()), self._policy, result, self._lock,
            written,
        )  # fmt: skip
        fut.add_done_callback(lambda _f: self._slots.release())
        for k in keys:
            self._inflight[(table, k)] = fut
        self._submitted.append((table, keys, fut))

    def _reap(self, wait: bool = False) -> None:
        """Account for finished batches (in submission order); re-raise a fatal error."""
        while self._submitted and (wait or self._submitted[0][2].done()):
            table, keys, fut = self._submitted.popleft()
            try:
                left = fut.result()
            except BaseException:
                self._abort()
                raise
            result = self._results[table]
            names = self._key_names[table]
            failed = {item_key(it, names) for it in left}
            if failed:
                result.failed.extend(k for k in keys if k in failed)
            if result.keys is not None:
                result.keys.update(k for k in keys if k not in failed)
            for k in keys:
                if self._inflight.get((table, k)) is fut:
                    del self._inflight[(table, k)]
            self._outstanding[table] -= 1
        self._fire_finished()

    def _abort(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> dict[str, WriteResult]:
        if not self._closed:
            try:
                for table in list(self._buffers):
                    self._submit(table)
                self._reap(wait=True)
            finally:
                self._abort()
            now = time.perf_counter()
            for table, result in self._results.items():
                if table not in self._finished:
                    result.seconds = now - self._started[table]
        return self._results

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self._abort()


def write_items(
    client: Any,
    table_name: str,
    items: Iterable[Mapping[str, Any]],
    *,
    workers: int = DEFAULT_WORKERS,
    serialized: bool = False,
    key_names: Sequence[str] | None = None,
    policy: RetryPolicy | None = None,
    on_progress: ProgressCallback | None = None,
    collect_keys: bool = True,
) -> WriteResult:
    """Put every item of `items` into `table_name`; returns a WriteResult (check `.ok`).

    client        a low-level DynamoDB client; give it max_pool_connections >= workers
    items         any iterable, consumed lazily: plain Python items (str, int, float, Decimal,
                  bool, None, bytes, dict, list, set), or wire items {"attr": {"S": ...}} when
                  serialized=True
    workers       BatchWriteItem calls in flight at once (default 16)
    key_names     the table's key attributes, partition key first; read with DescribeTable
                  (waiting for ACTIVE) when omitted
    policy        retry/backoff of each batch (RetryPolicy())
    on_progress   called as on_progress(table_name, n) from worker threads as items are written
    collect_keys  keep the distinct keys written in result.keys (for verify_keys)

    Items with the same key in one batch are merged, the last one winning. Raises ToolingError if
    the table is missing, ClientError on a non-retryable error (e.g. ValidationException), and
    SerializationError on an item DynamoDB cannot store or that lacks a key attribute.
    Retries exhausted are not an exception: the keys left unwritten are in result.failed.
    """
    writer = BatchWriter(
        client, workers=workers, policy=policy, on_progress=on_progress, collect_keys=collect_keys
    )
    with writer:
        writer.add_table(table_name, key_names)
        put = writer.put
        if serialized:
            for item in items:
                put(table_name, item)  # type: ignore[arg-type]
        else:
            for item in items:
                put(table_name, to_item(item))
    return writer.close()[table_name]


# -- verification ---------------------------------------------------------------------------------


def verify_keys(
    client: Any,
    table: str,
    keys: Iterable[Key],
    key_names: Sequence[str],
    *,
    workers: int = DEFAULT_WORKERS,
    policy: RetryPolicy | None = None,
) -> list[Key]:
    """The keys of `keys` that the table does not hold (BatchGetItem of the keys only).

    Reading back exactly the keys written is exact even when the table holds other items, which a
    COUNT scan is not; it costs one strongly consistent read per item (0.5 RCU per item of up to
    4 KB on a real table), like the scan. Streamed: `keys` is consumed in chunks of 100 with at
    most `workers * 2` chunks queued or in flight, so memory does not grow with the key count
    (only with the keys found missing).
    """
    policy = policy or RetryPolicy()
    names = {f"#k{i}": n for i, n in enumerate(key_names)}
    projection = ", ".join(names)

    def check(chunk: list[Key]) -> list[Key]:
        request = [key_to_wire(k, key_names) for k in chunk]
        found: set[Key] = set()
        attempt = 0
        while request:
            try:
                resp = client.batch_get_item(
                    RequestItems={
                        table: {
                            "Keys": request,
                            "ProjectionExpression": projection,
                            "ExpressionAttributeNames": names,
                            "ConsistentRead": True,
                        }
                    }
                )
            except ClientError as exc:
                if _error_code(exc) not in THROTTLING_CODES:
                    raise
            except (ConnectionError, HTTPClientError):
                pass
            else:
                found.update(item_key(it, key_names) for it in resp["Responses"].get(table, []))
                request = resp.get("UnprocessedKeys", {}).get(table, {}).get("Keys", [])
                if not request:
                    break
            attempt += 1
            if attempt >= policy.max_attempts:
                raise ToolingError(f"could not read back the keys of {table}: retries exhausted")
            time.sleep(policy.delay(attempt))
        return [k for k in chunk if k not in found]

    missing: list[Key] = []
    queued: deque[Future[list[Key]]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="verify") as pool:
        try:
            chunk: list[Key] = []
            for k in keys:
                chunk.append(k)
                if len(chunk) == BATCH_GET_LIMIT:
                    queued.append(pool.submit(check, chunk))
                    chunk = []
                    if len(queued) >= 2 * workers:
                        missing.extend(queued.popleft().result())  # in order, bounded
            if chunk:
                queued.append(pool.submit(check, chunk))
            while queued:
                missing.extend(queued.popleft().result())
        finally:
            for fut in queued:
                fut.cancel()
    return missing


# -- seeding the stack's tables from the app generators -------------------------------------------


@dataclass
class TableSeed:
    """One seed table's outcome: the write result and, when verified, the keys found missing."""

    seed_name: str
    app: str
    result: WriteResult
    missing: list[Key] | None = None  # None: not verified
    key_names: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.result.ok and not self.missing


def describe_tables(
    client: Any, tables: Iterable[str], *, workers: int = DEFAULT_WORKERS
) -> dict[str, tuple[str, ...]]:
    """Each table's key names (key_schema: exists, ACTIVE), the DescribeTable calls made at once
    rather than one round trip after another; the first failing table, in order, raises."""
    names = list(dict.fromkeys(tables))
    if not names:
        return {}
    with ThreadPoolExecutor(
        max_workers=min(len(names), workers), thread_name_prefix="describe"
    ) as pool:
        return dict(zip(names, pool.map(lambda t: key_schema(client, t), names), strict=True))


GENERATED_CHUNK = 500  # items handed from the generating thread to the writers at a time
GENERATED_QUEUED = 4  # chunks generated ahead at most: memory stays bounded


def _generate(
    generators: list[tuple[str, Iterable[tuple[str, Mapping[str, Any]]]]],
    physical: Mapping[str, str],
    out: queue.Queue[tuple[str, str, Any]],
    stop: threading.Event,
) -> None:
    """The producer thread: generate and serialise items into `out` in chunks, an ("app done",
    app) after each app, then ("end", ...); an error is handed over as ("error", exc)."""

    def send(message: tuple[str, str, Any]) -> None:
        while not stop.is_set():
            try:
                out.put(message, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Stopped

    try:
        for app, items in generators:
            chunk: list[tuple[str, str, WireItem]] = []
            for seed_name, item in items:
                table = physical.get(seed_name)
                if table is None:
                    raise ToolingError(f"app {app} generated an item for unknown table {seed_name}")
                try:
                    chunk.append((seed_name, table, to_item(item)))
                except SerializationError as exc:
                    raise ToolingError(f"app {app}, table {seed_name}: {exc}") from None
                if len(chunk) >= GENERATED_CHUNK:
                    send(("items", app, chunk))
                    chunk = []
            send(("items", app, chunk))
            send(("app done", app, None))
        send(("end", "", None))
    except _Stopped:
        pass
    except BaseException as exc:  # handed to the consumer, which raises it in its own thread
        with contextlib.suppress(_Stopped):
            send(("error", "", exc))


class _Stopped(Exception):
    """The consumer gave up: the producer thread ends without sending anything more."""


def seed_tables(
    client: Any,
    generators: Iterable[tuple[str, Iterable[tuple[str, Mapping[str, Any]]]]],
    physical: Mapping[str, str],
    *,
    workers: int = DEFAULT_WORKERS,
    policy: RetryPolicy | None = None,
    on_progress: ProgressCallback | None = None,
    verify: bool = True,
    key_names: Mapping[str, Sequence[str]] | None = None,
) -> list[TableSeed]:
    """Write every (seed_table, item) the generators yield into its physical table, and verify.

    generators  (app name, iterator of (seed table name, plain item)) per app
    physical    seed table name -> physical table name (from the stack)
    key_names   physical name -> key names, when the caller has described the tables already
    Every table is checked (exists, ACTIVE, key schema) before the first write, all at once.

    Generation and serialisation run in a thread of their own, a few chunks ahead of the writers
    (a slow generator does not leave the writers idle while they wait for it, nor the other way
    round). The tables an app wrote to are finished when its generator ends: each is read back
    (verify_keys, in a thread of its own) as soon as its last batch is written, while the next
    apps' items are written. An item for a table an earlier app finished is an error.
    The client needs max_pool_connections >= 2 * workers for reads and writes to overlap fully.
    """
    generators = list(generators)
    names = dict(key_names or describe_tables(client, physical.values(), workers=workers))
    apps_of: dict[str, str] = {}  # seed name -> the app that wrote to it first
    seed_of = {table: seed for seed, table in physical.items()}
    verifications: dict[str, Future[list[Key]]] = {}
    writer = BatchWriter(client, workers=workers, policy=policy, on_progress=on_progress)
    stop = threading.Event()
    chunks: queue.Queue[tuple[str, str, Any]] = queue.Queue(maxsize=GENERATED_QUEUED)
    producer = threading.Thread(
        target=_generate, args=(generators, physical, chunks, stop), name="generate", daemon=True
    )
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verify-table") as verifier:

        def read_back(result: WriteResult) -> None:
            if verify and result.keys:
                verifications[result.table] = verifier.submit(
                    verify_keys, client, result.table, result.keys, writer.key_names(result.table),
                    workers=workers, policy=policy,
                )  # fmt: skip

        try:
            with writer:
                for table in physical.values():
                    writer.add_table(table, names[table])
                producer.start()
                put = writer.put
                while True:
                    kind, app, payload = chunks.get()
                    if kind == "items":
                        for seed_name, table, wire in payload:
                            if apps_of.setdefault(seed_name, app) != app:
                                raise ToolingError(
                                    f"app {app} generated an item for table {seed_name}, "
                                    f"which app {apps_of[seed_name]} writes"
                                )
                            put(table, wire)
                    elif kind == "app done":
                        for table in physical.values():
                            if apps_of.get(seed_of[table]) == app:
                                writer.finish(table, read_back)
                    elif kind == "error":
                        raise payload
                    else:
                        break
            results = writer.close()
        finally:
            stop.set()
            if producer.is_alive():
                producer.join()
        for table, result in results.items():
            if table not in verifications:
                read_back(result)  # tables no app wrote to finish with the writer
        out = []
        for seed_name, table in physical.items():
            result = results[table]
            seed = TableSeed(
                seed_name, apps_of.get(seed_name, ""), result, key_names=writer.key_names(table)
            )
            if verify:
                fut = verifications.get(table)
                seed.missing = fut.result() if fut is not None else []
            out.append(seed)
    return out
