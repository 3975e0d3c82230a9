"""The ten tables exactly as the five seed documents describe them: the expectations of the tests.

Per table: app, partition key, sort key, GSIs (name -> (partition key, sort key, projection)), TTL
attribute and stream view type. Keys are (name, type).
"""

from __future__ import annotations

from typing import Any

S, N = "S", "N"

SEED_SPEC: dict[str, dict[str, Any]] = {
    "fusion-health-entries": {
        "app": "fusion-health",
        "hash": ("date", S),
        "range": ("timestamp", S),
        "gsi": {
            "medication-index": (("medication_taken", S), ("date", S), "ALL"),
            "pain-level-index": (("max_pain_level", N), ("date", S), "ALL"),
        },
        "ttl": None,
        "stream": None,
    },
    "fusion-daily-summaries": {
        "app": "fusion-health",
        "hash": ("date", S),
        "range": None,
        "gsi": {},
        "ttl": None,
        "stream": None,
    },
    "SchizodotJobs": {
        "app": "schizodot",
        "hash": ("job_id", S),
        "range": None,
        "gsi": {"patient_id-created_at-index": (("patient_id", S), ("created_at", S), "ALL")},
        "ttl": None,
        "stream": None,
    },
    "SchizodotUsers": {
        "app": "schizodot",
        "hash": ("user_id", S),
        "range": ("timestamp", S),
        "gsi": {},
        "ttl": None,
        "stream": None,
    },
    "mediphant-data": {
        "app": "mediphant",
        "hash": ("PK", S),
        "range": ("SK", S),
        "gsi": {"GSI1": (("GSI1PK", S), ("GSI1SK", S), "ALL")},
        "ttl": "TTL",
        "stream": None,
    },
    "UpNest-Users": {
        "app": "upnest",
        "hash": ("userId", S),
        "range": None,
        "gsi": {},
        "ttl": None,
        "stream": "NEW_AND_OLD_IMAGES",
    },
    "UpNest-Babies": {
        "app": "upnest",
        "hash": ("babyId", S),
        "range": None,
        "gsi": {"UserBabiesIndex": (("userId", S), None, "ALL")},
        "ttl": None,
        "stream": None,
    },
    "UpNest-GrowthData": {
        "app": "upnest",
        "hash": ("babyId", S),
        "range": ("measurementDate", S),
        "gsi": {"UserGrowthDataIndex": (("userId", S), ("measurementDate", S), "ALL")},
        "ttl": None,
        "stream": None,
    },
    "iops-dashboard-metrics": {
        "app": "iops-dashboard",
        "hash": ("entity_id", S),
        "range": ("entity_type", S),
        "gsi": {
            "EntityTypeHealthIndex": (("entity_type", S), ("health_score", N), "ALL"),
            "LastUpdatedIndex": (("entity_type", S), ("last_updated", S), "ALL"),
        },
        "ttl": None,
        "stream": "NEW_AND_OLD_IMAGES",
    },
    "iops-dashboard-insights": {
        "app": "iops-dashboard",
        "hash": ("pk", S),
        "range": ("sk", S),
        "gsi": {
            "PredictionTypeIndex": (("prediction_type", S), ("timestamp", S), "ALL"),
            "RiskScoreIndex": (("prediction_type", S), ("risk_score", N), "ALL"),
        },
        "ttl": "ttl",
        "stream": None,
    },
}


def expected_attributes(spec: dict[str, Any]) -> dict[str, str]:
    """Attribute definitions implied by the table and index keys."""
    keys = [spec["hash"], spec["range"]]
    for pk, sk, _ in spec["gsi"].values():
        keys += [pk, sk]
    return {name: typ for name, typ in (k for k in keys if k)}
