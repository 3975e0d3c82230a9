"""Seed 003, UpNest: parents (`UpNest-Users`), their babies and the babies' growth data.

Every baby belongs to a user, every growth item to a baby, and a growth item's `userId` is its
baby's `userId`. The seed's sample user `cognito-user-sub-id`, baby `baby-uuid-123` and its
2024-01-15 measurement are included as written.

Isolation: every pattern takes the caller's user id. Reads of one baby or its growth data are
key-conditioned on babyId and filtered on `userId = :caller` in the same request, so another
user's baby or measurements never leave DynamoDB; the caller is told "not found" either way
(no hint that the baby exists).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tooling.apps import AccessPattern, App, GenerationContext, Item, Param
from tooling.apps._common import (
    dec,
    get_item,
    iso,
    query_all,
    rng,
    scaled,
    utc,
    values,
)
from tooling.errors import ToolingError, UsageError

APP_NAME = "upnest"
USERS = "UpNest-Users"
BABIES = "UpNest-Babies"
GROWTH = "UpNest-GrowthData"

SEED_USER: Item = {
    "userId": "cognito-user-sub-id",
    "email": "user@example.com",
    "name": "John Doe",
    "createdAt": "2024-01-01T00:00:00Z",
    "updatedAt": "2024-01-01T00:00:00Z",
    "preferences": {"units": "metric", "language": "en", "notifications": True},
}
SEED_BABY: Item = {
    "babyId": "baby-uuid-123",
    "userId": "cognito-user-sub-id",
    "name": "Emma",
    "dateOfBirth": "2023-06-15",
    "sex": "female",
    "premature": False,
    "gestationalWeek": None,
    "createdAt": "2024-01-01T00:00:00Z",
    "updatedAt": "2024-01-01T00:00:00Z",
}
SEED_GROWTH: Item = {
    "babyId": "baby-uuid-123",
    "userId": "cognito-user-sub-id",
    "measurementDate": "2024-01-15",
    "weight": Decimal("12.5"),
    "height": Decimal("75.2"),
    "headCircumference": Decimal("46.8"),
    "percentileWeight": Decimal("75.2"),
    "percentileHeight": Decimal("68.5"),
    "percentileHeadCirc": Decimal("72.1"),
    "createdAt": "2024-01-15T10:30:00Z",
    "notes": "Regular checkup",
}

_NOTES = ("Regular checkup", "Well-baby visit", "Home measurement", "Vaccination visit", "")


def _curve(baby: Item, measured: date) -> tuple[float, float, float]:
    """Median weight (kg), height and head circumference (cm) at the baby's age, roughly."""
    months = max(0.0, (measured - _born(baby)).days / 30.4)
    sex = 1.0 if baby["sex"] == "female" else 1.05
    return (
        (3.3 + 0.75 * months - 0.012 * months**2) * sex,
        (50 + 2.6 * months - 0.035 * months**2) * sex,
        34.5 + 1.1 * months - 0.02 * months**2,
    )


def _born(baby: Item) -> date:
    return date.fromisoformat(baby["dateOfBirth"])


@dataclass(frozen=True)
class _Track:
    """A baby's own growth track: constant factors over the median curve and percentiles, so
    its measurements grow steadily instead of jumping around."""

    factors: tuple[float, float, float]
    percentiles: tuple[float, float, float]

    @classmethod
    def random(cls, r: Any) -> _Track:
        pct = tuple(r.uniform(5, 95) for _ in range(3))
        return cls(tuple(0.85 + 0.3 * p / 100 for p in pct), pct)  # type: ignore[arg-type]

    @classmethod
    def through(cls, baby: Item, reading: Item) -> _Track:
        """The track through a known measurement (the seed's sample record)."""
        median = _curve(baby, date.fromisoformat(reading["measurementDate"]))
        attrs = ("weight", "height", "headCircumference")
        pcts = ("percentileWeight", "percentileHeight", "percentileHeadCirc")
        return cls(
            tuple(float(reading[a]) / m for a, m in zip(attrs, median, strict=True)),  # type: ignore[arg-type]
            tuple(float(reading[p]) for p in pcts),  # type: ignore[arg-type]
        )


def _growth(r: Any, baby: Item, track: _Track, measured: date) -> Item:
    """A measurement on the baby's track, with +-1% measurement noise."""
    median = _curve(baby, measured)
    values = [m * f * r.uniform(0.99, 1.01) for m, f in zip(median, track.factors, strict=True)]
    pw, ph, pc = (min(99.0, max(1.0, p + r.uniform(-2, 2))) for p in track.percentiles)
    item: Item = {
        "babyId": baby["babyId"],
        "userId": baby["userId"],
        "measurementDate": measured.isoformat(),
        "weight": dec(values[0], 1),
        "height": dec(values[1], 1),
        "headCircumference": dec(values[2], 1),
        "percentileWeight": dec(pw, 1),
        "percentileHeight": dec(ph, 1),
        "percentileHeadCirc": dec(pc, 1),
        "createdAt": f"{measured.isoformat()}T{r.randint(8, 18):02d}:{r.randint(0, 59):02d}:00Z",
    }
    note = r.choice(_NOTES)
    if note:
        item["notes"] = note
    return item


def _monthly(first: date, until: date) -> Iterator[date]:
    y, m = first.year, first.month
    while True:
        d = date(y, m, min(first.day, 28))
        if d > until:
            return
        yield d
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def generate(ctx: GenerationContext) -> Iterator[tuple[str, Item]]:
    """~50 users x scale (the seed's user first), 1-3 babies each, monthly growth data from
    birth+1 month for up to 6 months, until ctx.now (the seed's baby: the 15th of each month,
    2023-07 to 2024-06)."""
    r, fake = rng(ctx, APP_NAME)
    today = utc(ctx.now).date()
    yield USERS, copy.deepcopy(SEED_USER)
    yield BABIES, copy.deepcopy(SEED_BABY)
    seed_track = _Track.through(SEED_BABY, SEED_GROWTH)
    for d in _monthly(date(2023, 7, 15), date(2024, 6, 15)):
        g = SEED_GROWTH if d.isoformat() == SEED_GROWTH["measurementDate"] else None
        yield GROWTH, copy.deepcopy(g) if g else _growth(r, SEED_BABY, seed_track, d)
    for _ in range(scaled(ctx, 50) - 1):
        created = utc(ctx.now) - timedelta(days=r.randint(30, 700))
        user: Item = {
            "userId": str(uuid.UUID(int=r.getrandbits(128), version=4)),
            "email": fake.unique.email(),
            "name": fake.name(),
            "createdAt": iso(created),
            "updatedAt": iso(created + timedelta(days=r.randint(0, 20))),
            "preferences": {
                "units": r.choice(("metric", "metric", "imperial")),
                "language": r.choice(("en", "en", "es", "fr")),
                "notifications": r.random() > 0.3,
            },
        }
        yield USERS, user
        for _ in range(r.choices((1, 2, 3), (6, 3, 1))[0]):
            born = today - timedelta(days=r.randint(20, 700))
            premature = r.random() < 0.1
            sex = r.choice(("female", "male"))
            baby: Item = {
                "babyId": f"baby-{uuid.UUID(int=r.getrandbits(128), version=4)}",
                "userId": user["userId"],
                "name": fake.first_name_female() if sex == "female" else fake.first_name_male(),
                "dateOfBirth": born.isoformat(),
                "sex": sex,
                "premature": premature,
                "gestationalWeek": r.randint(28, 36) if premature else None,
                "createdAt": user["createdAt"],
                "updatedAt": user["updatedAt"],
            }
            yield BABIES, baby
            first = born + timedelta(days=30)
            track = _Track.random(r)
            for d in _monthly(first, min(today, born + timedelta(days=200))):
                yield GROWTH, _growth(r, baby, track, d)


# Access patterns (seed 003, "Query Patterns" 1-4), all scoped to the calling user.


def _check_date(value: str | None, param: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--param {param}={value}: expected a date YYYY-MM-DD") from None


def user_babies(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_all(
        client,
        TableName=tables[BABIES],
        IndexName="UserBabiesIndex",
        KeyConditionExpression="userId = :uid",
        ExpressionAttributeValues=values(uid=p["user_id"]),
    )


def get_baby(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item:
    """One baby of the caller: key condition on babyId, filter on the owner in the same
    request, so another user's baby is never returned."""
    found = query_all(
        client,
        TableName=tables[BABIES],
        KeyConditionExpression="babyId = :bid",
        FilterExpression="userId = :uid",
        ExpressionAttributeValues=values(bid=p["baby_id"], uid=p["user_id"]),
    )
    if not found:
        raise ToolingError(f"baby {p['baby_id']} not found for user {p['user_id']}")
    return found[0]


def baby_growth(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    """A baby's growth data, oldest first, for the baby's owner only."""
    get_baby(client, tables, p)
    lo = _check_date(p.get("from_date"), "from_date") or "0000-00-00"
    hi = _check_date(p.get("to_date"), "to_date") or "9999-99-99"
    return query_all(
        client,
        TableName=tables[GROWTH],
        KeyConditionExpression="babyId = :bid AND measurementDate BETWEEN :lo AND :hi",
        FilterExpression="userId = :uid",
        ExpressionAttributeValues=values(bid=p["baby_id"], uid=p["user_id"], lo=lo, hi=hi),
    )


def user_measurements(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    lo = _check_date(p["from_date"], "from_date")
    hi = _check_date(p["to_date"], "to_date")
    if lo > hi:  # type: ignore[operator]
        raise UsageError(f"--param from_date={lo} is after to_date={hi}")
    return query_all(
        client,
        TableName=tables[GROWTH],
        IndexName="UserGrowthDataIndex",
        KeyConditionExpression="userId = :uid AND measurementDate BETWEEN :lo AND :hi",
        ExpressionAttributeValues=values(uid=p["user_id"], lo=lo, hi=hi),
        ScanIndexForward=False,
    )


def get_user(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item | None:
    return get_item(client, tables[USERS], {"userId": p["user_id"]})


_USER = Param("user_id", str, help="the caller's user id, e.g. cognito-user-sub-id")
_BABY = Param("baby_id", str, help="e.g. baby-uuid-123")

APP = App(
    name=APP_NAME,
    tables=(USERS, BABIES, GROWTH),
    generate=generate,
    patterns=(
        AccessPattern(
            APP_NAME,
            "get-user",
            "the caller's profile",
            (_USER,),
            get_user,
            example={"user_id": "cognito-user-sub-id"},
            table=USERS,
            consistent_read=True,
        ),
        AccessPattern(
            APP_NAME,
            "user-babies",
            "all babies of the caller",
            (_USER,),
            user_babies,
            example={"user_id": "cognito-user-sub-id"},
            table=BABIES,
            index="UserBabiesIndex",
        ),
        AccessPattern(
            APP_NAME,
            "baby-growth",
            "all growth data of one of the caller's babies, optionally in a date range",
            (
                _USER,
                _BABY,
                Param("from_date", str, required=False, help="YYYY-MM-DD"),
                Param("to_date", str, required=False, help="YYYY-MM-DD"),
            ),
            baby_growth,
            example={"user_id": "cognito-user-sub-id", "baby_id": "baby-uuid-123"},
            table=GROWTH,
        ),
        AccessPattern(
            APP_NAME,
            "user-measurements",
            "all of the caller's measurements in a date range, newest first",
            (
                _USER,
                Param("from_date", str, help="YYYY-MM-DD"),
                Param("to_date", str, help="YYYY-MM-DD"),
            ),
            user_measurements,
            example={
                "user_id": "cognito-user-sub-id",
                "from_date": "2024-01-01",
                "to_date": "2024-01-31",
            },
            table=GROWTH,
            index="UserGrowthDataIndex",
        ),
        AccessPattern(
            APP_NAME,
            "get-baby",
            "one baby, only if it belongs to the caller",
            (_USER, _BABY),
            get_baby,
            example={"user_id": "cognito-user-sub-id", "baby_id": "baby-uuid-123"},
            table=BABIES,
        ),
    ),
)
