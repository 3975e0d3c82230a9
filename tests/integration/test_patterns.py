"""Every access pattern and every query example of the seeds, against the real Terraform stack
applied to the moto server and seeded through the app generators.

The stack is applied once for this module (prefix `pat-`, so its tables never collide with other
tests' on the shared server); each pattern must return exactly the items the generated data says
it should.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from support.terraform import init_and_apply
from tooling import aws
from tooling.apps import (
    GenerationContext,
    Item,
    all_apps,
    fusion,
    get_app,
    iops,
    mediphant,
    runner,
    schizodot,
    upnest,
)
from tooling.cli import main, render
from tooling.dev import demo
from tooling.dynamo.serialize import from_item
from tooling.dynamo.writer import write_items
from tooling.errors import ToolingError, UsageError
from tooling.terraform import stack

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PREFIX = "pat-"
NOW = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
CTX = GenerationContext(random_seed=7, scale=1.0, now=NOW.replace(tzinfo=None))


def apply_stack(tree: Path, tf_vars: Mapping[str, Any]) -> None:
    (tree / "test.auto.tfvars.json").write_text(json.dumps(tf_vars))
    init_and_apply(tree)


@pytest.fixture(scope="module")
def deployed(fresh_tree: Any) -> tuple[Path, stack.Stack]:
    tree = fresh_tree("patterns")
    apply_stack(
        tree,
        {
            "environment": "development",
            "enable_deletion_protection": False,
            "enable_point_in_time_recovery": False,
            "table_name_prefix": PREFIX,
        },
    )
    return tree, stack.load(tree)


@pytest.fixture(scope="module")
def data() -> dict[str, list[Item]]:
    """The generated items by seed table name."""
    out: dict[str, list[Item]] = {}
    for app in all_apps():
        for table, item in app.generate(CTX):
            out.setdefault(table, []).append(item)
    return out


@pytest.fixture(scope="module")
def seeded(deployed: Any, data: dict[str, list[Item]]) -> tuple[Any, stack.Stack]:
    _tree, st = deployed
    client = aws.dynamodb()
    for table, items in data.items():
        assert write_items(client, st.physical(table), items, workers=4).ok
    return client, st


def run(seeded: Any, app: str, name: str, **params: Any) -> Any:
    client, st = seeded
    pattern = runner.find(app, name)
    return runner.run(pattern, client, st, runner.parse_params(pattern, params))


def keys(items: Any, *names: str) -> list[tuple[Any, ...]]:
    return [tuple(i[n] for n in names) for i in items]


def test_tables_are_the_applied_ones(seeded: Any) -> None:
    _client, st = seeded
    assert st.physical("fusion-health-entries") == "pat-fusion-health-entries"


# -- the seed documents' own query examples, exactly as written -----------------------------------


def _has(item: Item, *attrs: str) -> bool:
    """In a GSI: a sparse index holds only the items carrying every key attribute of it."""
    return all(a in item for a in attrs)


FUSION, JOBS, RESULTS = "fusion-health-entries", "SchizodotJobs", "SchizodotUsers"
MEDIPHANT, BABIES, GROWTH = "mediphant-data", "UpNest-Babies", "UpNest-GrowthData"
METRICS, INSIGHTS = "iops-dashboard-metrics", "iops-dashboard-insights"
DATE = {"#date": "date"}
RATE_PK = f"RATE_LIMIT#{mediphant.EXAMPLE_IP}"

# (id, seed table, Query parameters as the seed documents write them, which generated items answer)
SEED_QUERIES: list[tuple[str, str, dict[str, Any], Any]] = [
    (
        "000-entries-for-date",
        FUSION,
        {
            "KeyConditionExpression": "#date = :date",
            "ExpressionAttributeNames": DATE,
            "ExpressionAttributeValues": {":date": {"S": "0523"}},
        },
        lambda i: i["date"] == "0523",
    ),
    (
        "000-entries-in-time-range",
        FUSION,
        {
            "KeyConditionExpression": "#date = :date AND #timestamp BETWEEN :start AND :end",
            "ExpressionAttributeNames": {**DATE, "#timestamp": "timestamp"},
            "ExpressionAttributeValues": {
                ":date": {"S": "0523"},
                ":start": {"S": "1200"},
                ":end": {"S": "1800"},
            },
        },
        lambda i: i["date"] == "0523" and "1200" <= i["timestamp"] <= "1800",
    ),
    (
        "000-medication-index",
        FUSION,
        {
            "IndexName": "medication-index",
            "KeyConditionExpression": "medication_taken = :med",
            "ExpressionAttributeValues": {":med": {"S": "oxycodone"}},
        },
        lambda i: i.get("medication_taken") == "oxycodone",
    ),
    (
        "000-pain-level-index",
        FUSION,
        {
            "IndexName": "pain-level-index",
            "KeyConditionExpression": "max_pain_level = :level",
            "ExpressionAttributeValues": {":level": {"N": "8"}},
        },
        lambda i: i.get("max_pain_level") == 8,
    ),
    (
        "000-medication-in-date-range",
        FUSION,
        {
            "IndexName": "medication-index",
            "KeyConditionExpression": "medication_taken = :med AND #date BETWEEN :a AND :b",
            "ExpressionAttributeNames": DATE,
            "ExpressionAttributeValues": {
                ":med": {"S": "oxycodone"},
                ":a": {"S": "0520"},
                ":b": {"S": "0530"},
            },
        },
        lambda i: i.get("medication_taken") == "oxycodone" and "0520" <= i["date"] <= "0530",
    ),
    (
        "000-pain-level-in-date-range",
        FUSION,
        {
            "IndexName": "pain-level-index",
            "KeyConditionExpression": "max_pain_level = :level AND #date BETWEEN :a AND :b",
            "ExpressionAttributeNames": DATE,
            "ExpressionAttributeValues": {
                ":level": {"N": "8"},
                ":a": {"S": "0520"},
                ":b": {"S": "0530"},
            },
        },
        lambda i: i.get("max_pain_level") == 8 and "0520" <= i["date"] <= "0530",
    ),
    (
        "001-jobs-of-a-patient",
        JOBS,
        {
            "IndexName": "patient_id-created_at-index",
            "KeyConditionExpression": "patient_id = :p",
            "ExpressionAttributeValues": {":p": {"S": "patient-001"}},
            "ScanIndexForward": False,
        },
        lambda i: i.get("patient_id") == "patient-001" and _has(i, "created_at"),
    ),
    (
        "001-latest-results",
        RESULTS,
        {
            "KeyConditionExpression": "user_id = :u",
            "ExpressionAttributeValues": {":u": {"S": "patient-001"}},
            "ScanIndexForward": False,
            "Limit": 10,
        },
        lambda i: i["user_id"] == "patient-001",
    ),
    (
        "002-recent-queries",
        MEDIPHANT,
        {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
            "ExpressionAttributeValues": {
                ":pk": {"S": "USER#session_123"},
                ":sk": {"S": "QUERY#"},
            },
            "ScanIndexForward": False,
            "Limit": 10,
        },
        lambda i: (
            i.get("GSI1PK") == "USER#session_123" and str(i.get("GSI1SK", "")).startswith("QUERY#")
        ),
    ),
    (
        "002-rate-limit-window",
        MEDIPHANT,
        {
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
            "ExpressionAttributeValues": {":pk": {"S": RATE_PK}, ":sk": {"S": "WINDOW#"}},
            "ScanIndexForward": False,
            "Limit": 1,
        },
        lambda i: i["PK"] == RATE_PK and i["SK"].startswith("WINDOW#"),
    ),
    (
        "002-session-by-id",
        MEDIPHANT,
        {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": "SESSION#session_123"}},
        },
        lambda i: i.get("GSI1PK") == "SESSION#session_123" and _has(i, "GSI1SK"),
    ),
    (
        "003-babies-of-a-user",
        BABIES,
        {
            "IndexName": "UserBabiesIndex",
            "KeyConditionExpression": "userId = :u",
            "ExpressionAttributeValues": {":u": {"S": "cognito-user-sub-id"}},
        },
        lambda i: i.get("userId") == "cognito-user-sub-id",
    ),
    (
        "003-growth-of-a-baby",
        GROWTH,
        {
            "KeyConditionExpression": "babyId = :b",
            "ExpressionAttributeValues": {":b": {"S": "baby-uuid-123"}},
        },
        lambda i: i["babyId"] == "baby-uuid-123",
    ),
    (
        "003-growth-of-a-user-on-a-day",
        GROWTH,
        {
            "IndexName": "UserGrowthDataIndex",
            "KeyConditionExpression": "userId = :u AND measurementDate BETWEEN :a AND :b",
            "ExpressionAttributeValues": {
                ":u": {"S": "cognito-user-sub-id"},
                ":a": {"S": "2024-01-15"},
                ":b": {"S": "2024-01-15"},
            },
        },
        lambda i: i.get("userId") == "cognito-user-sub-id" and i["measurementDate"] == "2024-01-15",
    ),
    (
        "003-baby-by-id",
        BABIES,
        {
            "KeyConditionExpression": "babyId = :b",
            "ExpressionAttributeValues": {":b": {"S": "baby-uuid-123"}},
        },
        lambda i: i["babyId"] == "baby-uuid-123",
    ),
    (
        "004-students-by-health",
        METRICS,
        {
            "IndexName": "EntityTypeHealthIndex",
            "KeyConditionExpression": "entity_type = :et",
            "ExpressionAttributeValues": {":et": {"S": "student"}},
        },
        lambda i: i["entity_type"] == "student" and _has(i, "health_score"),
    ),
    (
        "004-students-at-risk",
        METRICS,
        {
            "IndexName": "EntityTypeHealthIndex",
            "KeyConditionExpression": "entity_type = :et AND health_score < :hs",
            "ExpressionAttributeValues": {":et": {"S": "student"}, ":hs": {"N": "70"}},
        },
        lambda i: (
            i["entity_type"] == "student" and _has(i, "health_score") and i["health_score"] < 70
        ),
    ),
    (
        "004-latest-insights",
        INSIGHTS,
        {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": "insight#stu_test_001"}},
            "ScanIndexForward": False,
            "Limit": 10,
        },
        lambda i: i["pk"] == "insight#stu_test_001",
    ),
    (
        "004-insights-of-a-month",
        INSIGHTS,
        {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :sk)",
            "ExpressionAttributeValues": {
                ":pk": {"S": "insight#stu_4532"},
                ":sk": {"S": "2025-01"},
            },
        },
        lambda i: i["pk"] == "insight#stu_4532" and i["sk"].startswith("2025-01"),
    ),
    (
        "004-high-risk-predictions",
        INSIGHTS,
        {
            "IndexName": "RiskScoreIndex",
            "KeyConditionExpression": "prediction_type = :pt AND risk_score > :r",
            "ExpressionAttributeValues": {
                ":pt": {"S": "high_ib_call_frequency"},
                ":r": {"N": "80"},
            },
        },
        lambda i: (
            i.get("prediction_type") == "high_ib_call_frequency"
            and _has(i, "risk_score")
            and i["risk_score"] > 80
        ),
    ),
]


@pytest.mark.parametrize(
    ("table", "query", "answers"),
    [case[1:] for case in SEED_QUERIES],
    ids=[case[0] for case in SEED_QUERIES],
)
def test_seed_query_example_returns_exactly_the_generated_items(
    seeded: Any, data: dict[str, list[Item]], table: str, query: dict[str, Any], answers: Any
) -> None:
    """Run before any test that writes: the tables hold exactly the generated items."""
    client, st = seeded
    found = client.query(TableName=st.physical(table), **query)
    assert "LastEvaluatedKey" not in found or "Limit" in query  # one page holds every answer
    matching = [i for i in data[table] if answers(i)]
    expected = min(len(matching), query.get("Limit", len(matching)))
    assert expected > 0, "the seed's example has an answer in the generated data"
    assert found["Count"] == len(found["Items"]) == expected


@pytest.mark.parametrize(
    ("table", "key"),
    [
        (JOBS, {"job_id": "job-abc123def456"}),
        (METRICS, {"entity_id": "stu_test_001", "entity_type": "student"}),
    ],
    ids=["001-get-job", "004-get-student-metrics"],
)
def test_seed_get_item_example_finds_the_generated_item(
    seeded: Any, data: dict[str, list[Item]], table: str, key: dict[str, str]
) -> None:
    client, st = seeded
    wire = {k: {"S": v} for k, v in key.items()}
    got = client.get_item(TableName=st.physical(table), Key=wire, ConsistentRead=True)
    (want,) = [i for i in data[table] if all(i[k] == v for k, v in key.items())]
    assert from_item(got["Item"]) == want


# -- fusion ---------------------------------------------------------------------------------------


def test_fusion_patterns(seeded: Any, data: dict[str, list[Item]]) -> None:
    entries = data[fusion.ENTRIES]
    got = run(seeded, "fusion-health", "entries-for-date", date="0523")
    assert keys(got, "date", "timestamp") == sorted(
        (e["date"], e["timestamp"]) for e in entries if e["date"] == "0523"
    )
    assert any(e["timestamp"] == "1300" and e["o2"] == "88" for e in got)
    got = run(
        seeded, "fusion-health", "entries-in-time-range", date="0523", start="1200", end="1800"
    )
    want = [
        e["timestamp"]
        for e in entries
        if e["date"] == "0523" and "1200" <= e["timestamp"] <= "1800"
    ]
    assert [e["timestamp"] for e in got] == sorted(want) and "1300" in want

    got = run(seeded, "fusion-health", "entries-by-medication", medication="oxycodone")
    want = {
        (e["date"], e["timestamp"]) for e in entries if e.get("medication_taken") == "oxycodone"
    }
    assert set(keys(got, "date", "timestamp")) == want and len(got) == len(want)

    got = run(
        seeded,
        "fusion-health",
        "entries-by-medication",
        medication="Oxycodone",
        from_date="0520",
        to_date="0530",
    )
    want = {k for k in want if "0520" <= k[0] <= "0530"}
    assert set(keys(got, "date", "timestamp")) == want and ("0523", "1300") in want

    got = run(seeded, "fusion-health", "entries-by-pain-level", level=8, from_date="0520")
    want = {
        (e["date"], e["timestamp"])
        for e in entries
        if e.get("max_pain_level") == 8 and e["date"] >= "0520"
    }
    assert set(keys(got, "date", "timestamp")) == want and ("0523", "1300") in want

    summary = run(seeded, "fusion-health", "daily-summary", date="0523")
    assert summary["entry_count"] == len(
        run(seeded, "fusion-health", "entries-for-date", date="0523")
    )


def test_fusion_bad_params(seeded: Any) -> None:
    with pytest.raises(UsageError, match="date=523"):
        run(seeded, "fusion-health", "entries-for-date", date="523")
    with pytest.raises(UsageError, match="from_date=0530 is after"):
        run(
            seeded,
            "fusion-health",
            "entries-by-medication",
            medication="x",
            from_date="0530",
            to_date="0520",
        )


# -- schizodot ------------------------------------------------------------------------------------


def test_schizodot_read_patterns(seeded: Any, data: dict[str, list[Item]]) -> None:
    job = run(seeded, "schizodot", "get-job", job_id="job-abc123def456")
    assert job == schizodot.SEED_JOB | {"error": None}
    jobs = run(seeded, "schizodot", "jobs-for-patient", patient_id="patient-002")
    want = sorted(
        (j["created_at"] for j in data[schizodot.JOBS] if j["patient_id"] == "patient-002"),
        reverse=True,
    )
    assert [j["created_at"] for j in jobs] == want and want
    results = run(seeded, "schizodot", "latest-results", patient_id="patient-001", limit=2)
    all_ts = sorted(
        (r["timestamp"] for r in data[schizodot.RESULTS] if r["user_id"] == "patient-001"),
        reverse=True,
    )
    assert [r["timestamp"] for r in results] == all_ts[:2]


def test_schizodot_job_lifecycle(seeded: Any) -> None:
    job = run(
        seeded,
        "schizodot",
        "create-job",
        patient_id="patient-900",
        filename="checkin.mp4",
        at="2026-02-01T09:00:00Z",
    )
    assert job["status"] == "queued"
    with pytest.raises(UsageError, match="already exists"):
        run(
            seeded,
            "schizodot",
            "create-job",
            patient_id="patient-900",
            filename="x.mp4",
            job_id=job["job_id"],
        )
    done = run(
        seeded,
        "schizodot",
        "update-job-status",
        job_id=job["job_id"],
        status="processing",
        progress=40,
        at="2026-02-01T09:01:00Z",
    )
    assert done["started_at"] == "2026-02-01T09:01:00Z" and done["progress"] == 40
    done = run(
        seeded,
        "schizodot",
        "update-job-status",
        job_id=job["job_id"],
        status="completed",
        at="2026-02-01T09:03:00Z",
    )
    assert (done["status"], done["progress"], done["completed_at"]) == (
        "completed",
        100,
        "2026-02-01T09:03:00Z",
    )
    with pytest.raises(UsageError, match="status=done"):
        run(seeded, "schizodot", "update-job-status", job_id=job["job_id"], status="done")
    with pytest.raises(ToolingError, match="does not exist"):
        run(seeded, "schizodot", "update-job-status", job_id="job-nope", status="failed")
    saved = run(
        seeded,
        "schizodot",
        "save-result",
        patient_id="patient-900",
        job_id=job["job_id"],
        at="2026-02-01T09:03:05Z",
    )
    latest = run(seeded, "schizodot", "latest-results", patient_id="patient-900")
    assert latest == [saved | {"results": saved["results"]}]
    with pytest.raises(ToolingError, match="does not exist"):
        run(seeded, "schizodot", "save-result", patient_id="patient-001", job_id=job["job_id"])
    assert [
        j["job_id"] for j in run(seeded, "schizodot", "jobs-for-patient", patient_id="patient-900")
    ] == [job["job_id"]]


# -- mediphant ------------------------------------------------------------------------------------


def test_mediphant_patterns(seeded: Any, data: dict[str, list[Item]]) -> None:
    items = data[mediphant.TABLE]
    recent = run(seeded, "mediphant", "recent-queries", session_id="session_123", limit=3)
    mine = sorted(
        (i["GSI1SK"] for i in items if i.get("GSI1PK") == "USER#session_123"), reverse=True
    )
    assert [r["GSI1SK"] for r in recent] == mine[:3]
    assert all(r["TTL"] > NOW.timestamp() for r in recent)
    sessions = run(seeded, "mediphant", "user-sessions", user_id="user_001")
    assert "SESSION#session_123" in [s["SK"] for s in sessions]
    found = run(seeded, "mediphant", "find-session", session_id="session_123")
    assert keys(found, "PK", "SK") == [("USER#user_001", "SESSION#session_123")]
    faq = run(seeded, "mediphant", "faq-searches", date="2024-09-24")
    assert any(f["Data"]["query"] == "medication adherence" for f in faq)

    added = run(
        seeded,
        "mediphant",
        "record-query",
        session_id="session_new",
        med_a="a",
        med_b="b",
        risky="true",
        reason="r",
        at="2026-03-01T10:00:00.5Z",
    )
    assert added["Data"]["isPotentiallyRisky"] is True
    assert run(seeded, "mediphant", "recent-queries", session_id="session_new") == [added]


def test_mediphant_rate_limit_is_atomic_and_conditional(seeded: Any) -> None:
    verdicts = [
        run(
            seeded,
            "mediphant",
            "check-rate-limit",
            client_ip="198.51.100.1",
            limit=3,
            at="2026-03-01T10:15:00Z",
        )
        for _ in range(5)
    ]
    assert [(v["allowed"], v["count"]) for v in verdicts] == [
        (True, 1),
        (True, 2),
        (True, 3),
        (False, 3),
        (False, 3),
    ]
    # A new hourly window starts from zero.
    nxt = run(
        seeded,
        "mediphant",
        "check-rate-limit",
        client_ip="198.51.100.1",
        limit=3,
        at="2026-03-01T11:00:00Z",
    )
    assert (nxt["allowed"], nxt["count"], nxt["window_start"]) == (
        True,
        1,
        "2026-03-01T11:00:00.000Z",
    )
    status = run(seeded, "mediphant", "rate-limit-status", client_ip="198.51.100.1")
    assert status[0]["SK"] == "WINDOW#2026-03-01T11:00:00.000Z"
    assert status[0]["TTL"] == int(datetime(2026, 3, 1, 12, tzinfo=timezone.utc).timestamp())


# -- upnest ---------------------------------------------------------------------------------------


def test_upnest_patterns(seeded: Any, data: dict[str, list[Item]]) -> None:
    babies = run(seeded, "upnest", "user-babies", user_id="cognito-user-sub-id")
    assert [b["babyId"] for b in babies] == ["baby-uuid-123"]
    growth = run(
        seeded, "upnest", "baby-growth", user_id="cognito-user-sub-id", baby_id="baby-uuid-123"
    )
    want = sorted(
        g["measurementDate"] for g in data[upnest.GROWTH] if g["babyId"] == "baby-uuid-123"
    )
    assert [g["measurementDate"] for g in growth] == want and "2024-01-15" in want
    jan = run(
        seeded,
        "upnest",
        "user-measurements",
        user_id="cognito-user-sub-id",
        from_date="2024-01-01",
        to_date="2024-01-31",
    )
    assert jan == [upnest.SEED_GROWTH]
    baby = run(seeded, "upnest", "get-baby", user_id="cognito-user-sub-id", baby_id="baby-uuid-123")
    assert baby == upnest.SEED_BABY
    other = next(b for b in data[upnest.BABIES] if b["userId"] != "cognito-user-sub-id")
    theirs = run(seeded, "upnest", "user-babies", user_id=other["userId"])
    assert other["babyId"] in [b["babyId"] for b in theirs]
    assert all(b["userId"] == other["userId"] for b in theirs)


def test_upnest_isolation(seeded: Any, data: dict[str, list[Item]]) -> None:
    """User A never gets user B's baby or measurements, whatever ids A passes."""
    a = "cognito-user-sub-id"
    measured = {g["babyId"] for g in data[upnest.GROWTH]}
    b_baby = next(b for b in data[upnest.BABIES] if b["userId"] != a and b["babyId"] in measured)
    with pytest.raises(ToolingError, match=f"baby {b_baby['babyId']} not found for user {a}"):
        run(seeded, "upnest", "get-baby", user_id=a, baby_id=b_baby["babyId"])
    with pytest.raises(ToolingError, match="not found"):
        run(seeded, "upnest", "baby-growth", user_id=a, baby_id=b_baby["babyId"])
    mine = run(
        seeded,
        "upnest",
        "user-measurements",
        user_id=a,
        from_date="2000-01-01",
        to_date="2100-01-01",
    )
    assert mine and {g["userId"] for g in mine} == {a}
    assert b_baby["babyId"] not in {g["babyId"] for g in mine}
    # And the owner does get it.
    assert (
        run(seeded, "upnest", "get-baby", user_id=b_baby["userId"], baby_id=b_baby["babyId"])
        == b_baby
    )


# -- iops -----------------------------------------------------------------------------------------


def test_iops_patterns(seeded: Any, data: dict[str, list[Item]]) -> None:
    metrics = data[iops.METRICS]
    low = run(seeded, "iops-dashboard", "low-health-entities", entity_type="student", below=70)
    want = {
        m["entity_id"] for m in metrics if m["entity_type"] == "student" and m["health_score"] < 70
    }
    assert {m["entity_id"] for m in low} == want and len(low) == len(want) > 0
    assert [m["health_score"] for m in low] == sorted(m["health_score"] for m in low)

    recent = run(seeded, "iops-dashboard", "recently-updated", entity_type="tutor", limit=5)
    want_recent = sorted(
        (m["last_updated"] for m in metrics if m["entity_type"] == "tutor"), reverse=True
    )
    assert [m["last_updated"] for m in recent] == want_recent[:5]

    ins = run(seeded, "iops-dashboard", "entity-insights", entity_id="stu_4532", prefix="2025-01")
    assert [i["sk"] for i in ins] == [
        "2025-01-22T09:15:00Z",
        "2025-01-15T10:30:00Z",
        "2025-01-08T09:15:00Z",
    ]

    by_type = run(
        seeded, "iops-dashboard", "predictions-by-type", prediction_type="churn_risk", limit=4
    )
    want_t = sorted(
        (i["timestamp"] for i in data[iops.INSIGHTS] if i["prediction_type"] == "churn_risk"),
        reverse=True,
    )
    assert [i["timestamp"] for i in by_type] == want_t[:4]

    high = run(
        seeded, "iops-dashboard", "high-risk-predictions", prediction_type="high_ib_call_frequency"
    )
    want_h = sorted(
        (
            i["risk_score"]
            for i in data[iops.INSIGHTS]
            if i["prediction_type"] == "high_ib_call_frequency" and i["risk_score"] > 80
        ),
        reverse=True,
    )
    assert [i["risk_score"] for i in high] == want_h and 82 in want_h


# -- every pattern's seed example, and the CLI ---------------------------------------------------


@pytest.mark.parametrize(
    "app_pattern",
    [(p.app, p.name) for p in runner.all_patterns()],
    ids=lambda ap: f"{ap[0]}:{ap[1]}",
)
def test_every_pattern_answers_its_seed_example(seeded: Any, app_pattern: Any) -> None:
    """As the demo runs them: `pattern.run` with the example as is (writes included)."""
    client, st = seeded
    pattern = runner.find(*app_pattern)
    assert pattern.example, "every pattern carries the seed's example parameters"
    tables = {t: st.physical(t) for t in get_app(pattern.app).tables}
    got = pattern.run(client, tables, dict(pattern.example))
    assert runner.rows(got), f"{pattern.app} {pattern.name} {pattern.example} returned nothing"


def test_query_command_json(deployed: Any, seeded: Any, capsys: Any) -> None:
    tree, _st = deployed
    code = main(
        [
            "query",
            "fusion-health",
            "entries-in-time-range",
            "--param",
            "date=0523",
            "--param",
            "start=1200",
            "--param",
            "end=1800",
            "--format",
            "json",
            "--tf-dir",
            str(tree),
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and "1300" in [e["timestamp"] for e in out]
    assert next(e for e in out if e["timestamp"] == "1300")["max_pain_level"] == 8
    code = main(["query", "iops-dashboard", "nope", "--tf-dir", str(tree)])
    assert code == 2 and "unknown pattern nope" in capsys.readouterr().err
    code = main(
        [
            "query",
            "upnest",
            "get-baby",
            "--param",
            "user_id=someone",
            "--param",
            "baby_id=baby-uuid-123",
            "--tf-dir",
            str(tree),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and "baby baby-uuid-123 not found for user someone" in err


# -- the seeds' own query examples, run as written -----------------------------------------------


def test_decimal_results_render(seeded: Any) -> None:
    got = run(
        seeded,
        "upnest",
        "user-measurements",
        user_id="cognito-user-sub-id",
        from_date="2024-01-15",
        to_date="2024-01-15",
    )
    assert isinstance(got[0]["weight"], Decimal)
    assert json.loads(runner.to_json(got))[0]["weight"] == 12.5
    assert get_app("upnest").tables == (upnest.USERS, upnest.BABIES, upnest.GROWTH)


def test_demo_table_readable_without_a_terminal(deployed: Any, seeded: Any) -> None:
    """`make demo 2>&1 | cat` in a CI log: no TTY, 80 columns. Every pattern's row keeps its app,
    its name and its item count whole, on one line."""
    _tree, st = deployed
    results = demo.run_patterns(st)
    assert {(r.app, r.pattern) for r in results} == {(p.app, p.name) for p in runner.all_patterns()}
    out = io.StringIO()
    render.print_patterns(results, Console(file=out, width=80, force_terminal=False))
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80
    for r in results:
        row = [line for line in lines if f" {r.app} " in line and f" {r.pattern} " in line]
        assert len(row) == 1, f"{r.app} {r.pattern} not whole on one line"
        cells = [c.strip() for c in row[0].split("│")]
        assert str(r.count) in cells, f"{r.app} {r.pattern}: count {r.count} not shown"
