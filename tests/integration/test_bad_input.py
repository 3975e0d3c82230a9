"""The bad-input catalogue: every command given malformed files, bad flags, unknown names, an
unreachable endpoint or a table that is not deployed.

Each case runs the real CLI (in-process through `tooling.cli.main`; a few also as a child process)
against a private moto server and asserts the contract of README "Every command": exit 2 for bad
input, 1 for a runtime failure; stderr exactly one `error: ...` line naming the problem and where;
no traceback; no output file created; the tables' contents unchanged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from support.plans import plan_doc, table_values
from tooling import aws, cli
from tooling.dev.local import MotoServer, free_port

pytestmark = pytest.mark.integration

GARBAGE = bytes(range(256)) * 4  # not UTF-8, not JSON, not YAML
ITEM = '{"Item": {"PK": {"S": "USER#1"}, "SK": {"S": "PROFILE"}, "n": {"N": "1"}}}'
ENTRY = '{"0523": {"1300": {"Medications": {"oxycodone": "5mg"}, "Pain": {"back": 6}}}}'


def _item(pk: str, extra: dict[str, Any] | None = None, sk: str = "S") -> str:
    return json.dumps({"Item": {"PK": {"S": pk}, "SK": {"S": sk}, **(extra or {})}}) + "\n"


ITEMS_100 = "".join(_item(f"USER#{i}") for i in range(100))

FILES: dict[str, str | bytes] = {
    "garbage.bin": GARBAGE,
    "empty.txt": "",
    # migrate fusion: entries.json
    "entries-truncated.json": ENTRY[:40],
    "entries-nesting.json": '{"0523": [{"Pain": {"back": 6}}]}',
    "entries-type.json": '{"0523": {"1300": {"Pain": {"back": [6]}}}}',
    "entries-unknown.json": '{"0523": {"1300": {"Mood": "fine"}}}',
    "entries-date.json": '{"523": {"1300": {}}}',
    "entries-number.json": '{"0523": {"1300": {"Activities": {"walking": %s}}}}' % ("1234" * 10),
    "entries-ok.json": ENTRY,
    # import: DynamoDB JSON lines (valid lines first: nothing may be written before the bad one)
    "items-truncated.jsonl": f"{ITEM}\n{ITEM}\n{ITEM[:30]}\n",
    "items-nesting.jsonl": f'{ITEM}\n{{"Items": [{ITEM}]}}\n',
    "items-type.jsonl": f'{ITEM}\n{{"Item": {{"PK": {{"S": 5}}, "SK": {{"S": "x"}}}}}}\n',
    "items-unknown-type.jsonl": '{"Item": {"PK": {"S": "a"}, "SK": {"Q": "b"}}}\n',
    "items-no-key.jsonl": f'{ITEM}\n{{"Item": {{"PK": {{"S": "a"}}}}}}\n',
    "items-key-type.jsonl": f'{ITEM}\n{{"Item": {{"PK": {{"N": "1"}}, "SK": {{"S": "b"}}}}}}\n',
    "items-not-object.jsonl": f"{ITEM}\n[1, 2]\n",
    "items-number.jsonl": ITEM
    + '\n{"Item": {"PK": {"S": "b"}, "SK": {"S": "c"}, "n": {"N": "1e999"}}}\n',
    "items-empty-key.jsonl": f'{ITEM}\n{{"Item": {{"PK": {{"S": ""}}, "SK": {{"S": "b"}}}}}}\n',
    "items-ok.jsonl": f"{ITEM}\n",
    # `seed --dry-run` lines of another table (a dry run writes every table of the apps)
    "items-other-table.jsonl": '{"table": "UpNest-Users", "item": {"userId": {"S": "u1"}}}\n',
    # import: what DynamoDB itself would refuse, after 100 valid lines
    "items-too-big.jsonl": ITEMS_100 + _item("big", {"pad": {"S": "x" * 409_600}}),
    "items-pk-too-long.jsonl": ITEMS_100 + _item("p" * 2049),
    "items-sk-too-long.jsonl": ITEMS_100 + _item("a", sk="s" * 1025),
    "items-null-false.jsonl": ITEMS_100 + _item("a", {"gone": {"NULL": False}}),
    "items-number-space.jsonl": ITEMS_100 + _item("a", {"n": {"N": " 1"}}),
    "items-number-underscore.jsonl": ITEMS_100 + _item("a", {"n": {"N": "1_000"}}),
    "items-number-arabic.jsonl": ITEMS_100 + _item("a", {"n": {"N": "\u0663"}}),
    "items-ns-duplicate.jsonl": ITEMS_100 + _item("a", {"ns": {"NS": ["1", "1.0"]}}),
    "items-bad-byte-51.jsonl": "".join(_item(f"U{i}") for i in range(50)).encode()
    + b'{"Item": {"PK": {"S": "\xff"}, "SK": {"S": "x"}}}\n',
    # migrate: dates and readings that only look valid
    "entries-arabic-digit.json": '{"052\u0663": {"1300": {}}}',
    "entries-space-date.json": '{"05 3": {"1300": {}}}',
    "entries-o2.json": '{"0523": {"1300": {"o2": "%s"}}}' % ("9" * 29),
    # cost: usage YAML against a small plan
    "usage-truncated.yaml": "tables:\n  orders: {items: 1\n",
    "usage-nesting.yaml": "tables:\n  - orders\n",
    "usage-type.yaml": "tables:\n  orders: {item_size_bytes: 100, items: lots}\n",
    "usage-unknown-key.yaml": "tables:\n  orders: {item_size_bytes: 100, itemz: 5}\n",
    "usage-unknown-table.yaml": "tables:\n  no-such-table: {item_size_bytes: 100, items: 5}\n",
    "usage-negative.yaml": "tables:\n  orders: {item_size_bytes: 100, items: -5}\n",
    "usage-ok.yaml": "tables:\n  orders: {item_size_bytes: 100, items: 5}\n",
    "usage-pattern-unknown.yaml": "tables: {orders: {}}\npatterns: {schizodot/get-jobz: {}}\n",
    "usage-pattern-name.yaml": "tables: {orders: {}}\npatterns: {schizodot/x: {calls_per_day: 1}}",
    "usage-pattern-rate.yaml": "tables: {orders: {}}\npatterns:\n  s/p: {calls_per_day: lots}\n",
    "usage-huge.yaml": "tables:\n  orders: {items: 1.0e+308}\n",
    "usage-rate.yaml": "tables:\n  orders: {writes_per_second: 1.0e+308}\n",
    "usage-deep.yaml": "tables: " + "[" * 5000 + "]" * 5000 + "\n",
    "usage-big.yaml": "tables:\n  orders: {items: 1}\n" + "#" * (10 * 1024 * 1024) + "\n",
    "pricing-string.yaml": "region: us-east-1\nsource: s\ndate: 2024-11-01\n"
    "storage: {gb_month: '1'}\n",
    "sample-bad.jsonl": '{"table": "orders", "item": {"pk": {"S": "a"}}}\nnot json\n',
    "plan-ok.json": json.dumps(plan_doc(table_values("orders"))),
    # check-plan: terraform show -json
    "plan-truncated.json": json.dumps(plan_doc(table_values("orders")))[:100],
    "plan-state.json": '{"format_version": "1.0", "values": {"root_module": {}}}',
    "plan-nesting.json": '{"format_version": "1.2", "resource_changes": {"a": 1}}',
    "plan-list.json": "[]",
}


@dataclass(frozen=True)
class Case:
    """argv with {placeholders}; the exit code; what the error line must name; files that must
    not exist afterwards."""

    id: str
    argv: str
    code: int
    names: tuple[str, ...]
    absent: tuple[str, ...] = ()


def C(id: str, argv: str, code: int, *names: str, absent: tuple[str, ...] = ()) -> Case:
    return Case(id, argv, code, names, absent)


SEED = "seed --tf-dir {nostate} --endpoint-url {url}"
MIGRATE = "migrate fusion {{}} --tf-dir {nostate} --endpoint-url {url}"
QUERY = "query --tf-dir {nostate} --endpoint-url {url}"
EXPORT = "export --tf-dir {nostate} --endpoint-url {url}"
IMPORT = "import --tf-dir {nostate} --endpoint-url {url} --table mediphant-data"
COST = "cost --plan {d}/plan-ok.json --output {d}/out/cost.json --format json --usage"
OUT = "{d}/out/"
DIFF = "cost diff --plan {d}/plan-ok.json"
PATTERNS = "cost patterns --plan {d}/plan-ok.json"
METRICS = "cost usage-from-metrics --tf-dir {nostate}"


def _migrate(file: str) -> str:
    return MIGRATE.replace("{{}}", "{d}/" + file)


CASES = [
    # -- seed ------------------------------------------------------------------------------------
    C("seed-unknown-flag", f"{SEED} --sclae 2", 2, "unrecognized arguments: --sclae"),
    C("seed-bad-number", f"{SEED} --scale lots", 2, "--scale", "'lots'"),
    C("seed-negative-scale", f"{SEED} --scale -1", 2, "--scale -1", "> 0"),
    C("seed-zero-workers", f"{SEED} --workers 0", 2, "--workers 0"),
    C("seed-nan-scale", f"{SEED} --scale nan", 2, "--scale nan", "> 0"),
    C("seed-infinite-scale", f"{SEED} --scale 1e308", 2, "--scale 1e+308", "<= 10000"),
    C("seed-huge-workers", f"{SEED} --workers 100000", 2, "--workers 100000", "<= 256"),
    C("seed-huge-random-seed", f"{SEED} --random-seed {2**70}", 2, "--random-seed"),
    C("seed-huge-attempts", f"{SEED} --max-attempts 1000000", 2, "--max-attempts"),
    C("seed-zero-attempts", f"{SEED} --max-attempts 0", 2, "--max-attempts 0"),
    C("seed-bad-random-seed", f"{SEED} --random-seed x", 2, "--random-seed", "'x'"),
    C("seed-unknown-app", f"{SEED} --apps nope", 2, "unknown app nope"),
    C("seed-apps-missing-arg", f"{SEED} --apps", 2, "--apps", "expected at least one"),
    C(
        "seed-output-without-dry-run",
        f"{SEED} -o {OUT}seed.jsonl",
        2,
        "--output",
        "--dry-run",
        absent=("out/seed.jsonl",),
    ),
    C(
        "seed-dry-run-output-dir-missing",
        f"{SEED} --dry-run -o {{d}}/no-dir/seed.jsonl",
        2,
        "--output",
        "no-dir",
        absent=("no-dir",),
    ),
    C(
        "seed-no-such-tf-dir",
        "seed --tf-dir {d}/no-stack --apps mediphant",
        2,
        "--tf-dir",
        "no-stack",
    ),
    C("seed-table-not-deployed", f"{SEED} --apps upnest", 1, "UpNest-", "does not exist"),
    C("seed-unreachable", f"{SEED} --apps mediphant --endpoint-url {{closed}}", 1, "{closed}"),
    # -- migrate ---------------------------------------------------------------------------------
    C("migrate-missing-arg", "migrate fusion", 2, "ENTRIES_JSON"),
    C("migrate-unknown-source", "migrate fuzion {d}/entries-ok.json", 2, "'fuzion'", "fusion"),
    C("migrate-unknown-flag", _migrate("entries-ok.json") + " --dryrun", 2, "--dryrun"),
    C("migrate-no-such-file", _migrate("nope.json"), 2, "nope.json", "no such file"),
    C("migrate-directory", MIGRATE.replace("{{}}", "{d}"), 2, "is a directory"),
    C("migrate-empty", _migrate("empty.txt"), 2, "empty.txt", "empty file"),
    C("migrate-garbage", _migrate("garbage.bin"), 2, "garbage.bin", "not UTF-8"),
    C("migrate-truncated", _migrate("entries-truncated.json"), 2, "entries-truncated", "line 1"),
    C("migrate-nesting", _migrate("entries-nesting.json"), 2, "entries-nesting.json: 0523"),
    C("migrate-type", _migrate("entries-type.json"), 2, "entries-type.json: 0523/1300: Pain"),
    C(
        "migrate-no-such-tf-dir",
        "migrate fusion {d}/entries-ok.json --tf-dir {d}/no",
        2,
        "--tf-dir",
    ),
    C("migrate-unknown-key", _migrate("entries-unknown.json"), 2, "0523/1300", "Mood"),
    C("migrate-number", _migrate("entries-number.json"), 2, "0523/1300: Activities", "38"),
    C("migrate-bad-date", _migrate("entries-date.json"), 2, "entries-date.json: 523", "MMDD"),
    C("migrate-arabic-digit", _migrate("entries-arabic-digit.json"), 2, "not a date MMDD"),
    C("migrate-space-date", _migrate("entries-space-date.json"), 2, "05 3", "not a date MMDD"),
    C("migrate-o2", _migrate("entries-o2.json"), 2, "0523/1300: o2", "oxygen saturation"),
    C(
        "migrate-unreachable",
        _migrate("entries-ok.json") + " --endpoint-url {closed}",
        1,
        "{closed}",
    ),
    # -- query -----------------------------------------------------------------------------------
    C("query-no-app", QUERY, 2, "APP and PATTERN"),
    C("query-unknown-app", f"{QUERY} fusion entries-for-date", 2, "unknown app fusion"),
    C("query-unknown-pattern", f"{QUERY} upnest get-usr", 2, "unknown pattern get-usr"),
    C(
        "query-unknown-param",
        f"{QUERY} fusion-health entries-for-date --param date=0523 --param time=1",
        2,
        "unknown param time",
    ),
    C("query-missing-param", f"{QUERY} fusion-health entries-for-date", 2, "date"),
    C("query-param-no-equals", f"{QUERY} fusion-health entries-for-date --param 0523", 2, "0523"),
    C(
        "query-bad-value",
        f"{QUERY} fusion-health entries-by-pain-level --param level=eight",
        2,
        "level",
        "eight",
    ),
    C(
        "query-no-such-tf-dir",
        "query upnest get-user --param user_id=u1 --tf-dir {d}/no-stack",
        2,
        "--tf-dir",
        "no-stack",
    ),
    C("query-bad-format", f"{QUERY} upnest get-user --format xml", 2, "--format", "'xml'"),
    C(
        "query-table-not-deployed",
        f"{QUERY} upnest get-user --param user_id=u1",
        1,
        "UpNest-Users",
    ),
    C(
        "query-unreachable",
        f"{QUERY} mediphant user-sessions --param user_id=u1 --endpoint-url {{closed}}",
        1,
        "{closed}",
    ),
    # -- export ----------------------------------------------------------------------------------
    C("export-no-such-tf-dir", "export mediphant-data -o {d}/out/x --tf-dir {d}/no", 2, "--tf-dir"),
    C("export-missing-output", f"{EXPORT} mediphant-data", 2, "-o/--output"),
    C(
        "export-bad-segments",
        f"{EXPORT} mediphant-data -o {OUT}e.jsonl --segments 0",
        2,
        "--segments 0",
        absent=("out/e.jsonl",),
    ),
    C(
        "export-huge-segments",
        f"{EXPORT} mediphant-data -o {OUT}e.jsonl --segments 1000000",
        2,
        "--segments 1000000",
        "<= 1000",
        absent=("out/e.jsonl",),
    ),
    C(
        "export-segments-not-a-number",
        f"{EXPORT} mediphant-data -o {OUT}e.jsonl --segments four",
        2,
        "--segments",
        "'four'",
    ),
    C(
        "export-output-dir-missing",
        f"{EXPORT} mediphant-data -o {{d}}/no-dir/e.jsonl",
        2,
        "--output",
        "no-dir",
        absent=("no-dir",),
    ),
    C(
        "export-table-not-deployed",
        f"{EXPORT} UpNest-Users -o {OUT}e.jsonl",
        1,
        "UpNest-Users",
        "does not exist",
        absent=("out/e.jsonl", "out/e.jsonl.partial"),
    ),
    C(
        "export-unreachable",
        f"{EXPORT} mediphant-data -o {OUT}e.jsonl --endpoint-url {{closed}}",
        1,
        "{closed}",
        absent=("out/e.jsonl", "out/e.jsonl.partial"),
    ),
    # -- import ----------------------------------------------------------------------------------
    C("import-missing-table-flag", "import {d}/items-ok.jsonl", 2, "--table"),
    C("import-no-such-file", f"{IMPORT} {{d}}/nope.jsonl", 2, "nope.jsonl", "no such file"),
    C("import-garbage", f"{IMPORT} {{d}}/garbage.bin", 2, "garbage.bin: line 1"),
    C("import-truncated", f"{IMPORT} {{d}}/items-truncated.jsonl", 2, "truncated", "line 3"),
    C("import-nesting", f"{IMPORT} {{d}}/items-nesting.jsonl", 2, "nesting.jsonl: line 2"),
    C("import-wrong-type", f"{IMPORT} {{d}}/items-type.jsonl", 2, "type.jsonl: line 2"),
    C("import-unknown-type", f"{IMPORT} {{d}}/items-unknown-type.jsonl", 2, "line 1", "Q"),
    C("import-no-key", f"{IMPORT} {{d}}/items-no-key.jsonl", 2, "line 2", "SK"),
    C("import-key-type", f"{IMPORT} {{d}}/items-key-type.jsonl", 2, "line 2", "PK is N"),
    C("import-number-range", f"{IMPORT} {{d}}/items-number.jsonl", 2, "line 2", "range"),
    C("import-empty-key", f"{IMPORT} {{d}}/items-empty-key.jsonl", 2, "line 2", "PK is empty"),
    C("import-not-object", f"{IMPORT} {{d}}/items-not-object.jsonl", 2, "line 2"),
    C("import-other-table", f"{IMPORT} {{d}}/items-other-table.jsonl", 2, "line 1", "UpNest-Users"),
    C("import-too-big", f"{IMPORT} {{d}}/items-too-big.jsonl", 2, "line 101", "400 KB"),
    C("import-pk-too-long", f"{IMPORT} {{d}}/items-pk-too-long.jsonl", 2, "line 101", "2,048"),
    C("import-sk-too-long", f"{IMPORT} {{d}}/items-sk-too-long.jsonl", 2, "line 101", "1,024"),
    C("import-null-false", f"{IMPORT} {{d}}/items-null-false.jsonl", 2, "line 101", "NULL"),
    C("import-number-space", f"{IMPORT} {{d}}/items-number-space.jsonl", 2, "line 101", "' 1'"),
    C("import-number-underscore", f"{IMPORT} {{d}}/items-number-underscore.jsonl", 2, "1_000"),
    C("import-number-arabic", f"{IMPORT} {{d}}/items-number-arabic.jsonl", 2, "not a number"),
    C("import-ns-duplicate", f"{IMPORT} {{d}}/items-ns-duplicate.jsonl", 2, "duplicates"),
    C("import-bad-byte", f"{IMPORT} {{d}}/items-bad-byte-51.jsonl", 2, "line 51", "UTF-8"),
    C("import-huge-workers", f"{IMPORT} {{d}}/items-ok.jsonl --workers 99999", 2, "--workers"),
    C("import-zero-workers", f"{IMPORT} {{d}}/items-ok.jsonl --workers 0", 2, "--workers 0"),
    C(
        "import-table-not-deployed",
        "import {d}/items-ok.jsonl --table UpNest-Users --tf-dir {nostate} --endpoint-url {url}",
        1,
        "UpNest-Users",
        "does not exist",
    ),
    C(
        "import-unreachable",
        f"{IMPORT} {{d}}/items-ok.jsonl --endpoint-url {{closed}}",
        1,
        "{closed}",
    ),
    # -- cost ------------------------------------------------------------------------------------
    C("cost-missing-usage", "cost --plan {d}/plan-ok.json", 2, "--usage"),
    C("cost-no-such-usage", f"{COST} {{d}}/nope.yaml", 2, "nope.yaml", absent=("out",)),
    C("cost-empty-usage", f"{COST} {{d}}/empty.txt", 2, "empty.txt", absent=("out",)),
    C("cost-garbage-usage", f"{COST} {{d}}/garbage.bin", 2, "garbage.bin", absent=("out",)),
    C("cost-truncated-usage", f"{COST} {{d}}/usage-truncated.yaml", 2, "usage-truncated.yaml"),
    C("cost-nesting-usage", f"{COST} {{d}}/usage-nesting.yaml", 2, "usage-nesting", "tables"),
    C("cost-type-usage", f"{COST} {{d}}/usage-type.yaml", 2, "orders", "items", absent=("out",)),
    C("cost-unknown-key", f"{COST} {{d}}/usage-unknown-key.yaml", 2, "orders", "itemz"),
    C("cost-unknown-table", f"{COST} {{d}}/usage-unknown-table.yaml", 2, "no-such-table"),
    C("cost-negative", f"{COST} {{d}}/usage-negative.yaml", 2, "orders", "items"),
    C("cost-huge", f"{COST} {{d}}/usage-huge.yaml", 2, "orders.items", "<= 1e+15", absent=("out",)),
    C("cost-huge-rate", f"{COST} {{d}}/usage-rate.yaml", 2, "orders.writes_per_second", "<= 1e+15"),
    C("cost-deep-usage", f"{COST} {{d}}/usage-deep.yaml", 2, "usage-deep.yaml", "nested deeper"),
    C("cost-big-usage", f"{COST} {{d}}/usage-big.yaml", 2, "usage-big.yaml", "larger than 1024 KB"),
    C(
        "cost-pricing-string",
        "cost --usage {d}/usage-ok.yaml --plan {d}/plan-ok.json --pricing {d}/pricing-string.yaml",
        2,
        "pricing-string.yaml",
        "storage.gb_month: must be a number",
    ),
    C(
        "cost-bad-sample-items",
        "cost --usage {d}/usage-ok.yaml --plan {d}/plan-ok.json "
        "--sample-items {d}/sample-bad.jsonl",
        2,
        "sample-bad.jsonl",
        "line 2: not JSON",
    ),
    C(
        "cost-garbage-plan",
        "cost --usage {d}/usage-ok.yaml --plan {d}/garbage.bin --output {d}/out/c.json",
        2,
        "garbage.bin",
        absent=("out",),
    ),
    C("cost-empty-plan", "cost --usage {d}/usage-ok.yaml --plan {d}/empty.txt", 2, "empty.txt"),
    C(
        "cost-plan-and-tf-dir",
        "cost --usage {d}/usage-ok.yaml --plan {d}/plan-ok.json --tf-dir {d}",
        2,
        "--tf-dir",
        "--plan",
    ),
    C("cost-bad-format", "cost --usage {d}/usage-ok.yaml --format pdf", 2, "--format", "'pdf'"),
    # -- cost diff -------------------------------------------------------------------------------
    C("cost-diff-missing-plan", "cost diff --base {d}/plan-ok.json", 2, "--plan"),
    C(
        "cost-diff-garbage-base",
        f"{DIFF} --base {{d}}/garbage.bin --usage {{d}}/usage-ok.yaml --output {OUT}diff.md",
        2,
        "garbage.bin",
        absent=("out",),
    ),
    C("cost-diff-no-such-base", f"{DIFF} --base {{d}}/nope.json", 2, "--base", "nope.json"),
    C(
        "cost-diff-state-is-not-a-plan",
        f"{DIFF} --base {{d}}/plan-list.json --usage {{d}}/usage-ok.yaml",
        2,
        "plan-list.json",
    ),
    C(
        "cost-diff-unknown-table",
        f"{DIFF} --base {{d}}/plan-ok.json --usage {{d}}/usage-unknown-table.yaml",
        2,
        "no-such-table",
    ),
    C("cost-diff-bad-usage", f"{DIFF} --usage {{d}}/usage-type.yaml", 2, "orders", "items"),
    C("cost-diff-fail-above-text", f"{DIFF} --fail-above lots", 2, "--fail-above", "'lots'"),
    C("cost-diff-fail-above-negative", f"{DIFF} --fail-above -1", 2, "--fail-above", ">= 0"),
    C("cost-diff-fail-above-nan", f"{DIFF} --fail-above nan", 2, "--fail-above", "'nan'"),
    C("cost-diff-bad-format", f"{DIFF} --format csv", 2, "--format", "'csv'"),
    C(
        "cost-diff-output-dir-missing",
        f"{DIFF} --usage {{d}}/usage-ok.yaml --output {{d}}/no-dir/diff.md",
        2,
        "--output",
        "no-dir",
        absent=("no-dir",),
    ),
    C("cost-diff-unknown-flag", f"{DIFF} --fail-abvoe 3", 2, "--fail-abvoe"),
    C(
        "cost-diff-usage-before-diff",
        "cost --usage {d}/usage-ok.yaml diff --plan {d}/plan-ok.json",
        2,
        "cost diff: give --usage after `diff`",
    ),
    # -- cost patterns ----------------------------------------------------------------------------
    C(
        "cost-patterns-unknown",
        f"{PATTERNS} --usage {{d}}/usage-pattern-unknown.yaml",
        2,
        "calls_per_day",
    ),
    C(
        "cost-patterns-rate",
        f"{PATTERNS} --usage {{d}}/usage-pattern-rate.yaml",
        2,
        "patterns.s/p.calls_per_day",
        "number",
    ),
    C(
        "cost-patterns-rate-in-cost",
        f"{COST} {{d}}/usage-pattern-rate.yaml",
        2,
        "patterns.s/p.calls_per_day",
        absent=("out",),
    ),
    C(
        "cost-patterns-no-such-pattern",
        f"{PATTERNS} --usage {{d}}/usage-pattern-name.yaml",
        2,
        "patterns.schizodot/x",
        "no such pattern",
    ),
    C(
        "cost-patterns-output-dir-missing",
        f"{PATTERNS} -o {{d}}/no-dir/p.txt",
        2,
        "--output",
        "no-dir",
        absent=("no-dir",),
    ),
    # -- cost usage-from-metrics ------------------------------------------------------------------
    C("metrics-zero-days", f"{METRICS} --days 0", 2, "--days", "'0'"),
    C("metrics-bad-days", f"{METRICS} --days lots", 2, "--days", "'lots'"),
    C("metrics-too-many-days", f"{METRICS} --days 500", 2, "--days", "455"),
    C(
        "metrics-output-dir-missing",
        f"{METRICS} -o {{d}}/no-dir/usage.yaml",
        2,
        "--output",
        "no-dir",
        absent=("no-dir",),
    ),
    C(
        "metrics-unreachable",
        f"{METRICS} --endpoint-url {{closed}} -o {{d}}/metrics.yaml",
        1,
        "{closed}",
        absent=("metrics.yaml",),
    ),
    # -- check-plan ------------------------------------------------------------------------------
    C("check-plan-missing-arg", "check-plan", 2, "PLAN.json"),
    C("check-plan-no-such-file", "check-plan {d}/nope.json", 2, "nope.json", "no such file"),
    C("check-plan-empty", "check-plan {d}/empty.txt", 2, "empty.txt"),
    C("check-plan-garbage", "check-plan {d}/garbage.bin", 2, "garbage.bin", "UTF-8"),
    C("check-plan-truncated", "check-plan {d}/plan-truncated.json", 2, "plan-truncated.json"),
    C("check-plan-state", "check-plan {d}/plan-state.json", 2, "plan-state.json", "state"),
    C("check-plan-nesting", "check-plan {d}/plan-nesting.json", 2, "resource_changes"),
    C("check-plan-list", "check-plan {d}/plan-list.json", 2, "plan-list.json", "object"),
    C(
        "check-plan-unknown-address",
        "check-plan {d}/plan-ok.json --allow-replace module.x.aws_dynamodb_table.y",
        2,
        "--allow-replace module.x.aws_dynamodb_table.y",
    ),
    C("check-plan-unknown-flag", "check-plan {d}/plan-ok.json --force", 2, "--force"),
    # -- bench (flags only: nothing starts) -------------------------------------------------------
    C("bench-missing-arg", "bench", 2, "BENCH"),
    C("bench-unknown-bench", "bench query", 2, "'query'"),
    C("bench-negative-items", "bench seed --items -5", 2, "--items"),
    C("bench-bad-number", "bench seed --items many", 2, "--items", "'many'"),
    C("bench-bad-workers", "bench seed --workers 1,x", 2, "--workers", "1,x"),
    C("bench-zero-workers", "bench seed --workers 0,4", 2, "--workers"),
    C("bench-zero-rounds", "bench seed --rounds 0", 2, "--rounds"),
    C("bench-huge-items", "bench seed --items 1000000000000", 2, "--items", "<= 100000000"),
    C("bench-huge-workers", "bench seed --workers 1,100000", 2, "--workers 100000"),
    C("bench-bad-delay", "bench seed --delay-ms -50", 2, "--delay-ms"),
    # -- docs ------------------------------------------------------------------------------------
    C("docs-no-such-module", "docs --check {d}/no-module", 2, "no-module"),
    C("docs-unknown-flag", "docs --chekc", 2, "--chekc"),
    C("docs-no-such-repo", "docs --check --repo {d}/no-repo", 2, "no-repo"),
    # -- demo / local (flags only: nothing starts) ------------------------------------------------
    C("demo-unknown-flag", "demo --fast", 2, "--fast"),
    C("demo-no-such-tf-dir", "demo --tf-dir {d}/no-stack", 2, "--tf-dir", "no-stack"),
    C("demo-tf-dir-without-tf", "demo --tf-dir {d}/out", 2, "--tf-dir", "no Terraform files"),
    C("demo-bad-usage", "demo --usage {d}/usage-type.yaml", 2, "usage-type.yaml", "items"),
    C("local-missing-action", "local", 2, "action"),
    C("local-bad-action", "local sideways", 2, "'sideways'"),
    C("local-up-no-such-tf-dir", "local up --tf-dir {d}/no-stack", 2, "--tf-dir", "no-stack"),
    # -- top level -------------------------------------------------------------------------------
    C("no-command", "", 2, "COMMAND"),
    C("unknown-command", "sed", 2, "'sed'"),
]


@pytest.fixture(scope="module")
def world(moto_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A private moto server with the fusion and mediphant tables (one item each) under their
    seed names, the input files, an empty directory as --tf-dir (seed names) and a closed port."""
    d = tmp_path_factory.mktemp("bad-input")
    for name, content in FILES.items():
        path = d / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    (d / "out").mkdir()
    nostate = tmp_path_factory.mktemp("nostate")
    with MotoServer() as server:
        client = aws.dynamodb(aws.AwsOptions(endpoint_url=server.url))
        keys = {
            "fusion-health-entries": (("date", "HASH"), ("timestamp", "RANGE")),
            "fusion-daily-summaries": (("date", "HASH"),),
            "mediphant-data": (("PK", "HASH"), ("SK", "RANGE")),
        }
        for table, schema in keys.items():
            client.create_table(
                TableName=table,
                KeySchema=[{"AttributeName": n, "KeyType": t} for n, t in schema],
                AttributeDefinitions=[
                    {"AttributeName": n, "AttributeType": "S"} for n, _ in schema
                ],
                BillingMode="PAY_PER_REQUEST",
            )
            client.put_item(TableName=table, Item={n: {"S": "existing"} for n, _ in schema})
        yield {
            "d": str(d),
            "dir": d,
            "nostate": str(nostate),
            "url": server.url,
            "closed": f"http://127.0.0.1:{free_port()}",
            "client": client,
            "tables": tuple(keys),
        }


def snapshot(world: dict[str, Any]) -> dict[str, Any]:
    client = world["client"]
    return {
        t: sorted(json.dumps(i, sort_keys=True) for i in client.scan(TableName=t)["Items"])
        for t in world["tables"]
    }


def argv(case: Case, world: dict[str, Any]) -> list[str]:
    text = case.argv.format(**{k: v for k, v in world.items() if isinstance(v, str)})
    return text.split()


def check_error(case: Case, world: dict[str, Any], code: int, out: str, err: str) -> None:
    names = [n.format(**{k: v for k, v in world.items() if isinstance(v, str)}) for n in case.names]
    assert "Traceback" not in out + err
    lines = err.splitlines()
    assert len(lines) == 1, f"stderr is not one line: {err!r}"
    assert lines[0].startswith("error: "), lines[0]
    for name in names:
        assert name in lines[0], f"{name!r} not named in: {lines[0]}"
    assert code == case.code, f"exit {code}, expected {case.code}: {lines[0]}"
    for rel in case.absent:
        path = world["dir"] / rel
        assert not path.exists() or (path.is_dir() and not any(path.iterdir())), path


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_is_one_error_line(
    case: Case,
    world: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TOOLING_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    before = snapshot(world)
    start = time.monotonic()
    code = cli.main(argv(case, world))
    elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    check_error(case, world, code, out, err)
    assert elapsed < 5, f"took {elapsed:.1f} s"  # an unreachable endpoint fails fast too
    assert snapshot(world) == before  # nothing written, nothing half-written


SUBPROCESS = ("migrate-garbage", "import-truncated", "seed-unreachable", "check-plan-garbage")


@pytest.mark.parametrize("case", [c for c in CASES if c.id in SUBPROCESS], ids=lambda c: c.id)
def test_bad_input_in_a_real_process(case: Case, world: dict[str, Any]) -> None:
    """The same contract from a real `python -m tooling` process (interpreter exit, stderr)."""
    before = snapshot(world)
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("TOOLING_DEBUG", None)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "tooling", *argv(case, world)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    elapsed = time.monotonic() - start
    check_error(case, world, proc.returncode, proc.stdout, proc.stderr)
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert snapshot(world) == before


def test_an_empty_import_file_is_a_valid_empty_table(world: dict[str, Any], capsys: Any) -> None:
    """Not an error: `export` of an empty table writes an empty file, which must import back."""
    before = snapshot(world)
    code = cli.main(argv(Case("", f"{IMPORT} {{d}}/empty.txt", 0, ()), world))
    assert code == 0, capsys.readouterr().err
    assert snapshot(world) == before
