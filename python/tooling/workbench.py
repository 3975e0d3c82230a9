"""A NoSQL Workbench data model (format 3.0) of the tables a Terraform plan holds.

Tables, keys, GSIs, billing and capacity come from the plan (`tooling.plan`); each access pattern
of the seeds (`App.patterns`, with the table and index it uses) becomes a facet of its table;
non-key attributes are those the app generators put in the table's items; with sample data, each
table carries a bounded sample of generated items (the ones answering the patterns' own example
parameters first), and each facet the part of it that answers its example.

The structure is checked by `data/workbench-3.0.schema.json` in the tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tooling.apps import AccessPattern, GenerationContext, get_app
from tooling.apps.catalog import APP_OF_TABLE
from tooling.dynamo.serialize import WireItem, item_to_json, to_item
from tooling.errors import UsageError
from tooling.terraform import plan

SCHEMA_PATH = Path(__file__).parent / "data" / "workbench-3.0.schema.json"
VERSION = "3.0"
SAMPLE_LIMIT = 50  # items per table: Workbench is a modelling tool, its table data stays small
SAMPLE_SCALE = 1.0  # the generators' volume read for attribute names and samples (~2,200 items)
# the stack's default target utilisation (variables.tf), for a target without a policy in the plan
AUTOSCALING_TARGET = 70
AUTOSCALING_ROLE = "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"

Key = tuple[tuple[str, Any], ...]


@dataclass
class _Facet:
    pattern: AccessPattern
    needles: tuple[str, ...]  # the example's string values
    key_names: tuple[str, ...]  # attributes the example values are looked up in
    limit: int
    keys: list[Key] = field(default_factory=list)


@dataclass
class _TableSample:
    """What the generators put in one table: attribute types, and the items kept as sample."""

    key_names: tuple[str, ...]
    facets: list[_Facet]
    types: dict[str, Counter[str]] = field(default_factory=dict)
    items: dict[Key, WireItem] = field(default_factory=dict)
    first: list[Key] = field(default_factory=list)

    def add(self, item: WireItem) -> None:
        for name, av in item.items():
            self.types.setdefault(name, Counter())[next(iter(av))] += 1
        if any(k not in item for k in self.key_names):
            return
        key = tuple((k, str(item[k])) for k in self.key_names)
        kept = False
        for f in self.facets:
            if len(f.keys) < f.limit and _answers(item, f):
                f.keys.append(key)
                kept = True
        if len(self.first) < SAMPLE_LIMIT:
            self.first.append(key)
            kept = True
        if kept or key in self.items:
            self.items[key] = item  # the last item of a key wins, as in the table

    def sample(self) -> list[Key]:
        """The facets' items first, then the first items generated, SAMPLE_LIMIT at most."""
        chosen: dict[Key, None] = {}
        for f in self.facets:
            chosen.update(dict.fromkeys(f.keys))
        for key in self.first:
            if len(chosen) >= SAMPLE_LIMIT:
                break
            chosen.setdefault(key)
        return list(chosen)[:SAMPLE_LIMIT]


def _answers(item: WireItem, facet: _Facet) -> bool:
    """Whether one of the facet's key attributes holds one of its example values (composite keys
    such as USER#session_123 hold it as a part), or another top-level attribute equals one (the
    patient of a job to create)."""
    for name in facet.key_names:
        value = item.get(name, {}).get("S") or item.get(name, {}).get("N")
        if isinstance(value, str) and any(n == value or n in value for n in facet.needles):
            return True
    return any(av.get("S") in facet.needles for av in item.values())


def _needles(example: Mapping[str, Any]) -> tuple[str, ...]:
    # Short values (limits, levels) would match everywhere; ids, dates and names are selective.
    return tuple(v for v in example.values() if isinstance(v, str) and len(v) >= 4)


def _index_keys(cfg: plan.TableConfig, index: str | None) -> tuple[str, ...]:
    g = cfg.gsi(index) if index else None
    if g is None:
        return tuple(k for k in (cfg.hash_key, cfg.range_key) if k)
    return tuple(k for k in (g.hash_key, g.range_key) if k)


def _samples(
    configs: Sequence[plan.TableConfig], ctx: GenerationContext
) -> dict[str, _TableSample]:
    """One pass over the generators of every app with a table in the plan."""
    by_seed = {c.seed_name: c for c in configs if c.seed_name in APP_OF_TABLE}
    samples: dict[str, _TableSample] = {}
    for seed, cfg in by_seed.items():
        patterns = [p for p in get_app(APP_OF_TABLE[seed]).patterns if p.table == seed]
        limit = max(1, SAMPLE_LIMIT // max(1, len(patterns)))
        facets = [
            _Facet(p, _needles(p.example), _index_keys(cfg, p.index), limit) for p in patterns
        ]
        keys = tuple(k for k in (cfg.hash_key, cfg.range_key) if k)
        samples[seed] = _TableSample(keys, facets)
    for app in dict.fromkeys(APP_OF_TABLE[s] for s in samples):
        for seed, item in get_app(app).generate(ctx):
            if seed in samples:
                samples[seed].add(to_item(item))
    return samples


# -- the model -------------------------------------------------------------------------------------


def _attr(name: str, typ: str) -> dict[str, str]:
    return {"AttributeName": name, "AttributeType": typ}


def _key_attributes(hash_key: str | None, range_key: str | None, types: Mapping[str, str]):
    keys: dict[str, Any] = {"PartitionKey": _attr(str(hash_key), types.get(str(hash_key), "S"))}
    if range_key:
        keys["SortKey"] = _attr(range_key, types.get(range_key, "S"))
    return keys


def _capacity(cfg: plan.TableConfig) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "ProvisionedThroughput": {
            "ReadCapacityUnits": cfg.read_capacity or 1,
            "WriteCapacityUnits": cfg.write_capacity or 1,
        }
    }
    for label, bounds in (("Read", cfg.autoscaling.read), ("Write", cfg.autoscaling.write)):
        if bounds is not None:
            settings[f"AutoScaling{label}"] = {
                "ScalableTargetRequest": {
                    "MinCapacity": bounds.min,
                    "MaxCapacity": bounds.max,
                    "ServiceRole": AUTOSCALING_ROLE,
                },
                "ScalingPolicyConfiguration": {
                    "TargetValue": bounds.target
                    if bounds.target is not None
                    else AUTOSCALING_TARGET
                },
            }
    return settings


def _table(cfg: plan.TableConfig, sample: _TableSample | None, with_data: bool) -> dict[str, Any]:
    defined = dict(cfg.attributes)
    key_names = {k for k in (cfg.hash_key, cfg.range_key) if k}
    seen = sample.types if sample else {}
    # Index keys first (Workbench needs them among the non-key attributes), then the rest by name.
    index_keys = [k for g in cfg.gsis for k in (g.hash_key, g.range_key) if k]
    names = list(dict.fromkeys([*index_keys, *sorted(seen)]))
    non_key = [
        _attr(n, defined.get(n) or seen[n].most_common(1)[0][0])
        for n in names
        if n not in key_names
    ]
    model: dict[str, Any] = {
        "TableName": cfg.name,
        "KeyAttributes": _key_attributes(cfg.hash_key, cfg.range_key, defined),
        "NonKeyAttributes": non_key,
    }
    if cfg.gsis:
        model["GlobalSecondaryIndexes"] = [
            {
                "IndexName": g.name,
                "KeyAttributes": _key_attributes(g.hash_key, g.range_key, defined),
                "Projection": {"ProjectionType": g.projection_type}
                | (
                    {"NonKeyAttributes": list(g.non_key_attributes)} if g.non_key_attributes else {}
                ),
            }
            for g in cfg.gsis
        ]
    chosen = sample.sample() if sample else []
    model["TableFacets"] = [
        _facet(cfg, f, sample, [k for k in chosen if k in set(f.keys)] if with_data else [])
        for f in (sample.facets if sample else [])
    ]
    model["TableData"] = [item_to_json(sample.items[k]) for k in chosen] if with_data else []
    model["DataAccess"] = {"MySql": {}}
    model["BillingMode"] = cfg.billing_mode
    if cfg.provisioned:
        model["ProvisionedCapacitySettings"] = _capacity(cfg)
    return model


def _facet(
    cfg: plan.TableConfig, facet: _Facet, sample: _TableSample | None, keys: list[Key]
) -> dict[str, Any]:
    alias = {"PartitionKeyAlias": str(cfg.hash_key)}
    if cfg.range_key:
        alias["SortKeyAlias"] = cfg.range_key
    items = [sample.items[k] for k in keys] if sample else []
    # The attributes of the items answering the pattern (its slice of a single-table design),
    # else every attribute the table's items carry.
    seen = (
        sorted({n for it in items for n in it}) if items else sorted(sample.types if sample else ())
    )
    key_names = {cfg.hash_key, cfg.range_key}
    return {
        "FacetName": facet.pattern.name,
        "KeyAttributeAlias": alias,
        "TableData": [item_to_json(it) for it in items],
        "NonKeyAttributes": [n for n in seen if n not in key_names],
        "DataAccess": {"MySql": {}},
    }


def build_model(
    configs: Iterable[plan.TableConfig],
    *,
    name: str,
    author: str,
    now: datetime,
    with_sample_data: bool = False,
    random_seed: int = 42,
    description: str | None = None,
) -> dict[str, Any]:
    """The Workbench model of these tables (one DataModel entry each, in the plan's order)."""
    configs = list(configs)
    if not configs:
        raise UsageError("no DynamoDB table to model")
    ctx = GenerationContext(random_seed=random_seed, scale=SAMPLE_SCALE, now=now)
    samples = _samples(configs, ctx)
    stamp = now.strftime("%b %d, %Y, %I:%M %p")
    apps = sorted({APP_OF_TABLE[c.seed_name] for c in configs if c.seed_name in APP_OF_TABLE})
    return {
        "ModelName": name,
        "ModelMetadata": {
            "Author": author,
            "DateCreated": stamp,
            "DateLastModified": stamp,
            "Description": description
            or f"{len(configs)} tables of {', '.join(apps) or 'the plan'}; "
            "one facet per access pattern of the seeds",
            "AWSService": "Amazon DynamoDB",
            "Version": VERSION,
        },
        "DataModel": [
            _table(c, samples.get(c.seed_name or ""), with_sample_data)
            for c in sorted(configs, key=lambda c: c.name)
        ],
    }


def model_from_plan(path: Path, **options: Any) -> dict[str, Any]:
    """The model of every table of a `terraform show -json` file; UsageError on bad input."""
    configs = plan.tables(plan.load(path))
    if not configs:
        raise UsageError(f"--plan {path}: the plan holds no DynamoDB table")
    return build_model(configs, **options)
