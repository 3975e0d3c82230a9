"""Finite ranges for the numeric flags: every number a user can pass has a lower and an upper
bound, checked before anything runs (NaN and infinity are out of every range)."""

from __future__ import annotations

import math

from tooling.errors import UsageError

MAX_WORKERS = 256  # threads and pooled connections of one process
MAX_SCALE = 10_000.0  # about 20 million generated items: far more than a local endpoint holds
MAX_SEED = 2**63 - 1


def check(flag: str, value: float, low: float, high: float, *, low_open: bool = False) -> None:
    """UsageError `FLAG VALUE: must be ...` unless low <= value <= high (low < value if open)."""
    above = value > low if low_open else value >= low
    if (isinstance(value, float) and not math.isfinite(value)) or not above or value > high:
        lower = f"> {_show(low)}" if low_open else f">= {_show(low)}"
        raise UsageError(f"{flag} {_show(value)}: must be {lower} and <= {_show(high)}")


def _show(n: float) -> str:
    return f"{n:g}" if isinstance(n, float) else str(n)
