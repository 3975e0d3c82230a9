"""One module per sub-command; each defines register(subparsers) and sets a `run` default.

COMMANDS lists them with their one-line help so that `--help` and the parser of one command are
built without importing the others (boto3, rich, pydantic and Faker cost most of a second to
import). tests/unit/test_cli.py checks that each module registers the help given here.
"""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    module: str  # tooling.cli.commands.<module>
    help: str


COMMANDS: dict[str, Command] = {
    "bench": Command("bench", "benchmarks (seeding throughput and memory on a local moto server)"),
    "check-plan": Command(
        "check_plan", "guard a Terraform plan (terraform show -json) against data loss"
    ),
    "cost": Command("cost", "estimate the monthly DynamoDB cost of the stack under a usage file"),
    "demo": Command(
        "demo",
        "apply, seed, query and cost the whole stack on a local endpoint, then tear it down",
    ),
    "docs": Command(
        "docs", "generate the inputs/outputs tables of module READMEs from the .tf files"
    ),
    "export": Command("export", "export a table to DynamoDB JSON lines"),
    "import": Command("import_", "import DynamoDB JSON lines into a table"),
    "local": Command("local", "keep a seeded local stack up for exploring"),
    "migrate": Command("migrate", "migrate fusion's entries.json into its tables"),
    "query": Command("query", "run an access pattern of an app"),
    "seed": Command("seed", "seed the deployed tables with realistic data"),
    "workbench": Command("workbench", "write a NoSQL Workbench data model of the planned tables"),
}
