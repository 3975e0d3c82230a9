"""The `patterns:` block of a usage file: how often each access pattern is called.

Keyed by `APP/PATTERN` as `query --list` names them (e.g. `schizodot/get-job`). Kept apart from
the table usage schema (tooling.cost.usage only holds the field) so that the per-pattern costs
(tooling.cost.patterns) own their input.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Calls = Annotated[float, Field(ge=0, le=1e12, strict=True, allow_inf_nan=False)]
Items = Annotated[float, Field(gt=0, le=1e6, strict=True, allow_inf_nan=False)]
Size = Annotated[float, Field(gt=0, le=400 * 1024, strict=True, allow_inf_nan=False)]


class PatternUsage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    calls_per_day: Calls | None = None
    calls_per_second: Calls | None = None
    items_per_call: Items | None = None  # items one call reads or writes (default: measured or 1)
    read_consistency: Literal["eventual", "strong", "transactional"] | None = None
    item_size_bytes: Size | None = None  # the items this pattern touches, if not the table's

    @model_validator(mode="after")
    def _one_rate(self) -> PatternUsage:
        if self.calls_per_day is not None and self.calls_per_second is not None:
            raise ValueError("give calls_per_day or calls_per_second, not both")
        if self.calls_per_day is None and self.calls_per_second is None:
            raise ValueError("give calls_per_day or calls_per_second")
        return self

    @property
    def per_day(self) -> float:
        if self.calls_per_day is not None:
            return self.calls_per_day
        return (self.calls_per_second or 0.0) * 86400
