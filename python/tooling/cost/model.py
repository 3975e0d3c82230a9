"""The pricing rules applied to each table: what a month of the stated usage costs.

Units: a write costs ceil(size / 1 KB) write request units (twice if transactional), a read
ceil(size / 4 KB) read request units (half if eventually consistent, twice if transactional);
every write also writes ceil(entry / 1 KB) units on each GSI it is projected into. Storage counts
each item's size plus 100 bytes, in the table and again in each GSI that holds it; GB = 2^30 B.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from tooling.cost.pricing import Pricing
from tooling.cost.usage import InfracostUsage, TableUsage, UsageFile
from tooling.errors import UsageError
from tooling.terraform.plan import PAY_PER_REQUEST, PROVISIONED, TableConfig

GB = 2**30
READ_FACTOR = {"eventual": 0.5, "strong": 1.0, "transactional": 2.0}


@dataclass(frozen=True)
class Demand:
    """A table's monthly traffic and data, in billing units."""

    write_units: float = 0.0
    read_units: float = 0.0
    gsi_write_units: dict[str, float] = field(default_factory=dict)
    table_bytes: float = 0.0
    gsi_bytes: dict[str, float] = field(default_factory=dict)
    pitr_gb: float | None = None  # None: the table's own data
    backup_gb: float = 0.0
    restore_gb: float = 0.0
    stream_reads: float = 0.0
    peak_to_average: float = 1.0
    count: float = 1.0  # units (e.g. active users) the volumes were multiplied by
    unit: str | None = None
    stated: bool = True  # False when the usage file says nothing about the table

    def scaled(self, factor: float) -> Demand:
        """The same data with `factor` times the traffic (for the chart)."""
        return replace(
            self,
            write_units=self.write_units * factor,
            read_units=self.read_units * factor,
            gsi_write_units={k: v * factor for k, v in self.gsi_write_units.items()},
        )


@dataclass(frozen=True)
class Capacity:
    """Provisioned capacity units: the table's and each GSI's (read, write)."""

    read: int
    write: int
    gsis: dict[str, tuple[int, int]] = field(default_factory=dict)

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
    components: dict[str, float]
    monthly_usd: float
    alternative_mode: str
    alternative_usd: float
    utilisation: float | None  # average consumed / provisioned capacity, as a share
    break_even_utilisation: float | None  # provisioned is cheaper above this utilisation
    recommendation: str
    capacity: Capacity | None  # the provisioned option's capacity (actual or sized)
    demand: Demand
    notes: list[str] = field(default_factory=list)


@dataclass
class Estimate:
    region: str
    free_tier: bool
    tables: list[TableCost]
    units: dict[str, float] = field(default_factory=dict)

    @property
    def total_monthly_usd(self) -> float:
        return sum(t.monthly_usd for t in self.tables)

    def per_unit(self) -> dict[str, float]:
        """Monthly cost per unit (e.g. per active user) of the tables stated per unit."""
        out: dict[str, float] = {}
        for unit, count in self.units.items():
            cost = sum(t.monthly_usd for t in self.tables if t.demand.unit == unit)
            if count:
                out[unit] = cost / count
        return out


# -- demand ---------------------------------------------------------------------------------------


def _native(key: str, u: TableUsage, t: TableConfig, count: float, p: Pricing, src: str) -> Demand:
    days = p.hours_per_month / 24
    for name in u.gsi:
        if t.gsi(name) is None:
            known = ", ".join(g.name for g in t.gsis) or "none"
            raise UsageError(f"{src}: tables.{key}.gsi.{name}: no such GSI (GSIs: {known})")
    if u.retention_days is not None and t.ttl_attribute is None:
        raise UsageError(
            f"{src}: tables.{key}.retention_days: {t.name} has no TTL; give items instead"
        )
    size = u.item_size_bytes
    writes = u.writes_per_month_(days) * count
    reads = u.reads_per_month_(days) * count
    if u.items is not None:
        items = u.items * count
    elif u.retention_days is not None:
        items = writes / days * u.retention_days  # writes per day x retention; TTL deletes free
    else:
        items = 0.0
    overhead = p.storage.item_overhead_bytes
    gsi_writes: dict[str, float] = {}
    gsi_bytes: dict[str, float] = {}
    for g in t.gsis:
        gu = u.gsi.get(g.name)
        share = gu.write_share if gu else 1.0
        # ALL projects the whole item; for KEYS_ONLY/INCLUDE the item size is an upper bound.
        entry = (gu.entry_size_bytes if gu else None) or size
        gsi_writes[g.name] = writes * share * math.ceil(entry / 1024)
        gsi_bytes[g.name] = items * share * (entry + overhead)
    return Demand(
        write_units=writes * math.ceil(size / 1024) * (1 + u.transactional_write_share),
        read_units=reads * math.ceil(size / 4096) * READ_FACTOR[u.read_consistency],
        gsi_write_units=gsi_writes,
        table_bytes=items * (size + overhead),
        gsi_bytes=gsi_bytes,
        backup_gb=u.backup_storage_gb * count,
        restore_gb=u.restore_gb_per_month * count,
        stream_reads=u.stream_reads_per_month * count,
        peak_to_average=u.peak_to_average,
        count=count,
        unit=u.per,
    )


def _infracost(u: InfracostUsage) -> Demand:
    return Demand(
        write_units=u.monthly_write_request_units,
        read_units=u.monthly_read_request_units,
        table_bytes=u.storage_gb * GB,
        pitr_gb=u.pitr_backup_storage_gb,
        backup_gb=u.on_demand_backup_storage_gb,
        restore_gb=u.monthly_data_restored_gb,
        stream_reads=u.monthly_streams_read_request_units,
    )


def _strip_index(address: str) -> str:
    """`module.a[0].module.t["x"].aws_dynamodb_table.this` -> `module.a.module.t.aws_...this`."""
    out, depth = [], 0
    for ch in address:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _match(key: str, tables: list[TableConfig]) -> TableConfig | None:
    for t in tables:
        if key in (t.seed_name, t.name, t.address):
            return t
    matches = [t for t in tables if _strip_index(t.address) == _strip_index(key)]
    return matches[0] if len(matches) == 1 else None


def demands(usage: UsageFile, tables: list[TableConfig], p: Pricing) -> dict[str, Demand]:
    """Demand per table address; tables the usage file does not mention have none."""
    out: dict[str, Demand] = {}
    names = ", ".join(t.label for t in tables) or "none"
    for section, entries in (("tables", usage.tables), ("resource_usage", usage.resource_usage)):
        for key, u in entries.items():
            t = _match(key, tables)
            if t is None:
                raise UsageError(
                    f"{usage.source}: {section}.{key}: no such table in the plan (tables: {names})"
                )
            if t.address in out:
                raise UsageError(f"{usage.source}: {section}.{key}: {t.label} is given twice")
            if isinstance(u, TableUsage):
                d = _native(key, u, t, usage.count(key), p, usage.source)
            else:
                d = _infracost(u)
            if d.stream_reads and not t.stream_enabled:
                field_name = (
                    "stream_reads_per_month"
                    if isinstance(u, TableUsage)
                    else "monthly_streams_read_request_units"
                )
                raise UsageError(
                    f"{usage.source}: {section}.{key}.{field_name}: {t.name} has no stream"
                )
            out[t.address] = d
    return out


# -- costs ----------------------------------------------------------------------------------------


def sized_capacity(t: TableConfig, d: Demand, p: Pricing) -> Capacity:
    """Capacity for the demand: average units per second x peak_to_average, at least 1, and
    within any autoscaling bounds; the plan's own capacity when it has no autoscaling."""
    seconds = p.hours_per_month * 3600

    def need(units: float) -> int:
        return max(1, math.ceil(units / seconds * d.peak_to_average - 1e-9))

    def pick(planned: int | None, bounds, units: float) -> int:
        if bounds is not None:
            return min(max(need(units), bounds.min), bounds.max)
        if t.provisioned and planned:
            return planned
        return need(units)

    gsis = {
        g.name: (
            pick(g.read_capacity, g.autoscaling.read, 0.0),
            pick(g.write_capacity, g.autoscaling.write, d.gsi_write_units.get(g.name, 0.0)),
        )
        for g in t.gsis
    }
    return Capacity(
        read=pick(t.read_capacity, t.autoscaling.read, d.read_units),
        write=pick(t.write_capacity, t.autoscaling.write, d.write_units),
        gsis=gsis,
    )


def _throughput(
    mode: str, t: TableConfig, d: Demand, cap: Capacity, p: Pricing
) -> dict[str, float]:
    f = p.throughput_factor(t.table_class)
    h = p.hours_per_month
    replicas = len(t.replica_regions)
    if mode == PAY_PER_REQUEST:
        w, r = p.on_demand.write_request_unit_per_million, p.on_demand.read_request_unit_per_million
        gsi_units = sum(d.gsi_write_units.values())
        out = {
            "write_requests": d.write_units * w / 1e6 * f,
            "read_requests": d.read_units * r / 1e6 * f,
            "gsi_write_requests": gsi_units * w / 1e6 * f,
        }
        if replicas:
            rw = p.on_demand.replicated_write_request_unit_per_million
            out["replicated_writes"] = replicas * (d.write_units + gsi_units) * rw / 1e6 * f
        return out
    out = {
        "write_capacity": cap.write * h * p.provisioned.wcu_hour * f,
        "read_capacity": cap.read * h * p.provisioned.rcu_hour * f,
        "gsi_write_capacity": sum(w for _, w in cap.gsis.values()) * h * p.provisioned.wcu_hour * f,
        "gsi_read_capacity": sum(r for r, _ in cap.gsis.values()) * h * p.provisioned.rcu_hour * f,
    }
    if replicas:
        out["replicated_writes"] = (
            replicas * cap.total_write * h * p.provisioned.replicated_wcu_hour * f
        )
    return out


def _data(t: TableConfig, d: Demand, p: Pricing) -> dict[str, float]:
    s = p.storage_gb_month(t.table_class)
    table_gb = d.table_bytes / GB
    gsi_gb = sum(d.gsi_bytes.values()) / GB
    out = {"storage": table_gb * s, "gsi_storage": gsi_gb * s}
    if t.pitr_enabled:
        out["pitr"] = (d.pitr_gb if d.pitr_gb is not None else table_gb) * p.pitr_gb_month
    out["backup_storage"] = d.backup_gb * p.backup_gb_month
    out["restore"] = d.restore_gb * p.restore_gb
    out["stream_reads"] = d.stream_reads / 1e5 * p.stream_read_request_units_per_100k
    if t.replica_regions:
        out["replica_storage"] = len(t.replica_regions) * (table_gb + gsi_gb) * s
    return out


def _full_use(cap: Capacity, t: TableConfig, p: Pricing) -> float:
    """On-demand price of consuming the whole capacity all month: the utilisation denominator."""
    seconds = p.hours_per_month * 3600 * p.throughput_factor(t.table_class) / 1e6
    return seconds * (
        cap.total_write * p.on_demand.write_request_unit_per_million
        + cap.total_read * p.on_demand.read_request_unit_per_million
    )


def _cost_table(t: TableConfig, d: Demand, p: Pricing) -> TableCost:
    cap = sized_capacity(t, d, p)
    data = _data(t, d, p)
    on_demand = _throughput(PAY_PER_REQUEST, t, d, cap, p)
    provisioned = _throughput(PROVISIONED, t, d, cap, p)
    od_total, pr_total = sum(on_demand.values()), sum(provisioned.values())
    mine, other = (provisioned, on_demand) if t.provisioned else (on_demand, provisioned)
    other_mode = PAY_PER_REQUEST if t.provisioned else PROVISIONED
    full = _full_use(cap, t, p)
    util = od_total / full if full else None
    break_even = pr_total / full if full else None
    cheaper = PROVISIONED if pr_total < od_total else PAY_PER_REQUEST
    if cheaper == t.billing_mode:
        rec = f"keep {t.billing_mode}"
    else:
        rec = f"switch to {cheaper}: saves ${abs(od_total - pr_total):.2f}/month"
    notes: list[str] = []
    if not d.stated:
        notes.append("no usage given: traffic and storage taken as zero")
    if t.provisioned:
        seconds = p.hours_per_month * 3600
        if d.write_units / seconds * d.peak_to_average > cap.write:
            notes.append(f"peak writes exceed the {cap.write} WCU provisioned: throttling")
        if d.read_units / seconds * d.peak_to_average > cap.read:
            notes.append(f"peak reads exceed the {cap.read} RCU provisioned: throttling")
    components = {k: v for k, v in {**mine, **data}.items()}
    return TableCost(
        address=t.address,
        name=t.label,
        physical_name=t.name,
        billing_mode=t.billing_mode,
        table_class=t.table_class,
        components=components,
        monthly_usd=sum(components.values()),
        alternative_mode=other_mode,
        alternative_usd=sum(other.values()) + sum(data.values()),
        utilisation=util,
        break_even_utilisation=break_even,
        recommendation=rec,
        capacity=cap,
        demand=d,
        notes=notes,
    )


def _apply_free_tier(costs: list[TableCost], tables: list[TableConfig], p: Pricing) -> None:
    """Take the account-wide free tier off the tables, in order, as a `free_tier` component."""
    ft = p.free_tier
    storage, wcu, rcu, streams = ft.storage_gb, ft.wcu, ft.rcu, ft.stream_read_request_units
    h = p.hours_per_month
    for c, t in zip(costs, tables, strict=True):
        if t.table_class not in ft.table_classes:
            continue
        credit = 0.0
        gb = (c.demand.table_bytes + sum(c.demand.gsi_bytes.values())) / GB
        used = min(storage, gb)
        storage -= used
        credit += used * p.storage_gb_month(t.table_class)
        if t.provisioned and c.capacity is not None:
            used = min(wcu, c.capacity.total_write)
            wcu -= used
            credit += used * h * p.provisioned.wcu_hour
            used = min(rcu, c.capacity.total_read)
            rcu -= used
            credit += used * h * p.provisioned.rcu_hour
        used = min(streams, c.demand.stream_reads)
        streams -= used
        credit += used / 1e5 * p.stream_read_request_units_per_100k
        if credit:
            c.components["free_tier"] = -credit
            c.monthly_usd -= credit
            c.notes.append("alternative mode priced before the free tier")


def estimate(
    tables: list[TableConfig], usage: UsageFile, pricing: Pricing, *, all_tables: bool = True
) -> Estimate:
    """Monthly cost of each table under the usage; tables the usage omits are priced with zero
    traffic (a provisioned table costs its capacity all the same) unless all_tables is False."""
    if not tables:
        raise UsageError("the plan holds no aws_dynamodb_table")
    given = demands(usage, tables, pricing)
    chosen = [t for t in tables if all_tables or t.address in given]
    chosen.sort(key=lambda t: t.label.lower())
    costs = [_cost_table(t, given.get(t.address) or Demand(stated=False), pricing) for t in chosen]
    if usage.free_tier:
        _apply_free_tier(costs, chosen, pricing)
    return Estimate(
        region=usage.region, free_tier=usage.free_tier, tables=costs, units=dict(usage.units)
    )
