"""`cost diff` from files: two `terraform show -json` documents and the usage files.

The base defaults to the plan's own `prior_state` (the state Terraform refreshed and planned
against, i.e. what is applied), read with the plan's provider configuration so tables resolve to
the same regions on both sides. Each side is priced with the usage entries that name its tables:
a usage file written for the new plan may name a table the base does not have yet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tooling.cost.api import PRESETS
from tooling.cost.diff import CostDiff, diff
from tooling.cost.model import Estimate, estimate
from tooling.cost.pricing import load_price_book
from tooling.cost.samples import load_samples
from tooling.cost.usage import UsageFile, load_usage, merge
from tooling.errors import UsageError
from tooling.terraform import plan as tfplan
from tooling.terraform.plan import TableConfig


def _names(t: TableConfig) -> set[str]:
    return {n for n in (t.seed_name, t.name, t.address, tfplan.strip_index(t.address)) if n}


def _matches(key: str, tables: list[TableConfig]) -> bool:
    bare = tfplan.strip_index(key)
    return any(key in _names(t) or bare in _names(t) for t in tables)


def _restrict(usage: UsageFile, tables: list[TableConfig]) -> UsageFile:
    """The usage entries that name one of these tables."""
    return usage.model_copy(
        update={
            "tables": {k: v for k, v in usage.tables.items() if _matches(k, tables)},
            "resource_usage": {
                k: v for k, v in usage.resource_usage.items() if _matches(k, tables)
            },
        }
    )


def _check_keys(usage: UsageFile, sides: list[list[TableConfig]]) -> None:
    every = [t for side in sides for t in side]
    for section in ("tables", "resource_usage"):
        for key in getattr(usage, section):
            if not _matches(key, every):
                names = ", ".join(sorted({t.label for t in every})) or "none"
                raise UsageError(
                    f"{usage.source}: {section}.{key}: no such table in either plan "
                    f"(tables: {names})"
                )


def prior_state(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The applied state a plan was made against, as a state document; None when nothing of it
    is applied (a first plan has no prior state, or one without resources)."""
    prior = doc.get("prior_state")
    if not isinstance(prior, dict) or not isinstance(prior.get("values"), dict):
        return None
    return {"values": prior["values"], "configuration": doc.get("configuration") or {}}


NOTHING_APPLIED = "cost diff: nothing applied yet (the plan has no prior state)"
NO_PRESET = "cost diff: no --usage given and no usage preset of examples/usage/ matches the tables"
# An installed package carries no presets: they live in the repository's examples/usage/.
NO_PRESETS_HERE = (
    "cost diff: no --usage given, and the usage presets (examples/usage/ of a clone of the "
    "repository) are not where this package runs from: pass --usage FILE"
)


def _usage(files: list[Path], tables: list[TableConfig]) -> UsageFile | str:
    if files:
        return merge([load_usage(p) for p in files])
    if not PRESETS.is_dir():
        return NO_PRESETS_HERE
    # No usage given: the seeds' presets for the tables the plans deploy (as `make demo` does).
    known = {n for t in tables for n in (t.seed_name, t.name) if n}
    presets = [load_usage(p) for p in sorted(PRESETS.glob("*.yaml"))]
    wanted = [f for f in presets if f.tables and set(f.tables) <= known]
    return merge(wanted) if wanted else NO_PRESET


def run(
    plan: Path,
    usage: list[Path],
    *,
    base: Path | None = None,
    pricing: Path | None = None,
    sample_items: Path | None = None,
) -> CostDiff | str:
    """The cost change from base (default: the plan's prior state) to plan; a line saying why
    there is none when the plan has no prior state with tables and no base is given, or when no
    usage is given and no preset fits. `pricing` and `sample_items` as for
    `cost` (a folder of price lists or one file; items to measure sizes on)."""
    for p in usage:  # bad usage is refused before the plans are read
        load_usage(p)
    book = load_price_book(pricing)
    head_doc = tfplan.load(plan)
    head = tfplan.tables(head_doc)
    if base is not None:
        try:
            base_doc = tfplan.load(base)
        except UsageError as exc:  # the plan reader names its file --plan
            raise UsageError(str(exc).replace("--plan", "--base", 1)) from None
        before = tfplan.tables(base_doc)
    else:
        state = prior_state(head_doc)
        before = tfplan.tables(state) if state else []
        if not before:
            return NOTHING_APPLIED
    if not head and not before:
        raise UsageError(f"--plan {plan}: neither plan holds an aws_dynamodb_table")
    merged = _usage(usage, [*before, *head])
    if isinstance(merged, str):
        return merged
    _check_keys(merged, [before, head])
    either = head or before
    home = book.get(merged.region) or book.home(either[0].region or merged.region)

    # One reading of the samples for both sides: an item of a table only one side has is fine.
    union = list({t.name: t for t in [*before, *head]}.values())
    samples = load_samples(sample_items, union) if sample_items is not None else None

    def priced(tables: list[TableConfig]) -> Estimate | None:
        if not tables:
            return None
        restricted = _restrict(merged, tables)
        return estimate(tables, restricted, home, samples=samples, prices=book)

    return diff(priced(before), priced(head), region=merged.region)
