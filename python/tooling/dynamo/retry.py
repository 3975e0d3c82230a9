"""One retry policy: botocore retries errors, the package re-sends only what DynamoDB hands back.

Throttling, 5xx and dropped connections are retried by botocore (adaptive mode, configured in
tooling.aws). UnprocessedItems and UnprocessedKeys are successful answers to botocore, so the batch
loops of writer.py and verify.py re-send those, with exponential backoff and full jitter.

The user's bound (`--max-attempts`) is the number of HTTP calls one batch may make, botocore's
retries included: while a batch runs, `attempts(client, n)` counts every attempt of that client on
this thread in a needs-retry hook and vetoes botocore's next retry once n are spent. Counting in
the hook rather than per API call is what keeps the two layers from multiplying (10 re-sends of 10
botocore attempts each were ~100 calls for one batch).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.retries.standard import (
    ModeledRetryableChecker,
    OrRetryChecker,
    RetryEventAdapter,
    ThrottledRetryableChecker,
    ThrottlingStatusCodeChecker,
    TransientRetryableChecker,
)

# botocore's own classification (its standard mode's conditions, without the attempt limit).
_THROTTLED = OrRetryChecker([ThrottledRetryableChecker(), ThrottlingStatusCodeChecker()])
_RETRYABLE = OrRetryChecker([_THROTTLED, TransientRetryableChecker(), ModeledRetryableChecker()])
_ADAPTER = RetryEventAdapter()
_HOOK_ID = "tooling-attempt-bound"


@dataclass(frozen=True)
class RetryPolicy:
    """The bound of one batch (HTTP calls, botocore's retries included) and the backoff between
    re-sends of unprocessed items: full jitter, uniform in [0, min(max_delay, base * 2**n)]."""

    max_attempts: int = 10
    base_delay: float = 0.05
    max_delay: float = 5.0

    def delay(self, attempt: int) -> float:
        return random.uniform(0.0, min(self.max_delay, self.base_delay * (2**attempt)))


@dataclass
class Attempts:
    """The HTTP attempts of one batch so far."""

    limit: int
    used: int = 0
    throttled: int = 0  # attempts answered with throttling or a 5xx (botocore retried them)
    dropped: int = 0  # attempts lost to a connection error
    retryable: bool = False  # the last attempt failed in a way botocore retries

    @property
    def left(self) -> int:
        return self.limit - self.used

    def call(self, operation: Callable[..., Any], **params: Any) -> Any:
        """operation(**params), counted once even by a client without botocore's events (a
        stand-in such as the benchmark's null sink), which the hook never sees."""
        before = self.used
        try:
            return operation(**params)
        finally:
            if self.used == before:
                self.used += 1


_current = threading.local()


def _on_attempt(**kwargs: Any) -> bool | None:
    """needs-retry hook, called after every HTTP attempt: count it; veto a retry when spent."""
    budget: Attempts | None = getattr(_current, "budget", None)
    if budget is None:
        return None
    budget.used += 1
    context = _ADAPTER.create_retry_context(**kwargs)
    http = context.http_response
    failed = context.caught_exception is not None or (http is not None and http.status_code >= 300)
    budget.retryable = failed and _RETRYABLE.is_retryable(context)
    if budget.retryable:
        if context.caught_exception is not None:
            budget.dropped += 1
        else:
            budget.throttled += 1
    return False if budget.used >= budget.limit else None  # None: botocore's handler decides


@contextmanager
def attempts(client: Any, limit: int) -> Iterator[Attempts]:
    """Count (and bound to `limit`) the HTTP attempts `client` makes on this thread meanwhile."""
    meta = getattr(client, "meta", None)
    if meta is not None:
        meta.events.register_first("needs-retry.dynamodb", _on_attempt, unique_id=_HOOK_ID)
    budget = Attempts(limit)
    outer = getattr(_current, "budget", None)
    _current.budget = budget
    try:
        yield budget
    finally:
        _current.budget = outer
