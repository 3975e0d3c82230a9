"""Seed 001, SchizoDot AI: analysis jobs (`SchizodotJobs`) and patient results (`SchizodotUsers`).

Every result refers to a real job: its `job_id` exists in SchizodotJobs, its `user_id` is that
job's `patient_id`, its `s3_key` is the job's, and it exists only for completed jobs.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from tooling.apps import AccessPattern, App, GenerationContext, Item, Param
from tooling.apps._common import (
    check_choice,
    check_positive,
    dec,
    from_ddb,
    get_item,
    iso,
    put_new,
    query_all,
    query_limit,
    rng,
    scaled,
    to_ddb,
    utc,
    values,
)
from tooling.errors import ToolingError

APP_NAME = "schizodot"
JOBS = "SchizodotJobs"
RESULTS = "SchizodotUsers"
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


def _now(p: Mapping[str, Any]) -> str:
    return p.get("at") or iso(datetime.now(timezone.utc))


def create_job(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item:
    created = _now(p)
    job_id = p.get("job_id") or f"job-{uuid.uuid4().hex[:12]}"
    stamp = created.replace("-", "").replace(":", "")
    job: Item = {
        "job_id": job_id,
        "patient_id": p["patient_id"],
        "status": "queued",
        "s3_key": f"uploads/{p['patient_id']}/{stamp}_{p['filename']}",
        "filename": p["filename"],
        "content_type": p["content_type"],
        "created_at": created,
        "updated_at": created,
        "progress": 0,
        "message": "Queued for analysis",
    }
    conflict = f"--param job_id={job_id}: job already exists"
    return put_new(client, tables[JOBS], job, "job_id", conflict)


def get_job(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item | None:
    return get_item(client, tables[JOBS], {"job_id": p["job_id"]})


def update_job_status(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item:
    status = check_choice(p["status"], "status", STATUSES)
    at = _now(p)
    sets = ["#status = :status", "updated_at = :at"]
    vals: dict[str, Any] = {"status": status, "at": at}
    if status == "processing":
        sets.append("started_at = if_not_exists(started_at, :at)")
    if status in ("completed", "failed"):
        sets.append("completed_at = :at")
    if status == "completed":
        p = {**p, "progress": 100}
    for name in ("progress", "message", "error"):
        if p.get(name) is not None:
            sets.append(f"{name} = :{name}")
            vals[name] = p[name]
    try:
        out = client.update_item(
            TableName=tables[JOBS],
            Key=to_ddb({"job_id": p["job_id"]}),
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression="attribute_exists(job_id)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=values(**vals),
            ReturnValues="ALL_NEW",
        )
    except client.exceptions.ConditionalCheckFailedException:
        raise ToolingError(f"job {p['job_id']} does not exist in {tables[JOBS]}") from None
    return from_ddb(out["Attributes"])


def jobs_for_patient(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_all(
        client,
        TableName=tables[JOBS],
        IndexName="patient_id-created_at-index",
        KeyConditionExpression="patient_id = :pid",
        ExpressionAttributeValues=values(pid=p["patient_id"]),
        ScanIndexForward=False,
    )


def save_result(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> Item:
    """A result for an existing job of that patient (referential integrity checked first)."""
    job = get_item(client, tables[JOBS], {"job_id": p["job_id"]})
    if job is None or job.get("patient_id") != p["patient_id"]:
        raise ToolingError(f"job {p['job_id']} of patient {p['patient_id']} does not exist")
    at = _now(p)
    result: Item = {
        "user_id": p["patient_id"],
        "timestamp": at,
        "job_id": p["job_id"],
        "s3_key": job["s3_key"],
        "analysis_type": p["analysis_type"],
        "analyzed_at": at,
        "status": "completed",
        "results": {"multimodal_fusion": {"risk_level": p["risk_level"]}},
    }
    if p.get("processing_time_seconds") is not None:
        result["processing_time_seconds"] = dec(p["processing_time_seconds"], 1)
    conflict = f"a result of {p['patient_id']} at {at} already exists"
    return put_new(client, tables[RESULTS], result, "user_id", conflict)


def latest_results(client: Any, tables: Mapping[str, str], p: Mapping[str, Any]) -> list[Item]:
    return query_limit(
        client,
        check_positive(p["limit"], "limit"),
        TableName=tables[RESULTS],
        KeyConditionExpression="user_id = :uid",
        ExpressionAttributeValues=values(uid=p["patient_id"]),
        ScanIndexForward=False,
    )


_PATIENT = Param("patient_id", str, help="e.g. patient-001")
_JOB = Param("job_id", str, help="e.g. job-abc123def456")
_AT = Param("at", str, required=False, help="ISO 8601 time to record (default: now)")

APP = App(
    name=APP_NAME,
    tables=(JOBS, RESULTS),
    generate=generate,
    patterns=(
        AccessPattern(
            APP_NAME,
            "create-job",
            "create a queued job (PutItem, refused if the job_id exists)",
            (
                _PATIENT,
                Param("filename", str, help="uploaded file name"),
                Param("content_type", str, required=False, default="video/mp4"),
                Param("job_id", str, required=False, help="default: a new job-<12 hex>"),
                _AT,
            ),
            create_job,
            writes=True,
            example={
                "patient_id": "patient-001",
                "filename": "checkin.mp4",
                "content_type": "video/mp4",
            },
            table=JOBS,
        ),
        AccessPattern(
            APP_NAME,
            "get-job",
            "a job's status (GetItem)",
            (_JOB,),
            get_job,
            example={"job_id": "job-abc123def456"},
            table=JOBS,
            consistent_read=True,
        ),
        AccessPattern(
            APP_NAME,
            "update-job-status",
            "set a job's status (UpdateItem, the job must exist)",
            (
                _JOB,
                Param("status", str, help="queued|processing|completed|failed"),
                Param("progress", int, required=False, help="0-100"),
                Param("message", str, required=False),
                Param("error", str, required=False),
                _AT,
            ),
            update_job_status,
            writes=True,
            example={"job_id": "job-abc123def456", "status": "completed"},
            table=JOBS,
        ),
        AccessPattern(
            APP_NAME,
            "jobs-for-patient",
            "all jobs of a patient, newest first",
            (_PATIENT,),
            jobs_for_patient,
            example={"patient_id": "patient-001"},
            table=JOBS,
            index="patient_id-created_at-index",
        ),
        AccessPattern(
            APP_NAME,
            "save-result",
            "save an analysis result of a patient's existing job (PutItem)",
            (
                _PATIENT,
                _JOB,
                Param("analysis_type", str, required=False, default="multimodal"),
                Param("risk_level", str, required=False, default="low"),
                Param("processing_time_seconds", float, required=False),
                _AT,
            ),
            save_result,
            writes=True,
            example={
                "patient_id": "patient-001",
                "job_id": "job-abc123def456",
                "analysis_type": "multimodal",
                "risk_level": "low",
            },
            table=RESULTS,
        ),
        AccessPattern(
            APP_NAME,
            "latest-results",
            "a patient's latest results, newest first",
            (_PATIENT, Param("limit", int, required=False, default=10)),
            latest_results,
            example={"patient_id": "patient-001", "limit": 10},
            table=RESULTS,
        ),
    ),
)
