"""The Terraform CLI configuration the project's commands run Terraform with.

The same text as scripts/terraform-cli-config.sh (which `make setup` writes to .tfcli/terraformrc):
providers found in a local filesystem mirror are installed from it, the others from their
registries. TF_PROVIDER_MIRROR names the mirror; without it the first of MIRRORS that holds
providers is used. Commands typed directly (`python -m tooling local up`) need it when the user has
not exported TF_CLI_CONFIG_FILE, or `terraform init` cannot work offline.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from tooling.errors import UsageError

MIRRORS = (
    "/opt/tf-plugins",
    "{home}/.terraform.d/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)


def _dirs(path: Path) -> list[Path]:
    # Like find(1) without -L: a symbolic link is not descended into.
    return [p for p in path.iterdir() if p.is_dir() and not p.is_symlink()]


def _providers(mirror: Path) -> list[str]:
    """HOSTNAME/NAMESPACE/TYPE directories of a mirror (hidden hosts skipped), sorted."""
    found = [
        f"{host.name}/{namespace.name}/{kind.name}"
        for host in _dirs(mirror)
        if not host.name.startswith(".")
        for namespace in _dirs(host)
        for kind in _dirs(namespace)
    ]
    return sorted(found)


def find_mirror(env: Mapping[str, str] | None = None) -> Path | None:
    env = os.environ if env is None else env
    named = env.get("TF_PROVIDER_MIRROR")
    if named:
        if not Path(named).is_dir():
            raise UsageError(f"TF_PROVIDER_MIRROR={named} is not a directory")
        return Path(named)
    home = env.get("HOME") or "/nonexistent"
    for candidate in MIRRORS:
        path = Path(candidate.format(home=home))
        try:
            if path.is_dir() and _providers(path):
                return path
        except OSError:  # an unreadable candidate is not a mirror
            continue
    return None


def render(env: Mapping[str, str] | None = None) -> str:
    """The configuration text, byte for byte what scripts/terraform-cli-config.sh prints."""
    mirror = find_mirror(env)
    providers = _providers(mirror) if mirror is not None else []
    if mirror is None or not providers:
        return (
            "# No local provider mirror found: providers come from their registries.\n"
            "provider_installation {\n  direct {}\n}\n"
        )
    names = ", ".join(f'"{p}"' for p in providers)
    return (
        f"# Providers found in the local mirror {mirror} are installed from it; others from "
        "their registries.\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        f"    include = [{names}]\n"
        "  }\n"
        "  direct {\n"
        f"    exclude = [{names}]\n"
        "  }\n"
        "}\n"
    )


def ensure(directory: Path, env: Mapping[str, str] | None = None) -> tuple[dict[str, str], str]:
    """The variables that give Terraform the project's CLI configuration, and what was chosen.

    An exported TF_CLI_CONFIG_FILE naming a file, or the user's own ~/.terraformrc, is left to
    Terraform;
    otherwise the configuration is written to DIRECTORY/terraformrc and named in the variables.
    """
    env = os.environ if env is None else env
    current = env.get("TF_CLI_CONFIG_FILE")
    if current and Path(current).is_file():
        return {}, f"TF_CLI_CONFIG_FILE={current}"
    # A TF_CLI_CONFIG_FILE naming no file is what Terraform ignores with a warning: replaced.
    user_rc = Path(env.get("HOME") or "/nonexistent") / ".terraformrc"
    if user_rc.is_file():
        return {}, f"{user_rc} (Terraform's default)"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "terraformrc"
    text = render(env)
    if not path.is_file() or path.read_text() != text:
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(text)
        tmp.replace(path)
    mirror = find_mirror(env)
    how = f"provider mirror {mirror}" if mirror else "providers from their registries"
    return {"TF_CLI_CONFIG_FILE": str(path.resolve())}, f"{path} ({how})"
