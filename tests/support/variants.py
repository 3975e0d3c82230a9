"""Several variants of the root stack in one Terraform configuration, under one provider.

Every `terraform plan` or `apply` of the root starts the AWS provider (about 2 s of CPU to load
its schema) and every `terraform show -json` loads the schema again, so planning seven sets of
variables as seven runs costs seven of each. Calling the root as a module once per variant costs
one: the stack's code is the same, only its provider block (providers.tf, left out of the copy)
comes from the harness. A variant may set any root variable except `region`, the provider's.

`split` turns the harness's plan back into one plan per variant, shaped like `terraform show
-json` of the root with those variables (addresses without the `module.<variant>.` prefix, the
root's outputs under their own names), so the same readers work on both.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from support.paths import REPO

SEP = "__"  # harness output "<variant>__<root output>"
_OUTPUT = re.compile(r'^output "([^"]+)"', re.MULTILINE)


def root_outputs() -> list[str]:
    return sorted(o for tf in REPO.glob("*.tf") for o in _OUTPUT.findall(tf.read_text()))


def build(dest: Path, variants: Mapping[str, Mapping[str, Any]], region: str = "us-east-1") -> Path:
    """Write the harness configuration to dest (the root's copy goes to dest/stack)."""
    for name, tf_vars in variants.items():
        if not name.isidentifier() or SEP in name:
            raise ValueError(f"variant name {name!r} must be an identifier without {SEP!r}")
        if "region" in tf_vars:
            raise ValueError(f"variant {name!r} sets region, which the harness's provider owns")
    stack = dest / "stack"
    stack.mkdir(parents=True)
    for tf in REPO.glob("*.tf"):
        if tf.name != "providers.tf":
            shutil.copy2(tf, stack / tf.name)
    shutil.copytree(
        REPO / "modules", stack / "modules", ignore=shutil.ignore_patterns(".terraform")
    )
    shutil.copy2(REPO / ".terraform.lock.hcl", dest / ".terraform.lock.hcl")
    outputs = root_outputs()
    doc = {
        "provider": {"aws": {"region": region}},
        "module": {name: {"source": "./stack", **tf_vars} for name, tf_vars in variants.items()},
        "output": {
            f"{name}{SEP}{out}": {"value": f"${{module.{name}.{out}}}"}
            for name in variants
            for out in outputs
        },
    }
    (dest / "main.tf.json").write_text(json.dumps(doc, indent=2))
    return dest


def _unprefix(prefix: str, value: Any) -> Any:
    """value with `prefix.` taken off every address in it (recursively)."""
    if isinstance(value, list):
        return [_unprefix(prefix, v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, v in value.items():
        if key in ("address", "module_address", "previous_address") and isinstance(v, str):
            if v == prefix:
                continue  # the variant's own module is the root of its plan
            v = v.removeprefix(prefix + ".")
        out[key] = _unprefix(prefix, v)
    return out


def _in_variant(prefix: str, address: str) -> bool:
    return address == prefix or address.startswith(prefix + ".")


def split(raw: Mapping[str, Any], name: str, tf_vars: Mapping[str, Any]) -> dict[str, Any]:
    """The plan of one variant, out of `terraform show -json` of the harness."""
    prefix = f"module.{name}"
    planned = raw.get("planned_values", {})
    (module,) = [
        m for m in planned.get("root_module", {}).get("child_modules", []) if m["address"] == prefix
    ]
    mine = f"{name}{SEP}"

    def outputs(section: Mapping[str, Any]) -> dict[str, Any]:
        return {k.removeprefix(mine): v for k, v in section.items() if k.startswith(mine)}

    return {
        "format_version": raw.get("format_version"),
        "terraform_version": raw.get("terraform_version"),
        "variables": {k: {"value": v} for k, v in tf_vars.items()},
        "planned_values": {
            "outputs": outputs(planned.get("outputs", {})),
            "root_module": _unprefix(prefix, module),
        },
        "resource_changes": [
            _unprefix(prefix, rc)
            for rc in raw.get("resource_changes", [])
            if _in_variant(prefix, rc["address"])
        ],
        "output_changes": outputs(raw.get("output_changes", {})),
    }
