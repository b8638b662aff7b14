"""Who must report for a period, who has not, who was late, and the on-time rate (KPI on_time_report_rate).

Definitions (the pages, the reminder job and the KPI engine all use these):
- due: projects with an annual plan for the period's year that are not 退库 and had entered a library
  by the end of the period (a project admitted in May reports from May; one without admission dates
  reports all year);
- filed: the report has been submitted at least once (`first_submitted_at`); a draft is not filed,
  a report returned for correction stays filed;
- on time: first filed by the end of the deadline day (Asia/Shanghai); a report returned and
  resubmitted after the deadline stays on time;
- missing: due and not filed (whatever the date);
- late: filed after the deadline, or still missing once the deadline has passed — so after the
  deadline on_time + late = due, and `missing` counts the part of `late` that is still unfiled.

The querysets passed in are projects already restricted to the user's scope.
"""
import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faims.projects.choices import LifecycleStatus, MembershipStatus
from faims.projects.models import Membership, Project

from .models import MonthlyReport, ReportingPeriod

GROUPINGS = ("region", "unit", "library")


def deadline_passed_at(period: ReportingPeriod) -> dt.datetime:
    """The first moment after the deadline day, in the city's time zone."""
    next_day = period.deadline + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))


def is_overdue(period: ReportingPeriod, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= deadline_passed_at(period)


def first_admitted() -> Subquery:
    """A project's first admission date to a library it is still in (correlated on the outer project)."""
    return Subquery(Membership.objects.filter(project=OuterRef("pk"), admitted_date__isnull=False)
                    .exclude(status=MembershipStatus.WITHDRAWN).order_by("admitted_date").values("admitted_date")[:1])


def due_condition(period: ReportingPeriod, has_plan: Q, entered: str = "entered") -> Q:
    """Due for the period: a plan for its year (`has_plan`), not withdrawn, and in a library by the period's end or
    in none (`entered`: the annotation of `first_admitted`). Per project, with no subquery over all projects, so
    that it stays linear on a million projects."""
    last_day = dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])
    return (has_plan & ~Q(status=LifecycleStatus.WITHDRAWN)
            & (Q(**{f"{entered}__isnull": True}) | Q(**{f"{entered}__lte": last_day})))


def due_projects(period: ReportingPeriod) -> QuerySet:
    """Projects that must report for the period (unrestricted; intersect with a scoped queryset)."""
    return (Project.objects.annotate(entered=first_admitted())
            .filter(due_condition(period, Q(annual_plans__year=period.year))))


def _due_in(period, queryset) -> QuerySet:
    """The due projects among `queryset`, one row each whatever joins the queryset carries."""
    return due_projects(period).filter(pk__in=queryset.values("pk"))


def _filed(period) -> Exists:
    return Exists(MonthlyReport.objects.filter(
        project=OuterRef("pk"), period=period, first_submitted_at__isnull=False))


def _filed_late(period) -> Exists:
    return Exists(MonthlyReport.objects.filter(
        project=OuterRef("pk"), period=period, first_submitted_at__gte=deadline_passed_at(period)))


def missing(period: ReportingPeriod, queryset) -> QuerySet:
    """Due projects of `queryset` without a filed report for the period."""
    return _due_in(period, queryset).exclude(_filed(period))


def late(period: ReportingPeriod, queryset, *, now: dt.datetime | None = None) -> QuerySet:
    """Due projects of `queryset` filed after the deadline, or still missing after it."""
    due = _due_in(period, queryset)
    if is_overdue(period, now):
        return due.filter(_filed_late(period) | ~_filed(period))
    return due.filter(_filed_late(period))


@dataclass
class RateRow:
    """One group of `on_time_rate`: readable as row.due in templates and row["due"] in code."""

    key: int | None
    label: str
    due: int
    on_time: int
    late: int
    missing: int

    @property
    def name(self) -> str:
        return self.label

    @property
    def rate(self) -> Decimal | None:
        """on_time / due as a fraction (None when nothing is due)."""
        return Decimal(self.on_time) / Decimal(self.due) if self.due else None

    def __getitem__(self, key):
        return getattr(self, key)


def on_time_rate(period: ReportingPeriod, queryset, by: str = "region", *,
                 now: dt.datetime | None = None) -> list[RateRow]:
    """Due, on time, late, missing and the rate per region, unit or library of the due projects.

    A project in two libraries counts in both; one in none (or withdrawn from all) is in the row
    "未入库", as a project without a unit is in "未填写项目单位". Regions come in the city's order,
    units and libraries by name. Two queries whatever the number of projects.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    overdue = is_overdue(period, now)
    projects = _due_in(period, queryset).annotate(filed=_filed(period), filed_late=_filed_late(period))
    flags = {}
    groups: dict = {}
    fields = ("pk", "filed", "filed_late", "region", "region__name", "region__sort_order", "region__code", "unit",
              "unit__name")
    for pk, filed, filed_late, region, region_name, sort_order, code, unit, unit_name in projects.values_list(*fields):
        flags[pk] = (filed, filed_late)
        if by == "region":
            groups.setdefault((region, region_name, (sort_order, code)), []).append(pk)
        elif by == "unit":
            label = unit_name or str(_("未填写项目单位"))
            groups.setdefault((unit, label, (unit is None, label)), []).append(pk)
    if by == "library":
        in_library = set()
        memberships = (Membership.objects.exclude(status=MembershipStatus.WITHDRAWN)
                       .filter(project__in=projects.values("pk")).values_list("project", "library", "library__name",
                                                                      "library__year"))
        for pk, library, name, year in memberships:
            label = f"{year}年{name}" if year else name
            groups.setdefault((library, label, (False, label)), []).append(pk)
            in_library.add(pk)
        outside = [pk for pk in flags if pk not in in_library]
        if outside:
            groups[(None, str(_("未入库")), (True, ""))] = outside
    rows = []
    for (key, label, _order), pks in sorted(groups.items(), key=lambda item: item[0][2]):
        members = [flags[pk] for pk in set(pks)]
        rows.append(RateRow(
            key=key, label=label, due=len(members),
            on_time=sum(1 for filed, filed_late in members if filed and not filed_late),
            late=sum(1 for filed, filed_late in members if filed_late or (overdue and not filed)),
            missing=sum(1 for filed, _filed_late in members if not filed),
        ))
    return rows
