"""Verification by key: BatchGetItem of exactly the keys written, streamed in bounded chunks."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
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
