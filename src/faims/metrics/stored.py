"""The engine's fast path: the KPIs' aggregates read from the stored facts (`ProjectPeriodFact`).

The same aggregates, under the same names, as `engine._aggregates` computes over the live query; the
conditions are the same definitions written over the fact columns. Thresholds are applied here, at
read time, so a new definition version needs no rebuild. The month of a fact row stands in for the
period's month, so one grouped query can read several months at once (`by_month`).
"""
from decimal import Decimal

from django.db.models import Count, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from faims.projects.choices import StartKind
from faims.projects.models import Project

from .engine import ACCEPTED, COUNTED, MONEY, SUBMITTED, YI, ZERO, Period, _grouped
from .models import FactPeriod, ProjectPeriodFact

# Conditions that are one stored flag: counted as a plain SUM.
FLAG_OF = {name: name for name in (
    "started", "due", "completed", "in_production", "signed", "signed_coded", "filed", "completed_in_year",
    "completed_producing", "producing_in_year", "producing_capacity", "warning_red", "warning_yellow")}
# The report columns of each way of counting reports.
COLUMNS = {ACCEPTED: ("ytd_accepted", "previous_ytd_accepted", "previous_accepted"),
           SUBMITTED: ("ytd_submitted", "previous_ytd_submitted", "previous_submitted")}


def available(period: Period, statuses) -> bool:
    return tuple(statuses) in COLUMNS and FactPeriod.objects.filter(year=period.year, month=period.month).exists()


def _everything(projects) -> bool:
    """Whether `projects` is every project (no filter), so the facts need no semi-join with it."""
    query = projects.query
    return projects.model is Project and not query.where and not query.is_sliced and not query.combinator


def _slice(qs, projects):
    return qs if _everything(projects) else qs.filter(project_id__in=projects.values("pk"))


def _annotated(qs, statuses):
    ytd, previous_ytd, previous = COLUMNS[tuple(statuses)]
    return qs.annotate(
        f_ytd=F(ytd), f_previous_ytd=F(previous_ytd), f_has_previous=F(previous),
        f_ytd_1200=ExpressionWrapper(F(ytd) * Value(Decimal(1200)), output_field=MONEY),
        f_ytd_100=ExpressionWrapper(F(ytd) * Value(Decimal(100)), output_field=MONEY),
    )


def base(projects, period: Period, statuses):
    """The slice's fact rows of the period."""
    rows = ProjectPeriodFact.objects.filter(year=period.year, month=period.month)
    return _annotated(_slice(rows, projects), statuses)


def conditions(thresholds: dict) -> dict[str, Q]:
    """`engine.conditions` over the fact columns (the month is each row's own)."""
    points = thresholds["behind_schedule_points"]
    share = thresholds["over_half_percent"]
    floor = thresholds["stats_entry_min_wanyuan"]
    started, not_started = Q(started=1), Q(started=0)
    new, continuing = Q(start_kind=StartKind.NEW), Q(start_kind=StartKind.CONTINUING)
    planned = Q(plan__gt=0)
    # ytd/plan < month/12 − points/100, multiplied out as in engine.conditions.
    factor = ExpressionWrapper(F("month") * Value(Decimal(100)) - Value(12 * points), output_field=MONEY)
    behind = started & planned & Q(f_ytd_1200__lt=ExpressionWrapper(F("plan") * factor, output_field=MONEY))
    cohort = started & Q(total_investment__gte=floor)
    filed = Q(filed=1)
    return {
        "new": new, "continuing": continuing, "not_started": not_started, "new_started": new & started,
        "continuing_not_started": continuing & not_started, "behind": behind, "planned": planned,
        "over_half": planned & Q(f_ytd_100__gte=ExpressionWrapper(F("plan") * Value(share), output_field=MONEY)),
        "stats_cohort": cohort, "stats_entered": cohort & Q(in_statistics=1),
        "missing": Q(due=1, reported=0), "on_time": Q(due=1, reported=1, reported_late=0),
        "filed_started": filed & started,
        "filed_10yi": filed & Q(total_investment__gte=10 * YI),
        "filed_50yi": filed & Q(total_investment__gte=50 * YI),
        "filed_100yi": filed & Q(total_investment__gte=100 * YI),
        "warning_any": Q(warning_red=1) | Q(warning_yellow=1),
        "has_previous": Q(f_has_previous=1),
    }


def condition(name: str, thresholds: dict) -> Q:
    """One condition of `engine.conditions` over the fact columns."""
    if name == "all":
        return Q()
    if name in FLAG_OF:
        return Q(**{FLAG_OF[name]: 1})
    return conditions(thresholds)[name]


def aggregates(thresholds: dict, statuses) -> dict:
    conds = conditions(thresholds)
    result = {}
    for name in COUNTED:
        if name == "all":
            result["n_all"] = Count("pk")
        elif name in FLAG_OF:
            result[f"n_{name}"] = Coalesce(Sum(FLAG_OF[name]), 0)
        else:
            result[f"n_{name}"] = Count("pk", filter=conds[name])
    result.update(
        s_total=Coalesce(Sum("total_investment"), ZERO, output_field=MONEY),
        s_plan=Coalesce(Sum("plan"), ZERO, output_field=MONEY),
        s_ytd=Coalesce(Sum("f_ytd"), ZERO, output_field=MONEY),
        s_started_plan=Coalesce(Sum("plan", filter=Q(started=1)), ZERO, output_field=MONEY),
        s_started_ytd=Coalesce(Sum("f_ytd", filter=Q(started=1)), ZERO, output_field=MONEY),
        s_previous_ytd=Coalesce(Sum("f_previous_ytd"), ZERO, output_field=MONEY),
        s_ytd_with_previous=Coalesce(Sum("f_ytd", filter=conds["has_previous"]), ZERO, output_field=MONEY),
    )
    return result


FIELDS = {"region": "region_key", "category": "category", "leader": "leader_key", "tier": "total_investment",
          "department": "project__departments", "memberships": "project__memberships"}


def grouped(qs, by: str):
    """`qs` with a `group` column, as `engine._grouped` gives it over the live query."""
    return _grouped(qs, by, FIELDS)


def by_month(projects, period: Period, thresholds: dict, statuses):
    """{month: aggregates} for months 1…M of the year in one query, or None unless all of them are built."""
    if tuple(statuses) not in COLUMNS:
        return None
    if FactPeriod.objects.filter(year=period.year, month__lte=period.month).count() < period.month:
        return None
    rows = _annotated(_slice(ProjectPeriodFact.objects.filter(year=period.year, month__lte=period.month), projects),
                      statuses)
    aggs = aggregates(thresholds, statuses)
    found = {row.pop("month"): row for row in rows.values("month").annotate(**aggs).order_by()}
    empty = dict.fromkeys(aggs, 0)
    return {m: found.get(m, empty) for m in range(1, period.month + 1)}
