"""Monthly cost against traffic for both billing modes, so the break-even point can be seen.

The provisioned line keeps the capacity of the estimate (the plan's, or the capacity sized for
the stated usage) while traffic scales from 1% to 10x the stated usage; the on-demand line grows
with traffic. Where they cross, provisioned starts to pay.
"""

from __future__ import annotations

from pathlib import Path

from tooling.cost.model import Estimate, costs_at
from tooling.cost.pricing import Pricing
from tooling.errors import ToolingError, UsageError
from tooling.terraform.plan import TableConfig

FACTORS = [10 ** (i / 20) for i in range(-40, 21)]  # 0.01x .. 10x, log-spaced


def curves(
    e: Estimate, tables: list[TableConfig], pricing: Pricing
) -> tuple[list[float], list[float], list[float]]:
    """(monthly request units, on-demand USD, provisioned USD) across the traffic factors."""
    by_address = {t.address: t for t in tables}
    xs, ods, prs = [], [], []
    for f in FACTORS:
        units = od = pr = 0.0
        for c in e.tables:
            t, d = by_address[c.address], c.demand.scaled(f)
            assert c.capacity is not None and c.prices is not None
            units += d.write_units + d.read_units + sum(d.gsi_write_units.values())
            on_demand, provisioned = costs_at(t, d, c.capacity, c.prices)
            od += on_demand
            pr += provisioned
        xs.append(units)
        ods.append(od)
        prs.append(pr)
    return xs, ods, prs


def draw(e: Estimate, tables: list[TableConfig], pricing: Pricing, path: Path) -> None:
    if path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"--chart {path}: give a .png, .svg or .pdf file name")
    try:
        import matplotlib
    except ImportError:
        raise ToolingError(
            "--chart needs matplotlib: pip install 'dynamodb-tooling[chart]'"
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs, ods, prs = curves(e, tables, pricing)
    if not any(xs):
        raise UsageError("--chart: the usage states no traffic, so there is nothing to draw")
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.plot(xs, ods, label="on-demand (PAY_PER_REQUEST)")
    ax.plot(xs, prs, label="provisioned (capacity of the estimate)")
    now = sum(
        c.demand.write_units + c.demand.read_units + sum(c.demand.gsi_write_units.values())
        for c in e.tables
    )
    ax.axvline(now, color="grey", linestyle=":", label="stated usage")
    cross = next((x for x, o, p in zip(xs, ods, prs, strict=True) if o >= p and x), None)
    if cross is not None and ods[0] < prs[0]:
        ax.axvline(cross, color="red", linestyle="--", alpha=0.6, label="break-even")
    ax.set_xscale("log")
    ax.set_xlabel("request units per month (all tables)")
    ax.set_ylabel("USD per month")
    ax.set_title(f"DynamoDB monthly cost against traffic ({e.region})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
