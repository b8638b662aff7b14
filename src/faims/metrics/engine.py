"""The KPI engine: every figure of KPIS.md for a slice of projects and a period, computed in the database.

One annotated query gives each project's facts for the period (its plan for the year, new start or
continuing, started by the period's end, the period's year-to-date investment …); the KPIs are then
aggregates over those facts, for the whole slice and, in one more query, for every group.
"""
import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faims.alerts.choices import WarningLevel
from faims.alerts.models import ProjectWarning
from faims.org.models import Department, Person, Region
from faims.projects.choices import TIER_MIN_WANYUAN, Category, MembershipStatus, StartKind, Tier
from faims.projects.models import Library, Project
from faims.reporting import deadlines
from faims.reporting.choices import ReportStatus
from faims.reporting.models import ReportingPeriod, default_deadline
from faims.targets.choices import TargetPeriod, TargetScope
from faims.targets.models import Target

from .models import KpiDefinitionVersion
from .registry import IMPLEMENTED, REGISTRY, SEASONAL_PROFILE
from .services import current_version, thresholds_of

GROUPINGS = ("region", "library", "category", "tier", "department", "leader", "month")
# Which reports give the period's figures: accepted ones, or (when asked) submitted ones too.
ACCEPTED = (ReportStatus.ACCEPTED,)
SUBMITTED = (ReportStatus.ACCEPTED, ReportStatus.SUBMITTED)
MONEY = DecimalField(max_digits=20, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
YI = Decimal(10_000)
# The forecast's run rate is the investment of the last three months.
RUN_RATE_MONTHS = 3


@dataclass
class Period:
    year: int
    month: int

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def start_of_year(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def run_rate_from(self) -> int:
        """The month whose year-to-date figure starts the forecast's run-rate window (0: the start of the year)."""
        return self.month - min(RUN_RATE_MONTHS, self.month)


@dataclass
class Row:
    key: object
    label: str
    values: dict = field(default_factory=dict)
    # KPI key → (projects behind the numerator, projects behind the denominator or None): what its drill-down lists.
    parts: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.values[key]


@dataclass
class Result:
    version: KpiDefinitionVersion
    period: Period
    keys: list
    total: Row
    rows: list = field(default_factory=list)
    by: str | None = None


def _reporting_periods(period: Period) -> tuple[ReportingPeriod, int]:
    """The stored reporting period (or an unsaved one with the default deadline: nothing filed for it), and the id
    of the period that starts the forecast's run-rate window (0 when there is none), in one query."""
    months = {period.month, period.run_rate_from}
    stored = {p.month: p for p in ReportingPeriod.objects.filter(year=period.year, month__in=months)}
    reporting = stored.get(period.month) or ReportingPeriod(
        year=period.year, month=period.month, deadline=default_deadline(period.year, period.month))
    previous = stored.get(period.run_rate_from)
    return reporting, previous.pk if previous else 0


def _flag(q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def _stored_period_id(year: int, month: int) -> int:
    """The id of the stored reporting period, or 0 (never a key) when none is stored or month is 0."""
    if month < 1:
        return 0
    return ReportingPeriod.objects.filter(year=year, month=month).values_list("pk", flat=True).first() or 0


def _warning(period: Period, level) -> Exists:
    """An active warning of `level` for the project in the period: an index look-up per project (project, year,
    month, level), never a scan of the period's warnings per project."""
    return Exists(ProjectWarning.objects.filter(project=OuterRef("pk"), year=period.year, month=period.month,
                                                level=level, cleared_at__isnull=True))


def facts(projects: QuerySet, period: Period, *, statuses=SUBMITTED) -> QuerySet:
    """The slice's projects, one row each, annotated with their facts for the period."""
    reporting, previous = _reporting_periods(period)
    base = Project.objects.filter(pk__in=projects.values("pk"))
    qs = base.annotate(
        plan=FilteredRelation("annual_plans", condition=Q(annual_plans__year=period.year)),
        # Without a stored period no report exists (0 is never a key).
        report=FilteredRelation("reports", condition=Q(reports__period_id=reporting.pk or 0,
                                                      reports__status__in=statuses)),
        # The report that starts the forecast's run-rate window (none in the first three months).
        previous=FilteredRelation("reports", condition=Q(reports__period_id=previous, reports__status__in=statuses)),
    ).annotate(
        f_plan=Coalesce(F("plan__planned_investment"), ZERO, output_field=MONEY),
        f_ytd=Coalesce(F("report__ytd_investment"), ZERO, output_field=MONEY),
        f_previous_ytd=Coalesce(F("previous__ytd_investment"), ZERO, output_field=MONEY),
        f_has_previous=_flag(Q(previous__id__isnull=False)),
        f_warning_red=_warning(period, WarningLevel.RED),
        f_warning_yellow=_warning(period, WarningLevel.YELLOW),
    )
    # The reporting module's definitions of due, filed and filed late (on_time_report_rate, missing).
    qs = qs.annotate(f_entered=deadlines.first_admitted()).annotate(
        f_due=_flag(deadlines.due_condition(reporting, Q(plan__id__isnull=False), entered="f_entered")))
    if reporting.pk:
        return qs.annotate(f_filed=deadlines._filed(reporting), f_filed_late=deadlines._filed_late(reporting))
    return qs.annotate(f_filed=Value(False), f_filed_late=Value(False))


def conditions(period: Period, thresholds: dict) -> dict[str, Q]:
    """The per-project conditions the KPIs count, over the annotations of `facts`."""
    end = period.end
    in_year = {"gte": period.start_of_year, "lte": end}
    started = Q(actual_start_date__lte=end)
    new = Q(plan__start_kind=StartKind.NEW)
    continuing = Q(plan__start_kind=StartKind.CONTINUING)
    points = thresholds["behind_schedule_points"]
    share = thresholds["over_half_percent"]
    stats_floor = thresholds["stats_entry_min_wanyuan"]
    # ytd/plan < M/12 − points/100, multiplied out so that both sides stay exact decimals.
    behind = started & Q(f_plan__gt=0) & Q(
        f_ytd_1200__lt=ExpressionWrapper(F("f_plan") * Value(Decimal(100 * period.month) - 12 * points),
                                         output_field=MONEY))
    filed_in_year = Q(actual_filing_date__gte=in_year["gte"], actual_filing_date__lte=end)
    in_statistics = Q(in_statistics=True) & (Q(statistics_date__isnull=True) | Q(statistics_date__lte=end))
    stats_cohort = started & Q(total_investment__gte=stats_floor)
    completed = Q(actual_completion_date__lte=end)
    production = Q(actual_production_date__lte=end)
    return {
        "all": Q(pk__isnull=False),
        "new": new,
        "continuing": continuing,
        "started": started,
        "not_started": ~started | Q(actual_start_date__isnull=True),
        "new_started": new & started,
        "continuing_not_started": continuing & (~started | Q(actual_start_date__isnull=True)),
        "behind": behind,
        "planned": Q(f_plan__gt=0),
        "over_half": Q(f_plan__gt=0) & Q(f_ytd_100__gte=ExpressionWrapper(F("f_plan") * Value(share),
                                                                           output_field=MONEY)),
        "stats_cohort": stats_cohort,
        "stats_entered": stats_cohort & in_statistics,
        "due": Q(f_due=True),
        "missing": Q(f_due=True, f_filed=False),
        "on_time": Q(f_due=True, f_filed=True, f_filed_late=False),
        "completed": completed,
        "in_production": production,
        "signed": Q(actual_sign_date__gte=in_year["gte"], actual_sign_date__lte=end),
        "signed_coded": Q(actual_sign_date__gte=in_year["gte"], actual_sign_date__lte=end, code__isnull=False),
        "filed": filed_in_year,
        "filed_started": filed_in_year & started,
        "completed_in_year": Q(actual_completion_date__gte=in_year["gte"], actual_completion_date__lte=end),
        "completed_producing": Q(actual_completion_date__gte=in_year["gte"], actual_completion_date__lte=end)
        & production,
        "producing_in_year": Q(actual_production_date__gte=in_year["gte"], actual_production_date__lte=end),
        "producing_capacity": Q(actual_production_date__gte=in_year["gte"], actual_production_date__lte=end,
                                actual_capacity_date__lte=end),
        "filed_10yi": filed_in_year & Q(total_investment__gte=10 * YI),
        "filed_50yi": filed_in_year & Q(total_investment__gte=50 * YI),
        "filed_100yi": filed_in_year & Q(total_investment__gte=100 * YI),
        "in_statistics": in_statistics,
        "reported": Q(f_filed=True),
        "reported_late": Q(f_filed_late=True),
        "has_previous": Q(f_has_previous=True),
        "warning_red": Q(f_warning_red=True),
        "warning_yellow": Q(f_warning_yellow=True),
        "warning_any": Q(f_warning_red=True) | Q(f_warning_yellow=True),
    }


# Rates and drill-down: which condition is each KPI's numerator and denominator.
PARTS = {
    "project_count": ("all", None),
    "new_count": ("new", None),
    "continuing_count": ("continuing", None),
    "total_investment": ("all", None),
    "annual_plan": ("planned", None),
    "ytd_investment": ("all", None),
    "completion_rate": ("all", "planned"),
    "target_completion_rate": ("all", None),
    "progress_gap": ("all", "planned"),
    "new_started_count": ("new_started", None),
    "new_start_rate": ("new_started", "new"),
    "continuing_not_started_count": ("continuing_not_started", None),
    "not_started_count": ("not_started", None),
    "started_rate": ("started", "all"),
    "behind_schedule_count": ("behind", "started"),
    "over_half_count": ("over_half", "planned"),
    "stats_entry_rate": ("stats_entered", "stats_cohort"),
    "missing_report_count": ("missing", "due"),
    "on_time_report_rate": ("on_time", "due"),
    "completed_count": ("completed", None),
    "in_production_count": ("in_production", None),
    "filing_rate": ("signed_coded", "signed"),
    "filed_start_rate": ("filed_started", "filed"),
    "started_investment_rate": ("started", "started"),
    "production_rate": ("completed_producing", "completed_in_year"),
    "capacity_rate": ("producing_capacity", "producing_in_year"),
    "filed_10yi_count": ("filed_10yi", None),
    "filed_50yi_count": ("filed_50yi", None),
    "filed_100yi_count": ("filed_100yi", None),
    "forecast_year_end": ("planned", None),
    "warning_red_count": ("warning_red", None),
    "warning_yellow_count": ("warning_yellow", None),
    "warning_project_count": ("warning_any", None),
}
COUNTED = ("all", "planned", "new", "continuing", "started", "not_started", "new_started", "continuing_not_started",
           "behind", "over_half", "stats_cohort", "stats_entered", "due", "missing", "on_time", "completed",
           "in_production", "signed", "signed_coded", "filed", "filed_started", "completed_in_year",
           "completed_producing", "producing_in_year", "producing_capacity", "filed_10yi", "filed_50yi", "filed_100yi",
           "warning_red", "warning_yellow", "warning_any")
# Counted over the problems of the slice's projects (`problem_figures`), only when asked for.
PROBLEM_KEYS = frozenset({"problem_open_count", "problem_overdue_count", "problem_feedback_rate",
                          "problem_closure_rate"})
# Counted over the linked leaders and commissioners of the slice's projects (`visit_figures`), only when asked for.
VISIT_KEYS = frozenset({"leader_visit_compliance_rate", "commissioner_visit_compliance_rate", "leader_visit_count",
                        "leader_visitor_count"})
# Groupings in which every project falls in exactly one group: the total is the sum of the groups.
PARTITIONS = frozenset({"region", "category", "tier", "leader"})


def _scaled(qs: QuerySet) -> QuerySet:
    """The products the threshold comparisons need (ytd × 1200, ytd × 100)."""
    return qs.annotate(
        f_ytd_1200=ExpressionWrapper(F("f_ytd") * Value(Decimal(1200)), output_field=MONEY),
        f_ytd_100=ExpressionWrapper(F("f_ytd") * Value(Decimal(100)), output_field=MONEY),
    )


def _aggregates(conds: dict) -> dict:
    aggregates = {f"n_{name}": Count("pk", filter=conds[name]) for name in COUNTED}
    aggregates.update(
        s_total=Coalesce(Sum("total_investment"), ZERO, output_field=MONEY),
        s_plan=Coalesce(Sum("f_plan"), ZERO, output_field=MONEY),
        s_ytd=Coalesce(Sum("f_ytd"), ZERO, output_field=MONEY),
        s_started_plan=Coalesce(Sum("f_plan", filter=conds["started"]), ZERO, output_field=MONEY),
        s_started_ytd=Coalesce(Sum("f_ytd", filter=conds["started"]), ZERO, output_field=MONEY),
        s_previous_ytd=Coalesce(Sum("f_previous_ytd"), ZERO, output_field=MONEY),
        s_ytd_with_previous=Coalesce(Sum("f_ytd", filter=conds["has_previous"]), ZERO, output_field=MONEY),
    )
    return aggregates


def rate(numerator, denominator) -> Fraction | None:
    """An exact fraction; no value when the denominator is 0 (or missing)."""
    if denominator is None or numerator is None or denominator == 0:
        return None
    return Fraction(Decimal(numerator)) / Fraction(Decimal(denominator))


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def kpis_from(sums: dict, period: Period, target: Decimal | None) -> dict:
    """Every implemented KPI from one row of aggregates."""
    n = {name: sums[f"n_{name}"] for name in COUNTED}
    plan, ytd = _money(sums["s_plan"]), _money(sums["s_ytd"])
    time_progress = Fraction(period.month, 12)
    completion = rate(ytd, plan)
    values = {
        "project_count": n["all"],
        "new_count": n["new"],
        "continuing_count": n["continuing"],
        "total_investment": _money(sums["s_total"]),
        "annual_plan": plan,
        "annual_target": target,
        "ytd_investment": ytd,
        "completion_rate": completion,
        "target_completion_rate": rate(ytd, target),
        "time_progress": time_progress,
        "progress_gap": None if completion is None else completion - time_progress,
        "new_started_count": n["new_started"],
        "new_start_rate": rate(n["new_started"], n["new"]),
        "continuing_not_started_count": n["continuing_not_started"],
        "not_started_count": n["not_started"],
        "started_rate": rate(n["started"], n["all"]),
        "behind_schedule_count": n["behind"],
        "over_half_count": n["over_half"],
        "stats_entry_rate": rate(n["stats_entered"], n["stats_cohort"]),
        "missing_report_count": n["missing"],
        "on_time_report_rate": rate(n["on_time"], n["due"]),
        "completed_count": n["completed"],
        "in_production_count": n["in_production"],
        "filing_rate": rate(n["signed_coded"], n["signed"]),
        "filed_start_rate": rate(n["filed_started"], n["filed"]),
        "started_investment_rate": rate(_money(sums["s_started_ytd"]), _money(sums["s_started_plan"])),
        "production_rate": rate(n["completed_producing"], n["completed_in_year"]),
        "capacity_rate": rate(n["producing_capacity"], n["producing_in_year"]),
        "filed_10yi_count": n["filed_10yi"],
        "filed_50yi_count": n["filed_50yi"],
        "filed_100yi_count": n["filed_100yi"],
        "forecast_year_end": forecast(sums, period),
        "warning_red_count": n["warning_red"],
        "warning_yellow_count": n["warning_yellow"],
        "warning_project_count": n["warning_any"],
        "problem_open_count": sums.get("n_problem_open"),
        "problem_overdue_count": sums.get("n_problem_overdue"),
        "problem_feedback_rate": rate(sums.get("n_problem_answered"), sums.get("n_problem_due")),
        "problem_closure_rate": rate(sums.get("n_problem_closed"), sums.get("n_problem_raised")),
        "leader_visit_compliance_rate": rate(sums.get("n_leaders_compliant"), sums.get("n_leaders")),
        "commissioner_visit_compliance_rate": rate(sums.get("n_commissioners_compliant"), sums.get("n_commissioners")),
        "leader_visit_count": sums.get("n_leader_visits"),
        "leader_visitor_count": sums.get("n_leader_visitors"),
    }
    return values


def _profile_share(months: int) -> Fraction:
    """The share of a usual year's investment done in the first `months` months."""
    return sum((Fraction(share) for share in SEASONAL_PROFILE[:months]), Fraction(0))


def forecast(sums: dict, period: Period) -> Decimal:
    """Projected year-end investment: the year to date, plus the rest of the year at the run rate of the last three
    months, deseasonalised and spread over the remaining months by the seasonal profile.

    For a project with a report three months back the run rate is its investment since then over that window's
    share of the year; for one without (it started reporting later) it is its year to date over the share of the
    year so far. Linear in the sums, so a slice's forecast is the sum of its groups' (to the cent).
    """
    ytd = Fraction(_money(sums["s_ytd"]))
    done = _profile_share(period.month)
    if done == 0 or done >= 1:
        return _money(sums["s_ytd"])
    window = done - _profile_share(period.run_rate_from)
    with_previous = Fraction(_money(sums["s_ytd_with_previous"]))
    pace = (ytd - with_previous) / done
    if window > 0:
        pace += (with_previous - Fraction(_money(sums["s_previous_ytd"]))) / window
    result = ytd + pace * (1 - done)
    return _money(Decimal(result.numerator) / Decimal(result.denominator))


def annual_target(year: int, scope) -> Decimal | None:
    """The year's annual_target for a scope: "city", ("region", id), ("library", id), ("category", code)."""
    if scope is None:
        return None
    targets = Target.objects.filter(kpi_key="annual_target", year=year, period=TargetPeriod.YEAR)
    if scope == "city":
        targets = targets.filter(scope=TargetScope.CITY)
    else:
        kind, key = scope
        if kind not in TARGET_FIELDS:
            return None
        targets = targets.filter(scope=kind, **{TARGET_FIELDS[kind]: key})
    value = targets.values_list("value", flat=True).first()
    return None if value is None else _money(value)


def _tier_case(field_name="total_investment"):
    whens = [When(**{f"{field_name}__gte": TIER_MIN_WANYUAN[tier]}, then=Value(tier.value))
             for tier in reversed(list(Tier))]
    return Case(*whens, default=Value(""), output_field=CharField())


# Where each grouping reads its key, from the live query's projects (`_grouped`'s default); the stored facts and the
# problems give their own paths.
LIVE_FIELDS = {"region": "region_id", "category": "category", "leader": "leader_id", "tier": "total_investment",
               "department": "departments", "memberships": "memberships"}


def _grouped(qs: QuerySet, by: str, fields=LIVE_FIELDS) -> QuerySet:
    """`qs` with a `group` column; library and department rows repeat a project once per group."""
    if by == "tier":
        return qs.annotate(group=_tier_case(fields["tier"]))
    if by == "library":
        memberships = fields["memberships"]
        current = FilteredRelation(memberships, condition=~Q(**{f"{memberships}__status": MembershipStatus.WITHDRAWN}))
        return qs.annotate(current=current).annotate(group=F("current__library_id"))
    if by in ("region", "category", "leader", "department"):
        return qs.annotate(group=F(fields[by]))
    raise ValueError(f"by must be one of {GROUPINGS}")


def _labels(by: str, keys) -> dict:
    """Group key → label, and the order of the groups."""
    keys = [k for k in keys if k not in (None, "")]
    if by == "region":
        return {r.pk: r.name for r in Region.objects.filter(pk__in=keys).order_by("sort_order", "code")}
    if by == "library":
        return {lib.pk: str(lib) for lib in Library.objects.filter(pk__in=keys).order_by("-year", "name")}
    if by == "department":
        return {d.pk: d.name for d in Department.objects.filter(pk__in=keys).order_by("name")}
    if by == "leader":
        return {p.pk: p.name for p in Person.objects.filter(pk__in=keys).order_by("name")}
    if by == "category":
        return {value: str(label) for value, label in Category.choices if value in keys}
    if by == "tier":
        return {value: str(label) for value, label in reversed(Tier.choices) if value in keys}
    return {}


# The row of the projects outside every group of a dimension.
NO_GROUP = {
    "library": gettext_lazy("未入库"), "tier": gettext_lazy("1亿元以下"), "department": gettext_lazy("未填写责任部门"),
    "leader": gettext_lazy("未挂钩市领导"),
}
TARGET_FIELDS = {"region": "region_id", "library": "library_id", "category": "category"}


def _group_targets(year: int, by: str) -> dict:
    """The annual_target of every region, library or category, in one query."""
    if by not in TARGET_FIELDS:
        return {}
    field_name = TARGET_FIELDS[by]
    rows = Target.objects.filter(kpi_key="annual_target", year=year, period=TargetPeriod.YEAR, scope=by)
    return {key: _money(value) for key, value in rows.values_list(field_name, "value")}


def _resolve(keys, version):
    keys = list(keys or IMPLEMENTED)
    unknown = [k for k in keys if k not in REGISTRY or not REGISTRY[k].implemented]
    if unknown:
        raise ValueError(f"unknown or not yet computed KPI: {', '.join(unknown)}")
    if version is None:
        version = current_version()
    return keys, version


def _add(rows, aggregates) -> dict:
    """The aggregates of the union of disjoint groups: every count and sum is additive."""
    total = dict.fromkeys(aggregates, 0)
    for row in rows:
        for name in aggregates:
            total[name] += row[name] or 0
    return total


def _sums(projects, period, version, statuses, by):
    """The aggregates of the slice and of each group: (total, {group key: aggregates}).

    For a built period (`faims refresh_metrics`): every project's from the period's cells (`cube`), any other
    slice's from the stored facts; else from the live query. All give the same figures (tests/test_facts.py).
    """
    from . import cube, stored  # they read this module's definitions

    thresholds = thresholds_of(version)
    if stored.available(period, statuses):
        aggregates = stored.aggregates(thresholds, statuses)
        from_cells = cube.read(projects, period, statuses, version, by, dict.fromkeys(aggregates, 0))
        if from_cells is not None:
            return from_cells
        base, grouped = stored.base(projects, period, statuses), stored.grouped
    else:
        base = _scaled(facts(projects, period, statuses=statuses))
        aggregates = _aggregates(conditions(period, thresholds))
        grouped = _grouped
    if not by:
        return base.aggregate(**aggregates), {}
    by_key = {}
    for row in grouped(base, by).values("group").annotate(**aggregates).order_by():
        by_key[row.pop("group")] = row
    if by in PARTITIONS:
        return _add(by_key.values(), aggregates), by_key
    # A project may be in several groups (libraries, departments): the total is the slice's own.
    from_cells = cube.read(projects, period, statuses, version, None, dict.fromkeys(aggregates, 0)) if stored.available(
        period, statuses) else None
    return (from_cells[0] if from_cells else base.aggregate(**aggregates)), by_key


def _rows(by, period, by_key) -> list:
    labels = _labels(by, by_key)
    targets = _group_targets(period.year, by)
    ordered = list(labels) + [k for k in by_key if k not in labels]
    return [_row(key, labels.get(key) or str(NO_GROUP.get(by, "")) or str(key), by_key[key], period, targets.get(key))
            for key in ordered]


def parts_from(sums: dict) -> dict:
    """How many projects stand behind each KPI's numerator and denominator (the sets its drill-down lists)."""
    return {key: (sums[f"n_{numerator}"], None if denominator is None else sums[f"n_{denominator}"])
            for key, (numerator, denominator) in PARTS.items()}


def _row(key, label, sums, period, target) -> Row:
    return Row(key=key, label=label, values=kpis_from(sums, period, target), parts=parts_from(sums))


def _with_problems(projects, period, by, total, by_key) -> None:
    """Add the problem counts (`problem_figures`) to the slice's and each group's aggregates."""
    from . import problem_figures

    problems, groups = problem_figures.sums(projects, period, by)
    total.update(problems)
    for key, row in by_key.items():
        row.update(groups.get(key) or dict.fromkeys(problem_figures.NAMES, 0))


def _with_visits(projects, period, by, total, by_key) -> None:
    """Add the visit-compliance counts (`visit_figures`) to the slice's and each group's aggregates."""
    from . import visit_figures

    visits, groups = visit_figures.sums(projects, period, by)
    total.update(visits)
    for key, row in by_key.items():
        row.update(groups.get(key) or dict.fromkeys(visit_figures.NAMES, 0))


def _compute(projects, period, version, statuses, by, target_scope, keys):
    target = annual_target(period.year, target_scope)
    with_problems = bool(PROBLEM_KEYS.intersection(keys))
    if by == "month":
        return _by_month(projects, period, version, statuses, target, with_problems)
    total, by_key = _sums(projects, period, version, statuses, by)
    if with_problems:
        _with_problems(projects, period, by, total, by_key)
    if VISIT_KEYS.intersection(keys):
        _with_visits(projects, period, by, total, by_key)
    return _row(None, _("合计"), total, period, target), _rows(by, period, by_key) if by else []


def _by_month(projects, period, version, statuses, target, with_problems=False):
    """Each month of the year up to the period is its own period with its own reports; the total is the period's."""
    from . import cube, stored

    thresholds = thresholds_of(version)
    empty = dict.fromkeys(_aggregates(conditions(period, thresholds)), 0)
    monthly = cube.read_months(projects, period, statuses, version, empty)
    if monthly is None:
        monthly = stored.by_month(projects, period, thresholds, statuses)
    if monthly is None:
        monthly = {m: _sums(projects, Period(period.year, m), version, statuses, None)[0]
                   for m in range(1, period.month + 1)}
    if with_problems:
        for m in range(1, period.month + 1):
            monthly[m] = dict(monthly[m])
            _with_problems(projects, Period(period.year, m), None, monthly[m], {})
    rows = [_row(m, f"{m}月", monthly[m], Period(period.year, m), target) for m in range(1, period.month + 1)]
    return _row(None, _("合计"), monthly[period.month], period, target), rows


def evaluate(projects: QuerySet, year: int, month: int, *, keys=None, by: str | None = None,
             version: KpiDefinitionVersion | None = None, statuses=SUBMITTED, target_scope=None) -> Result:
    """The KPIs of the slice `projects` (already restricted and filtered) as of the end of month M of Y.

    statuses: the report states whose figures count (SUBMITTED = accepted or submitted, ACCEPTED).
    target_scope: which target the slice answers to ("city", ("region", id), ("library", id),
    ("category", code)); annual_target has no value without one.
    """
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    keys, version = _resolve(keys, version)
    period = Period(year, month)
    total, rows = _compute(projects, period, version, statuses, by, target_scope, keys)
    def pick(row):
        return Row(key=row.key, label=row.label, values={k: row.values[k] for k in keys},
                   parts={k: row.parts[k] for k in keys if k in row.parts})

    return Result(version=version, period=period, keys=keys, by=by, total=pick(total), rows=[pick(r) for r in rows])


def projects_behind(projects: QuerySet, year: int, month: int, key: str, part: str = "numerator", group=None, *,
                    by: str | None = None, version=None, statuses=SUBMITTED) -> QuerySet:
    """The projects behind a KPI's numerator (or denominator), optionally within one group of `by`."""
    if key not in PARTS:
        raise ValueError(f"no drill-down for {key}")
    numerator, denominator = PARTS[key]
    name = numerator if part == "numerator" else denominator
    if name is None:
        name = numerator
    version = version or current_version()
    period = Period(year, month)
    thresholds = thresholds_of(version)
    grouped = by and by != "month" and group is not None
    from . import stored

    if stored.available(period, statuses):
        qs = stored.base(projects, period, statuses)
        if grouped:
            qs = stored.grouped(qs, by).filter(group=group)
        return Project.objects.filter(pk__in=qs.filter(stored.condition(name, thresholds)).values("project_id"))
    qs = _scaled(facts(projects, period, statuses=statuses))
    if grouped:
        qs = _grouped(qs, by).filter(group=group)
    pks = qs.filter(conditions(period, thresholds)[name]).values("pk")
    return Project.objects.filter(pk__in=pks)


def project_figures(projects: QuerySet, year: int, month: int, *, statuses=SUBMITTED) -> QuerySet:
    """Each project's own year-to-date investment and annual plan in the period: (project id, ytd, plan) rows."""
    from . import stored

    period = Period(year, month)
    if stored.available(period, statuses):
        return stored.base(projects, period, statuses).values_list("project_id", "f_ytd", "plan")
    return facts(projects, period, statuses=statuses).values_list("pk", "f_ytd", "f_plan")
