"""Property tests of the import file parser (`transfer.read_items`, DynamoDB JSON lines).

Whatever the file holds, it either parses into exactly the items written, or fails with one
InputFileError (a usage error, exit 2) naming the file and the first bad line: never another
exception, and never an item DynamoDB would refuse later, half-way through the import.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.strategies import values
from tooling.dynamo.serialize import item_to_json, to_item
from tooling.dynamo.transfer import read_items
from tooling.errors import InputFileError, UsageError

KEYS = {"pk": "S", "sk": "N"}

items = st.builds(
    lambda pk, sk, rest: {**rest, "pk": pk, "sk": sk},
    st.text(min_size=1),
    st.integers(-(10**20), 10**20),
    st.dictionaries(st.text(min_size=1).filter(lambda k: k not in KEYS), values, max_size=4),
)


def line_of(item: dict[str, Any]) -> str:
    return json.dumps({"Item": item_to_json(to_item(item))})


def parse(content: bytes) -> list[Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.jsonl"
        path.write_bytes(content)
        return list(read_items(path, KEYS))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(items, st.booleans()), max_size=20))
def test_every_item_comes_back_exactly(rows: list[tuple[dict[str, Any], bool]]) -> None:
    """Blank lines between items are allowed (and skipped)."""
    text = "".join(line_of(item) + "\n" + ("\n" if blank else "") for item, blank in rows)
    assert parse(text.encode()) == [to_item(item) for item, _ in rows]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(items, min_size=1, max_size=8),
    st.data(),
    st.sampled_from(["truncate", "text", "not-an-item", "no-key", "key-type", "deep", "number"]),
)
def test_a_bad_line_is_named_and_nothing_else_raises(
    rows: list[dict[str, Any]], data: st.DataObject, damage: str
) -> None:
    lines = [line_of(item) for item in rows]
    bad = data.draw(st.integers(0, len(lines) - 1))
    good = lines[bad]
    if damage == "truncate":
        lines[bad] = good[: data.draw(st.integers(1, len(good) - 1))]
    elif damage == "text":
        lines[bad] = data.draw(
            # no "{": never an object, so never an item; blank lines are skipped, not errors
            st.text(
                st.characters(blacklist_categories=("Cs",), blacklist_characters="{\n\r")
            ).filter(str.strip)
        )
    elif damage == "not-an-item":
        lines[bad] = json.dumps(data.draw(st.one_of(st.lists(st.integers()), st.integers())))
    elif damage == "no-key":
        lines[bad] = json.dumps({"Item": {"pk": {"S": "a"}}})
    elif damage == "key-type":
        lines[bad] = json.dumps({"Item": {"pk": {"S": "a"}, "sk": {"S": "1"}}})
    elif damage == "deep":  # DynamoDB stores 32 levels; past ~1000 json itself gives up
        depth = data.draw(st.one_of(st.integers(33, 100), st.just(100_000)))
        nested = '{"L": [' * depth + '{"S": "x"}' + "]}" * depth
        lines[bad] = '{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "d": ' + nested + "}}"
    else:
        n = data.draw(st.sampled_from(["1e126", "-1e200", "1e-131", "1" * 39, "NaN", "Infinity"]))
        lines[bad] = json.dumps({"Item": {"pk": {"S": "a"}, "sk": {"N": n}}})
    content = ("\n".join(lines) + "\n").encode()
    with pytest.raises(InputFileError) as caught:
        parse(content)
    assert isinstance(caught.value, UsageError)
    assert caught.value.where == f"line {bad + 1}", str(caught.value)
    assert caught.value.path.endswith("items.jsonl")


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.binary(), st.binary().map(lambda b: b"\x1f\x8b" + b)))
def test_arbitrary_bytes_parse_or_fail_as_bad_input(content: bytes) -> None:
    try:
        parsed = parse(content)
    except InputFileError as exc:
        assert exc.path.endswith("items.jsonl")
        assert "\n" not in str(exc)
    else:
        assert all(set(KEYS) <= set(item) for item in parsed)
