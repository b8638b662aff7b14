"""The problem KPIs of KPIS.md: counts of the problems raised on the slice's projects, as of the end of the period.

- problem_open_count: raised by the end of the period and not closed by then;
- problem_overdue_count: of those, the ones whose deadline had passed by the end of the period;
- problem_feedback_rate: of the problems whose deadline falls in the window (the year up to the end of the period),
  those first answered on or before their deadline;
- problem_closure_rate: of the problems raised in the window, those closed by the end of the period.

The counts are problems, not projects; they are grouped through their project like every other KPI.
"""
import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from faims.problems.models import Problem

NAMES = ("n_problem_open", "n_problem_overdue", "n_problem_due", "n_problem_answered", "n_problem_raised",
         "n_problem_closed")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def conditions(period) -> dict[str, Q]:
    """The sets of problems the KPIs count, as of the end of `period`; the problem list filters by them too."""
    after_end = _start_of(period.end + dt.timedelta(days=1))
    year_start = _start_of(period.start_of_year)
    open_at_end = Q(raised_at__lt=after_end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=after_end))
    due = Q(deadline__gte=period.start_of_year, deadline__lte=period.end)
    raised = Q(raised_at__gte=year_start, raised_at__lt=after_end)
    return {
        "open": open_at_end,
        "overdue": open_at_end & Q(deadline__lt=period.end),
        "due": due,
        "answered": due & Q(first_answered_at__date__lte=F("deadline")),
        "raised": raised,
        "closed": raised & Q(closed_at__lt=after_end),
    }


def aggregates(period) -> dict:
    return {f"n_problem_{name}": Count("pk", filter=q) for name, q in conditions(period).items()}


FIELDS = {"region": "project__region_id", "category": "project__category", "leader": "project__leader_id",
          "tier": "project__total_investment", "department": "project__departments",
          "memberships": "project__memberships"}


def _grouped(qs, by: str):
    from .engine import _grouped

    return _grouped(qs, by, FIELDS)


def sums(projects, period, by=None) -> tuple[dict, dict]:
    """(total, {group: counts}) of the problems of `projects` for the period."""
    problems = Problem.objects.filter(project__in=projects.values("pk"))
    aggs = aggregates(period)
    total = problems.aggregate(**aggs)
    groups = {}
    if by and by != "month":
        for row in _grouped(problems, by).values("group").annotate(**aggs).order_by():
            groups[row.pop("group")] = row
    return total, groups
