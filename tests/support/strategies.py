"""Hypothesis strategies of plain Python values DynamoDB can store (within boto3's limits)."""

from __future__ import annotations

from hypothesis import strategies as st

numbers = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: d.is_finite() and abs(d.adjusted()) < 120 and len(d.as_tuple().digits) <= 38
) | st.integers(min_value=-(10**37), max_value=10**37)


scalars = st.text() | numbers | st.booleans() | st.none() | st.binary(min_size=1)


sets = (
    st.frozensets(st.text(), min_size=1)
    | st.frozensets(st.binary(min_size=1), min_size=1)
    | st.frozensets(st.integers(min_value=-(10**37), max_value=10**37), min_size=1)
)


values = st.recursive(
    scalars | sets,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
