"""Seed 002, Mediphant: one table (`mediphant-data`) holding four entity types.

Key patterns (the seed's):
  QUERY       PK QUERY#<ts>                SK METADATA             GSI1 USER#<session>/QUERY#<ts>
  RATE_LIMIT  PK RATE_LIMIT#<ip>           SK WINDOW#<start>
  FAQ_SEARCH  PK FAQ_SEARCH#<YYYY-MM-DD>   SK QUERY#<ts>#<hash>
  SESSION     PK USER#<user>               SK SESSION#<session>
              GSI1 SESSION#<session>/USER#<user>

TTLs (epoch seconds): query = its timestamp + 30 days; rate-limit window = window start + 1 hour;
session = its expiry (last activity + 30 days). Generated timestamps lie in the 29 days (queries,
sessions) before ctx.now, rate-limit windows are the hour containing it: every TTL is ahead.
Timestamps are ISO 8601 with milliseconds, like JavaScript's toISOString().
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from tooling.apps import AccessPattern, App, GenerationContext, Item, Param
from tooling.apps._common import (
    check_positive,
    epoch,
    from_ddb,
    get_item,
    put_new,
    query_all,
    query_limit,
    rng,
    scaled,
    to_ddb,
    utc,
    values,
)
from tooling.errors import UsageError

APP_NAME = "mediphant"
TABLE = "mediphant-data"
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


def _at(p: Mapping[str, Any]) -> datetime:
    if not p.get("at"):
        return datetime.now(timezone.utc)
    try:
        return utc(datetime.fromisoformat(p["at"].replace("Z", "+00:00")))
    except ValueError:
        raise UsageError(f"--param at={p['at']}: expected an ISO 8601 time") from None


def record_query(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item:
    item = query_item(p["session_id"], _at(p), p["med_a"], p["med_b"], p["risky"], p["reason"])
    conflict = f"a query at {item['Data']['timestamp']} already exists"
    return put_new(client, tables[TABLE], item, "PK", conflict)


def recent_queries(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_limit(
        client,
        check_positive(p["limit"], "limit"),
        TableName=tables[TABLE],
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
        ExpressionAttributeValues=values(pk=f"USER#{p['session_id']}", sk="QUERY#"),
        ScanIndexForward=False,
    )


def check_rate_limit(
    client: Any, tables: Mapping[str, str], p: Mapping[str, Any]
) -> dict[str, Any]:
    """Count one call of CLIENT_IP in the current hourly window if it is under LIMIT.

    The increment is one conditional UpdateItem (`Data.#count < :limit`), so concurrent callers
    can never push the count past the limit. The window item is first created with count 0 if
    absent (a conditional put: losing that race is harmless)."""
    limit = check_positive(p["limit"], "limit")
    start = window_start(_at(p))
    item = rate_limit_item(p["client_ip"], start, 0)
    key = {"PK": item["PK"], "SK": item["SK"]}
    with contextlib.suppress(client.exceptions.ConditionalCheckFailedException):
        client.put_item(
            TableName=tables[TABLE],
            Item=to_ddb(item),
            ConditionExpression="attribute_not_exists(PK)",
        )
    verdict = {"client_ip": p["client_ip"], "window_start": ts(start), "limit": limit}
    try:
        out = client.update_item(
            TableName=tables[TABLE],
            Key=to_ddb(key),
            UpdateExpression="SET #data.#count = #data.#count + :one",
            ConditionExpression="#data.#count < :limit",
            ExpressionAttributeNames={"#data": "Data", "#count": "count"},
            ExpressionAttributeValues=values(one=1, limit=limit),
            ReturnValues="ALL_NEW",
        )
    except client.exceptions.ConditionalCheckFailedException:
        current = get_item(client, tables[TABLE], key) or item
        return verdict | {"allowed": False, "count": int(current["Data"]["count"])}
    return verdict | {"allowed": True, "count": int(from_ddb(out["Attributes"])["Data"]["count"])}


def rate_limit_status(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_limit(
        client,
        1,
        TableName=tables[TABLE],
        KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
        ExpressionAttributeValues=values(pk=f"RATE_LIMIT#{p['client_ip']}", sk="WINDOW#"),
        ScanIndexForward=False,
    )


def user_sessions(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_all(
        client,
        TableName=tables[TABLE],
        KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
        ExpressionAttributeValues=values(pk=f"USER#{p['user_id']}", sk="SESSION#"),
    )


def find_session(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_all(
        client,
        TableName=tables[TABLE],
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
        ExpressionAttributeValues=values(pk=f"SESSION#{p['session_id']}", sk="USER#"),
    )


def faq_searches(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    try:
        day = datetime.strptime(p["date"], "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        raise UsageError(f"--param date={p['date']}: expected YYYY-MM-DD") from None
    return query_all(
        client,
        TableName=tables[TABLE],
        KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
        ExpressionAttributeValues=values(pk=f"FAQ_SEARCH#{day}", sk="QUERY#"),
    )


_SESSION = Param("session_id", str, help="e.g. session_123")
_IP = Param("client_ip", str, help="caller's IP address")
_AT = Param("at", str, required=False, help="ISO 8601 time (default: now)")

APP = App(
    name=APP_NAME,
    tables=(TABLE,),
    generate=generate,
    patterns=(
        AccessPattern(
            APP_NAME,
            "record-query",
            "store an interaction query of a session (TTL: +30 days)",
            (
                _SESSION,
                Param("med_a", str),
                Param("med_b", str),
                Param("risky", bool, help="true|false"),
                Param("reason", str),
                _AT,
            ),
            record_query,
            writes=True,
            example={
                "session_id": "session_123",
                "med_a": "warfarin",
                "med_b": "ibuprofen",
                "risky": True,
                "reason": "increased bleeding risk",
            },
            table=TABLE,
        ),
        AccessPattern(
            APP_NAME,
            "recent-queries",
            "a session's most recent queries, newest first (GSI1)",
            (_SESSION, Param("limit", int, required=False, default=10)),
            recent_queries,
            example={"session_id": "session_123", "limit": 10},
            table=TABLE,
            index="GSI1",
        ),
        AccessPattern(
            APP_NAME,
            "check-rate-limit",
            "count a call in the current hourly window if under the limit: allowed or denied",
            (_IP, Param("limit", int, required=False, default=100), _AT),
            check_rate_limit,
            writes=True,
            example={"client_ip": "203.0.113.7", "limit": 100},
            table=TABLE,
        ),
        AccessPattern(
            APP_NAME,
            "rate-limit-status",
            "the latest rate-limit window of an IP",
            (_IP,),
            rate_limit_status,
            example={"client_ip": "203.0.113.7"},
            table=TABLE,
        ),
        AccessPattern(
            APP_NAME,
            "user-sessions",
            "all sessions of a user",
            (Param("user_id", str, help="e.g. user_001"),),
            user_sessions,
            example={"user_id": "user_001"},
            table=TABLE,
        ),
        AccessPattern(
            APP_NAME,
            "find-session",
            "a session by its id (GSI1)",
            (_SESSION,),
            find_session,
            example={"session_id": "session_123"},
            table=TABLE,
            index="GSI1",
        ),
        AccessPattern(
            APP_NAME,
            "faq-searches",
            "all FAQ searches of a day",
            (Param("date", str, help="YYYY-MM-DD"),),
            faq_searches,
            example={"date": "2024-09-24"},
            table=TABLE,
        ),
    ),
)
