"""Seeding under faults: throttling, partial UnprocessedItems and dropped connections injected into
20% of BatchWriteItem calls through botocore's event hooks. (A seed killed mid-run and rerun:
test_interrupted.py, through the real CLI.)"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError

from integration.test_seed_engine import count, items, make_table
from tooling import aws, cli
from tooling.dynamo import seeding

pytestmark = pytest.mark.integration

THROTTLE_BODY = (
    b'{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",'
    b'"message":"injected throttle"}'
)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


class FaultInjector:
    """Injects one fault into `rate` of the BatchWriteItem calls of a client.

    throttle     the call is answered with ProvisionedThroughputExceededException (nothing written)
    unprocessed  about half the batch is not sent and comes back as UnprocessedItems
    drop_before  the connection drops before the request reaches the server (nothing written)
    drop_after   the connection drops after the server wrote the batch (the response is lost)
    """

    KINDS = ("throttle", "unprocessed", "drop_before", "drop_after")

    def __init__(self, client: Any, rate: float, kinds: tuple[str, ...], seed: int = 7) -> None:
        self.rate, self.kinds = rate, kinds
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.calls = 0
        self.injected = {k: 0 for k in self.KINDS}
        self.sent: set[str] = set()  # faults already delivered: botocore's own retry is clean
        events = client.meta.events
        events.register("before-parameter-build.dynamodb.BatchWriteItem", self._choose)
        events.register("request-created.dynamodb.BatchWriteItem", self._tag)
        events.register("before-send.dynamodb.BatchWriteItem", self._before_send)
        events.register("after-call.dynamodb.BatchWriteItem", self._after_call)

    def _choose(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        with self.lock:
            self.calls += 1
            fault = self.rng.choice(self.kinds) if self.rng.random() < self.rate else None
        (table, requests), *_rest = params["RequestItems"].items()
        if fault == "unprocessed" and len(requests) < 2:
            fault = "throttle"
        if fault is None:
            return
        with self.lock:
            self.injected[fault] += 1
        context["fault"] = fault
        context["fault_id"] = f"{fault}:{self.calls}:{self.rng.random()}"
        if fault == "unprocessed":
            half = len(requests) // 2
            params["RequestItems"] = {table: requests[:half]}
            context["held_back"] = {table: requests[half:]}

    def _tag(self, request: Any, **_: Any) -> None:
        # before-send sees only the prepared request: carry the decision over in a header.
        if request.context.get("fault") in ("throttle", "drop_before"):
            request.headers["x-injected-fault"] = request.context["fault_id"]

    def _before_send(self, request: Any, **_: Any) -> Any:
        fault_id = request.headers.get("x-injected-fault")
        if isinstance(fault_id, bytes):
            fault_id = fault_id.decode()
        with self.lock:
            if fault_id is None or fault_id in self.sent:
                return None
            self.sent.add(fault_id)
        fault = fault_id.split(":")[0]
        if fault == "throttle":
            headers = {"x-amzn-ErrorType": "ProvisionedThroughputExceededException"}
            return AWSResponse(request.url, 400, headers, _Raw(THROTTLE_BODY))
        if fault == "drop_before":
            raise ConnectionClosedError(endpoint_url=request.url)
        return None

    def _after_call(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        fault = context.get("fault")
        if fault == "unprocessed":
            parsed["UnprocessedItems"] = context["held_back"]
        elif fault == "drop_after":
            raise ConnectionClosedError(endpoint_url="(injected)")


def bare_client(workers: int = 16) -> Any:
    """A client that does no retrying of its own: every fault reaches the seeder."""
    config = Config(retries={"total_max_attempts": 1}, max_pool_connections=workers + 4)
    return aws.session().client("dynamodb", config=config)


FAST_RETRY = seeding.RetryPolicy(max_attempts=10, base_delay=0.005, max_delay=0.1)


@pytest.mark.parametrize(
    "kinds", [(k,) for k in FaultInjector.KINDS] + [FaultInjector.KINDS], ids=str
)
def test_faults_in_20_percent_of_calls_still_write_exactly_every_item(
    moto_server: str, kinds: tuple[str, ...]
) -> None:
    client = bare_client()
    table = make_table(client, "faults")
    faults = FaultInjector(client, rate=0.2, kinds=kinds)
    result = seeding.write_items(client, table, items(2500), policy=FAST_RETRY)
    assert result.ok, result.failed[:5]
    assert count(client, table) == 2500
    assert (
        result.keys is not None and seeding.verify_keys(client, table, result.keys, ("pk",)) == []
    )
    injected = sum(faults.injected.values())
    assert 0.1 * faults.calls < injected < 0.3 * faults.calls
    assert result.calls == faults.calls
    if "throttle" in kinds:
        assert result.throttled == faults.injected["throttle"]
    if "unprocessed" in kinds:
        assert result.unprocessed > 0
    if "drop_before" in kinds or "drop_after" in kinds:
        assert (
            result.connection_errors
            == faults.injected["drop_before"] + faults.injected["drop_after"]
        )


def test_default_client_rides_out_faults_too(moto_server: str) -> None:
    """With the tooling's own client (botocore retries on) the same faults are absorbed."""
    client = aws.dynamodb(max_pool_connections=20)
    table = make_table(client, "faults-default")
    FaultInjector(client, rate=0.2, kinds=FaultInjector.KINDS, seed=11)
    result = seeding.write_items(client, table, items(500), policy=FAST_RETRY)
    assert result.ok and count(client, table) == 500


def test_exhausted_retries_name_the_missing_items(moto_server: str) -> None:
    client = bare_client()
    table = make_table(client, "doomed")
    FaultInjector(client, rate=1.0, kinds=("throttle",))
    policy = seeding.RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01)
    result = seeding.write_items(client, table, items(60), policy=policy)
    assert not result.ok
    assert sorted(result.failed) == [(("S", f"k{i:06d}"),) for i in range(60)]
    assert result.written == 0 and result.calls == 3 * 3  # three batches, three attempts each


def test_seed_command_exits_1_naming_missing_keys(
    moto_server: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    app = pytest.importorskip("tooling.apps.mediphant").APP
    client = bare_client()
    FaultInjector(client, rate=1.0, kinds=("throttle",))
    monkeypatch.setattr(aws, "dynamodb", lambda *a, **k: client)
    table = "mediphant-data"
    if table not in client.list_tables()["TableNames"]:
        make_table(client, "unused")  # the client works
        client.create_table(
            TableName=table,
            KeySchema=[
                {"AttributeName": "PK", "KeyType": "HASH"},
                {"AttributeName": "SK", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "SK", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
    assert app.name == "mediphant"
    code = cli.main(
        ["seed", "--apps", "mediphant", "--tf-dir", str(tmp_path), "--max-attempts", "1"]
    )
    err = capsys.readouterr().err
    assert code == 1
    line = err.strip().splitlines()[-1]
    assert line.startswith("error: seed incomplete, retries exhausted. mediphant-data")
    assert "items missing: PK=" in line and "more" in line
