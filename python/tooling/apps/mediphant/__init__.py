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

from tooling.apps import AccessPattern, App, Param
from tooling.apps.catalog import SEED_TABLES
from tooling.apps.mediphant.generator import (
    APP_NAME,
    EXAMPLE_IP,
    TABLE,
    generate,
)
from tooling.apps.mediphant.patterns import (
    check_rate_limit,
    faq_searches,
    find_session,
    rate_limit_status,
    recent_queries,
    record_query,
    user_sessions,
)

_SESSION = Param("session_id", str, help="e.g. session_123")
_IP = Param("client_ip", str, help="caller's IP address")
_AT = Param("at", str, required=False, help="ISO 8601 time (default: now)")

APP = App(
    name=APP_NAME,
    tables=SEED_TABLES[APP_NAME],
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

__all__ = ["APP", "APP_NAME", "EXAMPLE_IP", "TABLE"]
