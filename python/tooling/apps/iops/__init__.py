"""Seed 004, IOps dashboard: per-entity metrics and AI insights about those entities.

Every insight's `entity_id` exists in the metrics table and its `pk` is `insight#<entity_id>`.
The seed's example metric (`stu_4532`), test metric (`stu_test_001`) and their insights are
included; their `sk` keep the seed's dates (stu_4532 has insights in 2025-01) but every `ttl` is
ctx.now-relative (insight time + 90 days, or ctx.now + 90 days for the seed's dated examples,
whose own ttl 1712822400 has long passed and would be deleted by DynamoDB at once).
"""

from __future__ import annotations

from tooling.apps import AccessPattern, App, Param
from tooling.apps.catalog import SEED_TABLES
from tooling.apps.iops.generator import (
    _PREDICTIONS,
    APP_NAME,
    ENTITY_TYPES,
    INSIGHTS,
    METRICS,
    SEED_INSIGHT,
    SEED_METRIC,
    generate,
)
from tooling.apps.iops.patterns import (
    entity_insights,
    high_risk_predictions,
    low_health_entities,
    predictions_by_type,
    recently_updated,
)

_ETYPE = Param("entity_type", str, required=False, default="student", help="|".join(ENTITY_TYPES))
_PTYPE = Param("prediction_type", str, help=", ".join(_PREDICTIONS))

APP = App(
    name=APP_NAME,
    tables=SEED_TABLES[APP_NAME],
    generate=generate,
    patterns=(
        AccessPattern(
            APP_NAME,
            "low-health-entities",
            "all entities of a type with health_score below a threshold",
            (_ETYPE, Param("below", int, required=False, default=70)),
            low_health_entities,
            example={"entity_type": "student", "below": 70},
            table=METRICS,
            index="EntityTypeHealthIndex",
        ),
        AccessPattern(
            APP_NAME,
            "recently-updated",
            "the most recently updated entities of a type, newest first",
            (
                _ETYPE,
                Param("limit", int, required=False, default=20),
                Param("since", str, required=False, help="ISO 8601 lower bound"),
            ),
            recently_updated,
            example={"entity_type": "student", "limit": 20},
            table=METRICS,
            index="LastUpdatedIndex",
        ),
        AccessPattern(
            APP_NAME,
            "entity-insights",
            "an entity's insights, newest first, optionally with an sk prefix (e.g. 2025-01)",
            (
                Param("entity_id", str, help="e.g. stu_4532"),
                Param("prefix", str, required=False),
                Param("limit", int, required=False, default=10),
            ),
            entity_insights,
            example={"entity_id": "stu_4532", "prefix": "2025-01", "limit": 10},
            table=INSIGHTS,
        ),
        AccessPattern(
            APP_NAME,
            "predictions-by-type",
            "the latest predictions of a type, newest first",
            (_PTYPE, Param("limit", int, required=False, default=20)),
            predictions_by_type,
            example={"prediction_type": "high_ib_call_frequency", "limit": 20},
            table=INSIGHTS,
            index="PredictionTypeIndex",
        ),
        AccessPattern(
            APP_NAME,
            "high-risk-predictions",
            "all predictions of a type with risk_score above a score, highest first",
            (_PTYPE, Param("above", int, required=False, default=80)),
            high_risk_predictions,
            example={"prediction_type": "high_ib_call_frequency", "above": 80},
            table=INSIGHTS,
            index="RiskScoreIndex",
        ),
    ),
)

__all__ = [
    "APP",
    "APP_NAME",
    "INSIGHTS",
    "METRICS",
    "SEED_INSIGHT",
    "SEED_METRIC",
]
