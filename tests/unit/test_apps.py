"""The app generators: deterministic, referentially consistent, carrying the seeds' examples, and
following the derived-attribute, key-pattern and TTL rules."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from tooling.apps import (
    AccessPattern,
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
from tooling.apps.catalog import SEED_TABLES
from tooling.dynamo.serialize import from_item, to_item
from tooling.errors import UsageError

NOW = datetime(2026, 11, 22)
CTX = GenerationContext(random_seed=42, scale=1.0, now=NOW)
NOW_EPOCH = int(NOW.replace(tzinfo=timezone.utc).timestamp())


def by_table(app: str, ctx: GenerationContext = CTX) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = defaultdict(list)
    for table, item in get_app(app).generate(ctx):
        out[table].append(item)
    return out


@pytest.fixture(scope="module")
def data() -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {}
    for app in SEED_TABLES:
        out.update(by_table(app))
    return out


@pytest.mark.parametrize("app", list(SEED_TABLES))
def test_same_context_same_items_other_seed_other_items(app: str) -> None:
    first, again = by_table(app), by_table(app)
    assert first == again
    other = by_table(app, GenerationContext(random_seed=43, now=NOW))
    assert other != first


@pytest.mark.parametrize("app", list(SEED_TABLES))
def test_items_are_storable_and_keys_unique(app: str) -> None:
    keys = {
        "fusion-health-entries": ("date", "timestamp"),
        "fusion-daily-summaries": ("date",),
        "SchizodotJobs": ("job_id",),
        "SchizodotUsers": ("user_id", "timestamp"),
        "mediphant-data": ("PK", "SK"),
        "UpNest-Users": ("userId",),
        "UpNest-Babies": ("babyId",),
        "UpNest-GrowthData": ("babyId", "measurementDate"),
        "iops-dashboard-metrics": ("entity_id", "entity_type"),
        "iops-dashboard-insights": ("pk", "sk"),
    }
    tables = by_table(app)
    assert set(tables) == set(SEED_TABLES[app])
    for table, items in tables.items():
        ks = [tuple(i[k] for k in keys[table]) for i in items]
        assert len(ks) == len(set(ks)), f"duplicate keys in {table}"
        for item in items:
            # The seeder's serialiser raises on what DynamoDB cannot store; what the patterns read
            # back is the item generated (numbers Decimal, no float or tuple to come back changed).
            assert from_item(to_item(item)) == item


def test_volume_scales_to_about_50k_at_25() -> None:
    def total(scale: float) -> int:
        ctx = GenerationContext(scale=scale, now=NOW)
        return sum(1 for app in all_apps() for _ in app.generate(ctx))

    base = total(1)
    assert 1500 <= base <= 3000
    assert 45_000 <= total(25) <= 65_000


# -- fusion ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "levels"),
    [
        ("6-7-8", [6, 7, 8]),
        ("5", [5]),
        ("7/10", [7]),
        ("6.5", [7]),
        ("none", []),
        (4, [4]),
        ("12", []),
        ("3 to 4/10", [3, 4]),
        (Decimal("2.2"), [3]),
        (True, []),
    ],
)
def test_pain_levels(value: Any, levels: list[int]) -> None:
    assert fusion.pain_levels(value) == levels


def test_derived_attributes() -> None:
    item = fusion.with_derived(
        {
            "medications": {" Oxycodone ": "5mg", "journavx": "100mg"},
            "pain": {"a": "5", "b": "7/10"},
        }
    )
    assert (item["medication_taken"], item["max_pain_level"]) == ("oxycodone", 7)
    bare = fusion.with_derived({"medications": {}, "pain": {"back": "none"}, "max_pain_level": 3})
    assert "medication_taken" not in bare and "max_pain_level" not in bare


def test_fusion_seed_examples_and_summaries(data: dict[str, list[Item]]) -> None:
    entries = data[fusion.ENTRIES]
    seed = next(e for e in entries if (e["date"], e["timestamp"]) == ("0523", "1300"))
    assert seed == fusion.SEED_ENTRY | {"medication_taken": "oxycodone", "max_pain_level": 8}
    days = {e["date"] for e in entries}
    assert {f"05{d}" for d in range(18, 32)} <= days
    assert any(e["date"] == "0523" and "1200" <= e["timestamp"] <= "1800" for e in entries)
    for e in entries:
        assert e.get("max_pain_level") == fusion.max_pain_level(e["pain"])
        assert e.get("medication_taken") == fusion.medication_taken(e["medications"])
    assert any("medication_taken" not in e for e in entries)  # sparse index really sparse
    assert any("max_pain_level" not in e for e in entries)
    summaries = {s["date"]: s for s in data[fusion.SUMMARIES]}
    assert set(summaries) == days
    for day, s in summaries.items():
        mine = [e for e in entries if e["date"] == day]
        assert s["entry_count"] == len(mine)
        pains = [e["max_pain_level"] for e in mine if "max_pain_level" in e]
        assert s.get("max_pain_level") == (max(pains) if pains else None)
        meds = Counter(m for e in mine for m in e["medications"])
        assert s["medications"] == dict(meds)


# -- schizodot ------------------------------------------------------------------------------------


def test_schizodot_results_refer_to_real_jobs(data: dict[str, list[Item]]) -> None:
    jobs = {j["job_id"]: j for j in data[schizodot.JOBS]}
    assert jobs["job-abc123def456"] == schizodot.SEED_JOB
    assert schizodot.SEED_RESULT in data[schizodot.RESULTS]
    for r in data[schizodot.RESULTS]:
        job = jobs[r["job_id"]]
        assert r["user_id"] == job["patient_id"] and r["s3_key"] == job["s3_key"]
        assert job["status"] == "completed"
    assert {j["status"] for j in jobs.values()} == set(schizodot.STATUSES)


# -- mediphant ------------------------------------------------------------------------------------


def test_mediphant_key_patterns_and_ttls(data: dict[str, list[Item]]) -> None:
    items = data[mediphant.TABLE]
    kinds = Counter(i["EntityType"] for i in items)
    assert set(kinds) == {"QUERY", "RATE_LIMIT", "FAQ_SEARCH", "SESSION"}
    ts = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    sessions = {}
    for i in items:
        kind = i["EntityType"]
        if kind == "QUERY":
            assert re.fullmatch(f"QUERY#{ts}", i["PK"]) and i["SK"] == "METADATA"
            assert i["GSI1PK"] == f"USER#{i['Data']['sessionId']}" and i["GSI1SK"] == i["PK"]
            at = datetime.fromisoformat(i["Data"]["timestamp"].replace("Z", "+00:00"))
            assert i["TTL"] == int(at.timestamp()) + 30 * 86400 > NOW_EPOCH
        elif kind == "RATE_LIMIT":
            assert re.fullmatch(r"RATE_LIMIT#[\d.]+", i["PK"])
            assert i["SK"] == f"WINDOW#{i['Data']['windowStart']}"
            start = datetime.fromisoformat(i["Data"]["windowStart"].replace("Z", "+00:00"))
            assert i["TTL"] == int(start.timestamp()) + 3600 > NOW_EPOCH
        elif kind == "FAQ_SEARCH":
            assert re.fullmatch(r"FAQ_SEARCH#\d{4}-\d\d-\d\d", i["PK"])
            assert re.fullmatch(rf"QUERY#{ts}#[0-9a-f]{{8}}", i["SK"])
            assert "TTL" not in i
        else:
            user, session = i["PK"].removeprefix("USER#"), i["SK"].removeprefix("SESSION#")
            assert (i["GSI1PK"], i["GSI1SK"]) == (f"SESSION#{session}", f"USER#{user}")
            assert i["TTL"] > NOW_EPOCH
            sessions[session] = i
    queries = Counter(i["Data"]["sessionId"] for i in items if i["EntityType"] == "QUERY")
    assert {s: i["Data"]["queryCount"] for s, i in sessions.items()} == dict(queries)
    assert sessions["session_123"]["PK"] == "USER#user_001"
    assert any(
        i["Data"].get("medA") == "warfarin" and i["Data"].get("sessionId") == "session_123"
        for i in items
    )


# -- upnest ---------------------------------------------------------------------------------------


def test_upnest_ownership_chain(data: dict[str, list[Item]]) -> None:
    users = {u["userId"] for u in data[upnest.USERS]}
    babies = {b["babyId"]: b for b in data[upnest.BABIES]}
    assert all(b["userId"] in users for b in babies.values())
    for g in data[upnest.GROWTH]:
        assert g["userId"] == babies[g["babyId"]]["userId"]
        assert g["measurementDate"] > babies[g["babyId"]]["dateOfBirth"]
    series: dict[str, list[Decimal]] = defaultdict(list)
    for g in sorted(data[upnest.GROWTH], key=lambda g: g["measurementDate"]):
        series[g["babyId"]].append(g["weight"])
    for weights in series.values():  # each baby grows along its own track
        assert all(b >= a * Decimal("0.97") for a, b in itertools.pairwise(weights))
    assert upnest.SEED_USER in data[upnest.USERS]
    assert babies["baby-uuid-123"] == upnest.SEED_BABY
    assert upnest.SEED_GROWTH in data[upnest.GROWTH]


# -- iops -----------------------------------------------------------------------------------------


def test_iops_insights_refer_to_metrics(data: dict[str, list[Item]]) -> None:
    entities = {m["entity_id"] for m in data[iops.METRICS]}
    for i in data[iops.INSIGHTS]:
        assert i["entity_id"] in entities and i["pk"] == f"insight#{i['entity_id']}"
        assert i["ttl"] > NOW_EPOCH and 0 <= i["risk_score"] <= 100
    assert iops.SEED_METRIC in data[iops.METRICS]
    assert iops.SEED_INSIGHT | {"ttl": NOW_EPOCH + 90 * 86400} in data[iops.INSIGHTS]
    assert "stu_test_001" in entities
    assert any(m["entity_type"] == "student" and m["health_score"] < 70 for m in data[iops.METRICS])
    jan = [i for i in data[iops.INSIGHTS] if i["pk"] == "insight#stu_4532"]
    assert len([i for i in jan if i["sk"].startswith("2025-01")]) == 3
    assert any(
        i["prediction_type"] == "high_ib_call_frequency" and i["risk_score"] > 80
        for i in data[iops.INSIGHTS]
    )


# -- pattern registry and parameter parsing -------------------------------------------------------


def test_every_pattern_has_a_valid_example() -> None:
    names = [(p.app, p.name) for p in runner.all_patterns()]
    assert len(names) == len(set(names)) >= 25
    for p in runner.all_patterns():
        parsed = runner.parse_params(p, dict(p.example))
        # The demo runs `pattern.run(client, tables, example)` as is: every parameter with a
        # default must be spelled out, and the values must already have their types.
        assert {k: v for k, v in parsed.items() if v is not None} == dict(p.example), p.name


def test_param_parsing() -> None:
    p: AccessPattern = runner.find("mediphant", "record-query")
    got = runner.parse_params(p, ["session_id=s", "med_a=a", "med_b=b", "risky=No", "reason=x=y"])
    assert got == {
        "session_id": "s",
        "med_a": "a",
        "med_b": "b",
        "risky": False,
        "reason": "x=y",
        "at": None,
    }
    with pytest.raises(UsageError, match="--param risky=maybe: expected true or false"):
        runner.parse_params(p, ["risky=maybe"])
    with pytest.raises(UsageError, match="missing --param session_id"):
        runner.parse_params(p, [])
    with pytest.raises(UsageError, match="unknown param colour of mediphant record-query"):
        runner.parse_params(p, ["colour=red"])
    with pytest.raises(UsageError, match="expected NAME=VALUE"):
        runner.parse_params(p, ["session_id"])
    limit = runner.find("schizodot", "latest-results")
    assert runner.parse_params(limit, ["patient_id=p"])["limit"] == 10
    with pytest.raises(UsageError, match="limit=ten: expected an integer"):
        runner.parse_params(limit, ["patient_id=p", "limit=ten"])
    with pytest.raises(UsageError, match="unknown app nope"):
        runner.find("nope", "x")
    with pytest.raises(UsageError, match="unknown pattern x of app upnest"):
        runner.find("upnest", "x")
