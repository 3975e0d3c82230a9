"""Seed 001's access patterns: the job lifecycle (create, get, update status, jobs of a
patient) and the results (save, latest)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from tooling.apps import Item
from tooling.apps._common import (
    check_choice,
    check_positive,
    dec,
    get_item,
    iso,
    put_new,
    query_all,
    query_limit,
    values,
)
from tooling.apps.schizodot.generator import (
    JOBS,
    RESULTS,
    STATUSES,
)
from tooling.dynamo.serialize import from_item, to_item
from tooling.errors import ToolingError


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
            Key=to_item({"job_id": p["job_id"]}),
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression="attribute_exists(job_id)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=values(**vals),
            ReturnValues="ALL_NEW",
        )
    except client.exceptions.ConditionalCheckFailedException:
        raise ToolingError(f"job {p['job_id']} does not exist in {tables[JOBS]}") from None
    return from_item(out["Attributes"])


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
