"""The entries.json parser and transformation: valid files flatten as the seed shows, every
invalid file is a one-line UsageError naming the place, and random documents never raise
anything else."""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.paths import REPO
from tooling.apps.fusion.migration import daily_summaries, flatten, load_entries, parse_entries
from tooling.cli import main
from tooling.dynamo.serialize import to_item
from tooling.errors import UsageError

SEED_JSON = {
    "0523": {
        "1300": {
            "Medications": {"oxycodone": "5mg"},
            "Pain": {"back": "6-7-8"},
            "Activities": {},
            "o2": "88",
            "bpr": "129/59",
            "note": "Pain is focused...",
        }
    }
}


def test_seed_original_json_flattens_to_the_seed_item() -> None:
    items = flatten(parse_entries(json.dumps(SEED_JSON)))
    assert items == [
        {
            "date": "0523",
            "timestamp": "1300",
            "medications": {"oxycodone": "5mg"},
            "pain": {"back": "6-7-8"},
            "activities": {},
            "o2": "88",
            "bpr": "129/59",
            "note": "Pain is focused...",
            "medication_taken": "oxycodone",
            "max_pain_level": 8,
        }
    ]


def test_example_file_is_valid_and_summarised() -> None:
    doc = load_entries(REPO / "examples" / "entries.json")
    assert sorted(doc) == [f"05{d}" for d in range(18, 32)]
    items = flatten(doc)
    assert len(items) >= 14 * 3
    seed = next(i for i in items if (i["date"], i["timestamp"]) == ("0523", "1300"))
    assert (seed["medication_taken"], seed["max_pain_level"], seed["sleep"]) == (
        "oxycodone",
        8,
        "7:39",
    )
    summaries = daily_summaries(items)
    assert [s["date"] for s in summaries] == sorted(doc)
    assert sum(s["entry_count"] for s in summaries) == len(items)
    day = next(s for s in summaries if s["date"] == "0523")
    assert day["max_pain_level"] >= 8 and day["medications"]["oxycodone"] >= 1


def test_numbers_become_decimals_not_floats() -> None:
    doc = {"0601": {"0800": {"Activities": {"walking": 1.5}, "Pain": {"back": 6.5}}}}
    item = flatten(parse_entries(json.dumps(doc)))[0]
    assert item["activities"]["walking"] == Decimal("1.5") and item["max_pain_level"] == 7
    assert "medication_taken" not in item


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "entries.json: empty file"),
        ("  \n", "entries.json: empty file"),
        ('{"0523": {"1300": {', "entries.json: line 1 column 20: invalid JSON"),
        ("[1, 2]", "entries.json: expected an object of dates (MMDD), got list"),
        ('{"0523": []}', "entries.json: 0523: Input should be a valid dictionary"),
        ('{"0523": {"1300": "x"}}', "entries.json: 0523/1300: Input should be a valid dictionary"),
        ('{"523": {}}', "entries.json: 523: not a date MMDD"),
        ('{"0230": {}}', "entries.json: 0230: not a date MMDD"),
        ('{"0523": {"2460": {}}}', "entries.json: 0523/2460: not a time HHMM"),
        (
            '{"0523": {"1300": {"Pain": {"back": [6]}}}}',
            "entries.json: 0523/1300: Pain.back: Input should be a string or a number",
        ),
        (
            '{"0523": {"1300": {"o2": 88}}}',
            "entries.json: 0523/1300: o2: Input should be a valid string",
        ),
        (
            '{"0523": {"1300": {"Mood": "ok"}}}',
            "entries.json: 0523/1300: Mood: Extra inputs are not permitted",
        ),
        (
            '{"0523": {"1300": {"Activities": {"walk": true}}}}',
            "entries.json: 0523/1300: Activities.walk",
        ),
        (
            '{"0523": {"1300": {"Medications": {" ": "5mg"}}}}',
            "entries.json: 0523/1300: Medications: Value error, names must not be blank",
        ),
        ('{"0523": {}, "0523": {}}', "entries.json: invalid JSON: duplicate key '0523'"),
        ('{"0523": {"1300": {"Pain": {"back": NaN}}}}', "NaN is not a JSON number"),
        (
            '{"0523": {"1300": {"Activities": {"walk": 1e999}}}}',
            "number out of DynamoDB's range",
        ),
    ],
)
def test_invalid_documents_are_one_line_usage_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_entries(text)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_several_problems_are_counted() -> None:
    text = '{"0523": {"1300": {"o2": 1, "bpr": 2}}}'
    with pytest.raises(UsageError, match=r"0523/1300: o2: .* \(and 1 more problems\)"):
        parse_entries(text)


def test_cli_reports_invalid_file_and_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    bad = tmp_path / "entries.json"
    bad.write_text('{"0523": {"1300": {"Pain": {"back": {}}}}}')
    assert main(["migrate", "fusion", str(bad), "--dry-run"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {bad}: 0523/1300: Pain.back: ") and "\n" not in err
    assert main(["migrate", "fusion", str(tmp_path / "nope.json"), "--dry-run"]) == 2
    assert "nope.json: no such file" in capsys.readouterr().err
    (tmp_path / "latin1.json").write_bytes(b'{"0523": {"1300": {"note": "caf\xe9"}}}')
    assert main(["migrate", "fusion", str(tmp_path / "latin1.json"), "--dry-run"]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err
    assert main(["migrate", "mediphant", str(bad)]) == 2


def test_dry_run_reports_counts(capsys: pytest.CaptureFixture) -> None:
    assert main(["migrate", "fusion", str(REPO / "examples" / "entries.json"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run" in out and "fusion-health-entries" in out


# -- property: anything either parses or is a UsageError ------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["6-7-8", "7/10", "5", "88", "129/59", "7:39", ""]),
)
_keys = st.one_of(
    st.sampled_from(
        ["Medications", "Pain", "Activities", "o2", "bpr", "note", "sleep", "back", "oxycodone"]
    ),
    st.text(max_size=6),
)
_json = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=4)
    ),
    max_leaves=20,
)
_entry = st.fixed_dictionaries(
    {},
    optional={
        "Medications": st.dictionaries(_keys, _scalars, max_size=3),
        "Pain": st.dictionaries(_keys, _scalars, max_size=3),
        "Activities": st.dictionaries(_keys, _scalars, max_size=3),
        "o2": _scalars,
        "bpr": _scalars,
        "note": _scalars,
        "sleep": _scalars,
        "extra": _scalars,
    },
)
_dates = st.one_of(
    st.sampled_from(["0523", "0229", "1231", "0230", "13", "05-23"]), st.text(max_size=5)
)
_times = st.one_of(st.sampled_from(["1300", "0000", "2359", "2400", "1"]), st.text(max_size=5))
_documents = st.one_of(
    _json,
    st.dictionaries(
        _dates, st.dictionaries(_times, st.one_of(_entry, _json), max_size=3), max_size=3
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents)
def test_parser_parses_or_raises_usage_error(doc: object) -> None:
    text = json.dumps(doc)
    try:
        parsed = parse_entries(text)
    except UsageError as exc:
        assert "\n" not in str(exc)
        return
    items = flatten(parsed)
    daily_summaries(items)
    for item in items:
        to_item(item)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_text_parses_or_raises_usage_error(text: str) -> None:
    with contextlib.suppress(UsageError):
        parse_entries(text)
