"""Run inside moto's server process (tooling.dev.local.MotoServer loads it before the server
starts): DynamoDB requests are applied one at a time, as DynamoDB applies each item's write
atomically.

moto's server answers every connection in a thread of its own, and its tables are dicts keyed by
DynamoType objects whose hash and equality are Python code, so a thread can lose the interpreter
lock halfway through inserting a key. Two BatchWriteItem calls that both write the first items of
one partition (consecutive batches of one day's entries, say) can then each make the partition's
dict, and the one set second replaces the other with its items: the seeder's read-back reports
them missing (seen in a whole test run on a loaded 2-core machine: one entry of fusion's
entries table; tests/integration/test_moto_atomic.py shows it every time). moto spends its time
holding that lock anyway (one process, pure Python): one request at a time costs no throughput.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.dynamodb.responses import DynamoHandler

_LOCK = threading.RLock()
_call_action = DynamoHandler.call_action


def _one_at_a_time(self: DynamoHandler) -> Any:
    with _LOCK:
        return _call_action(self)


DynamoHandler.call_action = _one_at_a_time  # type: ignore[method-assign]
