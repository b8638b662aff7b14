"""Raising, updating and clearing the project warnings of a period; the warning counts.

`refresh_warnings` is the only writer of `ProjectWarning`: it evaluates every rule over all projects,
raises the warnings that are new, updates those whose level or data changed, and clears (never
deletes) those that no longer fire. Running it twice changes nothing the second time.
"""
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from faims.core.services import save_objects
from faims.metrics.services import current_version, thresholds_of
from faims.projects.models import Project
from faims.reporting.models import ReportingPeriod

from . import rules
from .models import ProjectWarning


@dataclass
class RefreshResult:
    raised: int = 0
    updated: int = 0
    cleared: int = 0
    unchanged: int = 0


@transaction.atomic
def refresh_warnings(year: int, month: int, *, acting_user=None, now: dt.datetime | None = None,
                     codes=None) -> RefreshResult:
    """Bring the warnings of the period (year, month) in line with the rules under the current thresholds.

    acting_user is whoever asked for it (None for the scheduled job and the command); the change log
    records it. `codes` limits the run to some rules (the others' warnings are left alone).
    """
    now = now or timezone.now()
    version = current_version()
    codes = list(codes or rules.EVALUABLE)
    hits = rules.evaluate(Project.objects.all(), year, month, thresholds_of(version), codes=codes, now=now)
    firing = {(pk, code): hit for code, by_project in hits.items() for pk, hit in by_project.items()}
    active = {(w.project_id, w.rule): w for w in ProjectWarning.objects.active()
              .filter(year=year, month=month, rule__in=codes).select_related("project")}
    version_id = version.pk
    projects = Project.objects.only("pk", "name").in_bulk({pk for pk, _code in firing if (pk, _code) not in active})
    result = RefreshResult()
    writes = []
    for key, warning in active.items():
        hit = firing.get(key)
        if hit is None:
            warning.cleared_at = now
            result.cleared += 1
        elif (warning.level, warning.message, warning.data, warning.version_id) != (
                hit.level, hit.message, hit.data, version_id):
            warning.level, warning.message, warning.data, warning.version_id = (
                hit.level, hit.message, hit.data, version_id)
            result.updated += 1
        else:
            result.unchanged += 1
            continue
        writes.append(warning)
    for (pk, code), hit in firing.items():
        if (pk, code) in active:
            continue
        writes.append(ProjectWarning(project=projects[pk], rule=code, level=hit.level, year=year, month=month,
                                     message=hit.message, data=hit.data, version_id=version_id, raised_at=now))
        result.raised += 1
    save_objects(writes, acting_user=acting_user, check_scope=False)
    return result


def refresh_stored_periods(*, acting_user=None, now: dt.datetime | None = None) -> int:
    """refresh_warnings for every reporting period held; returns the number of active warnings."""
    for year, month in ReportingPeriod.objects.order_by("year", "month").values_list("year", "month"):
        refresh_warnings(year, month, acting_user=acting_user, now=now)
    return ProjectWarning.objects.active().count()
