"""How a seed is verified, against a real moto server: a table that was empty before its seed by
its count, any other table key by key, and a count that falls short key by key too, naming what
is missing (tooling.dynamo.verify.verify_written)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from support.tables import items, make_table
from tooling import aws
from tooling.dynamo import tables as seeding
from tooling.dynamo.verify import count_items

pytestmark = pytest.mark.integration


class Calls:
    """A client recording (operation, table) of its scans and BatchGetItems; `after_write` runs
    after each BatchWriteItem the server answered."""

    def __init__(self, client: Any, after_write: Any = None) -> None:
        self._client = client
        self._after_write = after_write
        self._lock = threading.Lock()
        self.seen: list[tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._client, name)
        if name not in ("scan", "batch_get_item", "batch_write_item"):
            return real

        def call(**kwargs: Any) -> Any:
            table = kwargs.get("TableName") or next(iter(kwargs["RequestItems"]))
            with self._lock:
                self.seen.append((name, table))
            resp = real(**kwargs)
            if name == "batch_write_item" and self._after_write is not None:
                self._after_write(kwargs["RequestItems"][table])
            return resp

        return call


@pytest.fixture(scope="module")
def client(moto_server: str) -> Any:
    return aws.dynamodb(max_pool_connections=40)


def seed(client: Any, table: str, n: int) -> seeding.TableSeed:
    generated = (("t", item) for item in items(n))
    (outcome,) = seeding.seed_tables(client, [("app", generated)], {"t": table}, workers=4)
    return outcome


def test_an_empty_table_is_verified_by_its_count(client: Any) -> None:
    table = make_table(client, "by-count")
    rec = Calls(client)
    outcome = seed(rec, table, 260)
    assert outcome.ok and outcome.missing == []
    # The probe before the writes and one COUNT page after them; no key is read back.
    assert rec.seen.count(("scan", table)) == 2
    assert ("batch_get_item", table) not in rec.seen


def test_a_table_that_held_items_is_verified_key_by_key(client: Any) -> None:
    table = make_table(client, "by-key")
    client.put_item(TableName=table, Item={"pk": {"S": "there-before"}})
    rec = Calls(client)
    outcome = seed(rec, table, 260)
    assert outcome.ok and outcome.missing == []
    assert rec.seen.count(("scan", table)) == 1  # the probe only
    assert rec.seen.count(("batch_get_item", table)) == 3  # 260 keys, 100 a call


def test_a_count_short_of_the_keys_is_checked_key_by_key_and_names_the_lost_item(
    client: Any,
) -> None:
    table = make_table(client, "lost")
    lost = {"pk": {"S": "k000042"}}

    def another_writer(requests: list[dict[str, Any]]) -> None:
        # Another client deletes one item as soon as it is written: the COUNT falls short.
        if any(r["PutRequest"]["Item"]["pk"] == lost["pk"] for r in requests):
            client.delete_item(TableName=table, Key=lost)

    rec = Calls(client, after_write=another_writer)
    outcome = seed(rec, table, 260)
    assert outcome.missing == [(("S", "k000042"),)]
    assert not outcome.ok
    assert rec.seen.count(("scan", table)) == 2 and ("batch_get_item", table) in rec.seen


class PagedLikeDynamoDB:
    """Scans as DynamoDB pages them: DynamoDB stops a page at 1 MB of items read, filtered out or
    not, while moto pages only by the items a filter keeps (a scan that keeps none is one page).
    Each scan is answered from the real table, 40 items read at a time."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.pages = 0

    def scan(self, **request: Any) -> dict[str, Any]:
        self.pages += 1
        ((_key, condition),) = request.pop("ScanFilter").items()
        assert condition == {"ComparisonOperator": "NULL"}  # keeps no item
        page = self._client.scan(**request, Limit=40)
        out = {"Count": 0, "ScannedCount": page["Count"], "Items": []}
        if "LastEvaluatedKey" in page:
            out["LastEvaluatedKey"] = page["LastEvaluatedKey"]
        return out


def test_the_count_reads_every_page(client: Any) -> None:
    table = make_table(client, "pages")
    big = "x" * 10_000  # 150 items of 10 KB: more than one 1 MB page
    for i in range(0, 150, 25):
        client.batch_write_item(
            RequestItems={
                table: [
                    {"PutRequest": {"Item": {"pk": {"S": f"p{j:03d}"}, "v": {"S": big}}}}
                    for j in range(i, i + 25)
                ]
            }
        )
    rec = Calls(client)
    assert count_items(rec, table, "pk") == 150
    assert rec.seen == [("scan", table)]  # moto: the items kept (none) fit one page
    paged = PagedLikeDynamoDB(client)
    assert count_items(paged, table, "pk") == 150
    assert paged.pages == 4  # 40 + 40 + 40 + 30
