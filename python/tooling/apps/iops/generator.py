"""Seed 004's data: metrics per entity (students, tutors, subjects, regions) and AI insights
about them, with TTLs."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from tooling.apps import GenerationContext, Item
from tooling.apps._common import (
    dec,
    epoch,
    iso,
    rng,
    scaled,
    utc,
)
from tooling.apps.catalog import SEED_TABLES

APP_NAME = "iops-dashboard"
METRICS, INSIGHTS = SEED_TABLES[APP_NAME]
ENTITY_TYPES = ("student", "tutor", "subject", "region")
INSIGHT_TTL = timedelta(days=90)

SEED_METRIC: Item = {
    "entity_id": "stu_4532",
    "entity_type": "student",
    "sessions_7d": 2,
    "sessions_14d": 5,
    "sessions_30d": 12,
    "ib_calls_7d": 1,
    "ib_calls_14d": 3,
    "avg_rating": Decimal("4.5"),
    "health_score": 72,
    "last_updated": "2025-01-15T10:30:00Z",
}
SEED_INSIGHT: Item = {
    "pk": "insight#stu_4532",
    "sk": "2025-01-15T10:30:00Z",
    "alert_id": "high_ib_call_frequency_stu_4532_1705318200000",
    "entity_id": "stu_4532",
    "prediction_type": "high_ib_call_frequency",
    "risk_score": 82,
    "explanation": "Student shows high IB call frequency with declining health score...",
    "recommendations": [
        "Schedule immediate check-in call",
        "Review IB call transcripts",
        "Offer session with senior tutor",
    ],
    "timestamp": "2025-01-15T10:30:00Z",
    "model_used": "bedrock-claude-3.5-haiku",
}
TEST_METRIC: Item = {
    "entity_id": "stu_test_001",
    "entity_type": "student",
    "sessions_7d": 3,
    "sessions_14d": 7,
    "sessions_30d": 15,
    "ib_calls_7d": 0,
    "ib_calls_14d": 2,
    "avg_rating": Decimal("4.5"),
    "health_score": 85,
}
TEST_INSIGHT: Item = {
    "pk": "insight#stu_test_001",
    "alert_id": "test_alert_001",
    "entity_id": "stu_test_001",
    "prediction_type": "low_health_score",
    "risk_score": 45,
    "explanation": "Test insight explanation",
    "recommendations": ["Test recommendation 1", "Test recommendation 2"],
    "model_used": "test-model",
}

_PREDICTIONS = {
    "high_ib_call_frequency": (
        "shows high IB call frequency",
        ["Schedule immediate check-in call", "Review IB call transcripts"],
    ),
    "churn_risk": (
        "is at risk of churning: sessions are dropping",
        ["Offer a free session", "Send re-engagement email"],
    ),
    "low_health_score": (
        "has a health score below target",
        ["Review recent session ratings", "Assign a success manager"],
    ),
    "declining_engagement": (
        "shows declining engagement over 14 days",
        ["Suggest a study plan", "Check scheduling conflicts"],
    ),
    "tutor_quality_drop": (
        "received lower ratings this week",
        ["Review session recordings", "Offer tutor coaching"],
    ),
}
_MODELS = ("bedrock-claude-3.5-haiku", "bedrock-claude-3.5-sonnet", "rules-v2")
_SUBJECTS = (
    "algebra", "geometry", "calculus", "statistics", "physics", "chemistry", "biology",
    "english", "spanish", "history", "economics", "sat_math", "sat_verbal", "coding", "french",
)  # fmt: skip
_REGIONS = ("us_east", "us_west", "us_central", "canada", "uk", "apac")


def _metric(r: Any, entity_id: str, entity_type: str, updated: datetime) -> Item:
    s7 = r.randint(0, 8)
    s14 = s7 + r.randint(0, 8)
    s30 = s14 + r.randint(0, 14)
    ib7 = r.choices(range(6), (6, 4, 2, 1, 1, 1))[0]
    ib14 = ib7 + r.choices(range(6), (6, 4, 2, 1, 1, 1))[0]
    rating = r.uniform(2.8, 5.0)
    # Engagement and ratings raise the score, IB (inbound support) calls lower it.
    health = 35 + min(s14, 10) * 3 + (rating - 2.8) * 12 - ib14 * 4 + r.randint(-5, 5)
    scale = {"student": 1, "tutor": 3, "subject": 40, "region": 200}[entity_type]
    return {
        "entity_id": entity_id,
        "entity_type": entity_type,
        "sessions_7d": s7 * scale,
        "sessions_14d": s14 * scale,
        "sessions_30d": s30 * scale,
        "ib_calls_7d": ib7 * scale,
        "ib_calls_14d": ib14 * scale,
        "avg_rating": dec(rating, 1),
        "health_score": max(0, min(100, round(health))),
        "last_updated": iso(updated),
    }


def _insight(r: Any, metric: Item, at: datetime, ptype: str) -> Item:
    what, recs = _PREDICTIONS[ptype]
    base = 100 - int(metric["health_score"])
    risk = max(1, min(99, base + r.randint(-10, 25)))
    stamp = iso(at)
    return {
        "pk": f"insight#{metric['entity_id']}",
        "sk": stamp,
        "alert_id": f"{ptype}_{metric['entity_id']}_{epoch(at) * 1000}",
        "entity_id": metric["entity_id"],
        "prediction_type": ptype,
        "risk_score": risk,
        "explanation": f"{metric['entity_type'].capitalize()} {metric['entity_id']} {what}.",
        "recommendations": recs,
        "timestamp": stamp,
        "model_used": r.choice(_MODELS),
        "ttl": epoch(at + INSIGHT_TTL),
    }


def generate(ctx: GenerationContext) -> Iterator[tuple[str, Item]]:
    """~200 students, 30 tutors, 15 subjects, 6 regions (x scale for students and tutors),
    updated in the 7 days before ctx.now; 0-2 insights per entity in the 60 days before, more
    for unhealthy ones; plus the seed's examples."""
    r, _fake = rng(ctx, APP_NAME)
    now = utc(ctx.now)
    far_ttl = epoch(now + INSIGHT_TTL)
    yield METRICS, copy.deepcopy(SEED_METRIC)
    yield INSIGHTS, copy.deepcopy(SEED_INSIGHT) | {"ttl": far_ttl}
    # Two more January 2025 insights of stu_4532 (the seed's `begins_with 2025-01` example).
    for day, ptype, risk in ((8, "declining_engagement", 64), (22, "high_ib_call_frequency", 88)):
        at = datetime(2025, 1, day, 9, 15)
        yield INSIGHTS, _insight(r, SEED_METRIC, at, ptype) | {"risk_score": risk, "ttl": far_ttl}
    test_at = now - timedelta(hours=2)
    yield METRICS, TEST_METRIC | {"last_updated": iso(test_at)}
    yield (
        INSIGHTS,
        TEST_INSIGHT
        | {
            "sk": iso(test_at),
            "timestamp": iso(test_at),
            "ttl": epoch(test_at + INSIGHT_TTL),
        },
    )
    students = scaled(ctx, 200) + 1
    # The seed's 4-digit ids while they suffice (same data as ever); a wider range beyond scale 45.
    id_space = range(1000, max(9999, 1000 + 2 * students))
    ids = (
        [("student", f"stu_{n}") for n in r.sample(id_space, students)]
        + [("tutor", f"tut_{n:03d}") for n in range(1, scaled(ctx, 30) + 1)]
        + [("subject", s) for s in _SUBJECTS]
        + [("region", g) for g in _REGIONS]
    )
    for etype, eid in ids:
        if eid == SEED_METRIC["entity_id"]:
            continue
        metric = _metric(r, eid, etype, now - timedelta(seconds=r.randint(60, 7 * 86400)))
        yield METRICS, metric
        unhealthy = metric["health_score"] < 70
        for _ in range(r.randint(1, 2) if unhealthy else r.choices((0, 1), (4, 1))[0]):
            ptype = (
                "tutor_quality_drop"
                if etype == "tutor"
                else r.choice([p for p in _PREDICTIONS if p != "tutor_quality_drop"])
            )
            at = now - timedelta(seconds=r.randint(60, 60 * 86400))
            yield INSIGHTS, _insight(r, metric, at, ptype)


# Access patterns (seed 004, the GSIs' use cases and the query examples/scripts).
