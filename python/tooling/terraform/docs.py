"""Inputs and outputs tables for module READMEs, generated from the .tf files.

terraform-docs cannot be installed here, so the tables are built with python-hcl2 (>= 8, which
prints type expressions canonically on one line): names, descriptions, types, defaults and whether
an input is required all come from the parsed HCL. The tables live between BEGIN/END markers, so
the rest of a README stays hand-written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tooling.errors import ToolingError, UsageError

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"


@dataclass(frozen=True)
class Input:
    name: str
    type: str
    description: str
    default: Any
    required: bool


@dataclass(frozen=True)
class Output:
    name: str
    description: str


def _load(path: Path) -> dict[str, Any]:
    # python-hcl2 is a maintainers' dependency (the `dev` extra): imported only when docs run.
    try:
        import hcl2
        from hcl2.utils import SerializationOptions
    except ImportError:
        raise ToolingError(
            "`docs` needs python-hcl2, a maintainers' tool: pip install 'dynamodb-tooling[dev]'"
        ) from None
    options = SerializationOptions(strip_string_quotes=True, preserve_heredocs=False)
    try:
        with path.open() as f:
            return hcl2.load(f, serialization_options=options)
    except Exception as exc:  # hcl2 raises lark errors of many kinds
        raise UsageError(f"{path}: cannot parse HCL: {str(exc).splitlines()[0]}") from None


def _expression(value: Any) -> str:
    """A type as written: hcl2 gives `${map(object({...}))}` for expressions, `string` for names."""
    text = str(value)
    return text[2:-1] if text.startswith("${") and text.endswith("}") else text


def read_module(module_dir: Path) -> tuple[list[Input], list[Output]]:
    inputs: list[Input] = []
    outputs: list[Output] = []
    for path in sorted(module_dir.glob("*.tf")):
        parsed = _load(path)
        for entry in parsed.get("variable", []):
            for name, block in entry.items():
                inputs.append(
                    Input(
                        name=name,
                        type=_expression(block.get("type", "any")),
                        description=str(block.get("description", "")).strip(),
                        default=block.get("default"),
                        required="default" not in block,
                    )
                )
        for entry in parsed.get("output", []):
            for name, block in entry.items():
                outputs.append(Output(name, str(block.get("description", "")).strip()))
    return sorted(inputs, key=lambda i: i.name), sorted(outputs, key=lambda o: o.name)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _default(value: Any) -> str:
    if value is None:
        return "`null`"
    rendered = json.dumps(value, separators=(",", ":"))
    return f"`{_cell(rendered)}`"


def render(module_dir: Path) -> str:
    inputs, outputs = read_module(module_dir)
    parts = [BEGIN, "## Inputs", ""]
    if inputs:
        parts += [
            "| Name | Description | Type | Default | Required |",
            "| --- | --- | --- | --- | --- |",
        ]
        parts += [
            f"| `{i.name}` | {_cell(i.description)} | `{_cell(i.type)}` | "
            f"{'n/a' if i.required else _default(i.default)} | {'yes' if i.required else 'no'} |"
            for i in inputs
        ]
    else:
        parts.append("No inputs.")
    parts += ["", "## Outputs", ""]
    if outputs:
        parts += ["| Name | Description |", "| --- | --- |"]
        parts += [f"| `{o.name}` | {_cell(o.description)} |" for o in outputs]
    else:
        parts.append("No outputs.")
    parts.append(END)
    return "\n".join(parts)


def updated_readme(module_dir: Path) -> tuple[Path, str, str]:
    """(README path, current text, text with fresh tables)."""
    readme = module_dir / "README.md"
    current = readme.read_text() if readme.exists() else f"# {module_dir.name}\n"
    block = render(module_dir)
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        new = f"{head}{block}{tail}"
    else:
        new = f"{current.rstrip()}\n\n{block}\n"
    return readme, current, new


def module_dirs(repo: Path) -> list[Path]:
    dirs = [p.parent for p in repo.glob("modules/*/variables.tf")]
    dirs += [p.parent for p in repo.glob("examples/*/main.tf")]
    if not dirs:
        raise UsageError(f"no Terraform modules under {repo}/modules or {repo}/examples")
    return sorted(dirs)
