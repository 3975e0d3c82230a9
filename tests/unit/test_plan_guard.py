"""The plan guard's reading of plan files: malformed input is one UsageError naming the file and
the problem, never a traceback; any JSON either parses as a plan or is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tooling.cli import main
from tooling.errors import UsageError
from tooling.terraform import guard

TABLE_CHANGE = {
    "address": "module.t.aws_dynamodb_table.this",
    "mode": "managed",
    "type": "aws_dynamodb_table",
    "change": {
        "actions": ["delete", "create"],
        "before": {"name": "orders", "deletion_protection_enabled": True},
        "after": {"name": "orders"},
        "replace_paths": [["hash_key"], ["attribute", 0, "type"]],
    },
}
PLAN = {"format_version": "1.2", "planned_values": {}, "resource_changes": [TABLE_CHANGE]}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty file"),
        ('{"format_version": "1.2", "resource_changes": [', "invalid JSON"),
        ("[1, 2]", "expected a JSON object (a plan), got list"),
        ('{"planned_values": {}}', "not a Terraform JSON document (no format_version)"),
        ('{"format_version": "1.0", "values": {}}', "is a state, not a plan"),
        ('{"format_version": "1.2"}', "not a plan (no planned_values or resource_changes)"),
        (
            '{"format_version": "1.2", "resource_changes": {}}',
            "resource_changes: Input should be a valid list",
        ),
        (
            '{"format_version": "1.2", "resource_changes": [{"address": "a", "type": "t"}]}',
            "resource_changes[0].change: Field required",
        ),
        (
            json.dumps({**PLAN, "resource_changes": [{**TABLE_CHANGE, "change": {"actions": []}}]}),
            "resource_changes[0].change.actions: List should have at least 1 item",
        ),
        (
            json.dumps({**PLAN, "variables": {"environment": "production"}}),
            "variables.environment: Input should be a valid dictionary",
        ),
    ],
    ids=[
        "empty",
        "truncated",
        "array",
        "no-format",
        "state",
        "no-changes",
        "nesting",
        "no-change",
        "no-actions",
        "variables",
    ],
)
def test_malformed_plan_is_one_usage_error_naming_file_and_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, problem: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(UsageError) as err:
        guard.load_plan(path)
    assert str(err.value).startswith(f"{path}: ") and problem in str(err.value)
    assert main(["check-plan", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"error: {err.value}\n"


def test_missing_file_and_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-plan", str(tmp_path / "nope.json")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'nope.json'}: no such file\n"
    assert main(["check-plan", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_truncated_json_names_the_position(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"plan.json: line 1 column \d+: invalid JSON"):
        guard.load_plan(_write(tmp_path, json.dumps(PLAN)[:-7]))


def test_replace_reason_lists_every_forcing_path_and_protection() -> None:
    report = guard.check(PLAN, environment="development")
    (v,) = report.violations
    assert v.reason == (
        "table would be replaced, deleting its data (forced by attribute[0].type, hash_key)"
    )
    deleted = {**TABLE_CHANGE, "change": {**TABLE_CHANGE["change"], "actions": ["delete"]}}
    (v,) = guard.check({**PLAN, "resource_changes": [deleted]}).violations
    assert v.reason == "table would be destroyed; deletion protection is on, so apply would fail"


@pytest.mark.parametrize(
    ("rtype", "actions", "flagged"),
    [
        ("aws_kms_key", ["delete"], True),
        ("aws_backup_vault", ["delete", "create"], True),
        ("aws_backup_vault", ["update"], False),
        ("aws_s3_bucket", ["delete"], False),
    ],
)
def test_other_data_resources(rtype: str, actions: list[str], flagged: bool) -> None:
    rc = {"address": f"{rtype}.x", "type": rtype, "change": {"actions": actions}}
    report = guard.check({**PLAN, "resource_changes": [rc]})
    assert bool(report.violations) is flagged
    if flagged:
        assert report.violations[0].table == "-"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
# Plan-shaped documents with random contents where the guard looks, to reach past validation.
ANY_OR = st.one_of(JSON, st.just(None))
CHANGE = st.fixed_dictionaries(
    {
        "actions": st.one_of(
            JSON, st.lists(st.sampled_from(["create", "delete", "update", "no-op"]), max_size=2)
        ),
        "before": st.one_of(JSON, st.dictionaries(st.sampled_from(["name", "tags"]), JSON)),
        "after": st.one_of(
            JSON,
            st.dictionaries(
                st.sampled_from(
                    [
                        "name",
                        "tags",
                        "attribute",
                        "hash_key",
                        "point_in_time_recovery",
                        "server_side_encryption",
                        "global_secondary_index",
                        "deletion_protection_enabled",
                    ]
                ),
                JSON,
            ),
        ),
        "after_unknown": ANY_OR,
        "replace_paths": ANY_OR,
    }
)
PLANLIKE = st.fixed_dictionaries(
    {
        "format_version": JSON,
        "planned_values": JSON,
        "resource_changes": st.one_of(
            JSON,
            st.lists(
                st.fixed_dictionaries(
                    {
                        "address": st.one_of(JSON, st.text(max_size=8)),
                        "type": st.sampled_from(["aws_dynamodb_table", "aws_kms_key", "x"]),
                        "change": st.one_of(JSON, CHANGE),
                    }
                ),
                max_size=3,
            ),
        ),
        "variables": JSON,
        "output_changes": JSON,
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.one_of(JSON, PLANLIKE))
def test_any_json_parses_or_is_a_usage_error(doc: Any) -> None:
    try:
        plan = guard.parse_plan(json.dumps(doc), "random.json")
    except UsageError as exc:
        assert str(exc).startswith("random.json") and "\n" not in str(exc)
        return
    # Whatever passes validation can be judged without crashing.
    report = guard.check(plan, environment="production")
    assert report.summary().startswith("plan guard ")


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=40))
def test_any_text_parses_or_is_a_usage_error(text: str) -> None:
    try:
        guard.parse_plan(text, "random.json")
    except UsageError as exc:
        assert "\n" not in str(exc)
