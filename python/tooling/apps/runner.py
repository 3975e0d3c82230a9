"""Access patterns as code: look a pattern up, parse its --param values, run it, format results.

The patterns themselves live with their app (tooling.apps.<app>); this module is what the `query`
command, the demo and the tests share. Showing them is the CLI's (tooling.cli.render).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from tooling.apps import AccessPattern, Param, all_apps, get_app
from tooling.errors import ToolingError, UsageError
from tooling.terraform.stack import Stack

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def all_patterns() -> list[AccessPattern]:
    return [p for app in all_apps() for p in app.patterns]


def find(app_name: str, pattern_name: str) -> AccessPattern:
    app = get_app(app_name)
    for p in app.patterns:
        if p.name == pattern_name:
            return p
    names = ", ".join(p.name for p in app.patterns)
    raise UsageError(f"unknown pattern {pattern_name} of app {app_name} (patterns: {names})")


def convert(param: Param, raw: str) -> Any:
    """One --param value converted to the parameter's type."""
    if param.type is bool:
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise UsageError(f"--param {param.name}={raw}: expected true or false")
    if param.type in (int, float):
        try:
            return param.type(raw)
        except ValueError:
            kind = "an integer" if param.type is int else "a number"
            raise UsageError(f"--param {param.name}={raw}: expected {kind}") from None
    return raw


def parse_params(pattern: AccessPattern, raw: Sequence[str] | Mapping[str, Any]) -> dict[str, Any]:
    """NAME=VALUE strings (or a mapping) -> validated params with defaults filled in."""
    known = {p.name: p for p in pattern.params}
    given: dict[str, Any] = {}
    pairs: Iterable[tuple[str, Any]]
    if isinstance(raw, Mapping):
        pairs = raw.items()
    else:
        split = []
        for text in raw:
            name, sep, value = text.partition("=")
            if not sep or not name:
                raise UsageError(f"--param {text}: expected NAME=VALUE")
            split.append((name, value))
        pairs = split
    for name, value in pairs:
        if name not in known:
            names = ", ".join(known) or "none"
            raise UsageError(
                f"unknown param {name} of {pattern.app} {pattern.name} (params: {names})"
            )
        given[name] = convert(known[name], value) if isinstance(value, str) else value
    out: dict[str, Any] = {}
    for p in pattern.params:
        if p.name in given:
            out[p.name] = given[p.name]
        elif p.required:
            raise UsageError(f"{pattern.app} {pattern.name}: missing --param {p.name}=...")
        else:
            out[p.name] = p.default
    return out


def run(pattern: AccessPattern, client: Any, stack: Stack, params: Mapping[str, Any]) -> Any:
    """Run a pattern against the stack's physical tables (params already parsed)."""
    tables = {seed: stack.physical(seed) for seed in get_app(pattern.app).tables}
    try:
        return pattern.run(client, tables, params)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
            raise
        missing = [name for name in tables.values() if not _exists(client, name)]
        if not missing:
            raise
        raise ToolingError(
            f"table {', '.join(missing)} does not exist at this endpoint ({stack.source})"
        ) from None


def _exists(client: Any, table: str) -> bool:
    try:
        client.describe_table(TableName=table)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return False
        raise
    return True


def jsonable(value: Any) -> Any:
    """Decimals as int/float, sets as sorted lists, bytes as text: JSON-ready values."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return value


def rows(result: Any) -> list[dict[str, Any]]:
    """A pattern's result as a list of items (None -> [], one item -> [item])."""
    if result is None:
        return []
    if isinstance(result, Mapping):
        return [dict(result)]
    return [dict(r) for r in result]


def to_json(result: Any) -> str:
    return json.dumps(jsonable(result), indent=2, ensure_ascii=False)


def cell(value: Any) -> str:
    """One value as short text: JSON for maps and lists, at most 60 characters."""
    v = jsonable(value)
    if isinstance(v, (dict, list)):
        text = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    else:
        text = "" if v is None else str(v)
    return text if len(text) <= 60 else text[:57] + "..."
