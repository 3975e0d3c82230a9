"""Seed 001, SchizoDot AI: analysis jobs (`SchizodotJobs`) and patient results (`SchizodotUsers`).

Every result refers to a real job: its `job_id` exists in SchizodotJobs, its `user_id` is that
job's `patient_id`, its `s3_key` is the job's, and it exists only for completed jobs.
"""

from __future__ import annotations

from tooling.apps import AccessPattern, App, Param
from tooling.apps.catalog import SEED_TABLES
from tooling.apps.schizodot.generator import (
    APP_NAME,
    JOBS,
    RESULTS,
    SEED_JOB,
    SEED_RESULT,
    STATUSES,
    generate,
)
from tooling.apps.schizodot.patterns import (
    create_job,
    get_job,
    jobs_for_patient,
    latest_results,
    save_result,
    update_job_status,
)

_PATIENT = Param("patient_id", str, help="e.g. patient-001")
_JOB = Param("job_id", str, help="e.g. job-abc123def456")
_AT = Param("at", str, required=False, help="ISO 8601 time to record (default: now)")

APP = App(
    name=APP_NAME,
    tables=SEED_TABLES[APP_NAME],
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

__all__ = ["APP", "APP_NAME", "JOBS", "RESULTS", "SEED_JOB", "SEED_RESULT", "STATUSES"]
