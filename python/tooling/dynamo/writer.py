"""The writer: streaming, parallel BatchWriteItem of any number of tables, bounded in memory.

Items flow generator -> serialise once -> per-table batch of at most 25 distinct keys -> a bounded
pool of workers. At most `workers * 2` batches are queued or in flight, so memory stays bounded
however many items a generator yields. Only the keys written are kept, in a KeySet (keys.py).
Each batch makes at most RetryPolicy.max_attempts HTTP calls (retry.py). Puts are idempotent, so
re-sending an item that did reach the table is harmless and a second run leaves the same count.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

from tooling.dynamo.endpoint import EndpointLost, unreachable
from tooling.dynamo.keys import Key, KeySet, item_key, key_schema
from tooling.dynamo.retry import RetryPolicy, attempts
from tooling.dynamo.serialize import WireItem, to_item
from tooling.errors import ToolingError

BATCH_WRITE_LIMIT = 25  # BatchWriteItem's maximum number of requests
DEFAULT_WORKERS = 16  # enough to hide network latency; the service, not the client, is the limit
ProgressCallback = Callable[[str, int], None]  # (table, items just written)


@dataclass
class WriteResult:
    """What happened to one table's items."""

    table: str
    received: int = 0  # items handed to the writer
    duplicates: int = 0  # items superseded by a later item with the same key in the same batch
    written: int = 0  # put requests DynamoDB acknowledged (re-sends counted once)
    batches: int = 0  # BatchWriteItem batches formed
    calls: int = 0  # HTTP calls made (batches, re-sends and botocore's retries)
    unprocessed: int = 0  # items DynamoDB handed back as UnprocessedItems (then re-sent)
    throttled: int = 0  # calls refused with throttling or a 5xx (retried by botocore)
    connection_errors: int = 0  # calls lost to a connection error (retried by botocore)
    failed: list[Key] = field(default_factory=list)  # keys still unwritten when retries ran out
    seconds: float = 0.0
    keys: KeySet | None = None  # distinct keys written, when collect_keys=True

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def items_per_second(self) -> float:
        return self.written / self.seconds if self.seconds > 0 else 0.0


def _send_batch(
    client: Any,
    table: str,
    items: list[WireItem],
    policy: RetryPolicy,
    stats: WriteResult,
    lock: threading.Lock,
    on_written: Callable[[int], None],
) -> list[WireItem]:
    """Write one batch in at most policy.max_attempts HTTP calls; returns the items left unwritten.

    botocore retries an error inside one call; this loop only re-sends UnprocessedItems. An error
    botocore gave up on (attempts spent) fails the batch; any other error is raised."""
    pending = [{"PutRequest": {"Item": it}} for it in items]
    stalled = unprocessed = 0
    with attempts(client, policy.max_attempts) as budget:
        try:
            while pending and budget.left > 0:
                try:
                    resp = budget.call(client.batch_write_item, RequestItems={table: pending})
                except (ClientError, ConnectionError, HTTPClientError) as exc:
                    url = unreachable(exc)
                    if url:  # botocore already tried to connect CONNECT_ATTEMPTS times
                        raise EndpointLost(url, f"writing to {table}") from None
                    if budget.retryable:
                        break
                    raise
                left = resp.get("UnprocessedItems", {}).get(table, [])
                done = len(pending) - len(left)
                if done:
                    on_written(done)
                stalled = 0 if done else stalled + 1  # progress starts the backoff over
                unprocessed += len(left)
                pending = left
                if pending and budget.left > 0:
                    time.sleep(policy.delay(stalled))
            return [r["PutRequest"]["Item"] for r in pending]
        finally:
            with lock:
                stats.calls += budget.used
                stats.unprocessed += unprocessed
                stats.throttled += budget.throttled
                stats.connection_errors += budget.dropped


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
    policy        the HTTP calls a batch may make and the backoff of re-sends (RetryPolicy())
    on_progress   called as on_progress(table_name, n) from worker threads as items are written
    collect_keys  keep the distinct keys written in result.keys (for verify_keys)

    Items with the same key in one batch are merged, the last one winning. Raises ToolingError if
    the table is missing, ClientError on an error botocore does not retry (e.g.
    ValidationException), and SerializationError on an item DynamoDB cannot store or that lacks a
    key attribute. Attempts exhausted are not an exception: the keys unwritten are in result.failed.
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
