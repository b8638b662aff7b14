"""The stored per-project facts of each period (`ProjectPeriodFact`), kept equal to what the live query computes.

`build_period` writes a period's facts for all projects (or some) with one INSERT … SELECT of the live query
(`engine.facts`), so the stored rows are the live definitions by construction. `faims refresh_metrics` builds
every period held; from then on `written` — called by `core.services` after every write, inside its
transaction — rebuilds the facts of the projects and periods the write touched:

- a monthly report or a warning: its project in its period;
- a project, its annual plans, its library entries: that project in every built period;
- a reporting period (created, deadline moved, locked): the whole period.

The engine reads the stored facts only for built periods (`FactPeriod`); others are computed live.
"""
from django.db import connection, transaction
from django.db.models import Case, F, FilteredRelation, Q, SmallIntegerField, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from faims.alerts.models import ProjectWarning
from faims.core.services import chunked
from faims.projects.models import AnnualPlan, Membership, Project
from faims.reporting.choices import ReportStatus
from faims.reporting.models import MonthlyReport, ReportingPeriod

from . import cube
from .engine import MONEY, RUN_RATE_MONTHS, SUBMITTED, ZERO, Period, _stored_period_id, conditions, facts
from .models import FactPeriod, KpiDefinitionVersion, PeriodCell, ProjectPeriodFact
from .services import current_version, thresholds_of

# Fact column → the condition of `engine.conditions` it stores.
FLAGS = {
    "started": "started", "in_statistics": "in_statistics", "completed": "completed",
    "in_production": "in_production", "signed": "signed", "signed_coded": "signed_coded", "filed": "filed",
    "completed_in_year": "completed_in_year", "completed_producing": "completed_producing",
    "producing_in_year": "producing_in_year", "producing_capacity": "producing_capacity", "due": "due",
    "reported": "reported", "reported_late": "reported_late",
}
PROJECT_MODELS = (Project, AnnualPlan, Membership)


def _flag(q):
    return Case(When(q, then=Value(1)), default=Value(0), output_field=SmallIntegerField())


def source(projects, period: Period):
    """The live query of the facts of `projects` in `period`, one row per project, as `ProjectPeriodFact` columns."""
    conds = conditions(period, thresholds_of(current_version()))
    qs = facts(projects, period, statuses=SUBMITTED).annotate(
        accepted=FilteredRelation("reports", condition=Q(
            reports__period_id=_stored_period_id(period.year, period.month), reports__status=ReportStatus.ACCEPTED)),
        previous_accepted=FilteredRelation("reports", condition=Q(
            reports__period_id=_stored_period_id(period.year, period.run_rate_from),
            reports__status=ReportStatus.ACCEPTED)),
    )
    columns = {
        "x_project": F("pk"), "x_year": Value(period.year), "x_month": Value(period.month),
        "x_region_key": F("region_id"), "x_leader_key": F("leader_id"), "x_category": F("category"),
        "x_total_investment": F("total_investment"), "x_plan": F("f_plan"),
        "x_start_kind": Coalesce(F("plan__start_kind"), Value("")),
        "x_ytd_submitted": F("f_ytd"),
        "x_ytd_accepted": Coalesce(F("accepted__ytd_investment"), ZERO, output_field=MONEY),
        "x_previous_ytd_submitted": F("f_previous_ytd"),
        "x_previous_ytd_accepted": Coalesce(F("previous_accepted__ytd_investment"), ZERO, output_field=MONEY),
        "x_previous_submitted": _flag(Q(f_has_previous=True)),
        "x_previous_accepted": _flag(Q(previous_accepted__id__isnull=False)),
        "x_warning_red": _flag(Q(f_warning_red=True)),
        "x_warning_yellow": _flag(Q(f_warning_yellow=True)),
    }
    columns.update({f"x_{name}": _flag(conds[condition]) for name, condition in FLAGS.items()})
    return qs.annotate(**columns).values(*columns).order_by()


def _insert(projects, period: Period) -> None:
    query = source(projects, period)
    sql, params = query.query.sql_with_params()
    names = [name[2:] for name in query.query.annotation_select]
    table = ProjectPeriodFact._meta.db_table
    columns = [ProjectPeriodFact._meta.get_field("project" if n == "project" else n).column for n in names]
    quote = connection.ops.quote_name
    select = ", ".join(quote(f"x_{n}") for n in names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "
                       f"SELECT {select} FROM ({sql}) facts", params)


@transaction.atomic
def build_period(year: int, month: int, project_ids=None) -> None:
    """(Re)write the facts of the period for every project, or for `project_ids`, and mark the period built."""
    period = Period(year, month)
    rows = ProjectPeriodFact.objects.filter(year=year, month=month)
    if project_ids is None:
        rows.delete()
        _insert(Project.objects.all(), period)
        FactPeriod.objects.update_or_create(year=year, month=month, defaults={"built_at": timezone.now()})
        cube.build(year, month)
        return
    for part in chunked(sorted(set(project_ids))):
        before = cube.snapshot(year, month, part)
        rows.filter(project_id__in=part).delete()
        _insert(Project.objects.filter(pk__in=part), period)
        if before is not None:
            cube.apply(year, month, part, before)
    FactPeriod.objects.update_or_create(year=year, month=month, defaults={"built_at": timezone.now()})


def built_periods() -> list[tuple[int, int]]:
    return list(FactPeriod.objects.order_by("year", "month").values_list("year", "month"))


@transaction.atomic
def rebuild_all(*, log=None) -> int:
    """Build the facts of every stored reporting period afresh (and drop those of periods no longer held);
    returns the number of periods built."""
    PeriodCell.objects.all().delete()
    ProjectPeriodFact.objects.all().delete()
    FactPeriod.objects.all().delete()
    periods = list(ReportingPeriod.objects.order_by("year", "month").values_list("year", "month"))
    for year, month in periods:
        build_period(year, month)
        if log:
            log(f"{year}-{month:02d}")
    # Fresh statistics, so that the planner reads a period's rows by the index (both databases take ANALYZE t).
    with connection.cursor() as cursor:
        for model in (ProjectPeriodFact, PeriodCell):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return len(periods)


def is_built(year: int, month: int) -> bool:
    return FactPeriod.objects.filter(year=year, month=month).exists()


def written(model, instances) -> None:
    """Keep the stored facts current after `instances` of `model` were created, changed or deleted."""
    if model not in (*PROJECT_MODELS, MonthlyReport, ProjectWarning, ReportingPeriod, KpiDefinitionVersion):
        return
    built = built_periods()
    if not built:
        return
    if model is KpiDefinitionVersion:
        cube.rebuild_for_version()
        return
    if model is ReportingPeriod:
        for instance in instances:
            if ReportingPeriod.objects.filter(pk=instance.pk).exists():
                build_period(instance.year, instance.month)
            else:
                PeriodCell.objects.filter(year=instance.year, month=instance.month).delete()
                ProjectPeriodFact.objects.filter(year=instance.year, month=instance.month).delete()
                FactPeriod.objects.filter(year=instance.year, month=instance.month).delete()
        return
    touched: dict[tuple[int, int], set] = {}
    if model is MonthlyReport:
        periods = {pk: (y, m) for pk, y, m in ReportingPeriod.objects.filter(
            pk__in={i.period_id for i in instances}).values_list("pk", "year", "month")}
        for instance in instances:
            year, month = periods.get(instance.period_id, (0, 0))
            # Its own period, and the one whose forecast window it starts.
            for key in ((year, month), (year, month + RUN_RATE_MONTHS)):
                touched.setdefault(key, set()).add(instance.project_id)
    elif model is ProjectWarning:
        for instance in instances:
            touched.setdefault((instance.year, instance.month), set()).add(instance.project_id)
    else:
        ids = {instance.pk if model is Project else instance.project_id for instance in instances}
        for key in built:
            touched[key] = ids
    built = set(built)
    for key, project_ids in touched.items():
        if key in built:
            build_period(*key, project_ids=project_ids)
