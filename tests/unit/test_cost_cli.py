"""`python -m tooling cost`: formats, files, chart, and bad input as one line with exit code 2."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import REPO
from support.plans import plan_doc, table_values
from tooling.cli import main

GB = 2**30
USAGE = """
tables:
  orders:
    item_size_bytes: 2048
    items: 500000
    writes_per_day: 10000
    reads_per_day: 50000
  jobs: {item_size_bytes: 1024, items: 1000, writes_per_month: 1000}
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            plan_doc(
                table_values("orders", pitr=True, gsis=({"name": "G"},)),
                table_values("jobs", billing="PROVISIONED", rc=5, wc=5),
            )
        )
    )
    usage = tmp_path / "usage.yaml"
    usage.write_text(USAGE)
    return plan, usage


def test_json_totals_match_the_hand_computation(files, capsys) -> None:
    plan, usage = files
    assert main(["cost", "--usage", str(usage), "--plan", str(plan), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    writes = 10_000 * 730 / 24
    orders = (
        writes * 2 * 0.625 / 1e6  # table writes, 2 KB = 2 units
        + writes * 2 * 0.625 / 1e6  # GSI G (ALL): the same units again
        + 50_000 * 730 / 24 * 1 * 0.5 * 0.125 / 1e6  # eventually consistent 2 KB reads
        + 2 * 500_000 * 2148 / GB * 0.25  # table + GSI storage
        + 500_000 * 2148 / GB * 0.20  # PITR
    )
    jobs = 5 * 730 * 0.00013 + 5 * 730 * 0.00065 + 1000 * 1124 / GB * 0.25
    by_name = {t["name"]: t for t in doc["tables"]}
    assert by_name["orders"]["monthly_usd"] == pytest.approx(orders, rel=1e-5)
    assert by_name["jobs"]["monthly_usd"] == pytest.approx(jobs, rel=1e-5)
    assert doc["total_monthly_usd"] == pytest.approx(orders + jobs, rel=1e-5)
    assert by_name["jobs"]["billing_mode"] == "PROVISIONED"
    assert set(by_name["orders"]["components"]) >= {"write_requests", "gsi_storage", "pitr"}
    assert sum(by_name["orders"]["components"].values()) == pytest.approx(orders, rel=1e-5)
    assert by_name["jobs"]["alternative"]["billing_mode"] == "PAY_PER_REQUEST"


def test_csv_markdown_summary_and_output_file(files, tmp_path, capsys) -> None:
    plan, usage = files
    base = ["cost", "--usage", str(usage), "--plan", str(plan)]
    out = tmp_path / "cost.csv"  # a missing directory is refused, as for every output
    assert main([*base, "--format", "csv", "--output", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    total = next(r for r in rows if r["table"] == "TOTAL")
    parts = sum(
        float(r["monthly_usd"]) for r in rows if r["component"] == "total" and r["table"] != "TOTAL"
    )
    assert float(total["monthly_usd"]) == pytest.approx(parts, abs=1e-5)
    assert main([*base, "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert '**`orders`** (`module.app.aws_dynamodb_table.this["orders"]`), PAY_PER_REQUEST' in md
    assert "| Write request units | 608,333 WRU | $0.625 per million WRU | $0.38 |" in md
    assert "**total**" in md
    assert main([*base, "--format", "summary"]) == 0
    assert "jobs" in capsys.readouterr().out
    assert main(base) == 0  # the rich table
    text = capsys.readouterr().out
    assert "monthly total" in text and "orders" in text


def test_chart_is_a_png(files, tmp_path) -> None:
    plan, usage = files
    png = tmp_path / "cost.png"
    assert (
        main(
            [
                "cost",
                "--usage",
                str(usage),
                "--plan",
                str(plan),
                "--chart",
                str(png),
                "--format",
                "json",
                "--output",
                str(tmp_path / "o.json"),
            ]
        )
        == 0
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_curves_cross_at_the_break_even(files) -> None:
    from tooling.cost import api, chart
    from tooling.terraform import plan as tfplan

    plan, usage = files
    r = api.run([usage], plan=plan)
    xs, od, pr = chart.curves(r.estimate, r.tables, r.pricing)
    assert xs == sorted(xs)
    assert od[0] < pr[0] and od[-1] > pr[-1]  # on-demand cheaper at low traffic, dearer at high
    assert tfplan.tables(tfplan.load(plan))


@pytest.mark.parametrize(
    ("usage", "message"),
    [
        (
            "tables: {orders: {writes_per_day: -3}}",
            "usage.yaml: tables.orders.writes_per_day: must be >= 0",
        ),
        ("tables: {nope: {items: 1}}", "usage.yaml: tables.nope: no such table in the plan"),
        ("tables: {orders: {colour: red}}", "usage.yaml: tables.orders.colour: unknown key"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(files, capsys, usage: str, message: str) -> None:
    plan, path = files
    path.write_text(usage)
    out = path.parent / "report.json"
    code = main(
        [
            "cost",
            "--usage",
            str(path),
            "--plan",
            str(plan),
            "--format",
            "json",
            "--output",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"error: {message}" + err.split(message, 1)[1]
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()  # nothing half-written


def test_bad_usage_through_the_real_entry_point(files) -> None:
    plan, usage = files
    usage.write_text("tables: {orders: {reads_per_day: many}}")
    proc = subprocess.run(
        [sys.executable, "-m", "tooling", "cost", "--usage", str(usage), "--plan", str(plan)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr == "error: usage.yaml: tables.orders.reads_per_day: must be a number\n"
    assert proc.stdout == ""


def test_bad_flags_and_files(files, tmp_path, capsys) -> None:
    plan, usage = files
    assert main(["cost", "--usage", str(tmp_path / "none.yaml"), "--plan", str(plan)]) == 2
    assert "none.yaml" in capsys.readouterr().err
    assert main(["cost", "--usage", str(usage), "--plan", str(tmp_path / "none.json")]) == 2
    assert "--plan" in capsys.readouterr().err
    bad_prices = tmp_path / "p.yaml"
    for text, message in (
        ("region: x\n", "p.yaml: region: must be an AWS region name"),
        ("region: us-east-1\ndate: 2024-11-01\n", "p.yaml: source: required"),
        (
            "region: us-east-1\nsource: s\ndate: 2024-11-01\npitr_gb_month: '0.20'\n",
            "p.yaml: pitr_gb_month: must be a number",
        ),
        (
            "region: us-east-1\nsource: s\ndate: 2024-11-01\nrestore_gb: 1.0e+308\n",
            "p.yaml: restore_gb: must be <= 1000",
        ),
    ):
        bad_prices.write_text(text)
        args = ["cost", "--usage", str(usage), "--plan", str(plan), "--pricing", str(bad_prices)]
        assert main(args) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1
    assert (
        main(
            ["cost", "--usage", str(usage), "--plan", str(plan), "--chart", str(tmp_path / "c.txt")]
        )
        == 2
    )
    assert main(["cost", "--usage", str(usage), "--plan", str(plan), "--tf-dir", "."]) == 2


def test_tf_dir_without_configuration_is_refused(files, tmp_path, capsys) -> None:
    _, usage = files
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["cost", "--usage", str(usage), "--tf-dir", str(empty)]) == 2
    assert capsys.readouterr().err == (
        f"error: --tf-dir {empty}: no Terraform configuration (*.tf); give --plan?\n"
    )
    assert not (empty / ".terraform").exists()


def test_region_picks_its_price_list_or_is_refused(files, tmp_path, capsys) -> None:
    plan, usage = files
    usage.write_text("region: eu-west-3\ntables: {orders: {}}")
    assert main(["cost", "--usage", str(usage), "--plan", str(plan)]) == 2
    assert "region eu-west-3: no price list in the bundled price lists" in capsys.readouterr().err
    prices = REPO / "python/tooling/data/pricing-us-east-1.yaml"
    folder = tmp_path / "prices"
    folder.mkdir()
    doubled = folder / "pricing-eu-west-3.yaml"
    doubled.write_text(
        prices.read_text()
        .replace("gb_month: 0.25", "gb_month: 0.50")
        .replace("region: us-east-1", "region: eu-west-3")
    )
    usage.write_text("region: eu-west-3\ntables: {orders: {items: 1000000, item_size_bytes: 924}}")
    for where in (doubled, folder):  # one file, or a folder of region files
        args = ["cost", "--usage", str(usage), "--plan", str(plan), "--pricing", str(where)]
        assert main([*args, "--format", "json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        orders = next(t for t in doc["tables"] if t["name"] == "orders")
        storage = 1_000_000 * 1024 / GB * 0.50
        assert orders["components"]["storage"] == pytest.approx(storage, rel=1e-5)
    (folder / "pricing-eu-west-3.yaml").rename(folder / "pricing-eu-west-2.yaml")
    assert main([*args, "--format", "json"]) == 2
    assert f"region eu-west-3: no price list in --pricing {folder}" in capsys.readouterr().err
    (folder / "pricing-eu-west-2.yaml").rename(folder / "pricing-eu-west-3.yaml")
    doubled.write_text(doubled.read_text().replace("region: eu-west-3", "region: eu-west-2"))
    assert main([*args, "--format", "json"]) == 2
    assert "pricing-eu-west-3.yaml: region: says eu-west-2" in capsys.readouterr().err


def test_demo_summary_prices_the_presets_of_the_deployed_apps(tmp_path: Path) -> None:
    from tooling.cost import api, report

    # A stack of Mediphant and SchizoDot only (with physical-name affixes): their presets apply,
    # the other apps' presets are skipped.
    tables = [
        table_values("acme-mediphant-data", pitr=True, ttl="TTL", gsis=({"name": "GSI1"},)),
        table_values("acme-SchizodotJobs", gsis=({"name": "patient_id-created_at-index"},)),
        table_values("acme-SchizodotUsers"),
    ]
    for t, seed in zip(tables, ("mediphant-data", "SchizodotJobs", "SchizodotUsers"), strict=True):
        t["tags"] = {"Table": seed}
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(plan_doc(*tables)))
    text = api.demo_summary(plan=plan)
    lines = text.splitlines()
    writes = 1000 * 730 / 24
    mediphant = (
        2 * writes * 0.625 / 1e6
        + writes * 0.5 * 0.125 / 1e6
        + 2 * 30_000 * 1124 / GB * 0.25
        + 30_000 * 1124 / GB * 0.20
    )
    assert report.money(mediphant) == "$0.06"  # 0.0619: cents, like every amount ≥ 1 cent
    assert " $0.06 " in next(ln for ln in lines if "mediphant-data" in ln)
    assert sum("Schizodot" in ln for ln in lines) == 2
    assert not any("UpNest" in ln or "fusion" in ln for ln in lines)
