"""Visit compliance as KPIs: the share of the slice's linked leaders (commissioners) who made their duty's visits.

- leader_visit_compliance_rate: of the linked leaders of the slice's projects, those with at least the duty's
  visits (`problems.services.VISIT_DUTY`: 1 a quarter) in the quarter of the period, up to its end;
- commissioner_visit_compliance_rate: of the commissioners serving the slice's projects, those with at least 1
  visit in the month of the period.

A person counts in every group that holds one of their projects (a leader linked to projects of two regions is in
both regions' figures), as on the problems app's compliance page.
"""
from django.db.models import Count, Q

from faims.org.models import Person
from faims.problems.choices import VisitKind
from faims.problems.services import VISIT_DUTY, period_dates, visit_people

NAMES = ("n_leaders", "n_leaders_compliant", "n_commissioners", "n_commissioners_compliant")


def window(kind, period):
    """The first day of the duty's quarter or month holding the period, and the period's last day."""
    duty = VISIT_DUTY[kind]
    index = (period.month - 1) // 3 + 1 if duty["unit"] == "quarter" else period.month
    start, _end = period_dates(duty["unit"], period.year, index)
    return start, period.end


def _counts(projects, period) -> dict:
    counts = {}
    for kind, prefix in ((VisitKind.LEADER, "n_leaders"), (VisitKind.COMMISSIONER, "n_commissioners")):
        start, end = window(kind, period)
        people = visit_people(kind, projects.values("pk")).values("pk")
        visits = Count("visits", filter=Q(visits__kind=kind, visits__date__range=(start, end)))
        done = (Person.objects.filter(pk__in=people).annotate(n=visits)
                .aggregate(people=Count("pk"), compliant=Count("pk", filter=Q(n__gte=VISIT_DUTY[kind]["minimum"]))))
        counts[prefix], counts[f"{prefix}_compliant"] = done["people"], done["compliant"]
    return counts


def sums(projects, period, by=None, keys=()) -> tuple[dict, dict]:
    """(total, {group: counts}) for the slice `projects`; groups are those of `keys` under grouping `by`."""
    from faims.projects.models import Project

    from .engine import _grouped

    total = _counts(projects, period)
    groups = {}
    if by and by != "month":
        base = _grouped(Project.objects.filter(pk__in=projects.values("pk")), by)
        for key in keys:
            groups[key] = _counts(base.filter(group=key), period)
    return total, groups
