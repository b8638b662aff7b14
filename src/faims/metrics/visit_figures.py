"""Visit compliance as KPIs: the share of the slice's linked leaders (commissioners) who made their duty's visits.

- leader_visit_compliance_rate: of the linked leaders of the slice's projects, those with at least the duty's
  visits (`problems.services.VISIT_DUTY`: 1 a quarter) in the quarter of the period, up to its end;
- commissioner_visit_compliance_rate: of the commissioners serving the slice's projects, those with at least 1
  visit in the month of the period;
- leader_visit_count / leader_visitor_count: the visits of linked leaders in the month of the period to the slice's
  projects (a visit to several of them counts once) and the leaders who made them.

A person counts in every group that holds one of their projects (a leader linked to projects of two regions is in
both regions' figures), as on the problems app's compliance page. Three queries whatever the number of groups: the
(person, group) pairs of each kind from the projects, and each person's visits in the window.
"""
from django.db.models import Count

from faims.problems.choices import VisitKind
from faims.problems.models import Visit
from faims.problems.services import VISIT_DUTY, period_dates
from faims.projects.choices import PersonRole
from faims.projects.models import Project, ProjectPerson

NAMES = ("n_leaders", "n_leaders_compliant", "n_commissioners", "n_commissioners_compliant", "n_leader_visits",
         "n_leader_visitors")
PREFIX = {VisitKind.LEADER: "n_leaders", VisitKind.COMMISSIONER: "n_commissioners"}
# The groupings read through a project role's project.
THROUGH_PROJECT = {"region": "project__region_id", "category": "project__category", "leader": "project__leader_id",
                   "tier": "project__total_investment", "department": "project__departments",
                   "memberships": "project__memberships"}


def window(kind, period):
    """The first day of the duty's quarter or month holding the period, and the period's last day."""
    duty = VISIT_DUTY[kind]
    index = (period.month - 1) // 3 + 1 if duty["unit"] == "quarter" else period.month
    start, _end = period_dates(duty["unit"], period.year, index)
    return start, period.end


def _pairs(kind, projects, by) -> set:
    """(person, group) of the leaders linked to, or the commissioners serving, the slice's projects."""
    from .engine import LIVE_FIELDS, _grouped
    from .stored import _everything

    base = Project.objects.all() if _everything(projects) else Project.objects.filter(pk__in=projects.values("pk"))
    if kind == VisitKind.LEADER:
        rows, fields, person = base.filter(leader__is_leader=True), LIVE_FIELDS, "leader"
    else:
        rows = ProjectPerson.objects.filter(role=PersonRole.COMMISSIONER)
        rows = rows if _everything(projects) else rows.filter(project__in=base.values("pk"))
        fields, person = THROUGH_PROJECT, "person"
    if not by:
        return {(pk, None) for pk in rows.values_list(person, flat=True).distinct()}
    return set(_grouped(rows, by, fields).values_list(person, "group").distinct())


def _month_visits(projects, period, by) -> tuple[dict, dict]:
    """The leaders' visits of the period's month to the slice's projects: counts in total and per group."""
    from .engine import _grouped
    from .stored import _everything

    rows = Visit.projects.through.objects.filter(
        visit__kind=VisitKind.LEADER, visit__date__range=(period.end.replace(day=1), period.end)
    )
    if not _everything(projects):
        rows = rows.filter(project__in=projects.values("pk"))
    if by:
        pairs = _grouped(rows, by, THROUGH_PROJECT).values_list("visit_id", "visit__person_id", "group").distinct()
    else:
        pairs = ((visit, person, None) for visit, person in rows.values_list("visit_id", "visit__person_id"))
    seen, groups = {}, {}
    for visit, person, group in pairs:
        seen[visit] = person
        counts = groups.setdefault(group, {"visits": set(), "people": set()})
        counts["visits"].add(visit)
        counts["people"].add(person)
    total = {"n_leader_visits": len(seen), "n_leader_visitors": len(set(seen.values()))}
    per_group = {group: {"n_leader_visits": len(c["visits"]), "n_leader_visitors": len(c["people"])}
                 for group, c in groups.items()}
    return total, per_group


def sums(projects, period, by=None) -> tuple[dict, dict]:
    """(total, {group: counts}) for the slice `projects`, every group found counted."""
    grouped = by if by and by != "month" else None
    total, groups = dict.fromkeys(NAMES, 0), {}
    for kind, prefix in PREFIX.items():
        start, end = window(kind, period)
        done = dict(Visit.objects.filter(kind=kind, date__range=(start, end)).values("person")
                    .annotate(n=Count("pk")).values_list("person", "n"))
        minimum = VISIT_DUTY[kind]["minimum"]
        pairs = _pairs(kind, projects, grouped)
        people = {person for person, _group in pairs}
        total[prefix] = len(people)
        total[f"{prefix}_compliant"] = sum(done.get(person, 0) >= minimum for person in people)
        for person, group in pairs if grouped else ():
            counts = groups.setdefault(group, dict.fromkeys(NAMES, 0))
            counts[prefix] += 1
            counts[f"{prefix}_compliant"] += done.get(person, 0) >= minimum
    visits, visits_by_group = _month_visits(projects, period, grouped)
    total.update(visits)
    for group, counts in visits_by_group.items() if grouped else ():
        groups.setdefault(group, dict.fromkeys(NAMES, 0)).update(counts)
    return total, groups
