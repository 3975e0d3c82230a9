"""Cost per access pattern on a hand-written plan of SchizoDot's two tables and hand-sized
sample items: request units per call and monthly cost, each computed by hand beside the test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.plans import plan_doc, table_values
from tooling.apps.runner import all_patterns
from tooling.cli import main
from tooling.cost import load_pricing, parse_usage
from tooling.cost.patterns import pattern_costs
from tooling.errors import UsageError
from tooling.terraform import plan as tfplan

DAYS = 730 / 24
GSI = "patient_id-created_at-index"


def _plan(projection: str = "KEYS_ONLY") -> dict[str, Any]:
    jobs = table_values("SchizodotJobs", gsis=({"name": GSI, "projection": projection},))
    jobs |= {"hash_key": "job_id", "range_key": None}
    jobs["global_secondary_index"][0] |= {"hash_key": "patient_id", "range_key": "created_at"}
    users = table_values("SchizodotUsers") | {"hash_key": "user_id", "range_key": "timestamp"}
    return plan_doc(jobs, users)


def _s(text: str) -> dict[str, str]:
    return {"S": text}


# Sizes by DynamoDB's rule (attribute name bytes + value bytes):
# a job: job_id 6 + 2, patient_id 10 + 2, created_at 10 + 4, blob 4 + 1000 = 1,038 B;
# a result: user_id 7 + 2, timestamp 9 + 4, data 4 + 500 = 526 B.
JOB, RESULT = 1038, 526
JOB_KEYS = 8 + 12 + 14  # KEYS_ONLY entry: the table's key and the index's keys = 34 B
SAMPLE = [
    {"table": "SchizodotJobs", "item": {"job_id": _s(f"j{i}"), "patient_id": _s(p),
     "created_at": _s("2026"), "blob": _s("x" * 1000)}}
    for i, p in enumerate(["p1", "p1", "p1", "p2"], 1)
] + [
    {"table": "SchizodotUsers", "item": {"user_id": _s(u), "timestamp": _s(f"202{i}"),
     "data": _s("y" * 500)}}
    for i, u in enumerate(["u1", "u1", "u1", "u2"])
]  # fmt: skip
USAGE = """
patterns:
  schizodot/get-job: {calls_per_day: 1000}
  schizodot/latest-results: {calls_per_day: 400, items_per_call: 20}
  schizodot/create-job: {calls_per_day: 100}
  schizodot/jobs-for-patient: {calls_per_second: 0.5}
tables:
  SchizodotJobs: {items: 4}
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in SAMPLE))
    return path


def _costs(sample: Path, projection: str = "KEYS_ONLY", usage: str = USAGE) -> dict[str, Any]:
    tables = tfplan.tables(_plan(projection))
    found = pattern_costs(all_patterns(), tables, parse_usage(usage), load_pricing(), sample)
    return {c.key: c for c in found}


def test_units_per_call_by_hand(sample: Path) -> None:
    c = _costs(sample)
    assert sorted(k for k in c if k.startswith("schizodot/")) == sorted(
        f"schizodot/{n}"
        for n in ("create-job", "get-job", "update-job-status", "jobs-for-patient",
                  "save-result", "latest-results")
    )  # fmt: skip
    assert not [k for k in c if not k.startswith("schizodot/")]  # other apps: not in the plan
    get = c["schizodot/get-job"]
    # GetItem, ConsistentRead: ceil(1,038 / 4,096) = 1 unit, strong.
    assert (get.operation, get.consistency, get.units_per_call) == ("GetItem", "strong", 1.0)
    assert get.entry_bytes == pytest.approx(JOB)
    query = c["schizodot/jobs-for-patient"]
    # Query on the KEYS_ONLY GSI: 4 sample items, 2 patient_id values: 2 entries of 34 B a call,
    # ceil(68 / 4,096) = 1 unit, halved (a GSI reads eventually consistent).
    assert (query.operation, query.consistency) == ("Query", "eventual")
    assert (query.items_per_call, query.entry_bytes, query.units_per_call) == (2, JOB_KEYS, 0.5)
    latest = c["schizodot/latest-results"]
    # Stated 20 items of 526 B: ceil(10,520 / 4,096) = 3 units, halved.
    assert (latest.items_per_call, latest.units_per_call) == (20, 1.5)
    create = c["schizodot/create-job"]
    # ceil(1,038 / 1,024) = 2 units on the table + ceil(34 / 1,024) = 1 on the GSI (every
    # sample item carries its keys).
    assert (create.operation, create.unit, create.units_per_call) == ("write", "WRU", 3)
    assert c["schizodot/save-result"].units_per_call == 1  # ceil(526 / 1,024), no GSI


def test_monthly_cost_at_the_stated_calls(sample: Path) -> None:
    c = _costs(sample)
    assert c["schizodot/get-job"].monthly_usd == pytest.approx(1000 * DAYS * 1 * 0.125 / 1e6)
    assert c["schizodot/latest-results"].monthly_usd == pytest.approx(
        400 * DAYS * 1.5 * 0.125 / 1e6
    )
    assert c["schizodot/create-job"].monthly_usd == pytest.approx(100 * DAYS * 3 * 0.625 / 1e6)
    assert c["schizodot/jobs-for-patient"].monthly_usd == pytest.approx(
        0.5 * 86400 * DAYS * 0.5 * 0.125 / 1e6
    )
    assert c["schizodot/update-job-status"].monthly_usd is None  # no calls stated


def test_an_all_projection_reads_whole_items(sample: Path) -> None:
    c = _costs(sample, projection="ALL")
    # 2 items of 1,038 B: ceil(2,076 / 4,096) = 1, halved; the write: 2 + 2 units.
    assert c["schizodot/jobs-for-patient"].entry_bytes == pytest.approx(JOB)
    assert c["schizodot/jobs-for-patient"].units_per_call == 0.5
    assert c["schizodot/create-job"].units_per_call == 4


def test_stated_sizes_without_samples() -> None:
    usage = (
        "tables:\n  SchizodotJobs: {item_size_bytes: 9000}\n"
        "patterns:\n  schizodot/get-job: {calls_per_day: 1}\n"
    )
    tables = tfplan.tables(_plan())
    (get,) = [
        c
        for c in pattern_costs(all_patterns(), tables, parse_usage(usage), load_pricing())
        if c.name == "get-job"
    ]
    assert get.units_per_call == 3  # ceil(9,000 / 4,096), strong
    assert "item 9,000 B: stated item_size_bytes" in get.derived


@pytest.mark.parametrize(
    ("usage", "message"),
    [
        ("schizodot/get-jobz: {calls_per_day: 1}", "patterns.schizodot/get-jobz: no such pattern"),
        ("upnest/get-user: {calls_per_day: 1}", "its table UpNest-Users is not in the plan"),
        (
            "schizodot/jobs-for-patient: {calls_per_day: 1, read_consistency: strong}",
            "reads only eventual",
        ),
    ],
)
def test_bad_patterns_are_named(usage: str, message: str) -> None:
    tables = tfplan.tables(_plan())
    with pytest.raises(UsageError, match=message):
        pattern_costs(
            all_patterns(),
            tables,
            parse_usage(f"tables: {{SchizodotJobs: {{}}}}\npatterns:\n  {usage}\n"),
            load_pricing(),
        )


def test_the_command(sample: Path, tmp_path: Path, capsys: Any) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_plan()))
    usage = tmp_path / "usage.yaml"
    usage.write_text(USAGE)
    args = ["cost", "patterns", "--plan", str(plan), "--usage", str(usage)]
    assert main([*args, "--sample-items", str(sample)]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "schizodot/get-job" in out and "GetItem SchizodotJobs, strong" in out
    assert main([*args, "--sample-items", str(sample), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["total_monthly_usd"] == pytest.approx(
        (1000 * 1 * 0.125 + 400 * 1.5 * 0.125 + 100 * 3 * 0.625 + 0.5 * 86400 * 0.5 * 0.125)
        * DAYS
        / 1e6,
        rel=1e-5,
    )
