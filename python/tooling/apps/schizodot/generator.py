"""Seed 001's data: analysis jobs through their statuses, and the emotion results of the
completed ones, per patient."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime, timedelta
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

APP_NAME = "schizodot"
JOBS, RESULTS = SEED_TABLES[APP_NAME]
STATUSES = ("queued", "processing", "completed", "failed")

SEED_JOB: Item = {
    "job_id": "job-abc123def456",
    "patient_id": "patient-001",
    "status": "completed",
    "s3_key": "uploads/patient-001/20240115T120000Z_checkin.mp4",
    "filename": "checkin-2024-01-15.mp4",
    "content_type": "video/mp4",
    "created_at": "2024-01-15T12:00:00Z",
    "updated_at": "2024-01-15T12:05:30Z",
    "started_at": "2024-01-15T12:01:00Z",
    "completed_at": "2024-01-15T12:05:30Z",
    "progress": 100,
    "message": "Analysis completed successfully",
    "error": None,
    "results": {
        "emotion_summary": "calm",
        "compliance_score": Decimal("0.95"),
        "risk_level": "low",
    },
    "metadata": {"session_type": "weekly_checkin"},
}

SEED_RESULT: Item = {
    "user_id": "patient-001",
    "timestamp": "2024-01-15T12:05:30Z",
    "job_id": "job-abc123def456",
    "s3_key": "uploads/patient-001/20240115T120000Z_checkin.mp4",
    "analysis_type": "multimodal",
    "analyzed_at": "2024-01-15T12:05:30Z",
    "processing_time_seconds": Decimal("45.2"),
    "status": "completed",
    "results": {
        "audio_emotion": {
            "primary_emotion": "calm",
            "confidence": Decimal("0.87"),
            "all_emotions": [
                {"emotion": "calm", "confidence": Decimal("0.87")},
                {"emotion": "neutral", "confidence": Decimal("0.10")},
            ],
        },
        "facial_emotion": {
            "primary_emotion": "neutral",
            "confidence": Decimal("0.82"),
            "all_emotions": [
                {"emotion": "neutral", "confidence": Decimal("0.82")},
                {"emotion": "calm", "confidence": Decimal("0.15")},
            ],
            "face_detected": True,
            "frame_count": 150,
        },
        "compliance": {
            "pill_detected": True,
            "hand_detected": True,
            "face_detected": True,
            "compliance_score": Decimal("0.95"),
            "confidence": Decimal("0.90"),
            "verification_status": "compliant",
        },
        "multimodal_fusion": {
            "emotional_consistency": "consistent",
            "overall_emotion": "calm",
            "confidence": Decimal("0.85"),
            "risk_level": "low",
            "risk_factors": [],
        },
        "clinical_summary": {
            "emotional_state": "Patient appears calm and stable",
            "medication_adherence": "Compliant - medication taken as prescribed",
            "risk_assessment": "Low risk - no concerning indicators",
            "recommendations": ["Continue current treatment plan", "Schedule routine follow-up"],
            "generated_by": "rule_based",
            "timestamp": "2024-01-15T12:05:30Z",
        },
    },
}

_EMOTIONS = ("calm", "neutral", "anxious", "sad", "agitated", "happy")
_SESSIONS = ("weekly_checkin", "daily_medication", "crisis_followup", "monthly_review")
_RISK = {"calm": "low", "neutral": "low", "happy": "low", "sad": "medium", "anxious": "medium"}


def _emotions(r: Any, primary: str) -> dict[str, Any]:
    conf = r.uniform(0.55, 0.95)
    other = r.choice([e for e in _EMOTIONS if e != primary])
    return {
        "primary_emotion": primary,
        "confidence": dec(conf),
        "all_emotions": [
            {"emotion": primary, "confidence": dec(conf)},
            {"emotion": other, "confidence": dec((1 - conf) * r.uniform(0.5, 1))},
        ],
    }


def _result_for(r: Any, job: Item, finished: datetime, seconds: float) -> Item:
    audio, face = r.choice(_EMOTIONS), r.choice(_EMOTIONS)
    score = r.uniform(0.3, 1.0)
    risk = _RISK.get(audio, "high") if score > 0.6 else "high"
    compliant = score >= 0.7
    facial = _emotions(r, face) | {"face_detected": True, "frame_count": r.randint(60, 300)}
    return {
        "user_id": job["patient_id"],
        "timestamp": iso(finished),
        "job_id": job["job_id"],
        "s3_key": job["s3_key"],
        "analysis_type": "multimodal",
        "analyzed_at": iso(finished),
        "processing_time_seconds": dec(seconds, 1),
        "status": "completed",
        "results": {
            "audio_emotion": _emotions(r, audio),
            "facial_emotion": facial,
            "compliance": {
                "pill_detected": compliant,
                "hand_detected": True,
                "face_detected": True,
                "compliance_score": dec(score),
                "confidence": dec(r.uniform(0.7, 0.95)),
                "verification_status": "compliant" if compliant else "non_compliant",
            },
            "multimodal_fusion": {
                "emotional_consistency": "consistent" if audio == face else "inconsistent",
                "overall_emotion": audio,
                "confidence": dec(r.uniform(0.6, 0.9)),
                "risk_level": risk,
                "risk_factors": [] if risk == "low" else [f"{audio} affect detected"],
            },
            "clinical_summary": {
                "emotional_state": f"Patient appears {audio}",
                "medication_adherence": "Compliant" if compliant else "Possible missed dose",
                "risk_assessment": f"{risk.capitalize()} risk",
                "recommendations": ["Continue current treatment plan"]
                if risk == "low"
                else ["Schedule clinician follow-up"],
                "generated_by": "rule_based",
                "timestamp": iso(finished),
            },
        },
    }


def generate(ctx: GenerationContext) -> Iterator[tuple[str, Item]]:
    """~40 patients x scale (patient-001 first, with the seed's job and result), 2-6 jobs each
    over the 120 days before ctx.now; completed jobs get one result each."""
    r, fake = rng(ctx, APP_NAME)
    now = utc(ctx.now)
    patients = [f"patient-{i:03d}" for i in range(1, scaled(ctx, 40) + 1)]
    yield JOBS, copy.deepcopy(SEED_JOB)
    yield RESULTS, copy.deepcopy(SEED_RESULT)
    for patient in patients:
        for _ in range(r.randint(2, 6)):
            created = now - timedelta(seconds=r.randint(3600, 120 * 86400))
            status = r.choices(STATUSES, (1, 1, 12, 1))[0]
            job_id = f"job-{fake.hexify('^' * 12)}"
            session = r.choice(_SESSIONS)
            stamp = created.strftime("%Y%m%dT%H%M%SZ")
            job: Item = {
                "job_id": job_id,
                "patient_id": patient,
                "status": status,
                "s3_key": f"uploads/{patient}/{stamp}_{session}.mp4",
                "filename": f"{session}-{created:%Y-%m-%d}.mp4",
                "content_type": r.choice(("video/mp4", "video/mp4", "video/quicktime")),
                "created_at": iso(created),
                "updated_at": iso(created),
                "progress": 0,
                "message": "Queued for analysis",
                "metadata": {"session_type": session, "device": fake.user_agent()[:60]},
            }
            result = None
            if status != "queued":
                started = created + timedelta(seconds=r.randint(5, 120))
                job |= {"started_at": iso(started), "updated_at": iso(started)}
                job |= {"progress": r.randint(10, 90), "message": "Analysing media"}
            if status in ("completed", "failed"):
                seconds = r.uniform(20, 180)
                finished = started + timedelta(seconds=seconds)
                job |= {"completed_at": iso(finished), "updated_at": iso(finished)}
                if status == "completed":
                    result = _result_for(r, job, finished, seconds)
                    fusion = result["results"]["multimodal_fusion"]
                    job |= {
                        "progress": 100,
                        "message": "Analysis completed successfully",
                        "results": {
                            "emotion_summary": fusion["overall_emotion"],
                            "compliance_score": result["results"]["compliance"]["compliance_score"],
                            "risk_level": fusion["risk_level"],
                        },
                    }
                else:
                    job |= {"message": "Analysis failed", "error": "face not detected in video"}
            yield JOBS, job
            if result is not None:
                yield RESULTS, result


# Access patterns (seed 001, "Access Patterns" 1-6).
