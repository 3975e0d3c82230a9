"""What python/tooling/dev/moto_patches.py fixes in moto's server, shown with it and without it.

moto's server inserts a partition's dict with the interpreter lock free to move to another
thread while it hashes the key (Python code): two batches writing the first items of one
partition at once can lose one's items. Here that window is made wide (a hash that yields the
lock, inside the server) so that the loss shows without the patch within a few rounds; with it,
every item is kept. And a CreateTable sent again byte for byte (the SDK's retry after a lost
connection) gets the first answer instead of ResourceInUseException. The item size limit, checked
once per item instead of once per attribute, refuses and keeps exactly the items moto does.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tooling.dev.local import MotoServer

pytestmark = pytest.mark.integration

SLOW_HASH = """
import time
from moto.dynamodb.models.dynamo_type import DynamoType

_hash = DynamoType.__hash__


def _yielding_hash(self):
    time.sleep(0)  # another thread may run here, as it may at any bytecode
    return _hash(self)


DynamoType.__hash__ = _yielding_hash
"""
WAVES, THREADS = 12, 8


def client(server: MotoServer, connections: int = 10) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(max_pool_connections=connections),
    )


def lost_items(patched: bool, tmp: Path, rounds: int) -> int:
    """Items lost by a server written to from THREADS threads in rounds of WAVES waves: each wave
    is THREADS batches, one sort key each, of the same 25 new partitions. Stops after the first
    round that loses an item (how often threads interleave there depends on the machine's load:
    one round of a loaded test run once lost none)."""
    ext = tmp / "slow_hash.py"
    ext.write_text(SLOW_HASH)
    with MotoServer(extensions=(ext,), patched=patched) as server:
        ddb = client(server, THREADS)
        table = f"atomic-{uuid.uuid4().hex[:6]}"
        keys = [("pk", "HASH"), ("sk", "RANGE")]
        ddb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": n, "KeyType": k} for n, k in keys],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n, _ in keys],
            BillingMode="PAY_PER_REQUEST",
        )

        def write(batch: list[dict[str, Any]]) -> None:
            requests = [{"PutRequest": {"Item": it}} for it in batch]
            assert not ddb.batch_write_item(RequestItems={table: requests}).get("UnprocessedItems")

        written = 0
        for r in range(rounds):
            batches = [
                [{"pk": {"S": f"p{r}-{wave}-{p:02d}"}, "sk": {"S": f"s{s}"}} for p in range(25)]
                for wave in range(WAVES)
                for s in range(THREADS)
            ]
            with ThreadPoolExecutor(THREADS) as pool:
                list(pool.map(write, batches))
            written += 25 * len(batches)
            held = ddb.scan(TableName=table, Select="COUNT", ConsistentRead=True)["Count"]
            if written > held:
                break
        return written - held


def test_without_the_patch_moto_loses_items(tmp_path: Path) -> None:
    assert lost_items(patched=False, tmp=tmp_path, rounds=5) > 0


def test_the_local_endpoint_keeps_every_item(tmp_path: Path) -> None:
    assert lost_items(patched=True, tmp=tmp_path, rounds=2) == 0


TABLE: dict[str, Any] = {
    "TableName": "replayed",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}


@pytest.mark.parametrize("patched", [True, False], ids=["patched", "plain-moto"])
def test_a_resent_create_table_gets_the_first_answer(patched: bool) -> None:
    with MotoServer(patched=patched) as server:
        ddb = client(server)
        first = ddb.create_table(**TABLE)["TableDescription"]
        if not patched:
            with pytest.raises(ClientError, match="ResourceInUseException"):
                ddb.create_table(**TABLE)
            return
        again = ddb.create_table(**TABLE)["TableDescription"]
        assert (again["TableArn"], again["CreationDateTime"]) == (
            first["TableArn"],
            first["CreationDateTime"],
        )
        assert ddb.list_tables()["TableNames"] == ["replayed"]
        # Not the same request: refused as moto refuses it.
        capacity = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
        other = {**TABLE, "BillingMode": "PROVISIONED", "ProvisionedThroughput": capacity}
        with pytest.raises(ClientError, match="ResourceInUseException"):
            ddb.create_table(**other)
        # Deleted, then created again: a new table, not the first answer.
        ddb.delete_table(TableName="replayed")
        ddb.create_table(**TABLE)
        assert ddb.list_tables()["TableNames"] == ["replayed"]  # created, not just answered


def _item(attributes: int, size: int) -> dict[str, Any]:
    """An item of `attributes` string attributes besides its key, `size` bytes of values."""
    each, extra = divmod(size, attributes)
    values = {f"a{i:03d}": {"S": "x" * (each + (i < extra))} for i in range(attributes)}
    return {"pk": {"S": "k"}, **values}


def _largest_kept(ddb: Any, attributes: int) -> tuple[int, set[str]]:
    """The largest item (bytes of values over `attributes` attributes) the server writes, found
    by bisection, and the messages of the refusals."""
    kept, refused, messages = 300_000, 500_000, set()
    while refused - kept > 1:
        size = (kept + refused) // 2
        try:
            ddb.put_item(TableName="replayed", Item=_item(attributes, size))
            kept = size
        except ClientError as err:
            messages.add(err.response["Error"]["Message"])
            refused = size
    stored = ddb.get_item(TableName="replayed", Key={"pk": {"S": "k"}})["Item"]
    assert stored == _item(attributes, kept)
    return kept, messages


def test_the_item_size_limit_is_moto_s_own() -> None:
    """The largest item written in one attribute or spread over 300 (where moto's own check
    sums every attribute already set, for each one) is the same with the patch as without it,
    and so is the refusal."""
    found = {}
    for patched in (True, False):
        with MotoServer(patched=patched) as server:
            ddb = client(server)
            ddb.create_table(**TABLE)
            found[patched] = [_largest_kept(ddb, attributes) for attributes in (1, 300)]
    assert found[True] == found[False]
    (one, messages), (spread, _) = found[True]
    assert 395_000 < spread < one < 405_000
    assert messages == {"Item size has exceeded the maximum allowed size"}
