"""One call from files to an estimate: what the CLI, `make demo` and `make cost-report` use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tooling.cost import report
from tooling.cost.model import Estimate, estimate
from tooling.cost.pricing import Pricing, load_price_book, load_pricing
from tooling.cost.samples import load_samples
from tooling.cost.usage import load_usage, merge
from tooling.errors import UsageError
from tooling.terraform import adapter
from tooling.terraform import plan as tfplan
from tooling.terraform.plan import TableConfig

PRESETS = Path(__file__).resolve().parents[3] / "examples" / "usage"


@dataclass
class Result:
    estimate: Estimate
    tables: list[TableConfig]
    pricing: Pricing


def load_tables(plan: Path | None = None, tf_dir: Path | None = None) -> list[TableConfig]:
    """Table configs from a `terraform show -json` file, or from a Terraform directory (its
    applied state when it has one, else a fresh plan)."""
    if plan is not None and tf_dir is not None:
        raise UsageError("give --plan or --tf-dir, not both")
    if plan is not None:
        return tfplan.tables(tfplan.load(plan))
    directory = tf_dir or Path()
    if not directory.is_dir():
        raise UsageError(f"--tf-dir {directory}: no such directory")
    if not any(directory.glob("*.tf")) and not (directory / "terraform.tfstate").exists():
        raise UsageError(f"--tf-dir {directory}: no Terraform configuration (*.tf); give --plan?")
    return tfplan.tables(adapter.configuration_json(directory))


def run(
    usage: list[Path],
    *,
    plan: Path | None = None,
    tf_dir: Path | None = None,
    pricing: Path | None = None,
    all_tables: bool = True,
    sample_items: Path | None = None,
) -> Result:
    """`pricing`: a folder of pricing-<region>.yaml files or one price-list file;
    `sample_items`: JSON lines of items (`seed --dry-run`, `export`) to measure sizes on."""
    if not usage:
        raise UsageError("--usage: give at least one usage file")
    merged = merge([load_usage(p) for p in usage])  # bad usage is refused before Terraform runs
    book = load_price_book(pricing)
    tables = load_tables(plan, tf_dir)
    if not tables:
        raise UsageError("the plan holds no aws_dynamodb_table")
    home = book.get(merged.region) or book.home(tables[0].region or merged.region)
    samples = load_samples(sample_items, tables) if sample_items is not None else None
    e = estimate(tables, merged, home, all_tables=all_tables, samples=samples, prices=book)
    return Result(e, tables, home)


def demo_summary(
    tf_dir: Path | None = None, *, plan: Path | None = None, usage: list[Path] | None = None
) -> str:
    """The cost summary of an applied (or planned) stack under the seeds' presets; presets of
    apps the stack does not deploy are skipped."""
    tables = load_tables(plan, tf_dir)
    known = {n for t in tables for n in (t.seed_name, t.name)}
    files = [load_usage(p) for p in (usage or sorted(PRESETS.glob("*.yaml")))]
    wanted = [f for f in files if set(f.tables) <= known and f.tables]
    if not wanted:
        raise UsageError("no usage preset matches the tables of the stack")
    merged = merge(wanted)
    prices = load_pricing(None, merged.region)
    return report.summary(estimate(tables, merged, prices, all_tables=False))
