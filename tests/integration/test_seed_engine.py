"""The seeding engine against a real moto server: counts, duplicates, streaming, errors.

Its speed against batch_writer and a raw loop is measured by `make bench` (tooling/bench.py), not
here: timings taken beside three other test workers say little."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.tables import count, items, make_table
from tooling import aws
from tooling.dynamo.keys import Key, KeySet
from tooling.dynamo.serialize import SerializationError
from tooling.dynamo.verify import BATCH_GET_LIMIT, verify_keys
from tooling.dynamo.writer import BATCH_WRITE_LIMIT, write_items
from tooling.errors import ToolingError

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(moto_server: str) -> Any:
    return aws.dynamodb(max_pool_connections=32)


def test_writes_every_item_and_reads_back_every_key(client: Any) -> None:
    table = make_table(client, "engine")
    result = write_items(client, table, items(1234), workers=8)
    assert result.ok
    assert (result.received, result.written, result.duplicates) == (1234, 1234, 0)
    assert result.batches == 50  # ceil(1234 / 25)
    assert result.keys is not None and len(result.keys) == 1234
    assert count(client, table) == 1234
    assert verify_keys(client, table, result.keys, ("pk",)) == []
    # Idempotent: the same items again leave the same count.
    again = write_items(client, table, items(1234), workers=8)
    assert again.ok and count(client, table) == 1234


def test_verify_keys_names_what_is_missing(client: Any) -> None:
    table = make_table(client, "verify")
    result = write_items(client, table, items(150))
    assert result.keys is not None
    client.delete_item(TableName=table, Key={"pk": {"S": "k000042"}})
    assert verify_keys(client, table, result.keys, ("pk",)) == [(("S", "k000042"),)]


def test_key_set_is_a_compact_set_of_keys() -> None:
    keys = [(("S", f"user#{i % 1000:04d}"), ("S", f"entry#{i:09d}")) for i in range(30_000)]
    odd = [(("N", "1"),), (("N", "-1.5E+3"),), (("B", b"\x00\xff\n"),), (("S", "é\x00 ü"),)]
    ks = KeySet(keys)
    assert not ks.add(keys[123]) and ks.add(odd[0])
    ks.update(odd + keys[:500])
    assert len(ks) == 30_004
    assert list(ks) == keys + odd  # insertion order, every type decoded as written
    assert all(k in ks for k in odd) and keys[29_999] in ks
    assert (("S", "user#0001"),) not in ks and (("B", b"\x00"),) not in ks and "junk" not in ks
    # About key bytes + 20 per key, where a Python set of these tuples costs ~300.
    payload = sum(len(a[1]) + len(b[1]) for a, b in keys)
    assert ks.nbytes < payload + 40 * len(keys)


def test_verify_keys_streams_the_keys_it_reads_back(client: Any) -> None:
    """Chunks of 100 keys, at most workers*2 queued: the key iterator is never far ahead."""
    table = make_table(client, "verify-stream")
    assert write_items(client, table, items(3000), workers=8, collect_keys=False).ok
    workers, state = 2, {"yielded": 0, "read": 0, "max_lag": 0}

    def keys() -> Iterator[Key]:
        for i in range(3000):
            state["max_lag"] = max(state["max_lag"], state["yielded"] - state["read"])
            state["yielded"] += 1
            yield (("S", f"k{i:06d}"),)
        yield (("S", "never-written"),)

    def counting(**kwargs: Any) -> Any:
        resp = real(**kwargs)
        state["read"] += len(next(iter(kwargs["RequestItems"].values()))["Keys"])
        return resp

    real, client.batch_get_item = client.batch_get_item, counting
    try:
        missing = verify_keys(client, table, keys(), ("pk",), workers=workers)
    finally:
        del client.batch_get_item
    assert missing == [(("S", "never-written"),)]
    assert state["read"] == 3001
    assert state["max_lag"] <= (2 * workers + 1) * BATCH_GET_LIMIT


def test_duplicate_keys_last_write_wins(client: Any) -> None:
    table = make_table(client, "dupes", (("pk", "S"), ("sk", "N")))

    def gen() -> Iterator[dict[str, Any]]:
        for i in range(100):
            yield {"pk": "a", "sk": i % 10, "v": i}  # 10 keys, each written 10 times
        yield {"pk": "b", "sk": 1, "v": "first"}
        yield {"pk": "b", "sk": 1.0, "v": "second"}  # 1 and 1.0 are the same number key

    result = write_items(client, table, gen(), workers=4)
    assert result.ok and result.received == 102
    assert result.keys is not None and len(result.keys) == 11
    assert count(client, table) == 11
    for sk in range(10):
        got = client.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"N": str(sk)}})
        assert got["Item"]["v"] == {"N": str(90 + sk)}
    got = client.get_item(TableName=table, Key={"pk": {"S": "b"}, "sk": {"N": "1"}})
    assert got["Item"]["v"] == {"S": "second"}


def test_generation_is_streamed_with_bounded_lag(client: Any) -> None:
    """The writer never holds more than workers*2 batches (+ the one being filled)."""
    table = make_table(client, "stream")
    workers = 2
    state = {"yielded": 0, "written": 0, "max_lag": 0}

    def gen() -> Iterator[dict[str, Any]]:
        for item in items(3000):
            state["max_lag"] = max(state["max_lag"], state["yielded"] - state["written"])
            state["yielded"] += 1
            yield item

    def progress(_table: str, n: int) -> None:
        state["written"] += n

    result = write_items(client, table, gen(), workers=workers, on_progress=progress)
    assert result.ok and state["written"] == 3000
    assert state["max_lag"] <= (workers * 2 + 1) * BATCH_WRITE_LIMIT


def test_missing_table_and_bad_items_are_errors(client: Any) -> None:
    with pytest.raises(ToolingError, match="table no-such-table does not exist"):
        write_items(client, "no-such-table", items(3))
    table = make_table(client, "bad")
    with pytest.raises(SerializationError, match="no key attribute pk"):
        write_items(client, table, iter([{"other": 1}]))
    with pytest.raises(SerializationError, match="empty set"):
        write_items(client, table, iter([{"pk": "a", "s": set()}]))
