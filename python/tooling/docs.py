"""Inputs and outputs tables for module READMEs, generated from the .tf files.

terraform-docs cannot be installed here, so the tables are built with python-hcl2: names,
descriptions, defaults and whether an input is required come from the parsed HCL; the type is
the expression as written (whitespace folded), read from the source lines hcl2 reports. The
tables live between BEGIN/END markers, so the rest of a README stays hand-written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2

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


def _first(block: dict[str, Any], key: str, default: Any = None) -> Any:
    value = block.get(key, default)
    return value[0] if isinstance(value, list) and value and key != "default" else value


def _type_expression(source_lines: list[str], start: int, end: int) -> str:
    """The text after `type =` inside lines start..end (1-based), up to balanced brackets."""
    text = "\n".join(source_lines[start - 1 : end])
    match = re.search(r"^\s*type\s*=\s*", text, re.MULTILINE)
    if not match:
        return "any"
    depth, out = 0, []
    for ch in text[match.end() :]:
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if ch == "\n" and depth == 0:
            break
        out.append(ch)
    # One line: fields of a multi-line object type are joined with ", ".
    joined = ""
    for line in (ln.strip() for ln in "".join(out).splitlines()):
        if not line:
            continue
        if joined and not joined.endswith(("(", "{", "[")) and not line.startswith((")", "}", "]")):
            joined += ", "
        joined += line
    return joined


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open() as f:
            return hcl2.load(f)
    except Exception as exc:  # hcl2 raises lark errors of many kinds
        raise UsageError(f"{path}: cannot parse HCL: {str(exc).splitlines()[0]}") from None


def read_module(module_dir: Path) -> tuple[list[Input], list[Output]]:
    inputs: list[Input] = []
    outputs: list[Output] = []
    for path in sorted(module_dir.glob("*.tf")):
        parsed = _load(path)
        lines = path.read_text().splitlines()
        for entry in parsed.get("variable", []):
            for name, block in entry.items():
                has_default = "default" in block
                inputs.append(
                    Input(
                        name=name,
                        type=_type_expression(
                            lines, block["__start_line__"], block["__end_line__"]
                        ),
                        description=str(_first(block, "description", "")).strip(),
                        default=block["default"][0] if has_default else None,
                        required=not has_default,
                    )
                )
        for entry in parsed.get("output", []):
            for name, block in entry.items():
                outputs.append(Output(name, str(_first(block, "description", "")).strip()))
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
        raise ToolingError(f"no Terraform modules under {repo}/modules or {repo}/examples")
    return sorted(dirs)
