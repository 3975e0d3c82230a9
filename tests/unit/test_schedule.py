"""The longest-first order of test modules (tests/support/schedule.py)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from support.paths import TESTS
from support.schedule import LONGEST_FIRST, pytest_collection_modifyitems


def test_every_listed_module_exists_once() -> None:
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)
    missing = [name for name in LONGEST_FIRST if not (TESTS / name).is_file()]
    assert missing == []


def test_listed_modules_go_first_and_the_rest_keep_their_order() -> None:
    first, second = LONGEST_FIRST[0], LONGEST_FIRST[1]
    ids = [
        "unit/test_a.py::t1",
        f"{second}::t1",
        "unit/test_b.py::t1",
        f"{first}::t1",
        f"{second}::t2",
        "unit/test_a.py::t2",
    ]
    items: list[Any] = [SimpleNamespace(nodeid=i) for i in ids]
    pytest_collection_modifyitems(items)
    assert [i.nodeid for i in items] == [
        f"{first}::t1",
        f"{second}::t1",
        f"{second}::t2",
        "unit/test_a.py::t1",
        "unit/test_b.py::t1",
        "unit/test_a.py::t2",
    ]
