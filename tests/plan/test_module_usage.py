"""Every module README starts with a usage block that pins the module from git at the released
version, then its requirements and providers as versions.tf states them; and the usage blocks
plan as written (with the git source pointed at the checkout)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.paths import REPO
from support.seed_spec import SEED_SPEC
from support.terraform import Terraform
from tooling import __version__

pytestmark = pytest.mark.plan

MODULES = sorted(p.parent.name for p in REPO.glob("modules/*/README.md"))
GIT = "git::https://github.com/<owner>/dynamodb-seed-stacks.git//modules/{module}?ref=v{version}"
USAGE = re.compile(r"\A# (?P<title>\S+)\n\n## Usage\n\n```hcl\n(?P<hcl>.*?)\n```\n", re.S)


def released_version() -> str:
    found = re.search(r"^## \[(\d+\.\d+\.\d+)\] - ", (REPO / "CHANGELOG.md").read_text(), re.M)
    assert found, "CHANGELOG.md has no released version"
    return found.group(1)


def test_the_cli_is_released_with_the_modules() -> None:
    # One tag releases both: `pip install ...@vX.Y.Z` must report X.Y.Z in --version.
    project = (REPO / "python" / "pyproject.toml").read_text()
    found = re.search(r'^version = "([^"]+)"', project, re.M)
    assert found, "python/pyproject.toml states no version"
    assert (found.group(1), __version__) == (released_version(), released_version())


def usage(module: str) -> str:
    text = (REPO / "modules" / module / "README.md").read_text()
    found = USAGE.match(text)
    assert found, f"modules/{module}/README.md does not start with # {module} and ## Usage"
    assert found["title"] == module
    return found["hcl"]


def versions(module: str) -> tuple[str, str]:
    text = (REPO / "modules" / module / "versions.tf").read_text()
    terraform = re.search(r'required_version\s*=\s*"([^"]+)"', text)
    aws = re.search(r'aws\s*=\s*\{[^}]*version\s*=\s*"([^"]+)"', text, re.S)
    assert terraform and aws, f"modules/{module}/versions.tf pins no terraform/aws version"
    return terraform.group(1), aws.group(1)


def test_every_module_has_a_readme() -> None:
    assert {"dynamodb-table", "app-tables", "upnest"} <= set(MODULES)
    assert len(MODULES) == len(list(REPO.glob("modules/*/versions.tf")))


@pytest.mark.parametrize("module", MODULES)
def test_usage_pins_the_module_from_git(module: str) -> None:
    sources = re.findall(r'source\s*=\s*"([^"]+)"', usage(module))
    assert sources == [GIT.format(module=module, version=released_version())]


@pytest.mark.parametrize("module", MODULES)
def test_requirements_and_providers_follow_versions_tf(module: str) -> None:
    text = (REPO / "modules" / module / "README.md").read_text()
    terraform, aws = versions(module)
    after_usage = text[len(USAGE.match(text)[0]) :]
    sections = re.findall(r"^## (.+)$", after_usage, re.M)
    assert sections[:2] == ["Requirements", "Providers"]
    assert f"| terraform | `{terraform}` |" in text
    assert f"| aws | `{aws}` |" in text
    assert f"| aws | `hashicorp/aws` | `{aws}` |" in text


def test_usage_blocks_plan(tf_tree: Path, moto_server: str) -> None:
    # One configuration calls each README's block (each in a directory of its own: the blocks
    # may declare the same locals), planned once under one provider.
    harness = tf_tree / "readme-usage"
    calls = ['provider "aws" {\n  region = "us-east-1"\n}\n']
    for module in MODULES:
        block = usage(module).replace(
            GIT.format(module=module, version=released_version()), f"../../../modules/{module}"
        )
        (harness / "usage" / module).mkdir(parents=True)
        (harness / "usage" / module / "main.tf").write_text(block + "\n")
        calls.append(f'module "{module}" {{\n  source = "./usage/{module}"\n}}\n')
    (harness / "main.tf").write_text("\n".join(calls))
    (harness / ".terraform.lock.hcl").write_text((REPO / ".terraform.lock.hcl").read_text())
    tf = Terraform(harness, moto_server)
    tf.ok("init", "-input=false", "-backend=false")
    code, plan, text = tf.plan_json()
    assert code == 2, text[-3000:]
    tables = {
        rc["change"]["after"]["name"]
        for rc in plan["resource_changes"]
        if rc["type"] == "aws_dynamodb_table"
    }
    expected = {"orders", "ledger-entries"} | {f"acme-{t}-prod" for t in SEED_SPEC}
    assert tables == expected
