"""A plan file of a failed `terraform plan -out` (Terraform writes it, marked `errored: true`,
with no resource changes): every plan reader refuses it in one line instead of reading
"no changes" or "every table removed"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.plans import plan_doc, table_values
from tooling.cli import main

MESSAGE = "terraform plan failed (the file says `errored: true`): fix its errors and plan again"


@pytest.fixture
def plans(tmp_path: Path) -> tuple[Path, Path, Path]:
    base = tmp_path / "base.json"
    base.write_text(json.dumps(plan_doc(table_values("orders"))))
    # What `terraform show -json` prints of the plan file left by a plan that failed on the
    # provider's check (a hash key change leaving an attribute unindexed): the table is only
    # in prior_state; planned_values is empty and there are no resource_changes.
    prior = plan_doc(table_values("orders"))["planned_values"]
    errored = tmp_path / "errored.json"
    errored.write_text(
        json.dumps(
            {
                "format_version": "1.2",
                "terraform_version": "1.9.8",
                "planned_values": {"root_module": {}},
                "prior_state": {"format_version": "1.0", "values": prior},
                "configuration": {"root_module": {}},
                "errored": True,
                "applyable": False,
                "complete": False,
            }
        )
    )
    usage = tmp_path / "u.yaml"
    usage.write_text("tables: {orders: {item_size_bytes: 1024, items: 1000}}\n")
    return base, errored, usage


@pytest.mark.parametrize(
    "argv",
    [
        ["check-plan", "{errored}"],
        ["check-plan", "{errored}", "--format", "json"],
        ["cost", "--plan", "{errored}", "--usage", "{usage}"],
        ["cost", "diff", "--base", "{base}", "--plan", "{errored}", "--usage", "{usage}"],
        ["workbench", "--plan", "{errored}", "-o", "{out}"],
    ],
)
def test_an_errored_plan_is_refused(plans, tmp_path, capsys, argv: list[str]) -> None:
    base, errored, usage = plans
    out = tmp_path / "model.json"
    args = [a.format(base=base, errored=errored, usage=usage, out=out) for a in argv]
    assert main(args) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert "\n" not in err and err.startswith("error: ") and err.endswith(MESSAGE)
    assert str(errored) in err
    assert "decrease" not in captured.out and "OK" not in captured.out
    assert not out.exists()
