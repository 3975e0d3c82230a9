"""The pricing rules applied to each table: what a month of the stated usage costs.

Units: a write costs ceil(size / 1 KB) write request units (twice if transactional), a read
ceil(size / 4 KB) read request units (half if eventually consistent, twice if transactional);
every write also writes ceil(entry / 1 KB) units on each secondary index it is projected into
(an LSI's on the table's own capacity). Storage counts each item's size plus 100 bytes, in the
table and again in each index that holds it (an index entry: the table's and the index's key
attributes plus the projected ones); GB = 2^30 B. PITR bills the table and its LSIs.

Global tables (version 2019.11.21): each replica region bills, at its own prices, the table's
writes again as replicated writes (rWRU on demand, rWCU provisioned), the table's read capacity
(provisioned) and its own copy of the data; every item carries 48 bytes more.

Each figure is a `Component`: quantity, unit, unit price, monthly cost, region and how the
quantity was derived, so that a reviewer can redo the arithmetic and `cost diff` can compare
estimates component by component.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from tooling.cost.pricing import PriceBook, Pricing
from tooling.cost.samples import Samples, TableSample
from tooling.cost.usage import GsiUsage, InfracostUsage, TableUsage, UsageFile
from tooling.errors import UsageError
from tooling.terraform.plan import (
    PAY_PER_REQUEST,
    PROVISIONED,
    Bounds,
    Index,
    TableConfig,
    strip_index,
)

GB = 2**30
READ_FACTOR = {"eventual": 0.5, "strong": 1.0, "transactional": 2.0}
GLOBAL_TABLE_ITEM_BYTES = 48  # replication metadata per item, version 2019.11.21


# -- the figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """One line of a bill: `quantity` `unit`s a month at `unit_price` USD each."""

    key: str  # stable identifier, e.g. "read_capacity" or "replica_storage[eu-west-1]"
    label: str
    quantity: float
    unit: str
    unit_price: float | None  # None: the region's price list has no figure for it
    region: str
    derived: str  # how the quantity was arrived at
    monthly_usd: float = 0.0

    @property
    def priced(self) -> bool:
        return self.unit_price is not None


def component(
    key: str,
    label: str,
    quantity: float,
    unit: str,
    unit_price: float | None,
    region: str,
    derived: str,
) -> Component:
    usd = quantity * unit_price if unit_price is not None else 0.0
    return Component(key, label, quantity, unit, unit_price, region, derived, usd)


@dataclass(frozen=True)
class Demand:
    """A table's monthly traffic and data, in billing units, in its home region."""

    write_units: float = 0.0
    read_units: float = 0.0
    gsi_write_units: dict[str, float] = field(default_factory=dict)
    lsi_write_units: dict[str, float] = field(default_factory=dict)
    table_bytes: float = 0.0
    gsi_bytes: dict[str, float] = field(default_factory=dict)
    lsi_bytes: dict[str, float] = field(default_factory=dict)
    pitr_gb: float | None = None  # None: the table's own data and its LSIs'
    backup_gb: float = 0.0
    restore_gb: float = 0.0
    stream_reads: float = 0.0
    peak_to_average: float = 1.0
    count: float = 1.0  # units (e.g. active users) the volumes were multiplied by
    unit: str | None = None
    stated: bool = True  # False when the usage file says nothing about the table
    items: float = 0.0
    derivation: tuple[str, ...] = ()  # how the sizes and volumes were arrived at
    capacity_override: dict[str, int] = field(default_factory=dict)  # Infracost `capacity`

    def scaled(self, factor: float) -> Demand:
        """The same data with `factor` times the traffic (for the chart)."""
        return replace(
            self,
            write_units=self.write_units * factor,
            read_units=self.read_units * factor,
            gsi_write_units={k: v * factor for k, v in self.gsi_write_units.items()},
            lsi_write_units={k: v * factor for k, v in self.lsi_write_units.items()},
            capacity_override={},
        )

    @property
    def all_write_units(self) -> float:
        """Table, GSI and LSI write units: what each replica replicates."""
        return (
            self.write_units
            + sum(self.gsi_write_units.values())
            + sum(self.lsi_write_units.values())
        )

    @property
    def data_bytes(self) -> float:
        return self.table_bytes + sum(self.gsi_bytes.values()) + sum(self.lsi_bytes.values())


@dataclass(frozen=True)
class Capacity:
    """Provisioned capacity units: the table's and each GSI's (read, write)."""

    read: int
    write: int
    gsis: dict[str, tuple[int, int]] = field(default_factory=dict)
    derivation: tuple[str, ...] = ()

    @property
    def total_read(self) -> int:
        return self.read + sum(r for r, _ in self.gsis.values())

    @property
    def total_write(self) -> int:
        return self.write + sum(w for _, w in self.gsis.values())


@dataclass
class TableCost:
    address: str
    name: str
    physical_name: str
    billing_mode: str
    table_class: str
    components: dict[str, float]  # key -> monthly USD (the `lines`, for quick access)
    monthly_usd: float
    alternative_mode: str
    alternative_usd: float
    utilisation: float | None  # average consumed / provisioned capacity, as a share
    break_even_utilisation: float | None  # provisioned is cheaper above this utilisation
    recommendation: str
    capacity: Capacity | None  # the provisioned option's capacity (actual or sized)
    demand: Demand
    notes: list[str] = field(default_factory=list)
    region: str = "us-east-1"
    lines: list[Component] = field(default_factory=list)
    alternative_lines: list[Component] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # figures that could not be priced
    replica_regions: tuple[str, ...] = ()
    missing_price_lists: tuple[str, ...] = ()  # replica regions without a price list
    prices: Regions | None = field(default=None, repr=False)  # the lists it was priced with

    @property
    def derivation(self) -> list[str]:
        """How each size, volume and billed capacity was arrived at (stated, sampled, sized...);
        an on-demand table's sized capacity is in `capacity.derivation`."""
        billed = (
            self.capacity.derivation if self.capacity and self.billing_mode == PROVISIONED else ()
        )
        return [*self.demand.derivation, *billed]

    @property
    def unpriced(self) -> list[str]:
        return [c.key for c in self.lines if not c.priced]

    def line(self, key: str) -> Component | None:
        return next((c for c in self.lines if c.key == key), None)


@dataclass
class Estimate:
    region: str
    free_tier: bool
    tables: list[TableCost]
    units: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # about the usage file as a whole
    # region -> {"source": ..., "date": ...} of every price list the estimate used
    price_lists: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def total_monthly_usd(self) -> float:
        return sum(t.monthly_usd for t in self.tables)

    @property
    def warnings(self) -> list[str]:
        return [f"{t.name}: {w}" for t in self.tables for w in t.warnings]

    @property
    def missing_price_lists(self) -> list[str]:
        return sorted({r for t in self.tables for r in t.missing_price_lists})

    def per_unit(self) -> dict[str, float]:
        """Monthly cost per unit (e.g. per active user) of the tables stated per unit."""
        out: dict[str, float] = {}
        for unit, count in self.units.items():
            cost = sum(t.monthly_usd for t in self.tables if t.demand.unit == unit)
            if count:
                out[unit] = cost / count
        return out


# -- sizes ----------------------------------------------------------------------------------------


def _bytes(x: float) -> str:
    return f"{x:,.0f} B" if x == int(x) else f"{x:,.1f} B"


def item_size(u: TableUsage, sample: TableSample | None) -> tuple[float, str]:
    if "item_size_bytes" in u.model_fields_set:
        return u.item_size_bytes, "stated item_size_bytes"
    if sample is not None and sample.items:
        return max(1.0, sample.item_size), f"average of {sample.items:,} sample items"
    return u.item_size_bytes, "default item_size_bytes (not stated)"


def _attribute(
    name: str, u: TableUsage, sample: TableSample | None
) -> tuple[float | None, str | None]:
    if name in u.attribute_sizes:
        return u.attribute_sizes[name], "stated"
    if sample is not None:
        size = sample.attribute_average(name)
        if size is not None:
            return size, "sampled"
    return None, None


def entry_size(
    kind: str,
    index: Index,
    t: TableConfig,
    u: TableUsage,
    stated: GsiUsage | None,
    sample: TableSample | None,
    item: tuple[float, str],
) -> tuple[float, str]:
    """The size of one index entry (without the 100-byte overhead) and how it was arrived at."""
    if stated is not None and stated.entry_size_bytes is not None:
        return stated.entry_size_bytes, "stated entry_size_bytes"
    if index.projection_type == "ALL":
        return item[0], f"ALL projects the whole item ({item[1]})"
    names = list(
        dict.fromkeys([*t.key_attributes, *(k for k in (index.hash_key, index.range_key) if k)])
    )
    if index.projection_type == "INCLUDE":
        names += [a for a in index.non_key_attributes if a not in names]
    parts, missing, kinds = [], [], set()
    total = 0.0
    for name in names:
        size, how = _attribute(name, u, sample)
        if size is None:
            missing.append(name)
            continue
        total += size
        kinds.add(how)
        parts.append(f"{name} {_bytes(size)}")
    if missing:
        return item[0], (
            f"{index.projection_type}, but no size for {', '.join(missing)} (give "
            f"attribute_sizes or --sample-items): the item size as an upper bound"
        )
    how = " and ".join(sorted(k for k in kinds if k))
    return total, f"{index.projection_type}: {' + '.join(parts)} ({how} attribute sizes)"


def _share(
    stated: GsiUsage | None, index: Index, sample: TableSample | None, is_gsi: bool
) -> tuple[float, str]:
    if stated is not None and "write_share" in stated.model_fields_set:
        return stated.write_share, "stated write_share"
    key = index.hash_key if is_gsi else index.range_key
    if sample is not None and sample.items and key:
        share = sample.attribute_items.get(key, 0) / sample.items
        return share, f"{share:.0%} of the sample items carry {key}"
    return 1.0, "every item (write_share not stated)"


# -- demand ---------------------------------------------------------------------------------------


def _indexes(
    kind: str,
    key: str,
    indexes: tuple[Index, ...],
    given: dict[str, GsiUsage],
    t: TableConfig,
    src: str,
) -> None:
    names = {i.name for i in indexes}
    for name in given:
        if name not in names:
            known = ", ".join(sorted(names)) or "none"
            raise UsageError(
                f"{src}: tables.{key}.{kind}.{name}: no such {kind.upper()} (of {t.name}: {known})"
            )


def _native(
    key: str,
    u: TableUsage,
    t: TableConfig,
    count: float,
    p: Pricing,
    src: str,
    sample: TableSample | None,
) -> Demand:
    days = p.hours_per_month / 24
    _indexes("gsi", key, t.gsis, u.gsi, t, src)
    _indexes("lsi", key, t.lsis, u.lsi, t, src)
    if u.retention_days is not None and t.ttl_attribute is None:
        raise UsageError(
            f"{src}: tables.{key}.retention_days: {t.name} has no TTL; give items instead"
        )
    item = item_size(u, sample)
    size = item[0]
    how: list[str] = [f"item {_bytes(size)}: {item[1]}"]
    writes = u.writes_per_month_(days) * count
    reads = u.reads_per_month_(days) * count
    if u.items is not None:
        items = u.items * count
        how.append(f"{items:,.0f} items: stated")
    elif u.retention_days is not None:
        items = writes / days * u.retention_days  # writes per day x retention; TTL deletes free
        how.append(
            f"{items:,.0f} items: {writes / days:,.1f} writes a day x {u.retention_days:g} days"
        )
    else:
        items = 0.0
    overhead = p.storage.item_overhead_bytes
    extra = GLOBAL_TABLE_ITEM_BYTES if t.replicas else 0
    if extra:
        how.append(f"+{extra} B per item: global table (replication metadata)")
    index_writes: dict[str, dict[str, float]] = {"gsi": {}, "lsi": {}}
    index_bytes: dict[str, dict[str, float]] = {"gsi": {}, "lsi": {}}
    for kind, indexes, given in (("gsi", t.gsis, u.gsi), ("lsi", t.lsis, u.lsi)):
        for index in indexes:
            stated = given.get(index.name)
            entry, entry_how = entry_size(kind, index, t, u, stated, sample, item)
            share, share_how = _share(stated, index, sample, kind == "gsi")
            units = math.ceil(entry / 1024)
            index_writes[kind][index.name] = writes * share * units
            index_bytes[kind][index.name] = items * share * (entry + overhead)
            how.append(
                f"{kind.upper()} {index.name}: entry {_bytes(entry)} ({entry_how}) + {overhead} B "
                f"overhead, {units} write unit(s) per write, {share_how}"
            )
    tx = u.transactional_write_share
    return Demand(
        write_units=writes * math.ceil(size / 1024) * (1 + tx),
        read_units=reads * math.ceil(size / 4096) * READ_FACTOR[u.read_consistency],
        gsi_write_units=index_writes["gsi"],
        lsi_write_units=index_writes["lsi"],
        table_bytes=items * (size + overhead + extra),
        gsi_bytes=index_bytes["gsi"],
        lsi_bytes=index_bytes["lsi"],
        backup_gb=u.backup_storage_gb * count,
        restore_gb=u.restore_gb_per_month * count,
        stream_reads=u.stream_reads_per_month * count,
        peak_to_average=u.peak_to_average,
        count=count,
        unit=u.per,
        items=items,
        derivation=tuple(how),
    )


def _infracost(u: InfracostUsage, t: TableConfig) -> Demand:
    how = ["Infracost usage keys: volumes as stated (monthly request units, GB)"]
    if t.gsis or t.lsis:
        how.append("the Infracost form has no index keys: index writes and storage taken as zero")
    return Demand(
        write_units=u.monthly_write_request_units,
        read_units=u.monthly_read_request_units,
        table_bytes=u.storage_gb * GB,
        pitr_gb=u.pitr_backup_storage_gb,
        backup_gb=u.on_demand_backup_storage_gb,
        restore_gb=u.monthly_data_restored_gb,
        stream_reads=u.monthly_streams_read_request_units,
        derivation=tuple(how),
    )


def _wildcard(key: str) -> re.Pattern[str] | None:
    if "[*]" not in key:
        return None
    return re.compile(re.escape(key).replace(re.escape("[*]"), r"\[[^\]]+\]"))


class _Tables:
    """Look-ups of the plan's tables by address, address without index, name or seed name."""

    def __init__(self, tables: list[TableConfig]) -> None:
        self.tables = tables
        self.by_address = {t.address: t for t in tables}
        self.by_stripped: dict[str, list[TableConfig]] = {}
        self.by_name: dict[str, list[TableConfig]] = {}
        for t in tables:
            self.by_stripped.setdefault(strip_index(t.address), []).append(t)
            for n in {t.name, t.seed_name} - {None}:
                self.by_name.setdefault(str(n), []).append(t)

    def match(self, key: str) -> list[TableConfig]:
        if key in self.by_address:
            return [self.by_address[key]]
        pattern = _wildcard(key)
        if pattern is not None:
            return [t for t in self.tables if pattern.fullmatch(t.address)]
        named = self.by_name.get(key, [])
        if len(named) == 1:
            return named
        stripped = self.by_stripped.get(strip_index(key), [])
        return stripped if len(stripped) == 1 else []


def _unknown(usage: UsageFile, section: str, key: str, tables: list[TableConfig]) -> UsageError:
    names = ", ".join(t.label for t in tables) or "none"
    return UsageError(
        f"{usage.source}: {section}.{key}: no such table in the plan (tables: {names})"
    )


def _infracost_entries(usage: UsageFile, lookup: _Tables) -> dict[str, InfracostUsage]:
    """Address -> merged Infracost usage: the table's own entry over `[*]` entries over
    `resource_type_default_usage` (key by key, as Infracost merges them)."""
    wildcard: dict[str, InfracostUsage] = {}
    specific: dict[str, InfracostUsage] = {}
    for key, u in usage.resource_usage.items():
        found = lookup.match(key)
        if not found:
            raise _unknown(usage, "resource_usage", key, lookup.tables)
        target = wildcard if _wildcard(key) else specific
        for t in found:
            if t.address in target and target is specific:
                raise UsageError(f"{usage.source}: resource_usage.{key}: {t.label} is given twice")
            target[t.address] = u.over(target.get(t.address))
    out: dict[str, InfracostUsage] = {}
    default = usage.table_default
    for t in lookup.tables:
        base = wildcard.get(t.address)
        base = base.over(default) if base is not None else default
        own = specific.get(t.address)
        merged = own.over(base) if own is not None else base
        if merged is not None and (own is not None or t.address in wildcard or default):
            out[t.address] = merged
    return out


def _capacity_usage(usage: UsageFile, tables: list[TableConfig]) -> dict[str, dict[str, int]]:
    """Table address -> {"table:read": 76, "index/G:write": 9, ...} from Infracost's
    aws_appautoscaling_target `capacity`."""
    out: dict[str, dict[str, int]] = {}
    bounds: list[tuple[TableConfig, str, Bounds]] = []
    for t in tables:
        for dim in ("read", "write"):
            b = getattr(t.autoscaling, dim)
            if b is not None:
                bounds.append((t, f"table:{dim}", b))
            for g in t.gsis:
                b = getattr(g.autoscaling, dim)
                if b is not None:
                    bounds.append((t, f"index/{g.name}:{dim}", b))
    for key, u in usage.autoscaling_usage.items():
        pattern = _wildcard(key)
        hits = [
            (t, dim)
            for t, dim, b in bounds
            if b.address is not None
            and (
                b.address == key
                or (pattern is not None and pattern.fullmatch(b.address))
                or strip_index(b.address) == strip_index(key)
            )
        ]
        if not hits:
            raise UsageError(
                f"{usage.source}: resource_usage.{key}: no aws_appautoscaling_target of a "
                "DynamoDB table has this address in the plan"
            )
        for t, dim in hits:
            out.setdefault(t.address, {})[dim] = u.capacity
    return out


def _named(usage: UsageFile, lookup: _Tables, address: str) -> bool:
    """Whether a `resource_usage:` entry (own or `[*]`) names the table at `address`."""
    return any(address in {t.address for t in lookup.match(key)} for key in usage.resource_usage)


def demands(
    usage: UsageFile,
    tables: list[TableConfig],
    p: Pricing,
    samples: Samples | None = None,
) -> dict[str, Demand]:
    """Demand per table address; tables the usage file does not mention have none."""
    lookup = _Tables(tables)
    out: dict[str, Demand] = {}
    for key, u in usage.tables.items():
        found = lookup.match(key)
        if len(found) != 1:
            raise _unknown(usage, "tables", key, tables)
        (t,) = found
        if t.address in out:
            raise UsageError(f"{usage.source}: tables.{key}: {t.label} is given twice")
        sample = samples.for_table(t) if samples else None
        out[t.address] = _native(key, u, t, usage.count(key), p, usage.source, sample)
    for address, iu in _infracost_entries(usage, lookup).items():
        if address in out and not _named(usage, lookup, address):
            continue  # only resource_type_default_usage: the `tables:` entry is the table's own
        if address in out:
            t = lookup.by_address[address]
            raise UsageError(
                f"{usage.source}: resource_usage: {t.label} is also given under tables:"
            )
        out[address] = _infracost(iu, lookup.by_address[address])
    for address, caps in _capacity_usage(usage, tables).items():
        out[address] = replace(out.get(address) or Demand(stated=False), capacity_override=caps)
    return out


# -- capacity -------------------------------------------------------------------------------------


def sized_capacity(t: TableConfig, d: Demand, p: Pricing) -> Capacity:
    """Capacity for the demand: average units per second x peak_to_average, divided by the
    autoscaling target utilisation when the plan has a target-tracking policy, at least 1 and
    within the autoscaling bounds; the plan's own capacity when it has no autoscaling."""
    seconds = p.hours_per_month * 3600
    how: list[str] = []

    def pick(what: str, planned: int | None, bounds: Bounds | None, units: float) -> int:
        override = d.capacity_override.get(what)
        where, dim = what.split(":")
        what = ("table" if where == "table" else f"GSI {where.removeprefix('index/')}") + (
            f" {dim} capacity"
        )
        if override is not None and bounds is not None:
            how.append(f"{what}: {override} stated as `capacity` of {bounds.address}")
            return override
        average = units / seconds * d.peak_to_average
        if bounds is not None:
            target = bounds.target or 100.0
            need = max(1, math.ceil(average / (target / 100) - 1e-9))
            got = min(max(need, bounds.min), bounds.max)
            policy = (
                f"{target:g} % target"
                if bounds.target
                else "100 % (no target-tracking policy in the plan)"
            )
            how.append(
                f"{what}: {average:,.3g} units/s (average x peak_to_average) at {policy} = "
                f"{need}, within autoscaling {bounds.min}..{bounds.max}: {got}"
            )
            return got
        if t.provisioned and planned:
            how.append(f"{what}: {planned} as planned")
            return planned
        need = max(1, math.ceil(average - 1e-9))
        how.append(f"{what}: {average:,.3g} units/s (average x peak_to_average) at 100 %: {need}")
        return need

    lsi = sum(d.lsi_write_units.values())  # LSI writes consume the table's write capacity
    gsis = {
        g.name: (
            pick(f"index/{g.name}:read", g.read_capacity, g.autoscaling.read, 0.0),
            pick(
                f"index/{g.name}:write",
                g.write_capacity,
                g.autoscaling.write,
                d.gsi_write_units.get(g.name, 0.0),
            ),
        )
        for g in t.gsis
    }
    return Capacity(
        read=pick("table:read", t.read_capacity, t.autoscaling.read, d.read_units),
        write=pick("table:write", t.write_capacity, t.autoscaling.write, d.write_units + lsi),
        gsis=gsis,
        derivation=tuple(how),
    )


# -- components -----------------------------------------------------------------------------------


@dataclass
class Regions:
    """The table's home price list and each replica's (None: no list shipped)."""

    home: Pricing
    replicas: dict[str, Pricing | None]


def _price(
    p: Pricing | None, value: float | None, factor: float | None, per: float = 1.0
) -> float | None:
    if p is None or value is None or factor is None:
        return None
    return value * factor / per


def _throughput(mode: str, t: TableConfig, d: Demand, cap: Capacity, r: Regions) -> list[Component]:
    p, home = r.home, r.home.region
    f = p.throughput_factor(t.table_class)
    ia = " x1.25 (Standard-IA)" if t.table_class == "STANDARD_INFREQUENT_ACCESS" else ""
    h = p.hours_per_month
    out: list[Component] = []
    if mode == PAY_PER_REQUEST:
        w = _price(p, p.on_demand.write_request_unit_per_million, f, 1e6)
        rd = _price(p, p.on_demand.read_request_unit_per_million, f, 1e6)
        out.append(
            component(
                "write_requests",
                "Write request units",
                d.write_units,
                "WRU",
                w,
                home,
                "table writes" + ia,
            )
        )
        out.append(
            component(
                "read_requests",
                "Read request units",
                d.read_units,
                "RRU",
                rd,
                home,
                "table reads" + ia,
            )
        )
        if t.gsis:
            parts = ", ".join(f"{k} {v:,.0f}" for k, v in d.gsi_write_units.items())
            out.append(
                component(
                    "gsi_write_requests",
                    "GSI write request units",
                    sum(d.gsi_write_units.values()),
                    "WRU",
                    w,
                    home,
                    parts + ia,
                )
            )
        if t.lsis:
            parts = ", ".join(f"{k} {v:,.0f}" for k, v in d.lsi_write_units.items())
            out.append(
                component(
                    "lsi_write_requests",
                    "LSI write request units",
                    sum(d.lsi_write_units.values()),
                    "WRU",
                    w,
                    home,
                    parts + ia,
                )
            )
        for region, rp in r.replicas.items():
            fr = rp.throughput_factor(t.table_class) if rp else None
            rw = _price(
                rp, rp.on_demand.replicated_write_request_unit_per_million if rp else None, fr, 1e6
            )
            out.append(
                component(
                    f"replicated_write_requests[{region}]",
                    f"Replicated write request units ({region})",
                    d.all_write_units,
                    "rWRU",
                    rw,
                    region,
                    "the table's, GSIs' and LSIs' write units, replicated" + ia,
                )
            )
        return out
    wcu = _price(p, p.provisioned.wcu_hour, f)
    rcu = _price(p, p.provisioned.rcu_hour, f)
    out.append(
        component(
            "write_capacity",
            "Write capacity",
            cap.write * h,
            "WCU-hour",
            wcu,
            home,
            f"{cap.write} WCU x {h:g} h" + ia,
        )
    )
    out.append(
        component(
            "read_capacity",
            "Read capacity",
            cap.read * h,
            "RCU-hour",
            rcu,
            home,
            f"{cap.read} RCU x {h:g} h" + ia,
        )
    )
    if cap.gsis:
        gw = sum(w for _, w in cap.gsis.values())
        gr = sum(r_ for r_, _ in cap.gsis.values())
        wparts = ", ".join(f"{k} {w}" for k, (_, w) in cap.gsis.items())
        rparts = ", ".join(f"{k} {r_}" for k, (r_, _) in cap.gsis.items())
        out.append(
            component(
                "gsi_write_capacity",
                "GSI write capacity",
                gw * h,
                "WCU-hour",
                wcu,
                home,
                f"{gw} WCU ({wparts}) x {h:g} h" + ia,
            )
        )
        out.append(
            component(
                "gsi_read_capacity",
                "GSI read capacity",
                gr * h,
                "RCU-hour",
                rcu,
                home,
                f"{gr} RCU ({rparts}) x {h:g} h" + ia,
            )
        )
    for region, rp in r.replicas.items():
        fr = rp.throughput_factor(t.table_class) if rp else None
        rwcu = _price(rp, rp.provisioned.replicated_wcu_hour if rp else None, fr)
        rrcu = _price(rp, rp.provisioned.rcu_hour if rp else None, fr)
        hr = rp.hours_per_month if rp else h
        out.append(
            component(
                f"replicated_write_capacity[{region}]",
                f"Replicated write capacity ({region})",
                cap.total_write * hr,
                "rWCU-hour",
                rwcu,
                region,
                f"{cap.total_write} rWCU (table and GSIs) x {hr:g} h" + ia,
            )
        )
        out.append(
            component(
                f"replica_read_capacity[{region}]",
                f"Replica read capacity ({region})",
                cap.total_read * hr,
                "RCU-hour",
                rrcu,
                region,
                f"{cap.total_read} RCU (table and GSIs, as the table) x {hr:g} h" + ia,
            )
        )
    return out


def _data(t: TableConfig, d: Demand, r: Regions) -> list[Component]:
    p, home = r.home, r.home.region
    s = p.storage_gb_month(t.table_class)
    table_gb, gsi_gb, lsi_gb = (
        d.table_bytes / GB,
        sum(d.gsi_bytes.values()) / GB,
        sum(d.lsi_bytes.values()) / GB,
    )
    out = [
        component(
            "storage",
            "Table storage",
            table_gb,
            "GB-month",
            s,
            home,
            f"{d.items:,.0f} items" if d.items else "stated",
        )
    ]
    if t.gsis:
        out.append(
            component(
                "gsi_storage",
                "GSI storage",
                gsi_gb,
                "GB-month",
                s,
                home,
                ", ".join(f"{k} {v / GB:,.4f} GB" for k, v in d.gsi_bytes.items()),
            )
        )
    if t.lsis:
        out.append(
            component(
                "lsi_storage",
                "LSI storage",
                lsi_gb,
                "GB-month",
                s,
                home,
                ", ".join(f"{k} {v / GB:,.4f} GB" for k, v in d.lsi_bytes.items()),
            )
        )
    if t.pitr_enabled or d.pitr_gb is not None:
        if d.pitr_gb is not None:
            gb, how = d.pitr_gb, "stated"
        else:
            gb, how = table_gb + lsi_gb, "table + LSI data (GSIs are not backed up)"
        out.append(
            component("pitr", "Point-in-time recovery", gb, "GB-month", p.pitr_gb_month, home, how)
        )
    if d.backup_gb:
        out.append(
            component(
                "backup_storage",
                "On-demand backup storage",
                d.backup_gb,
                "GB-month",
                p.backup_gb_month,
                home,
                "stated",
            )
        )
    if d.restore_gb:
        out.append(
            component("restore", "Data restored", d.restore_gb, "GB", p.restore_gb, home, "stated")
        )
    if d.stream_reads:
        out.append(
            component(
                "stream_reads",
                "Stream read request units",
                d.stream_reads,
                "sRRU",
                _price(p, p.stream_read_request_units_per_100k, 1.0, 1e5),
                home,
                "stated",
            )
        )
    gb = table_gb + gsi_gb + lsi_gb
    for region, rp in r.replicas.items():
        rs = rp.storage_gb_month(t.table_class) if rp else None
        out.append(
            component(
                f"replica_storage[{region}]",
                f"Replica storage ({region})",
                gb,
                "GB-month",
                rs,
                region,
                "the table's, GSIs' and LSIs' data, copied",
            )
        )
        if any(x.region == region and x.pitr_enabled for x in t.replicas):
            out.append(
                component(
                    f"replica_pitr[{region}]",
                    f"Replica point-in-time recovery ({region})",
                    table_gb + lsi_gb,
                    "GB-month",
                    rp.pitr_gb_month if rp else None,
                    region,
                    "table + LSI data",
                )
            )
    return out


def _full_use(cap: Capacity, t: TableConfig, r: Regions) -> float:
    """On-demand price of consuming the whole capacity all month: the utilisation denominator.
    A write consumes capacity in the home region and in every replica, so replicated writes
    count on both sides of the ratio."""
    p = r.home
    f = p.throughput_factor(t.table_class) or 0.0
    seconds = p.hours_per_month * 3600 / 1e6
    write = (p.on_demand.write_request_unit_per_million or 0.0) * f
    for rp in r.replicas.values():
        if rp is not None:
            fr = rp.throughput_factor(t.table_class) or 0.0
            write += (rp.on_demand.replicated_write_request_unit_per_million or 0.0) * fr
    read = (p.on_demand.read_request_unit_per_million or 0.0) * f
    return seconds * (cap.total_write * write + cap.total_read * read)


def _total(lines: list[Component]) -> float:
    return sum(c.monthly_usd for c in lines)


def _warnings(lines: list[Component], r: Regions) -> list[str]:
    out = []
    for c in lines:
        if c.priced or not c.quantity:
            continue
        rp = r.home if c.region == r.home.region else r.replicas.get(c.region)
        why = (
            "no price list for the region"
            if rp is None
            else "the region's price list has no figure for it"
        )
        out.append(f"{c.label} not priced: {why} ({c.region})")
    return out


def _cost_table(t: TableConfig, d: Demand, r: Regions, same_region: list[str]) -> TableCost:
    p = r.home
    cap = sized_capacity(t, d, p)
    data = _data(t, d, r)
    on_demand = _throughput(PAY_PER_REQUEST, t, d, cap, r)
    provisioned = _throughput(PROVISIONED, t, d, cap, r)
    od_total, pr_total = _total(on_demand), _total(provisioned)
    mine, other = (provisioned, on_demand) if t.provisioned else (on_demand, provisioned)
    other_mode = PAY_PER_REQUEST if t.provisioned else PROVISIONED
    full = _full_use(cap, t, r)
    util = od_total / full if full else None
    break_even = pr_total / full if full else None
    cheaper = PROVISIONED if pr_total < od_total else PAY_PER_REQUEST
    if cheaper == t.billing_mode:
        rec = f"keep {t.billing_mode}"
    elif cheaper == PROVISIONED:
        rec = (
            f"switch to PROVISIONED: saves ${abs(od_total - pr_total):.2f}/month at "
            f"{cap.total_read} RCU / {cap.total_write} WCU, sized for average x "
            "peak_to_average at 100 % utilisation (flat traffic, no autoscaling headroom)"
        )
    else:
        rec = f"switch to PAY_PER_REQUEST: saves ${abs(od_total - pr_total):.2f}/month"
    if any(not c.priced and c.quantity for c in [*on_demand, *provisioned]):
        rec += " (the components not priced left out of the comparison)"
    notes: list[str] = []
    if not d.stated:
        notes.append("no usage given: traffic and storage taken as zero")
    for region in same_region:
        notes.append(
            f"replica in {region}, the table's own region: AWS refuses it, so it is not priced"
        )
    if d.stream_reads and not t.stream_enabled:
        notes.append("stream reads stated for a table without a stream: priced as stated")
    if t.import_bucket is not None:
        notes.append(
            f"created by import_table from S3 bucket {t.import_bucket}: AWS's one-time import "
            "charge (per GB of source data) is not in this monthly figure"
        )
    if d.pitr_gb is not None and not t.pitr_enabled:
        notes.append("PITR storage stated for a table without PITR: priced as stated")
    if t.provisioned:
        seconds = p.hours_per_month * 3600
        write_need = (d.write_units + sum(d.lsi_write_units.values())) / seconds
        if write_need * d.peak_to_average > cap.write:
            notes.append(f"peak writes exceed the {cap.write} WCU provisioned: throttling")
        if d.read_units / seconds * d.peak_to_average > cap.read:
            notes.append(f"peak reads exceed the {cap.read} RCU provisioned: throttling")
    else:
        seconds = p.hours_per_month * 3600
        # on_demand_throughput caps an on-demand table: traffic above it is throttled, not served
        write_need = (d.write_units + sum(d.lsi_write_units.values())) / seconds
        for what, need, most in (
            ("writes", write_need, t.max_write_request_units),
            ("reads", d.read_units / seconds, t.max_read_request_units),
        ):
            if most is not None and need * d.peak_to_average > most:
                notes.append(
                    f"peak {what} ({need * d.peak_to_average:,.2f} units/s) exceed "
                    f"on_demand_throughput's maximum of {most}/s: throttling, "
                    "not all of the traffic priced is served"
                )
    lines = [*mine, *data]
    missing = tuple(sorted(k for k, v in r.replicas.items() if v is None))
    return TableCost(
        address=t.address,
        name=t.label,
        physical_name=t.name,
        billing_mode=t.billing_mode,
        table_class=t.table_class,
        components={c.key: c.monthly_usd for c in lines},
        monthly_usd=_total(lines),
        alternative_mode=other_mode,
        alternative_usd=_total(other) + _total(data),
        utilisation=util,
        break_even_utilisation=break_even,
        recommendation=rec,
        capacity=cap,
        demand=d,
        notes=notes,
        region=p.region,
        lines=lines,
        alternative_lines=[*other, *data],
        warnings=_warnings(lines, r),
        replica_regions=tuple(r.replicas),
        missing_price_lists=missing,
        prices=r,
    )


def costs_at(t: TableConfig, d: Demand, cap: Capacity, r: Regions) -> tuple[float, float]:
    """(on-demand, provisioned) monthly USD of the table at demand `d` and capacity `cap`,
    data included: what the chart draws."""
    data = _total(_data(t, d, r))
    return (
        data + _total(_throughput(PAY_PER_REQUEST, t, d, cap, r)),
        data + _total(_throughput(PROVISIONED, t, d, cap, r)),
    )


def _apply_free_tier(
    costs: list[TableCost], tables: list[TableConfig], homes: list[Pricing]
) -> None:
    """Take the account's free tier (per region) off the tables, in order, as a `free_tier`
    component of the home region's lines."""
    left: dict[str, list[float]] = {}
    for c, t, p in zip(costs, tables, homes, strict=True):
        ft = p.free_tier
        if ft is None:
            c.warnings.append(f"free tier not applied: the {c.region} price list states none")
            continue
        if t.table_class not in ft.table_classes:
            continue
        quota = left.setdefault(
            c.region, [ft.storage_gb, ft.wcu, ft.rcu, ft.stream_read_request_units]
        )
        h = p.hours_per_month
        credit, used_parts = 0.0, []
        gb = c.demand.data_bytes / GB
        used = min(quota[0], gb)
        quota[0] -= used
        credit += used * (p.storage_gb_month(t.table_class) or 0.0)
        if used:
            used_parts.append(f"{used:,.3f} GB")
        if t.provisioned and c.capacity is not None:
            used = min(quota[1], c.capacity.total_write)
            quota[1] -= used
            credit += used * h * (p.provisioned.wcu_hour or 0.0)
            if used:
                used_parts.append(f"{used:g} WCU")
            used = min(quota[2], c.capacity.total_read)
            quota[2] -= used
            credit += used * h * (p.provisioned.rcu_hour or 0.0)
            if used:
                used_parts.append(f"{used:g} RCU")
        used = min(quota[3], c.demand.stream_reads)
        quota[3] -= used
        credit += used / 1e5 * (p.stream_read_request_units_per_100k or 0.0)
        if used:
            used_parts.append(f"{used:,.0f} stream reads")
        if credit:
            line = component(
                "free_tier", "Free tier", 1, "credit", -credit, c.region, ", ".join(used_parts)
            )
            c.lines.append(line)
            c.components["free_tier"] = -credit
            c.monthly_usd -= credit
            c.notes.append("alternative mode priced before the free tier")


MAX_CAPACITY = 10**9  # far beyond any DynamoDB quota; keeps every product finite


def _check_capacities(t: TableConfig) -> None:
    """Capacities from a plan file are input too: refuse figures no table can have."""
    figures: list[tuple[str, int | None]] = [
        ("read_capacity", t.read_capacity),
        ("write_capacity", t.write_capacity),
    ]
    for g in t.gsis:
        figures += [
            (f"global_secondary_index {g.name} read_capacity", g.read_capacity),
            (f"global_secondary_index {g.name} write_capacity", g.write_capacity),
        ]
        for dim in ("read", "write"):
            b = getattr(g.autoscaling, dim)
            if b is not None:
                figures += [
                    (f"{b.address} min_capacity", b.min),
                    (f"{b.address} max_capacity", b.max),
                ]
    for dim in ("read", "write"):
        b = getattr(t.autoscaling, dim)
        if b is not None:
            figures += [(f"{b.address} min_capacity", b.min), (f"{b.address} max_capacity", b.max)]
    for what, value in figures:
        if value is not None and not 0 <= value <= MAX_CAPACITY:
            shown = f"{value:,}" if abs(value) < 10**15 else f"{float(value):.3g}"
            raise UsageError(f"the plan: {t.address}: {what} {shown} is beyond DynamoDB's limits")


def estimate(
    tables: list[TableConfig],
    usage: UsageFile,
    pricing: Pricing,
    *,
    all_tables: bool = True,
    samples: Samples | None = None,
    prices: PriceBook | None = None,
) -> Estimate:
    """Monthly cost of each table under the usage; tables the usage omits are priced with zero
    traffic (a provisioned table costs its capacity all the same) unless all_tables is False.

    `pricing` prices tables in its region; `prices` gives the lists of the other regions (the
    plan's provider regions, the replicas'); without it, the bundled lists."""
    if not tables:
        raise UsageError("the plan holds no aws_dynamodb_table")
    book = prices or PriceBook(override=pricing)
    for t in tables:
        _check_capacities(t)
    given = demands(usage, tables, pricing, samples)
    chosen = [t for t in tables if all_tables or t.address in given]
    chosen.sort(key=lambda t: t.label.lower())
    costs: list[TableCost] = []
    homes: list[Pricing] = []
    lists: dict[str, dict[str, str]] = {}
    for t in chosen:
        region = t.region or usage.region
        home = pricing if region == pricing.region else book.home(region)
        same = [x.region for x in t.replicas if x.region == region]
        replicas = {x.region: book.get(x.region) for x in t.replicas if x.region != region}
        r = Regions(home, replicas)
        for p in (home, *replicas.values()):
            if p is not None:
                lists[p.region] = {"source": p.source.strip(), "date": p.date.isoformat()}
        costs.append(_cost_table(t, given.get(t.address) or Demand(stated=False), r, same))
        homes.append(home)
    if usage.free_tier:
        _apply_free_tier(costs, chosen, homes)
    notes: list[str] = []
    if usage.other_resources:
        notes.append(
            f"{usage.source}: ignored the usage of {len(usage.other_resources)} resource(s) that "
            f"are not DynamoDB tables: {', '.join(usage.other_resources)}"
        )
    return Estimate(
        region=usage.region,
        free_tier=usage.free_tier,
        tables=costs,
        units=dict(usage.units),
        notes=notes,
        price_lists=dict(sorted(lists.items())),
    )
