"""Seeding under faults: throttling, partial UnprocessedItems and dropped connections injected into
20% of BatchWriteItem calls through botocore's event hooks; and the one retry policy: botocore
retries errors, the seeder re-sends unprocessed items, and --max-attempts bounds the HTTP calls of
a batch, counted at `before-send`. (A seed killed mid-run and rerun: test_interrupted.py.)"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError
from botocore.httpsession import URLLib3Session
from botocore.retries.adaptive import ClientRateLimiter
from botocore.retries.standard import ExponentialBackoff

from support.tables import MEDIPHANT_KEYS, count, create_table, items, make_table
from tooling import aws, cli
from tooling.dynamo.retry import RetryPolicy
from tooling.dynamo.verify import verify_keys
from tooling.dynamo.writer import write_items

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

    `sends` counts the HTTP attempts (botocore's retries included), `calls` the API calls.
    """

    KINDS = ("throttle", "unprocessed", "drop_before", "drop_after")

    def __init__(self, client: Any, rate: float, kinds: tuple[str, ...], seed: int = 7) -> None:
        self.rate, self.kinds = rate, kinds
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.calls = 0
        self.sends = 0
        self.http = URLLib3Session()
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
        if request.context.get("fault") in ("throttle", "drop_before", "drop_after"):
            request.headers["x-injected-fault"] = request.context["fault_id"]

    def _before_send(self, request: Any, **_: Any) -> Any:
        fault_id = request.headers.get("x-injected-fault")
        if isinstance(fault_id, bytes):
            fault_id = fault_id.decode()
        with self.lock:
            self.sends += 1
            if fault_id is None or fault_id in self.sent:
                return None
            self.sent.add(fault_id)
        fault = fault_id.split(":")[0]
        if fault == "throttle":
            headers = {"x-amzn-ErrorType": "ProvisionedThroughputExceededException"}
            return AWSResponse(request.url, 400, headers, _Raw(THROTTLE_BODY))
        if fault == "drop_after":
            self.http.send(request)  # the server writes the batch; its answer never arrives
        raise ConnectionClosedError(endpoint_url=request.url)

    def _after_call(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if context.get("fault") == "unprocessed":
            parsed["UnprocessedItems"] = context["held_back"]


class Refuser:
    """Every BatchWriteItem attempt of a client is answered with throttling, or (unprocessed)
    every item of the call comes back as UnprocessedItems. Counts the HTTP attempts."""

    def __init__(self, client: Any, kind: str) -> None:
        self.sends = 0
        self.lock = threading.Lock()
        events = client.meta.events
        if kind == "throttle":
            events.register("before-send.dynamodb.BatchWriteItem", self._throttle)
        else:
            events.register("before-parameter-build.dynamodb.BatchWriteItem", self._keep)
            events.register("before-send.dynamodb.BatchWriteItem", self._count)
            events.register("after-call.dynamodb.BatchWriteItem", self._hand_back)

    def _count(self, **_: Any) -> None:
        with self.lock:
            self.sends += 1

    def _throttle(self, request: Any, **_: Any) -> AWSResponse:
        self._count()
        headers = {"x-amzn-ErrorType": "ProvisionedThroughputExceededException"}
        return AWSResponse(request.url, 400, headers, _Raw(THROTTLE_BODY))

    def _keep(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["sent"] = params["RequestItems"]

    def _hand_back(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        parsed["UnprocessedItems"] = context["sent"]


def bare_client(workers: int = 16) -> Any:
    """A client that does no retrying of its own: every error ends the call."""
    config = Config(retries={"total_max_attempts": 1}, max_pool_connections=workers + 4)
    return aws.session().client("dynamodb", config=config)


def retrying_client(max_attempts: int = 10) -> Any:
    """The tooling's own client: botocore retries throttling, 5xx and dropped connections."""
    return aws.dynamodb(max_attempts=max_attempts, max_pool_connections=20)


FAST_RETRY = RetryPolicy(max_attempts=10, base_delay=0.005, max_delay=0.1)


@pytest.fixture(autouse=True)
def prompt_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore waits real seconds after a throttle (exponential backoff up to 20 s, and the
    adaptive mode's rate limiter): 70 s of these tests, which count calls and retries, not waits.
    Patched on the classes before the tests create their clients."""
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0.001)
    monkeypatch.setattr(ClientRateLimiter, "on_sending_request", lambda self, request, **_: None)


@pytest.mark.parametrize(
    "kinds", [(k,) for k in FaultInjector.KINDS] + [FaultInjector.KINDS], ids=str
)
def test_faults_in_20_percent_of_calls_still_write_exactly_every_item(
    moto_server: str, kinds: tuple[str, ...]
) -> None:
    client = retrying_client()
    table = make_table(client, "faults")
    faults = FaultInjector(client, rate=0.2, kinds=kinds)
    result = write_items(client, table, items(1000), policy=FAST_RETRY)
    assert result.ok, result.failed[:5]
    assert count(client, table) == 1000
    assert result.keys is not None and verify_keys(client, table, result.keys, ("pk",)) == []
    injected = sum(faults.injected.values())
    assert 0.05 * faults.calls < injected < 0.4 * faults.calls  # 20% of ~40 calls
    assert result.calls == faults.sends  # every HTTP attempt, botocore's retries included
    if "throttle" in kinds:
        assert result.throttled == faults.injected["throttle"]
    if "unprocessed" in kinds:
        assert result.unprocessed > 0
    if "drop_before" in kinds or "drop_after" in kinds:
        assert (
            result.connection_errors
            == faults.injected["drop_before"] + faults.injected["drop_after"]
        )


def test_a_bare_client_fails_the_batches_botocore_gave_up_on(moto_server: str) -> None:
    """The seeder does not retry errors itself: with botocore's retries off, a throttled batch
    fails after its one call (its keys named), and the other batches are written."""
    client = bare_client()
    table = make_table(client, "bare")
    faults = FaultInjector(client, rate=0.2, kinds=("throttle",))
    result = write_items(client, table, items(500), policy=FAST_RETRY)
    assert result.calls == faults.sends == faults.calls == result.batches == 20
    assert len(result.failed) == 25 * faults.injected["throttle"] > 0
    assert result.written == count(client, table) == 500 - len(result.failed)


@pytest.mark.parametrize("max_attempts", [1, 4])
@pytest.mark.parametrize("kind", ["throttle", "unprocessed"])
def test_max_attempts_bounds_the_http_calls_of_a_batch(
    moto_server: str, kind: str, max_attempts: int
) -> None:
    """Whether botocore retries (throttling) or the seeder re-sends (unprocessed items), a batch
    makes exactly max_attempts HTTP calls, not max_attempts of botocore's attempts each."""
    client = retrying_client(max_attempts=10)  # botocore alone would try 10 times a call
    table = make_table(client, f"bound-{kind}")
    refuser = Refuser(client, kind)
    policy = RetryPolicy(max_attempts=max_attempts, base_delay=0.001, max_delay=0.01)
    result = write_items(client, table, items(60), policy=policy)
    assert result.batches == 3
    assert refuser.sends == result.calls == 3 * max_attempts
    assert sorted(result.failed) == [(("S", f"k{i:06d}"),) for i in range(60)]
    if kind == "throttle":
        assert result.written == 0 and result.throttled == 3 * max_attempts
    else:
        assert result.unprocessed == 60 * max_attempts


def test_exhausted_retries_name_the_missing_items(moto_server: str) -> None:
    client = bare_client()
    table = make_table(client, "doomed")
    Refuser(client, "throttle")
    policy = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01)
    result = write_items(client, table, items(60), policy=policy)
    assert not result.ok
    assert sorted(result.failed) == [(("S", f"k{i:06d}"),) for i in range(60)]
    assert result.written == 0 and result.calls == 3  # three batches, one call each: no retries


def test_seed_command_exits_1_naming_missing_keys(
    moto_server: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    app = pytest.importorskip("tooling.apps.mediphant").APP
    client = bare_client()
    Refuser(client, "throttle")
    monkeypatch.setattr(aws, "dynamodb", lambda *a, **k: client)
    table = "mediphant-data"
    if table not in client.list_tables()["TableNames"]:
        make_table(client, "unused")  # the client works
        create_table(client, table, MEDIPHANT_KEYS)
    assert app.name == "mediphant"
    code = cli.main(
        ["seed", "--apps", "mediphant", "--tf-dir", str(tmp_path), "--max-attempts", "1"]
    )
    err = capsys.readouterr().err
    assert code == 1
    line = err.strip().splitlines()[-1]
    assert line.startswith("error: seed incomplete, retries exhausted. mediphant-data")
    assert "items missing: PK=" in line and "more" in line
