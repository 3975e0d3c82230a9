"""Shared fixtures: a moto server per session, the Terraform CLI configuration, and copies of the
Terraform tree in which each configuration is initialised and planned once per session."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tftest
from filelock import FileLock

from support import terraform as tf_support
from support import variants
from support.paths import REPO
from support.root_variants import ROOT_VARIANTS
from support.terraform import init, terraform
from tooling.dev.local import MotoServer, endpoint_env, environment
from tooling.terraform.tree import copy_root

# Longest modules first for the xdist workers (tests/support/schedule.py).
pytest_plugins = ("support.schedule",)

# Terraform and the AWS provider are Go programs that live a few seconds each, and a good part of
# their CPU goes to collecting garbage while the provider's schema is built and decoded. For the
# suite's processes (well over a hundred, on two cores) the collector runs four times less often
# (GOGC=400; each process peaks under 1 GB): 13 to 28% less CPU per plan, show or validate of the
# root, the same results (docs/testing.md). A value set by the caller wins.
os.environ.setdefault("GOGC", "400")

TF_DIRS = ("modules", "examples")


def _ensure_cli_config(tmp: Path) -> None:
    current = os.environ.get("TF_CLI_CONFIG_FILE")
    if current and Path(current).is_file():
        return
    rc = tmp / "terraformrc"
    out = subprocess.run(
        [str(REPO / "scripts" / "terraform-cli-config.sh")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rc.write_text(out)
    os.environ["TF_CLI_CONFIG_FILE"] = str(rc)


@pytest.fixture(scope="session", autouse=True)
def _temporary_files_in_basetemp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """tftest's plan(output=True) leaves its plan file in the system's temporary directory
    (eight 0.1-1 MB files a run); under the session's basetemp, pytest removes them with it."""
    saved = tempfile.tempdir
    tempfile.tempdir = str(tmp_path_factory.mktemp("tmp"))
    yield
    tempfile.tempdir = saved


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto server for the session; the standard AWS variables point at it."""
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    server = MotoServer(log_path=log).start()
    try:
        with environment(
            endpoint_env(server.url), unset=("AWS_PROFILE", "AWS_ENDPOINT_URL_DYNAMODB")
        ):
            yield server.url
    finally:
        server.stop()


def copy_tree(dest: Path) -> Path:
    """A copy of the repository's Terraform files (root, modules, examples) under dest."""
    return copy_root(REPO, dest, TF_DIRS)


class Workspace:
    """One Terraform configuration in a private copy of the tree, initialised when first needed."""

    def __init__(self, tree: Path, config: str, shared: SharedCache) -> None:
        self.config = config
        self.dir = tree / config if config != "." else tree
        self.tf = tftest.TerraformTest(str(self.dir), binary="terraform")
        self._shared = shared
        self._ready = False
        self._plans: dict[str, tftest.TerraformPlanOutput] = {}

    def setup(self) -> None:
        if not self._ready:
            init(self.dir)
            self._ready = True

    def plan(self, **tf_vars: Any) -> tftest.TerraformPlanOutput:
        """The plan for these variables, computed once per session (whichever worker asks first)."""
        key = f"{self.config}|{sorted(tf_vars.items())!r}"
        if key not in self._plans:

            def compute() -> dict[str, Any]:
                self.setup()
                return self.tf.plan(output=True, tf_vars=tf_vars)._raw

            self._plans[key] = tftest.TerraformPlanOutput(self._shared(key, compute))
        return self._plans[key]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        self.setup()
        return terraform(self.dir, *args, check=check)


SharedCache = Callable[[str, Callable[[], Any]], Any]


@pytest.fixture(scope="session")
def shared_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of the run that every xdist worker sees (a worker's basetemp sits in the run's
    own directory)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(request.config, "workerinput") else base


@pytest.fixture(scope="session", autouse=True)
def _init_once_per_configuration(shared_dir: Path) -> Iterator[None]:
    """support.terraform.init copies one real `terraform init` per configuration."""
    tf_support.INIT_CACHE = shared_dir / "terraform-init"
    tf_support.INIT_CACHE.mkdir(exist_ok=True)
    yield
    tf_support.INIT_CACHE = None


@pytest.fixture(scope="session")
def shared_cache(request: pytest.FixtureRequest, shared_dir: Path) -> SharedCache:
    """get(key, compute): compute()'s JSON value, computed by one test worker and read by the
    others (plans cost seconds of CPU each; the session's workers share the machine's cores).
    A computation that raises is not cached."""
    cache = shared_dir / "shared-cache"
    cache.mkdir(exist_ok=True)

    def get(key: str, compute: Callable[[], Any]) -> Any:
        path = cache / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"
        with FileLock(f"{path}.lock"):
            if path.is_file():
                return json.loads(path.read_text())
            value = compute()
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(value))
            tmp.replace(path)
            return value

    return get


@pytest.fixture(scope="session")
def tf_tree(tmp_path_factory: pytest.TempPathFactory, moto_server: str) -> Path:
    """The copy of the Terraform tree used for plans (no state is ever written to it)."""
    _ensure_cli_config(tmp_path_factory.mktemp("tfcli"))
    return copy_tree(tmp_path_factory.mktemp("plans"))


@pytest.fixture(scope="session")
def workspaces(tf_tree: Path, shared_cache: SharedCache) -> Any:
    """Factory: the Workspace of a configuration ('.' is the root stack)."""
    cache: dict[str, Workspace] = {}

    def get(config: str = ".") -> Workspace:
        if config not in cache:
            cache[config] = Workspace(tf_tree, config, shared_cache)
        return cache[config]

    return get


@pytest.fixture(scope="session")
def root_variants(
    tf_tree: Path, shared_cache: SharedCache
) -> dict[str, tftest.TerraformPlanOutput]:
    """The plan of the root under each set of variables of ROOT_VARIANTS, by name: one harness
    configuration calls the root once per set (tests/support/variants.py), planned once."""

    def compute() -> dict[str, Any]:
        harness = variants.build(tf_tree / "root-variants", ROOT_VARIANTS)
        init(harness)
        return tftest.TerraformTest(str(harness), binary="terraform").plan(output=True)._raw

    raw = shared_cache(f"root-variants|{ROOT_VARIANTS!r}", compute)
    return {
        name: tftest.TerraformPlanOutput(variants.split(raw, name, tf_vars))
        for name, tf_vars in ROOT_VARIANTS.items()
    }


@pytest.fixture(scope="session")
def fresh_tree(tmp_path_factory: pytest.TempPathFactory, moto_server: str) -> Any:
    """Factory: a new private copy of the tree for tests that apply (and so write state)."""
    _ensure_cli_config(tmp_path_factory.mktemp("tfcli"))

    def make(label: str) -> Path:
        return copy_tree(tmp_path_factory.mktemp(label))

    return make
