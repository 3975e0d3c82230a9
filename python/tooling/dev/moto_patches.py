"""Run inside moto's server process (tooling.dev.local.MotoServer loads it before the server
starts): fixes that make moto a dependable local endpoint under a whole stack's load.

One DynamoDB request at a time, as DynamoDB applies each item's write atomically. moto's server
answers every connection in a thread of its own, and its tables are dicts keyed by DynamoType
objects whose hash and equality are Python code, so a thread can lose the interpreter lock halfway
through inserting a key. Two BatchWriteItem calls that both write the first items of one partition
(consecutive batches of one day's entries, say) can then each make the partition's dict, and the one
set second replaces the other with its items: the seeder's read-back reports them missing (seen in a
whole test run on a loaded 2-core machine: one entry of fusion's entries table;
tests/integration/test_moto_patches.py shows it within a few rounds). moto spends its time holding
that lock anyway (one process, pure Python): one request at a time costs no throughput.

A CreateTable sent again, byte for byte, within a minute of the one that created the table gets that
first answer. Under the load of a whole stack applied at once, the AWS provider's SDK now and then
loses its connection to this development server (werkzeug) after the request went out and sends it
again (its debug log says "retrying request", about 3 requests in 1,000 here). For CreateTable the
second attempt fails with ResourceInUseException although the first one created the table, and
`terraform apply` fails ("Table already exists"; seen in the test suite's applies). Any other
CreateTable of an existing table is refused as before.

A new item's 400 KB limit is checked once, on the whole item, instead of once per attribute. moto
builds an item one attribute at a time and sums the sizes of every attribute already set at each
step, so an item of n attributes costs n^2 size computations: 30% of the server's CPU for items of
17 attributes, 11% more items/s for the seed command's items (9 attributes on average), where the
server is the bottleneck of a local seed; no difference at 7. The sizes only grow, so the whole item
is over the limit exactly when some step was: the same items are refused, with the same error.
Updates keep moto's own check.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.utilities import bytesize
from moto.dynamodb.responses import DynamoHandler

_LOCK = threading.RLock()
_call_action = DynamoHandler.call_action
_create_table = DynamoHandler.create_table
_created: dict[str, tuple[float, str, Any]] = {}  # table -> (when, request, first answer)
REPLAY_SECONDS = 60.0
ITEM_SIZE_LIMIT = 405000  # moto's own: DynamoDB's 400 KB, measured at between 409 and 410 KB


def _one_at_a_time(self: DynamoHandler) -> Any:
    with _LOCK:
        return _call_action(self)


def _create_table_once(self: DynamoHandler) -> Any:
    request = json.dumps(self.body, sort_keys=True, default=str)
    name = self.body["TableName"]
    first = _created.get(name)
    if (
        first is not None
        and first[1] == request
        and time.monotonic() - first[0] < REPLAY_SECONDS
        and name in self.dynamodb_backend.tables  # still the table that request created
    ):
        return first[2]
    answer = _create_table(self)
    _created[name] = (time.monotonic(), request, answer)
    return answer


def _item_init(
    self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]
) -> None:
    self.hash_key = hash_key
    self.range_key = range_key
    values = {key: DynamoType(value) for key, value in attrs.items()}
    if sum(bytesize(key) + value.size() for key, value in values.items()) > ITEM_SIZE_LIMIT:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict()
    dict.update(self.attrs, values)  # checked above; LimitedSizeDict checks later updates


DynamoHandler.call_action = _one_at_a_time  # type: ignore[method-assign]
DynamoHandler.create_table = _create_table_once  # type: ignore[method-assign]
Item.__init__ = _item_init  # type: ignore[method-assign]
