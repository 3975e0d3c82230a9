"""Seed 004's access patterns: entities by health or update time, insights of an entity, and
predictions by type or risk score."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tooling.apps import Item
from tooling.apps._common import (
    check_positive,
    query_all,
    query_limit,
    values,
)
from tooling.apps.iops.generator import (
    ENTITY_TYPES,
    INSIGHTS,
    METRICS,
)
from tooling.errors import UsageError


def _entity_type(p: Mapping[str, Any]) -> str:
    if p["entity_type"] not in ENTITY_TYPES:
        raise UsageError(
            f"--param entity_type={p['entity_type']}: expected one of {', '.join(ENTITY_TYPES)}"
        )
    return p["entity_type"]


def low_health_entities(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_all(
        client,
        TableName=tables[METRICS],
        IndexName="EntityTypeHealthIndex",
        KeyConditionExpression="entity_type = :et AND health_score < :hs",
        ExpressionAttributeValues=values(et=_entity_type(p), hs=p["below"]),
    )


def recently_updated(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    cond, vals = "entity_type = :et", values(et=_entity_type(p))
    if p.get("since"):
        cond += " AND last_updated >= :since"
        vals |= values(since=p["since"])
    return query_limit(
        client,
        check_positive(p["limit"], "limit"),
        TableName=tables[METRICS],
        IndexName="LastUpdatedIndex",
        KeyConditionExpression=cond,
        ExpressionAttributeValues=vals,
        ScanIndexForward=False,
    )


def entity_insights(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    cond, vals = "pk = :pk", values(pk=f"insight#{p['entity_id']}")
    if p.get("prefix"):
        cond += " AND begins_with(sk, :prefix)"
        vals |= values(prefix=p["prefix"])
    return query_limit(
        client,
        check_positive(p["limit"], "limit"),
        TableName=tables[INSIGHTS],
        KeyConditionExpression=cond,
        ExpressionAttributeValues=vals,
        ScanIndexForward=False,
    )


def predictions_by_type(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_limit(
        client,
        check_positive(p["limit"], "limit"),
        TableName=tables[INSIGHTS],
        IndexName="PredictionTypeIndex",
        KeyConditionExpression="prediction_type = :pt",
        ExpressionAttributeValues=values(pt=p["prediction_type"]),
        ScanIndexForward=False,
    )


def high_risk_predictions(
    client: Any, tables: Mapping[str, str], p: Mapping[str, Any]
) -> list[Item]:
    return query_all(
        client,
        TableName=tables[INSIGHTS],
        IndexName="RiskScoreIndex",
        KeyConditionExpression="prediction_type = :pt AND risk_score > :score",
        ExpressionAttributeValues=values(pt=p["prediction_type"], score=p["above"]),
        ScanIndexForward=False,
    )
