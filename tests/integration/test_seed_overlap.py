"""seed_tables overlaps its fixed costs with the writes, against a real moto server: the tables
are described at once, a table is read back while later apps are still writing, and generation
runs ahead of the writers in a thread of its own, a bounded distance ahead.

The order of calls is recorded by a client that forwards every call to the real one; nothing is
timed (speed is measured by `make bench`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tooling import aws
from tooling.dynamo import tables as seeding
from tooling.dynamo.writer import BATCH_WRITE_LIMIT
from tooling.errors import ToolingError

from .test_seed_engine import count, make_table

pytestmark = pytest.mark.integration


class Recording:
    """A DynamoDB client that records (call, table, thread) and how many calls overlap."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()
        self.calls: list[tuple[str, str]] = []
        self.in_flight: dict[str, int] = {}
        self.most_in_flight: dict[str, int] = {}
        self.gate = threading.Event()
        self.gate.set()
        self.barrier: threading.Barrier | None = None  # DescribeTable calls wait for each other

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._client, name)
        if name not in ("describe_table", "batch_write_item", "batch_get_item", "scan"):
            return real

        def call(**kwargs: Any) -> Any:
            tables = kwargs.get("RequestItems") or {kwargs.get("TableName", ""): None}
            with self._lock:
                self.calls.append((name, next(iter(tables))))
                self.in_flight[name] = self.in_flight.get(name, 0) + 1
                self.most_in_flight[name] = max(
                    self.most_in_flight.get(name, 0), self.in_flight[name]
                )
            try:
                if name == "batch_write_item":
                    self.gate.wait()
                if name == "describe_table" and self.barrier is not None:
                    self.barrier.wait()
                return real(**kwargs)
            finally:
                with self._lock:
                    self.in_flight[name] -= 1

        return call


@pytest.fixture(scope="module")
def client(moto_server: str) -> Any:
    return aws.dynamodb(max_pool_connections=40)


def rows(prefix: str, n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {"pk": f"{prefix}{i:06d}", "sk": i % 7, "payload": "x" * 50}


def test_tables_are_described_at_once(client: Any) -> None:
    names = [make_table(client, f"desc{i}") for i in range(6)]
    rec = Recording(client)
    # Each DescribeTable waits until all six are in flight: calls made one after another would
    # leave the first waiting alone until the barrier times out (BrokenBarrierError).
    rec.barrier = threading.Barrier(len(names), timeout=30)
    keys = seeding.describe_tables(rec, names)
    assert keys == dict.fromkeys(names, ("pk",))
    assert rec.most_in_flight["describe_table"] == len(names)
    with pytest.raises(ToolingError, match="table no-such-table does not exist"):
        seeding.describe_tables(client, [names[0], "no-such-table"])


def test_a_table_is_read_back_while_later_apps_write(client: Any) -> None:
    first, second = make_table(client, "early"), make_table(client, "late")
    rec = Recording(client)
    generated_late = {"n": 0}

    def late() -> Iterator[tuple[str, dict[str, Any]]]:
        for item in rows("b", 2000):
            generated_late["n"] += 1
            if generated_late["n"] % 100 == 0:
                time.sleep(0.05)  # a slow generator: the late app's writes go on for a while
            yield "late", item

    outcome = seeding.seed_tables(
        rec,
        [("app-a", (("early", it) for it in rows("a", 300))), ("app-b", late())],
        {"early": first, "late": second},
        workers=4,
    )
    assert [(s.seed_name, s.ok, s.missing) for s in outcome] == [
        ("early", True, []),
        ("late", True, []),
    ]
    assert (count(client, first), count(client, second)) == (300, 2000)
    scans_of_first = [i for i, c in enumerate(rec.calls) if c == ("scan", first)]
    writes = [i for i, c in enumerate(rec.calls) if c[0] == "batch_write_item"]
    writes_of_second = [i for i, c in enumerate(rec.calls) if c == ("batch_write_item", second)]
    # Both tables were empty: probed before the first write, then verified by their COUNT.
    probes = sorted(c for c in rec.calls[: writes[0]] if c[0] == "scan")
    assert probes == sorted([("scan", first), ("scan", second)])
    assert len(scans_of_first) == 2 and ("batch_get_item", first) not in rec.calls
    assert scans_of_first[-1] < writes_of_second[-1], "the early table was read back at the end"


def test_generation_runs_ahead_of_blocked_writers_but_boundedly(client: Any) -> None:
    table = make_table(client, "ahead")
    rec = Recording(client)
    rec.gate.clear()  # every write waits: only generation can make progress
    seen = {"n": 0, "threads": set()}

    def gen() -> Iterator[tuple[str, dict[str, Any]]]:
        for item in rows("g", 5_000):  # far more than the writers and the queue can hold
            seen["n"] += 1
            seen["threads"].add(threading.current_thread().name)
            yield "t", item

    workers = 2
    done: dict[str, Any] = {}
    runner = threading.Thread(
        target=lambda: done.setdefault(
            "outcome", seeding.seed_tables(rec, [("app", gen())], {"t": table}, workers=workers)
        )
    )
    runner.start()
    last = -1
    while seen["n"] != last:  # until generation has stopped: its queue is full
        last = seen["n"]
        time.sleep(0.5)
    held = seen["n"]
    rec.gate.set()
    runner.join()
    (outcome,) = done["outcome"]
    assert outcome.ok and outcome.missing == [] and count(client, table) == 5_000
    assert seen["threads"] == {"generate"}
    in_writer = (workers * 2 + 1) * BATCH_WRITE_LIMIT
    ahead = (seeding.GENERATED_QUEUED + 2) * seeding.GENERATED_CHUNK
    # Generation went on while the writers waited (past what they hold), and stopped at the bound.
    assert in_writer < held <= in_writer + ahead + 1


def test_an_item_for_an_earlier_apps_table_is_an_error(client: Any) -> None:
    table = make_table(client, "owned")
    with pytest.raises(ToolingError, match="app b generated an item for table t, which app a"):
        seeding.seed_tables(
            client,
            [("a", (("t", it) for it in rows("a", 10))), ("b", (("t", it) for it in rows("b", 1)))],
            {"t": table},
        )
    with pytest.raises(ToolingError, match="app a generated an item for unknown table nope"):
        seeding.seed_tables(client, [("a", iter([("nope", {"pk": "x"})]))], {"t": table})
