"""Verification: a count of a table that was empty before its seed, or BatchGetItem of exactly the
keys written, streamed in bounded chunks."""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

from tooling.dynamo.endpoint import EndpointLost, unreachable
from tooling.dynamo.keys import Key, item_key, key_to_wire
from tooling.dynamo.retry import RetryPolicy, attempts
from tooling.dynamo.writer import DEFAULT_WORKERS
from tooling.errors import ToolingError

BATCH_GET_LIMIT = 100  # BatchGetItem's maximum number of keys


def verify_keys(
    client: Any,
    table: str,
    keys: Iterable[Key],
    key_names: Sequence[str],
    *,
    workers: int = DEFAULT_WORKERS,
    policy: RetryPolicy | None = None,
    pool: Executor | None = None,
) -> list[Key]:
    """The keys of `keys` that the table does not hold (BatchGetItem of the keys only).

    Reading back exactly the keys written is exact even when the table holds other items, which a
    COUNT scan is not; it costs one strongly consistent read per item (0.5 RCU per item of up to
    4 KB on a real table), like the scan. Streamed: `keys` is consumed in chunks of 100 with at
    most `workers * 2` chunks queued or in flight, so memory does not grow with the key count
    (only with the keys found missing). The reads run on `pool` when given (several tables read
    back at once share its threads, and so the client's connections), else on a pool of `workers`.
    """
    policy = policy or RetryPolicy()
    names = {f"#k{i}": n for i, n in enumerate(key_names)}
    projection = ", ".join(names)

    def check(chunk: list[Key]) -> list[Key]:
        request = [key_to_wire(k, key_names) for k in chunk]
        found: set[Key] = set()
        stalled = 0
        with attempts(client, policy.max_attempts) as budget:
            while request and budget.left > 0:
                try:
                    resp = budget.call(
                        client.batch_get_item,
                        RequestItems={
                            table: {
                                "Keys": request,
                                "ProjectionExpression": projection,
                                "ExpressionAttributeNames": names,
                                "ConsistentRead": True,
                            }
                        },
                    )
                except (ClientError, ConnectionError, HTTPClientError) as exc:
                    url = unreachable(exc)
                    if url:  # botocore already tried to connect CONNECT_ATTEMPTS times
                        raise EndpointLost(url, f"reading back the keys of {table}") from None
                    if budget.retryable:
                        break
                    raise
                got = resp["Responses"].get(table, [])
                found.update(item_key(it, key_names) for it in got)
                request = resp.get("UnprocessedKeys", {}).get(table, {}).get("Keys", [])
                stalled = 0 if got else stalled + 1
                if request and budget.left > 0:
                    time.sleep(policy.delay(stalled))
        if request:
            raise ToolingError(f"could not read back the keys of {table}: attempts exhausted")
        return [k for k in chunk if k not in found]

    missing: list[Key] = []
    queued: deque[Future[list[Key]]] = deque()
    with contextlib.ExitStack() as stack:
        if pool is None:
            pool = stack.enter_context(
                ThreadPoolExecutor(max_workers=workers, thread_name_prefix="verify")
            )
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


@contextlib.contextmanager
def _reading(table: str) -> Iterator[None]:
    """An endpoint that stopped answering is EndpointLost, as in the writer and verify_keys."""
    try:
        yield
    except (ClientError, ConnectionError, HTTPClientError) as exc:
        url = unreachable(exc)
        if url:
            raise EndpointLost(url, f"reading back {table}") from None
        raise


def holds_items(client: Any, table: str) -> bool:
    """Whether the table holds any item: a strongly consistent Scan that stops at the first."""
    with _reading(table):
        resp = client.scan(TableName=table, Select="COUNT", Limit=1, ConsistentRead=True)
    return resp["Count"] > 0 or "LastEvaluatedKey" in resp


def count_items(client: Any, table: str, key_name: str) -> int:
    """The items the table holds now: a strongly consistent Scan of every page, counted by
    ScannedCount (the items read before any filter). A filter no item passes (`key_name`, a key
    attribute every item has, NULL) returns no item at all: DynamoDB reads and bills the table
    as for `Select=COUNT`, and moto skips copying every item into a page it then throws away
    (about half of its work for the scan)."""
    request: dict[str, Any] = {
        "TableName": table,
        "Select": "COUNT",
        "ConsistentRead": True,
        "ScanFilter": {key_name: {"ComparisonOperator": "NULL"}},
    }
    total = 0
    with _reading(table):
        while True:
            page = client.scan(**request)
            total += page["ScannedCount"]
            if "LastEvaluatedKey" not in page:
                return total
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def verify_written(
    client: Any,
    table: str,
    keys: Collection[Key],
    key_names: Sequence[str],
    *,
    was_empty: bool,
    workers: int = DEFAULT_WORKERS,
    policy: RetryPolicy | None = None,
    pool: Executor | None = None,
) -> list[Key]:
    """The keys of `keys` (distinct, all written) that the table does not hold.

    A table that held no item before its seed holds every key written exactly when it holds as
    many items as there are keys: one counting Scan page per MB of items (count_items) instead of
    one BatchGetItem per 100 keys, the same read units on DynamoDB and about a tenth of the work
    on moto. Any other count (an item lost, or another writer meanwhile) and any table that held
    items before are checked key by key (verify_keys), which names what is missing.
    """
    if was_empty and count_items(client, table, key_names[0]) == len(keys):
        return []
    return verify_keys(client, table, keys, key_names, workers=workers, policy=policy, pool=pool)


def empty_tables(client: Any, tables: Iterable[str], *, workers: int = DEFAULT_WORKERS) -> set[str]:
    """The tables of `tables` that hold no item, all asked at once."""
    names = list(dict.fromkeys(tables))
    if not names:
        return set()
    with ThreadPoolExecutor(max_workers=min(len(names), workers), thread_name_prefix="probe") as p:
        held = p.map(lambda t: holds_items(client, t), names)
        return {t for t, h in zip(names, held, strict=True) if not h}
