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

from tooling.apps import AccessPattern, App, Param
from tooling.apps.catalog import SEED_TABLES
from tooling.apps.upnest.generator import (
    APP_NAME,
    BABIES,
    GROWTH,
    SEED_BABY,
    SEED_GROWTH,
    SEED_USER,
    USERS,
    generate,
)
from tooling.apps.upnest.patterns import (
    baby_growth,
    get_baby,
    get_user,
    user_babies,
    user_measurements,
)

_USER = Param("user_id", str, help="the caller's user id, e.g. cognito-user-sub-id")
_BABY = Param("baby_id", str, help="e.g. baby-uuid-123")

APP = App(
    name=APP_NAME,
    tables=SEED_TABLES[APP_NAME],
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

__all__ = ["APP", "APP_NAME", "BABIES", "GROWTH", "SEED_BABY", "SEED_GROWTH", "SEED_USER", "USERS"]
