"""Usage-file validation: bad documents are refused with one line naming the key and the table;
random documents (hypothesis) are either accepted or refused with UsageError, never anything else.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.paths import REPO
from tooling.cost.usage import load_usage, merge, parse_usage
from tooling.errors import UsageError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "tables: {mediphant-data: {writes_per_day: -1}}",
            "usage.yaml: tables.mediphant-data.writes_per_day: must be >= 0",
        ),
        (
            "tables: {mediphant-data: {writes_per_day: lots}}",
            "usage.yaml: tables.mediphant-data.writes_per_day: must be a number",
        ),
        (
            "tables: {mediphant-data: {writes_per_day: '5'}}",
            "usage.yaml: tables.mediphant-data.writes_per_day: must be a number",
        ),
        (
            "tables: {mediphant-data: {writes_per_day: true}}",
            "usage.yaml: tables.mediphant-data.writes_per_day: must be a number",
        ),
        (
            "tables: {mediphant-data: {writes_per_dya: 5}}",
            "usage.yaml: tables.mediphant-data.writes_per_dya: unknown key",
        ),
        (
            "tables: {t: {read_consistency: strongish}}",
            "usage.yaml: tables.t.read_consistency: must be one of 'eventual', 'strong'",
        ),
        (
            "tables: {t: {transactional_write_share: 1.5}}",
            "usage.yaml: tables.t.transactional_write_share: must be <= 1",
        ),
        (
            "tables: {t: {gsi: {GSI1: {write_share: -0.1}}}}",
            "usage.yaml: tables.t.gsi.GSI1.write_share: must be >= 0",
        ),
        (
            "tables: {t: {writes_per_day: 1, writes_per_month: 30}}",
            "usage.yaml: tables.t: give only one of writes_per_day, writes_per_month",
        ),
        (
            "tables: {t: {items: 1, retention_days: 30}}",
            "usage.yaml: tables.t: give items or retention_days, not both",
        ),
        (
            "tables: {t: {peak_to_average: 0.5}}",
            "usage.yaml: tables.t.peak_to_average: must be >= 1",
        ),
        ("tables: {t: {item_size_bytes: 0}}", "usage.yaml: tables.t.item_size_bytes: must be > 0"),
        ("tables: {t: {items: .nan}}", "usage.yaml: tables.t.items: must be a finite number"),
        ("tables: {t: {per: users}}", "usage.yaml: tables.t.per: unknown unit users"),
        ("units: {users: -5}\ntables: {t: {}}", "usage.yaml: units.users: must be >= 0"),
        ("free_tier: yes please\ntables: {t: {}}", "usage.yaml: free_tier: must be true or false"),
        ("region: Mars\ntables: {t: {}}", "usage.yaml: region: must be an AWS region name"),
        ("tables: [a, b]", "usage.yaml: tables: must be a mapping"),
        ("tables: {t: 5}", "usage.yaml: tables.t: must be a mapping"),
        (
            "resource_usage: {aws_dynamodb_table.t: {storage_gb: -1}}",
            "usage.yaml: resource_usage.aws_dynamodb_table.t.storage_gb: must be >= 0",
        ),
        (
            "resource_usage: {aws_dynamodb_table.t: {monthly_reads: 1}}",
            "usage.yaml: resource_usage.aws_dynamodb_table.t.monthly_reads: unknown key",
        ),
        ("", "usage.yaml: empty usage file"),
        ("- a\n- b", "usage.yaml: must be a mapping"),
        ("region: us-east-1", "usage.yaml: no `tables:` or `resource_usage:` given"),
        ("tables: {t: {items: [1}", "usage.yaml: not YAML"),
        ("source: x\ntables: {t: {}}", "usage.yaml: source: unknown key"),
        ("version: [1]\ntables: {t: {}}", "usage.yaml: version: must be a string"),
    ],
)
def test_bad_usage_is_one_line_naming_key_and_table(text: str, message: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_usage(text, "usage.yaml")
    assert str(err.value).startswith(message), str(err.value)
    assert "\n" not in str(err.value)
    assert err.value.exit_code == 2


def test_defaults() -> None:
    u = parse_usage("tables: {t: {}}", "u.yaml")
    assert (u.region, u.free_tier) == ("us-east-1", False)
    t = u.tables["t"]
    assert (t.item_size_bytes, t.read_consistency, t.transactional_write_share) == (
        1024,
        "eventual",
        0.0,
    )
    assert (t.peak_to_average, t.stream_reads_per_month, t.backup_storage_gb) == (1.0, 0, 0)


def test_every_preset_is_valid() -> None:
    presets = sorted((REPO / "examples" / "usage").glob("*.yaml"))
    assert {p.stem for p in presets} >= {
        "mediphant",
        "upnest",
        "schizodot",
        "fusion-health",
        "iops-dashboard",
    }
    merged = merge([load_usage(p) for p in presets])
    assert len(merged.tables) == 10
    assert merged.units == {"active_users": 1000, "patients": 100}


def test_merge_refuses_the_same_table_twice() -> None:
    a = parse_usage("tables: {t: {}}", "a.yaml")
    b = parse_usage("tables: {t: {}}", "b.yaml")
    with pytest.raises(UsageError, match=r"b\.yaml: tables\.t: also given in another usage file"):
        merge([a, b])


# -- property-based ----------------------------------------------------------------------------

KEYS = [
    "region",
    "free_tier",
    "units",
    "tables",
    "resource_usage",
    "version",
    "item_size_bytes",
    "items",
    "retention_days",
    "writes_per_day",
    "writes_per_month",
    "writes_per_second",
    "reads_per_day",
    "read_consistency",
    "transactional_write_share",
    "gsi",
    "write_share",
    "entry_size_bytes",
    "peak_to_average",
    "per",
    "storage_gb",
    "monthly_write_request_units",
    "mediphant-data",
    "GSI1",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["eventual", "strong", "us-east-1", "mediphant-data"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=6), st.integers(-3, 3)),
            children,
            max_size=5,
        ),
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_documents_are_accepted_or_refused_with_usage_error(doc: object) -> None:
    text = yaml.safe_dump(doc)
    try:
        parse_usage(text, "random.yaml")
    except UsageError as exc:
        assert str(exc).startswith("random.yaml") and "\n" not in str(exc)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_is_accepted_or_refused_with_usage_error(text: str) -> None:
    try:
        parse_usage(text, "random.yaml")
    except UsageError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(KEYS[6:22]),
        st.one_of(scalars, st.dictionaries(st.sampled_from(KEYS), scalars, max_size=3)),
        max_size=6,
    )
)
def test_random_table_entries_are_accepted_or_refused_with_usage_error(entry: dict) -> None:
    text = yaml.safe_dump({"tables": {"mediphant-data": entry}})
    try:
        u = parse_usage(text, "random.yaml")
    except UsageError as exc:
        assert "\n" not in str(exc)
    else:
        assert "mediphant-data" in u.tables
