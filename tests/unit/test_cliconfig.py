"""The Terraform CLI configuration commands write when none is set: the same text as
scripts/terraform-cli-config.sh (what `make setup` writes), and left alone when the user has one."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from support.paths import REPO
from tooling.errors import UsageError
from tooling.terraform import cliconfig

SCRIPT = REPO / "scripts" / "terraform-cli-config.sh"


def _script(env: dict[str, str]) -> str:
    return subprocess.run(
        [str(SCRIPT)], env={**env, "LC_ALL": "C"}, capture_output=True, text=True, check=True
    ).stdout


def _mirror(root: Path) -> Path:
    for provider in ("registry.terraform.io/hashicorp/aws", "example.com/acme/thing"):
        (root / provider / "1.0.0").mkdir(parents=True)
    (root / ".hidden" / "ns" / "x").mkdir(parents=True)  # hidden hosts are not providers
    (root / "linked").symlink_to(root / "example.com")  # nor is a link into the mirror
    return root


def test_same_text_as_the_script_for_a_named_mirror(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "TF_PROVIDER_MIRROR": str(tmp_path)}
    _mirror(tmp_path)
    text = cliconfig.render(env)
    assert text == _script(env)
    assert 'include = ["example.com/acme/thing", "registry.terraform.io/hashicorp/aws"]' in text


def test_same_text_as_the_script_without_a_named_mirror(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    assert cliconfig.render(env) == _script(env)


def test_a_named_mirror_must_exist(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="TF_PROVIDER_MIRROR"):
        cliconfig.render({"TF_PROVIDER_MIRROR": str(tmp_path / "none")})


def test_the_users_own_configuration_is_left_alone(tmp_path: Path) -> None:
    own = tmp_path / "own.tfrc"
    own.write_text("# mine\n")
    env, how = cliconfig.ensure(tmp_path / "out", {"TF_CLI_CONFIG_FILE": str(own)})
    assert env == {} and str(own) in how and not (tmp_path / "out").exists()
    (tmp_path / ".terraformrc").write_text("# mine\n")
    env, how = cliconfig.ensure(tmp_path / "out", {"HOME": str(tmp_path)})
    assert env == {} and ".terraformrc" in how


def test_a_variable_naming_no_file_is_replaced(tmp_path: Path) -> None:
    given = {"TF_CLI_CONFIG_FILE": str(tmp_path / "missing"), "HOME": str(tmp_path)}
    given["TF_PROVIDER_MIRROR"] = str(_mirror(tmp_path / "mirror"))
    env, _how = cliconfig.ensure(tmp_path / "out", given)
    written = Path(env["TF_CLI_CONFIG_FILE"])
    assert written == (tmp_path / "out" / "terraformrc").resolve()
    assert written.read_text() == cliconfig.render(given)
