"""Seeding the stack's tables: every app's items through one writer, each table read back by key
as soon as its writes are done.

Three threads of work overlap: generation and serialisation (a producer thread, a few chunks
ahead), the writers (writer.py) and the read-back of the tables already finished (verify.py).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from tooling.dynamo.keys import Key, key_schema
from tooling.dynamo.retry import RetryPolicy
from tooling.dynamo.serialize import SerializationError, WireItem, to_item
from tooling.dynamo.verify import empty_tables, verify_written
from tooling.dynamo.writer import DEFAULT_WORKERS, BatchWriter, ProgressCallback, WriteResult
from tooling.errors import ToolingError

# (app name, its items as (seed table name, item)): what the seeders and writers consume.
Generators = Iterable[tuple[str, Iterable[tuple[str, Mapping[str, Any]]]]]


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


VERIFIED_AT_ONCE = 4  # tables read back at once; their key reads share one pool of `workers`
GENERATED_CHUNK = 200  # items handed from the generating thread to the writers at a time
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
    generators: Generators,
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
    (verify_written, up to VERIFIED_AT_ONCE tables at once) as soon as its last batch is written,
    while the next apps' items are written; a table found empty before the first write is
    verified by its COUNT. An item for a table an earlier app finished is an error.
    The client needs max_pool_connections >= 2 * workers + VERIFIED_AT_ONCE for reads and
    writes to overlap fully.
    """
    generators = list(generators)
    names = dict(key_names or describe_tables(client, physical.values(), workers=workers))
    # Before the first write: which tables a COUNT can verify (verify_written).
    empty = empty_tables(client, physical.values(), workers=workers) if verify else set()
    apps_of: dict[str, str] = {}  # seed name -> the app that wrote to it first
    seed_of = {table: seed for seed, table in physical.items()}
    verifications: dict[str, Future[list[Key]]] = {}
    writer = BatchWriter(client, workers=workers, policy=policy, on_progress=on_progress)
    stop = threading.Event()
    chunks: queue.Queue[tuple[str, str, Any]] = queue.Queue(maxsize=GENERATED_QUEUED)
    producer = threading.Thread(
        target=_generate, args=(generators, physical, chunks, stop), name="generate", daemon=True
    )
    with (
        ThreadPoolExecutor(
            max_workers=VERIFIED_AT_ONCE, thread_name_prefix="verify-table"
        ) as verifier,
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="verify") as reads,
    ):

        def read_back(result: WriteResult) -> None:
            if verify and result.keys:
                verifications[result.table] = verifier.submit(
                    verify_written, client, result.table, result.keys,
                    writer.key_names(result.table), was_empty=result.table in empty,
                    workers=workers, policy=policy, pool=reads,
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
