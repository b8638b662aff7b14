"""Per-period aggregates by region, category and tier (`PeriodCell`), kept incrementally from the stored facts.

Every aggregate of the engine (counts and sums) is additive, so the figures of all projects, by region, category
or tier or in total, are sums of cells. `build` sums a period's facts into cells (one grouped query per way of
counting reports); `apply` adds to the cells the difference that rebuilding some projects' facts made (their
aggregates after minus before), which `facts.build_period` calls for every incremental change. The thresholds
are those of the version the cells were built under (`FactPeriod.cube_version`); a new version rebuilds them
(`rebuild_for_version`), and until then the engine scans the facts instead.
"""
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from .engine import ACCEPTED, SUBMITTED, Period, _tier_case
from .models import FactPeriod, PeriodCell, ProjectPeriodFact
from .services import current_version, thresholds_of

CELL = ("region_key", "category", "tier")
WAYS = {"submitted": SUBMITTED, "accepted": ACCEPTED}
GROUP_FIELD = {"region": "region_key", "category": "category", "tier": "tier"}


def _cells(rows, version) -> dict:
    """{(region, category, tier): {way: aggregates}} of the fact rows `rows`."""
    from . import stored

    thresholds = thresholds_of(version)
    cells: dict = {}
    for way, statuses in WAYS.items():
        aggregates = stored.aggregates(thresholds, statuses)
        query = stored._annotated(rows, statuses).annotate(tier=_tier_case()).values(*CELL).annotate(**aggregates)
        for row in query.order_by():
            key = tuple(row.pop(name) for name in CELL)
            cells.setdefault(key, {})[way] = {name: _plain(value) for name, value in row.items()}
    return cells


def _plain(value):
    """A JSON value of an aggregate: counts as integers, money as a decimal string."""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return int(value or 0)


def _add(a: dict, b: dict, sign: int = 1) -> dict:
    out = dict(a)
    for name, value in b.items():
        if isinstance(value, str) or isinstance(out.get(name), str):
            out[name] = str((Decimal(out.get(name) or 0) + sign * Decimal(value)).quantize(Decimal("0.01")))
        else:
            out[name] = out.get(name, 0) + sign * value
    return out


def snapshot(year: int, month: int, project_ids) -> dict | None:
    """The cells' share of `project_ids` before their facts are rebuilt (None when the period has no cube)."""
    marker = FactPeriod.objects.filter(year=year, month=month, cube_version__isnull=False).first()
    if marker is None:
        return None
    version = current_version()
    if version.number != marker.cube_version:
        return None
    rows = ProjectPeriodFact.objects.filter(year=year, month=month, project_id__in=project_ids)
    return _cells(rows, version)


@transaction.atomic
def apply(year: int, month: int, project_ids, before: dict) -> None:
    """Add to the period's cells what `project_ids` contribute now minus what they did (`before`)."""
    after = _cells(ProjectPeriodFact.objects.filter(year=year, month=month, project_id__in=project_ids),
                   current_version())
    keys = set(before) | set(after)
    stored = {(c.region_key, c.category, c.tier): c for c in PeriodCell.objects.select_for_update().filter(
        year=year, month=month, region_key__in={k[0] for k in keys})}
    for key in keys:
        cell = stored.get(key) or PeriodCell(year=year, month=month, **dict(zip(CELL, key, strict=True)))
        for way in WAYS:
            value = _add(getattr(cell, way), after.get(key, {}).get(way, {}))
            setattr(cell, way, _add(value, before.get(key, {}).get(way, {}), sign=-1))
        if cell.submitted.get("n_all", 0) == 0:
            if cell.pk:
                cell.delete()
        else:
            cell.save()


@transaction.atomic
def build(year: int, month: int) -> None:
    """Sum the period's facts into its cells afresh, under the current version."""
    version = current_version()
    PeriodCell.objects.filter(year=year, month=month).delete()
    cells = _cells(ProjectPeriodFact.objects.filter(year=year, month=month), version)
    PeriodCell.objects.bulk_create([
        PeriodCell(year=year, month=month, **dict(zip(CELL, key, strict=True)), **ways) for key, ways in cells.items()
    ], batch_size=500)
    FactPeriod.objects.filter(year=year, month=month).update(cube_version=version.number)


def rebuild_for_version() -> None:
    """A new definition version: the cells of every built period summed again under it."""
    for year, month in FactPeriod.objects.values_list("year", "month"):
        build(year, month)


def _applicable(projects, period: Period, statuses, version, by) -> bool:
    from . import stored

    return (tuple(statuses) in stored.COLUMNS and (by is None or by in GROUP_FIELD)
            and stored._everything(projects)
            and FactPeriod.objects.filter(year=period.year, month=period.month, cube_version=version.number).exists())


def _sums(value: dict) -> dict:
    return {name: Decimal(v) if isinstance(v, str) else v for name, v in value.items()}


def read(projects, period: Period, statuses, version, by, empty: dict):
    """(total, {group: aggregates}) of every project from the cells, or None when the cells cannot answer (a
    filtered slice, a grouping they do not hold, another version, a period without cells)."""
    if not _applicable(projects, period, statuses, version, by):
        return None
    way = "accepted" if tuple(statuses) == ACCEPTED else "submitted"
    total, groups = dict(empty), {}
    for cell in PeriodCell.objects.filter(year=period.year, month=period.month).values(*CELL, way):
        sums = _sums(cell[way])
        total = _add(total, sums)
        if by:
            key = cell[GROUP_FIELD[by]]
            groups[key] = _add(groups.get(key, empty), sums)
    return total, groups


def read_months(projects, period: Period, statuses, version, empty: dict):
    """{month: aggregates} of every project for months 1…M from the cells, or None."""
    from . import stored

    if tuple(statuses) not in stored.COLUMNS or not stored._everything(projects):
        return None
    built = FactPeriod.objects.filter(year=period.year, month__lte=period.month, cube_version=version.number).count()
    if built < period.month:
        return None
    way = "accepted" if tuple(statuses) == ACCEPTED else "submitted"
    months = {m: dict(empty) for m in range(1, period.month + 1)}
    cells = PeriodCell.objects.filter(year=period.year, month__lte=period.month).annotate(m=F("month"))
    for cell in cells.values("m", way):
        months[cell["m"]] = _add(months[cell["m"]], _sums(cell[way]))
    return months
