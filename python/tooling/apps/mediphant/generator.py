"""Seed 002's data: interaction queries, sessions, rate-limit windows and FAQ searches, the
four entity types of the one table (PK/SK and GSI1 keys)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta

from tooling.apps import GenerationContext, Item
from tooling.apps._common import (
    epoch,
    rng,
    scaled,
    utc,
)
from tooling.apps.catalog import SEED_TABLES

APP_NAME = "mediphant"
(TABLE,) = SEED_TABLES[APP_NAME]
QUERY_TTL = timedelta(days=30)
WINDOW = timedelta(hours=1)
SESSION_TTL = timedelta(days=30)
EXAMPLE_IP = "203.0.113.7"  # a documentation address (RFC 5737) with a rate-limit window
# The seed's FAQ example (no TTL: FAQ analytics are kept), at its own date.
SEED_FAQ_AT = datetime(2024, 9, 24, 10, 30)

_PAIRS = (
    ("warfarin", "ibuprofen", True, "increased bleeding risk"),
    ("warfarin", "aspirin", True, "increased bleeding risk"),
    ("lisinopril", "spironolactone", True, "risk of hyperkalemia"),
    ("sertraline", "tramadol", True, "risk of serotonin syndrome"),
    ("simvastatin", "clarithromycin", True, "raised statin levels, myopathy risk"),
    ("metformin", "lisinopril", False, "no clinically significant interaction"),
    ("atorvastatin", "amlodipine", False, "minor interaction, usually safe"),
    ("levothyroxine", "omeprazole", False, "may slightly reduce absorption"),
    ("acetaminophen", "ibuprofen", False, "commonly combined safely"),
    ("metoprolol", "amlodipine", False, "additive blood pressure lowering, monitor"),
)
_FAQ = (
    "medication adherence",
    "can I take ibuprofen with warfarin",
    "grapefruit and statins",
    "missed dose what to do",
    "alcohol and antibiotics",
    "side effects of metformin",
    "blood thinner diet",
    "drug interactions checker",
)


def ts(dt: datetime) -> str:
    """ISO 8601 with milliseconds, as JavaScript's Date.toISOString() writes it."""
    return utc(dt).strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc(dt).microsecond // 1000:03d}Z"


def window_start(at: datetime) -> datetime:
    return utc(at).replace(minute=0, second=0, microsecond=0)


def query_item(
    session_id: str, at: datetime, med_a: str, med_b: str, risky: bool, reason: str
) -> Item:
    stamp = ts(at)
    return {
        "PK": f"QUERY#{stamp}",
        "SK": "METADATA",
        "GSI1PK": f"USER#{session_id}",
        "GSI1SK": f"QUERY#{stamp}",
        "EntityType": "QUERY",
        "TTL": epoch(at + QUERY_TTL),
        "Data": {
            "medA": med_a,
            "medB": med_b,
            "isPotentiallyRisky": risky,
            "reason": reason,
            "timestamp": stamp,
            "sessionId": session_id,
        },
    }


def session_item(user_id: str, session_id: str, created: datetime, last: datetime, n: int) -> Item:
    return {
        "PK": f"USER#{user_id}",
        "SK": f"SESSION#{session_id}",
        "GSI1PK": f"SESSION#{session_id}",
        "GSI1SK": f"USER#{user_id}",
        "EntityType": "SESSION",
        "TTL": epoch(last + SESSION_TTL),
        "Data": {"createdAt": ts(created), "lastActivity": ts(last), "queryCount": n},
    }


def rate_limit_item(ip: str, start: datetime, count: int) -> Item:
    return {
        "PK": f"RATE_LIMIT#{ip}",
        "SK": f"WINDOW#{ts(start)}",
        "EntityType": "RATE_LIMIT",
        "TTL": epoch(start + WINDOW),
        "Data": {"count": count, "windowStart": ts(start), "windowEnd": ts(start + WINDOW)},
    }


def faq_item(at: datetime, query: str, matches: int, search_ms: int) -> Item:
    digest = hashlib.sha1(query.encode()).hexdigest()[:8]
    return {
        "PK": f"FAQ_SEARCH#{utc(at):%Y-%m-%d}",
        "SK": f"QUERY#{ts(at)}#{digest}",
        "EntityType": "FAQ_SEARCH",
        "Data": {"query": query, "matches": matches, "searchTime": search_ms, "timestamp": ts(at)},
    }


def generate(ctx: GenerationContext) -> Iterator[tuple[str, Item]]:
    """~50 sessions x scale of ~30 users (user_001 owns session_123, which holds the seed's
    warfarin/ibuprofen query), 1-12 queries per session, ~80 rate-limit windows (current hour,
    including EXAMPLE_IP's), ~100 FAQ searches plus the seed's 2024-09-24 one."""
    r, fake = rng(ctx, APP_NAME)
    now = utc(ctx.now)
    users = [f"user_{i:03d}" for i in range(1, scaled(ctx, 30) + 1)]
    sessions = ["session_123"] + [
        f"session_{fake.unique.hexify('^' * 10)}" for _ in range(1, scaled(ctx, 50))
    ]
    used: set[str] = set()
    for i, session in enumerate(sessions):
        user = users[0] if i == 0 else r.choice(users)
        created = now - timedelta(seconds=r.randint(3 * 86400, 29 * 86400))
        n = r.randint(1, 12)
        last = created
        for k in range(n):
            at = created + timedelta(milliseconds=r.randint(0, 2 * 86400 * 1000))
            while ts(at) in used:
                at += timedelta(milliseconds=1)
            used.add(ts(at))
            last = max(last, at)
            pair = _PAIRS[0] if (i == 0 and k == 0) else r.choice(_PAIRS)
            yield TABLE, query_item(session, at, *pair)
        yield TABLE, session_item(user, session, created, last, n)
    start = window_start(now)  # the window that contains ctx.now: its TTL is ahead
    yield TABLE, rate_limit_item(EXAMPLE_IP, start, 15)  # the seed's example count
    for _ in range(scaled(ctx, 80) - 1):
        yield TABLE, rate_limit_item(fake.unique.ipv4_public(), start, r.randint(1, 99))
    yield TABLE, faq_item(SEED_FAQ_AT, "medication adherence", 3, 150)
    for _ in range(scaled(ctx, 100)):
        at = now - timedelta(milliseconds=r.randint(1, 14 * 86400 * 1000))
        yield TABLE, faq_item(at, r.choice(_FAQ), r.randint(0, 8), r.randint(20, 400))


# Access patterns (seed 002: query history, rate limiting, FAQ analytics, sessions).
