"""Seed 003's data: parents, their babies and monthly growth measurements along growth curves."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tooling.apps import GenerationContext, Item
from tooling.apps._common import (
    dec,
    iso,
    rng,
    scaled,
    utc,
)
from tooling.apps.catalog import SEED_TABLES

APP_NAME = "upnest"
USERS, BABIES, GROWTH = SEED_TABLES[APP_NAME]

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
