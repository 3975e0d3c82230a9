"""`make cost-report`: the seeds' cost claims beside the figures computed from the stack.

Plans the repository's root stack (a private copy, against a private moto server, offline) with
SchizoDot's development sizing (PROVISIONED 5 RCU / 5 WCU on both tables and the GSI), prices
each app under its preset in examples/usage/, and writes docs/cost-report.md.

    python -m tooling.dev.cost_report [OUTPUT.md]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tooling.cost import report
from tooling.cost.model import Estimate, estimate
from tooling.cost.pricing import Pricing, load_pricing
from tooling.cost.usage import load_usage
from tooling.dev.local import MotoServer, endpoint_env, environment
from tooling.terraform import adapter, cliconfig
from tooling.terraform import plan as tfplan
from tooling.terraform.plan import TableConfig
from tooling.terraform.tree import copy_root

REPO = Path(__file__).resolve().parents[3]
PRESETS = REPO / "examples" / "usage"
FIVE_FIVE = {"billing_mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 5}
VARIABLES = {"table_overrides": {"SchizodotJobs": FIVE_FIVE, "SchizodotUsers": FIVE_FIVE}}
APPS = ("fusion-health", "schizodot", "mediphant", "upnest", "iops-dashboard")


def plan_stack(variables: dict | None = None) -> list[TableConfig]:
    """The root stack's tables, planned in a temporary copy against a private moto server."""
    with tempfile.TemporaryDirectory(prefix="cost-report-") as tmp:
        tree = copy_root(REPO, Path(tmp) / "root")
        tf_env, _how = cliconfig.ensure(Path(tmp) / "tfcli")
        env = {"TF_IN_AUTOMATION": "1", **tf_env}
        with MotoServer() as server, environment({**env, **endpoint_env(server.url)}):
            doc = adapter.plan_json(tree, variables if variables is not None else VARIABLES)
    return tfplan.tables(doc)


def _usd(x: float) -> str:
    return report._usd(x)


def _estimates(
    tables: list[TableConfig], pricing: Pricing, free_tier: bool = False
) -> dict[str, Estimate]:
    out = {}
    for app in APPS:
        usage = load_usage(PRESETS / f"{app}.yaml")
        if free_tier:
            usage = usage.model_copy(update={"free_tier": True})
        out[app] = estimate(tables, usage, pricing, all_tables=False)
    return out


def _claims(e: dict[str, Estimate], free: dict[str, Estimate], p: Pricing) -> list[str]:
    w_m = p.on_demand.write_request_unit_per_million
    r_m = p.on_demand.read_request_unit_per_million
    wcu_month = p.provisioned.wcu_hour * p.hours_per_month
    rcu_month = p.provisioned.rcu_hour * p.hours_per_month
    schizo = e["schizodot"]
    capacity = sum(
        v for t in schizo.tables for k, v in t.components.items() if k.endswith("capacity")
    )
    med = e["mediphant"].tables[0].components
    med_total = e["mediphant"].total_monthly_usd
    per_user = e["upnest"].per_unit()["active_users"]
    gb_mb = 1 / 1024
    bare_user = 500 * 0.5 * r_m / 1e6 + 50 * w_m / 1e6 + gb_mb * p.storage.gb_month
    iops = e["iops-dashboard"]
    rows = [
        (
            "fusion-health",
            "$1.25 per million read requests",
            f"${r_m} per million read request units",
            "$1.25 was never the read price: it was the write price before November 2024 "
            "(reads were $0.25); both were halved then.",
        ),
        (
            "fusion-health",
            "$1.25 per million write requests",
            f"${w_m} per million write request units",
            "The pre-November-2024 price; on-demand throughput prices were cut by 50 %.",
        ),
        (
            "fusion-health",
            "$0.25 per RCU-month and per WCU-month",
            f"{_usd(rcu_month)} per RCU-month, {_usd(wcu_month)} per WCU-month",
            f"${p.provisioned.rcu_hour}/RCU-hour and ${p.provisioned.wcu_hour}/WCU-hour x "
            f"{p.hours_per_month:g} h: reads are cheaper and writes dearer than claimed.",
        ),
        (
            "schizodot",
            "~$3-5 a month for 5 RCU / 5 WCU on two tables and the GSI",
            f"{_usd(schizo.total_monthly_usd)} a month ({_usd(capacity)} of it capacity); "
            f"{_usd(free['schizodot'].total_monthly_usd)} within the free tier",
            f"15 WCU x {_usd(wcu_month)} + 15 RCU x {_usd(rcu_month)} a month; $3-5 is about what "
            f"all 30 units cost at the RCU rate ({_usd(30 * rcu_month)}). The 25 WCU / 25 RCU "
            "free tier covers this sizing entirely.",
        ),
        (
            "schizodot",
            "on-demand $1.25 per million writes, $0.25 per million reads",
            f"${w_m} / ${r_m} per million",
            "Pre-November-2024 prices, halved since.",
        ),
        (
            "mediphant",
            "storage ~$0.50",
            _usd(med["storage"] + med["gsi_storage"]),
            "30,000 x 1 KB is 0.029 GB, not 2 GB: $0.0072 for the table (plus 100 B per item) "
            "and as much again for GSI1, which projects ALL.",
        ),
        (
            "mediphant",
            "reads ~$0.50 (30,000 RCUs x $0.125/million)",
            _usd(med["read_requests"]),
            "30,000 x $0.125 / 10^6 is $0.00375, not $0.50; eventually consistent 1 KB reads cost "
            "half a unit, so $0.0019.",
        ),
        (
            "mediphant",
            "writes ~$0.13 (1,000 WCUs x $1.25/million)",
            _usd(med["write_requests"] + med["gsi_write_requests"]),
            "A month holds 30,417 writes, not 1,000, at $0.625/million, and each also writes GSI1.",
        ),
        (
            "mediphant",
            "total ~$1.13 a month",
            _usd(med_total),
            "The claim's arithmetic is wrong by two orders of magnitude; PITR (on by default) adds "
            f"{_usd(med.get('pitr', 0))}.",
        ),
        (
            "upnest",
            "~$0.05 per active user a month",
            f"{_usd(per_user)} per active user",
            f"500 eventually consistent reads + 50 writes + 1 MB come to {_usd(bare_user)}; the "
            "stack adds the GSI copies (UserGrowthDataIndex projects ALL, doubling growth-data "
            "storage) and PITR.",
        ),
        (
            "upnest",
            "$0.25 per million reads, $1.25 per million writes",
            f"${r_m} / ${w_m} per million",
            "Pre-November-2024 prices, halved since.",
        ),
        (
            "iops-dashboard",
            "none stated",
            _usd(iops.total_monthly_usd),
            "Our assumptions (examples/usage/iops-dashboard.yaml); see the recommendation below.",
        ),
    ]
    lines = [
        "| seed | claim | computed | why they differ |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {a} | {c} | {v} | {w} |" for a, c, v, w in rows]
    return lines


def render(tables: list[TableConfig], pricing: Pricing) -> str:
    e = _estimates(tables, pricing)
    free = _estimates(tables, pricing, free_tier=True)
    out = [
        "# DynamoDB cost report: the seeds' claims against the stack",
        "",
        "Generated by `make cost-report` (`python -m tooling.dev.cost_report`): the root stack is "
        "planned with SchizoDot's development sizing (`table_overrides` PROVISIONED 5 RCU / 5 WCU "
        "on both tables and the GSI; every other table on-demand, PITR on, as the defaults) and "
        "each app is priced under its preset in `examples/usage/`, with the us-east-1 list "
        "prices in `python/tooling/data/pricing-us-east-1.yaml` (after the November 2024 "
        "on-demand price cut). Free tier off unless stated. Do not edit by hand.",
        "",
        "## Claims and computed figures",
        "",
        *_claims(e, free, pricing),
        "",
    ]
    names = {
        "fusion-health": "Fusion health tracking",
        "schizodot": "SchizoDot AI",
        "mediphant": "Mediphant",
        "upnest": "UpNest",
        "iops-dashboard": "IOps dashboard",
    }
    for app in APPS:
        out += [
            f"## {names[app]} (`examples/usage/{app}.yaml`)",
            "",
            report.as_markdown(e[app], heading="###").rstrip(),
            "",
        ]
    total = sum(x.total_monthly_usd for x in e.values())
    out.append(f"All five apps together: **{_usd(total)}** a month.")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    from tooling.errors import describe

    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else REPO / "docs" / "cost-report.md"
    try:
        text = render(plan_stack(), load_pricing())
    except Exception as exc:
        print(f"error: {describe(exc)}", file=sys.stderr)
        return describe(exc).exit_code
    from tooling import outputs

    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        outputs.write_text(target, text, flag="cost report")
    except Exception as exc:
        print(f"error: {describe(exc)}", file=sys.stderr)
        return describe(exc).exit_code
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
