"""The plan guard against real plans: a catalogue of table changes, each applied to one table.

tests/fixtures/guard is a stack of small tables built from modules/dynamodb-table. Every table is
applied in a base version to the session's moto server; then one plan is made in which each
table carries one catalogue change (and the environment becomes production). The guard must flag
every destructive change and none of the benign ones, in development and in production.
"""

from __future__ import annotations

import json
import shutil
import uuid
from typing import Any

import pytest

from support.paths import REPO, TESTS
from support.terraform import init, terraform
from tooling.cli import main
from tooling.terraform import guard

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIXTURE = TESTS / "fixtures" / "guard" / "main.tf"

# case -> (base settings, changed settings); settings are the fixture's `tables` entry fields.
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "unchanged": ({}, {}),
    "hash_key": ({}, {"partition_key": {"name": "pk2"}}),
    "range_key": ({}, {"sort_key": {"name": "sk2"}}),
    "range_key_type": ({}, {"sort_key": {"name": "sk", "type": "N"}}),
    "rename": ({}, {"name": "renamed"}),
    "lsi_added": ({}, {"local_secondary_indexes": {"by_date": {"sort_key": {"name": "day"}}}}),
    "gsi_removed": ({}, {"global_secondary_indexes": {}}),
    "gsi_added": (
        {},
        {
            "global_secondary_indexes": {
                "by_owner": {"partition_key": {"name": "owner"}},
                "by_kind": {"partition_key": {"name": "kind"}},
            }
        },
    ),
    "pitr_off": ({}, {"point_in_time_recovery_enabled": False}),
    "pitr_on": ({"point_in_time_recovery_enabled": False}, {}),
    "ttl_on": ({}, {"ttl_attribute_name": "expires_at"}),
    "ttl_off": ({"ttl_attribute_name": "expires_at"}, {}),
}
# Tables that exist only in the changed version (created by the plan).
NEW = {
    "new_kms": {},
    "new_aws_owned_key": {"encryption_key_type": "AWS_OWNED"},
}

# What the guard must say about each case: reason fragments, in any environment and additionally
# in production. A case absent from a dict must produce no violation there.
DESTRUCTIVE = {
    "hash_key": "replaced, deleting its data (forced by hash_key)",
    "range_key": "replaced, deleting its data (forced by range_key)",
    "range_key_type": "key attribute sk type S -> N is planned as no change",
    "rename": "replaced, deleting its data (forced by name)",
    "lsi_added": "replaced, deleting its data (forced by local_secondary_index)",
}
PRODUCTION_ONLY = {
    "gsi_removed": "global secondary index by_owner would be deleted",
    "pitr_off": "point-in-time recovery would be off",
    "new_aws_owned_key": "encryption at rest would use the AWS-owned key",
}
BENIGN = sorted((set(CASES) | set(NEW)) - set(DESTRUCTIVE))


def _tables(version: int, run: str) -> dict[str, dict[str, Any]]:
    out = {}
    for case, pair in CASES.items():
        settings = dict(pair[version])
        settings["name"] = f"guard-{run}-{case}" + ("-2" if settings.get("name") else "")
        out[case] = settings
    if version == 1:
        out.update({case: {**s, "name": f"guard-{run}-{case}"} for case, s in NEW.items()})
    return out


@pytest.fixture(scope="module")
def catalogue(fresh_tree: Any) -> dict[str, Any]:
    """The saved changed plan (path and JSON) and the address of each case's table."""
    config = fresh_tree("guard") / "guard"
    config.mkdir()
    shutil.copy2(FIXTURE, config / "main.tf")
    shutil.copy2(REPO / ".terraform.lock.hcl", config / ".terraform.lock.hcl")
    run = uuid.uuid4().hex[:6]
    for version, env in ((0, "development"), (1, "production")):
        (config / f"v{version}.tfvars.json").write_text(
            json.dumps({"environment": env, "tables": _tables(version, run)})
        )
    init(config)
    terraform(config, "apply", "-auto-approve", "-input=false", "-var-file=v0.tfvars.json")
    terraform(config, "plan", "-input=false", "-var-file=v1.tfvars.json", "-out=changed.tfplan")
    show = terraform(config, "show", "-json", "changed.tfplan")
    path = config / "changed.json"
    path.write_text(show.stdout)
    plan = json.loads(show.stdout)
    addresses = {f'module.table["{case}"].aws_dynamodb_table.this': case for case in _tables(1, "")}
    return {"path": path, "plan": plan, "case_of": addresses}


def _by_case(catalogue: dict[str, Any], environment: str) -> dict[str, list[str]]:
    report = guard.check(catalogue["plan"], environment=environment)
    found: dict[str, list[str]] = {}
    for v in report.violations:
        found.setdefault(catalogue["case_of"][v.address], []).append(v.reason)
    return found


def test_provider_plans_what_the_catalogue_expects(catalogue: dict[str, Any]) -> None:
    """Records how the real provider plans each case, including its replace_paths."""
    changes = {
        catalogue["case_of"][rc["address"]]: rc["change"]
        for rc in catalogue["plan"]["resource_changes"]
    }
    replaced = {c: ch["replace_paths"] for c, ch in changes.items() if "delete" in ch["actions"]}
    assert replaced == {
        "hash_key": [["hash_key"]],
        "range_key": [["range_key"]],
        "rename": [["name"]],
        "lsi_added": [["local_secondary_index"]],
    }
    # The provider ignores key type changes (terraform-provider-aws#23618): only the tables
    # output shows them, which is why the guard reads it.
    assert changes["range_key_type"]["actions"] == ["update"] or changes["range_key_type"][
        "actions"
    ] == ["no-op"]
    for case in ("gsi_removed", "gsi_added", "pitr_off", "pitr_on", "ttl_on", "ttl_off"):
        assert changes[case]["actions"] == ["update"], case
    assert changes["new_aws_owned_key"]["actions"] == ["create"]


@pytest.mark.parametrize("environment", ["development", "production"])
def test_every_destructive_change_is_caught_and_no_benign_one(
    catalogue: dict[str, Any], environment: str
) -> None:
    found = _by_case(catalogue, environment)
    expected = dict(DESTRUCTIVE)
    if environment == "production":
        expected.update(PRODUCTION_ONLY)
    assert sorted(found) == sorted(expected)
    for case, fragment in expected.items():
        assert len(found[case]) == 1 and fragment in found[case][0], (case, found[case])


def test_benign_cases_really_change_something(catalogue: dict[str, Any]) -> None:
    """The benign cases are not vacuous: each one is a planned update or create."""
    actions = {
        catalogue["case_of"][rc["address"]]: rc["change"]["actions"]
        for rc in catalogue["plan"]["resource_changes"]
    }
    for case in BENIGN:
        if case not in ("unchanged", "range_key_type"):
            assert actions[case] in (["update"], ["create"]), case


def test_cli_lists_each_violation_and_exits_1(
    catalogue: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    # No --environment: the plan's own `environment` variable (production) applies.
    assert main(["check-plan", str(catalogue["path"])]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("VIOLATION")]
    assert len(lines) == len(DESTRUCTIVE) + len(PRODUCTION_ONLY)
    assert 'module.table["hash_key"].aws_dynamodb_table.this table guard-' in out
    assert "forced by hash_key" in out
    assert out.splitlines()[-1].startswith("plan guard 8 violation(s): ")
    assert "environment production" in out.splitlines()[-1]


def test_allow_replace_waives_exactly_the_named_tables(
    catalogue: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    allowed = [
        f'module.table["{case}"].aws_dynamodb_table.this'
        for case in ("hash_key", "range_key", "rename", "lsi_added")
    ]
    args = ["check-plan", str(catalogue["path"]), "--environment", "development"]
    assert main([*args, "--allow-replace", *allowed[:3]]) == 1
    out = capsys.readouterr().out
    assert "forced by local_secondary_index" in out and "forced by hash_key" not in out
    # The key type change is not a replacement: --allow-replace cannot waive it.
    assert main([*args, "--allow-replace", *allowed]) == 1
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("VIOLATION")] == [
        line for line in out.splitlines() if "range_key_type" in line
    ]


def test_allow_replace_of_an_unknown_address_is_a_usage_error(
    catalogue: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-plan", str(catalogue["path"]), "--allow-replace", "aws_nope.x"]) == 2
    err = capsys.readouterr().err
    assert (
        err.strip() == f"error: --allow-replace aws_nope.x: no such resource in {catalogue['path']}"
    )


def check_plan(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check-plan", *argv])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("spelling", ["prod", "Production", "PRODUCTION", "prd"])
def test_every_spelling_of_production_gets_strict_rules(
    catalogue: dict[str, Any], capsys: pytest.CaptureFixture[str], spelling: str
) -> None:
    code, out = check_plan(capsys, str(catalogue["path"]), "--environment", spelling)
    assert code == 1
    lines = out.splitlines()
    assert len([x for x in lines if x.startswith("VIOLATION")]) == len(DESTRUCTIVE) + len(
        PRODUCTION_ONLY
    )
    assert lines[-1].endswith(
        f"environment {spelling}: strict rules, because {spelling} (--environment) is one of "
        "production, prod, prd"
    )


def test_strict_environments_are_configurable_and_the_summary_says_why(
    catalogue: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(catalogue["path"])
    code, out = check_plan(capsys, path, "--environment", "staging", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["strict"] is False
    assert report["violation_count"] == len(DESTRUCTIVE)
    assert report["strict_reason"] == "staging (--environment) is not one of production, prod, prd"
    code, out = check_plan(
        capsys, path, "--environment", "staging", "--strict-environments", "Staging,live"
    )
    assert out.splitlines()[-1].endswith(
        "environment staging: strict rules, because staging (--environment) is one of Staging, live"
    )
    # The plan's own variable (production) under a set that excludes it: standard rules, said so.
    code, out = check_plan(capsys, path, "--strict-environments", "live")
    assert out.splitlines()[-1].endswith(
        "environment production: standard rules, because production (the plan's environment "
        "variable) is not one of live"
    )


def test_markdown_is_a_job_summary(
    catalogue: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check_plan(capsys, str(catalogue["path"]), "--format", "markdown")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"### :x: Plan guard: {len(DESTRUCTIVE) + len(PRODUCTION_ONLY)} violation(s)"
    assert "strict rules, because production" in out
    assert lines.count("| Resource | Table | Reason |") == 1
    rows = [x for x in lines if x.startswith("| `")]
    assert len(rows) == len(DESTRUCTIVE) + len(PRODUCTION_ONLY)
    assert any('module.table["hash_key"]' in r and "forced by hash_key" in r for r in rows)
