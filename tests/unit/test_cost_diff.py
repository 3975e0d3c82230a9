"""`cost diff` on small hand-written plans: matching by address, added/removed/changed tables,
the three output forms and the CI gate, with each change computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.plans import plan_doc, table_values
from tooling.cli import main
from tooling.cost import diff as cost_diff
from tooling.cost import diff_files

DAYS = 730 / 24
GB = 2**30


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    base = plan_doc(table_values("orders"), table_values("gone"))
    head = plan_doc(
        table_values("orders", billing="PROVISIONED", rc=5, wc=5, gsis=({"name": "g1"},)),
        table_values("fresh"),
    )
    usage = (
        "tables:\n"
        "  orders: {item_size_bytes: 2000, items: 100000, writes_per_day: 100000,"
        " reads_per_day: 50000}\n"
        "  gone: {item_size_bytes: 100, items: 1000, writes_per_day: 10000}\n"
        "  fresh: {item_size_bytes: 924, items: 1000000}\n"
    )
    out = {"base": tmp_path / "base.json", "head": tmp_path / "head.json"}
    out["base"].write_text(json.dumps(base))
    out["head"].write_text(json.dumps(head))
    out["usage"] = tmp_path / "usage.yaml"
    out["usage"].write_text(usage)
    return out


# orders, PAY_PER_REQUEST: 100,000 writes a day of 2 KB (2 units), 50,000 eventually consistent
# 4 KB-or-less reads (0.5 unit), 100,000 items of 2,000 B (+100 B overhead).
ORDERS_WRITES = 100_000 * DAYS * 2 * 0.625 / 1e6  # $3.8021
ORDERS_READS = 50_000 * DAYS * 0.5 * 0.125 / 1e6  # $0.0950
ORDERS_STORAGE = 100_000 * 2100 / GB * 0.25  # $0.0489
GONE = 10_000 * DAYS * 1 * 0.625 / 1e6 + 1000 * 200 / GB * 0.25  # $0.1901 + $0.0000466
FRESH = 1_000_000 * 1024 / GB * 0.25  # $0.2384: 924 B + 100 B overhead


def test_statuses_and_components_by_hand(files: dict[str, Path]) -> None:
    d = diff_files.run(files["head"], [files["usage"]], base=files["base"])
    assert not isinstance(d, str)
    by = {t.name: t for t in d.tables}
    assert {n: t.status for n, t in by.items()} == {
        "fresh": "added",
        "gone": "removed",
        "orders": "changed",
    }
    assert by["gone"].before == pytest.approx(GONE) and by["gone"].after == 0
    assert by["fresh"].after == pytest.approx(FRESH) and by["fresh"].before == 0
    orders = {c.name: c for c in by["orders"].components}
    assert orders["write_requests"].before == pytest.approx(ORDERS_WRITES)
    assert orders["write_requests"].after == 0
    assert orders["read_requests"].change == pytest.approx(-ORDERS_READS)
    assert orders["storage"].change == pytest.approx(0, abs=1e-12)
    # PROVISIONED 5 WCU / 5 RCU on the table, all month.
    assert orders["write_capacity"].after == pytest.approx(5 * 730 * 0.00065)
    assert orders["read_capacity"].after == pytest.approx(5 * 730 * 0.00013)
    assert by["orders"].before == pytest.approx(ORDERS_WRITES + ORDERS_READS + ORDERS_STORAGE)
    assert d.change == pytest.approx(sum(t.change for t in d.tables))
    assert d.before == pytest.approx(GONE + ORDERS_WRITES + ORDERS_READS + ORDERS_STORAGE)


def test_identical_plans_change_nothing(files: dict[str, Path], tmp_path: Path, capsys) -> None:
    usage = tmp_path / "base-usage.yaml"  # `fresh` is in neither plan here: it would be refused
    usage.write_text("\n".join(files["usage"].read_text().splitlines()[:-1]) + "\n")
    code = main(
        ["cost", "diff", "--base", str(files["base"]), "--plan", str(files["base"]),
         "--usage", str(usage), "--fail-above", "0"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "2 other table(s) unchanged." in out
    assert out.rstrip().endswith("Monthly cost unchanged at $4.14.")


def test_fail_above_and_the_three_forms(files: dict[str, Path], tmp_path: Path, capsys) -> None:
    args = ["cost", "diff", "--base", str(files["base"]), "--plan", str(files["head"])]
    args += ["--usage", str(files["usage"])]
    d = diff_files.run(files["head"], [files["usage"]], base=files["base"])
    assert not isinstance(d, str)
    threshold_below, threshold_above = d.change - 0.01, d.change + 0.01
    assert main([*args, "--fail-above", f"{threshold_below:.4f}"]) == 1
    capsys.readouterr()
    assert main([*args, "--fail-above", f"{threshold_above:.4f}"]) == 0
    table = capsys.readouterr().out
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "- gone" in table and "+ fresh" in table and "~ orders" in table
    assert "    PAY_PER_REQUEST -> PROVISIONED" in table
    out = tmp_path / "summary.md"
    assert main([*args, "--format", "markdown", "--output", str(out)]) == 0
    md = out.read_text()
    assert md.startswith("### DynamoDB cost change (us-east-1)\n\n**Monthly cost will ")
    assert "| `write_requests` (6,083,333 WRU -> -) | $3.80 | $0.00 | -$3.80 |" in md
    assert main([*args, "--format", "json", "--output", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["total_change_usd"] == pytest.approx(d.change, abs=1e-6)
    assert [t["status"] for t in doc["tables"]] == ["added", "removed", "changed"]


def test_usage_may_name_a_table_only_one_side_has_but_not_neither(
    files: dict[str, Path], tmp_path: Path, capsys
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("tables:\n  orderz: {items: 1}\n")
    code = main(
        ["cost", "diff", "--base", str(files["base"]), "--plan", str(files["head"]),
         "--usage", str(bad)]
    )  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bad.yaml: tables.orderz: no such table in either plan")


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "$0.00"), (1e-9, "$0.00"), (0.0019, "$0.0019"), (0.05, "$0.05"), (-1234.5, "-$1,234.50")],
)
def test_amounts_in_cents_or_two_significant_figures(amount: float, text: str) -> None:
    assert cost_diff.usd(amount) == text


def test_without_usage_or_a_matching_preset_there_is_nothing_to_price(
    files: dict[str, Path], capsys
) -> None:
    code = main(["cost", "diff", "--base", str(files["base"]), "--plan", str(files["head"])])
    assert (code, capsys.readouterr().out) == (0, diff_files.NO_PRESET + "\n")


def test_without_usage_an_installed_package_says_it_has_no_presets(
    files: dict[str, Path], tmp_path: Path, monkeypatch, capsys
) -> None:
    # Installed from a wheel, the package sits in site-packages: no examples/usage/ beside it.
    monkeypatch.setattr(diff_files, "PRESETS", tmp_path / "site-packages" / "examples" / "usage")
    code = main(["cost", "diff", "--base", str(files["base"]), "--plan", str(files["head"])])
    assert (code, capsys.readouterr().out) == (0, diff_files.NO_PRESETS_HERE + "\n")
