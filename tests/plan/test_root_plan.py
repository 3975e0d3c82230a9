"""`terraform plan` of the root stack, with the real AWS provider against a moto server.

Every one of the ten seed tables is checked under the defaults and under the fusion seed's own
override commands; each configuration is planned once per session.
"""

from __future__ import annotations

from typing import Any

import pytest
import tftest

from support.plan_tables import gsis, planned_tables
from support.seed_spec import SEED_SPEC, expected_attributes

pytestmark = pytest.mark.plan

# The defaults, and the fusion seed's development and provisioned-capacity commands.
CONFIGS = ("defaults", "development", "provisioned")
TABLES = sorted(SEED_SPEC)


@pytest.fixture(scope="module")
def plans(workspaces: Any, root_variants: Any) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        "defaults": planned_tables(workspaces(".").plan()),
        **{name: planned_tables(root_variants[name]) for name in CONFIGS[1:]},
    }


@pytest.mark.parametrize("config", CONFIGS)
def test_plans_exactly_the_ten_seed_tables(plans: Any, config: str) -> None:
    assert sorted(plans[config]) == TABLES


@pytest.mark.parametrize("seed_name", TABLES)
@pytest.mark.parametrize("config", CONFIGS)
def test_table_shape_matches_seed(plans: Any, config: str, seed_name: str) -> None:
    spec = SEED_SPEC[seed_name]
    t = plans[config][seed_name]
    assert t["name"] == seed_name
    assert t["hash_key"] == spec["hash"][0]
    assert t["range_key"] == (spec["range"][0] if spec["range"] else None)
    assert {a["name"]: a["type"] for a in t["attribute"]} == expected_attributes(spec)
    planned_gsis = gsis(t)
    assert set(planned_gsis) == set(spec["gsi"])
    for name, (pk, sk, projection) in spec["gsi"].items():
        g = planned_gsis[name]
        assert (g["hash_key"], g["range_key"] or None, g["projection_type"]) == (
            pk[0],
            sk[0] if sk else None,
            projection,
        )
    assert t["local_secondary_index"] == []
    if spec["ttl"]:
        assert t["ttl"] == [{"attribute_name": spec["ttl"], "enabled": True}]
    else:
        assert not t.get("ttl")
    assert t["stream_enabled"] is (spec["stream"] is not None)
    if spec["stream"]:
        assert t["stream_view_type"] == spec["stream"]
    assert t["tags"]["Application"] == spec["app"]


@pytest.mark.parametrize("seed_name", TABLES)
def test_defaults_are_safe_and_on_demand(plans: Any, seed_name: str) -> None:
    t = plans["defaults"][seed_name]
    assert t["billing_mode"] == "PAY_PER_REQUEST"
    assert t.get("read_capacity") in (None, 0) and t.get("write_capacity") in (None, 0)
    assert t["deletion_protection_enabled"] is True
    assert t["point_in_time_recovery"][0]["enabled"] is True
    assert t["server_side_encryption"][0]["enabled"] is True
    assert t.get("table_class") in (
        None,
        "",
        "STANDARD",
    )  # the provider plans STANDARD as unset
    assert t["tags"]["Environment"] == "production"
    for g in gsis(t).values():
        assert g.get("read_capacity") in (None, 0) and g.get("write_capacity") in (
            None,
            0,
        )


@pytest.mark.parametrize("seed_name", TABLES)
def test_development_command_turns_protection_off(plans: Any, seed_name: str) -> None:
    t = plans["development"][seed_name]
    assert t["deletion_protection_enabled"] is False
    assert t["point_in_time_recovery"][0]["enabled"] is False
    assert t["tags"]["Environment"] == "development"
    assert t["billing_mode"] == "PAY_PER_REQUEST"
    assert t["server_side_encryption"][0]["enabled"] is True


@pytest.mark.parametrize("seed_name", TABLES)
def test_provisioned_command_sets_capacity_on_table_and_gsis(plans: Any, seed_name: str) -> None:
    t = plans["provisioned"][seed_name]
    assert t["billing_mode"] == "PROVISIONED"
    assert (t["read_capacity"], t["write_capacity"]) == (10, 5)
    for g in gsis(t).values():
        assert (g["read_capacity"], g["write_capacity"]) == (10, 5)


def test_per_table_override_and_name_affixes(root_variants: Any) -> None:
    # acme- / -dev around every name, SchizodotJobs PROVISIONED 5/5.
    tables = planned_tables(root_variants["affixes_and_override"])
    assert sorted(t["name"] for t in tables.values()) == sorted(f"acme-{n}-dev" for n in TABLES)
    jobs = tables["SchizodotJobs"]
    assert (jobs["billing_mode"], jobs["read_capacity"], jobs["write_capacity"]) == (
        "PROVISIONED",
        5,
        5,
    )
    assert gsis(jobs)["patient_id-created_at-index"]["read_capacity"] == 5
    others = {t["billing_mode"] for n, t in tables.items() if n != "SchizodotJobs"}
    assert others == {"PAY_PER_REQUEST"}


def test_apps_selects_a_subset(root_variants: Any) -> None:
    tables = planned_tables(root_variants["two_apps"])  # apps = ["mediphant", "upnest"]
    assert sorted(tables) == [
        "UpNest-Babies",
        "UpNest-GrowthData",
        "UpNest-Users",
        "mediphant-data",
    ]


def test_outputs_are_keyed_by_seed_name(workspaces: Any) -> None:
    plan = workspaces(".").plan()
    outputs = plan["planned_values"]["outputs"]
    assert set(outputs) >= {
        "tables",
        "table_names",
        "table_arns",
        "stream_arns",
        "index_names",
    }
    assert outputs["environment"]["value"] == "production"


# variable -> (its invalid value, the message naming it). Terraform checks every variable's
# validation in one run, so each group below costs one plan and yields one diagnostic per variable.
INVALID: dict[str, tuple[Any, str]] = {
    "table_overrides": ({"Nope": {}}, "table_overrides has unknown tables: Nope"),
    "table_name_prefix": ("bad name/", "table_name_prefix may only contain"),
    "apps": (["fusion-health", "billing"], "apps has unknown entries: billing"),
    "environment": ("Prod!", "environment must be 1-32 lowercase"),
    "encryption_key_type": ("CUSTOMER_MANAGED", "kms_key_arn must be set exactly when"),
}
# Terraform skips a variable's rules that read another variable which is itself invalid, so a bad
# billing_mode gets a plan of its own; zero capacity is only wrong under PROVISIONED.
INVALID_BILLING: dict[str, tuple[Any, str]] = {
    "billing_mode": ("ON_DEMAND", "billing_mode must be one of PAY_PER_REQUEST, PROVISIONED"),
}
INVALID_PROVISIONED: dict[str, tuple[Any, str]] = {
    "read_capacity": (0, "read_capacity must be a whole number of at least 1"),
    "write_capacity": (0, "write_capacity must be a whole number of at least 1"),
}


def _diagnostics(workspaces: Any, tf_vars: dict[str, Any]) -> list[str]:
    with pytest.raises(tftest.TerraformTestError) as err:
        workspaces(".").plan(**tf_vars)
    text = " ".join(str(err.value).split())
    return [d for d in text.split("Error: ")[1:] if d.strip()]


@pytest.fixture(scope="module")
def refusals(workspaces: Any) -> list[str]:
    groups = [
        INVALID,
        INVALID_BILLING,
        {"billing_mode": ("PROVISIONED", ""), **INVALID_PROVISIONED},
    ]
    return [d for g in groups for d in _diagnostics(workspaces, {k: v for k, (v, _) in g.items()})]


@pytest.mark.parametrize("variable", [*INVALID, *INVALID_BILLING, *INVALID_PROVISIONED])
def test_invalid_values_are_refused_naming_the_variable(refusals: list[str], variable: str) -> None:
    _, message = {**INVALID, **INVALID_BILLING, **INVALID_PROVISIONED}[variable]
    matching = [d for d in refusals if message in d]  # tftest repeats stderr: one or more copies
    # kms_key_arn's rule reports on the variable it validates: kms_key_arn.
    named = "kms_key_arn" if variable == "encryption_key_type" else variable
    assert matching and all(f'variable "{named}"' in d for d in matching)
