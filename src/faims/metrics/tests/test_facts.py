"""The stored facts: the engine gives the same figures from them as from the live query, and every write through the
services keeps them equal to a full rebuild."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from faims.alerts.services import refresh_warnings
from faims.demo.tests.conftest import loaded  # noqa: F401 (the demo programme, loaded once)
from faims.metrics import cube, facts, stored
from faims.metrics.engine import ACCEPTED, GROUPINGS, SUBMITTED, evaluate, projects_behind
from faims.metrics.models import FactPeriod, KpiDefinitionVersion, PeriodCell, ProjectPeriodFact
from faims.metrics.services import change_thresholds, current_version
from faims.org.models import Region, User
from faims.projects import services as project_services
from faims.projects.choices import MembershipStatus, StartKind
from faims.projects.models import AnnualPlan, Membership, Project
from faims.reporting import services as reporting
from faims.reporting.choices import ReportStatus
from faims.reporting.models import MonthlyReport, ReportingPeriod

pytestmark = pytest.mark.django_db


def table() -> list[tuple]:
    """The stored facts, without their ids."""
    names = [f.attname for f in ProjectPeriodFact._meta.concrete_fields if not f.primary_key]
    return sorted(ProjectPeriodFact.objects.values_list(*names))


def cells() -> dict:
    """The period cells, by period and cell."""
    return {(c.year, c.month, c.region_key, c.category, c.tier): (c.submitted, c.accepted)
            for c in PeriodCell.objects.all()}


def assert_equal_to_a_rebuild():
    kept, kept_cells = table(), cells()
    assert kept_cells and set(FactPeriod.objects.values_list("cube_version", flat=True)) == {
        current_version().number}
    facts.rebuild_all()
    assert kept == table()
    assert kept_cells == cells()


def live(monkeypatch, *args, **kwargs):
    with monkeypatch.context() as patch:
        patch.setattr(stored, "available", lambda *a, **k: False)
        patch.setattr(stored, "by_month", lambda *a, **k: None)
        patch.setattr(cube, "read_months", lambda *a, **k: None)
        return evaluate(*args, **kwargs)


def figures(result):
    return result.total.values, [(row.key, row.values) for row in result.rows]


@pytest.mark.parametrize("month", [3, 6, 9])
def test_stored_facts_give_the_live_figures(loaded, monkeypatch, month):  # noqa: F811
    assert FactPeriod.objects.count() == ReportingPeriod.objects.count() == 9
    slices = [Project.objects.all(), Project.objects.filter(region__code="320282"), Project.objects.none()]
    for projects in slices:
        for statuses in (SUBMITTED, ACCEPTED):
            for by in (None, *GROUPINGS):
                arguments = (projects, 2022, month)
                options = {"by": by, "statuses": statuses, "target_scope": "city"}
                assert figures(evaluate(*arguments, **options)) == figures(live(monkeypatch, *arguments, **options)), (
                    projects.query, statuses, by)


def test_drilldowns_list_the_counted_projects_from_either_path(loaded, monkeypatch):  # noqa: F811
    projects = Project.objects.filter(region__code__in=["320282", "320213"])
    result = evaluate(projects, 2022, 6, by="region")
    for row in [result.total, *result.rows]:
        group = {} if row.key is None else {"by": "region", "group": row.key}
        for key, (numerator, denominator) in row.parts.items():
            for part, count in (("numerator", numerator), ("denominator", denominator)):
                if count is None:
                    continue
                listed = set(projects_behind(projects, 2022, 6, key, part, **group).values_list("pk", flat=True))
                with monkeypatch.context() as patch:
                    patch.setattr(stored, "available", lambda *a, **k: False)
                    computed = set(projects_behind(projects, 2022, 6, key, part, **group).values_list("pk", flat=True))
                assert listed == computed and len(listed) == count, (key, part, row.label)


def test_every_write_keeps_the_facts_equal_to_a_rebuild(loaded):  # noqa: F811
    admin = User.objects.get(username="admin")
    september = ReportingPeriod.objects.get(year=2022, month=9)
    june = ReportingPeriod.objects.get(year=2022, month=6)
    assert_equal_to_a_rebuild()

    # A report of the open period: saved with new figures, submitted, accepted; another returned.
    draft = MonthlyReport.objects.filter(period=september, status=ReportStatus.DRAFT).first()
    draft.ytd_investment += Decimal("10")
    draft.cumulative_investment += Decimal("10")
    draft.month_investment = None
    reporting.save_report(draft, acting_user=admin)
    reporting.submit_report(draft, acting_user=admin, warning_note="已核实")
    reporting.accept_report(MonthlyReport.objects.get(pk=draft.pk), acting_user=admin)
    assert_equal_to_a_rebuild()
    submitted = MonthlyReport.objects.filter(period=september, status=ReportStatus.SUBMITTED).first()
    reporting.return_report(submitted, acting_user=admin, reason="请核实本年累计完成投资。")
    assert_equal_to_a_rebuild()

    # A correction of a locked period (it also moves the forecast window of September).
    july = MonthlyReport.objects.filter(period__month=7, project=OuterRef("project"))
    report = (MonthlyReport.objects.filter(period=june, status=ReportStatus.ACCEPTED, month_investment__gt=2)
              .filter(Exists(july.filter(month_investment__gt=2))).first())
    reporting.amend_report(report, acting_user=admin, reason="统计部门核定数调整", changes={
        "ytd_investment": report.ytd_investment - 1, "month_investment": report.month_investment - 1,
        "cumulative_investment": report.cumulative_investment - 1})
    assert_equal_to_a_rebuild()

    # The project itself: started earlier, moved to another region, a larger total.
    project = Project.objects.filter(actual_start_date__isnull=True, annual_plans__year=2022).first()
    project.actual_start_date = dt.date(2022, 2, 10)
    project.region = Region.objects.exclude(pk=project.region_id).filter(projects__isnull=False).first()
    project.total_investment = project.total_investment + Decimal("100000")
    project_services.save_project(project, acting_user=admin, reason="核实")
    assert_equal_to_a_rebuild()

    # Its plan and its library entries.
    plan = AnnualPlan.objects.filter(project=project, year=2022).get()
    plan.planned_investment = plan.planned_investment + Decimal("500")
    if plan.start_kind == StartKind.NEW:
        plan.start_kind, plan.planned_start_quarter = StartKind.CONTINUING, None
    project_services.save_annual_plan(plan, acting_user=admin)
    membership = Membership.objects.filter(project=project).first()
    membership.admitted_date = dt.date(2022, 7, 1)
    project_services.save_membership(membership, acting_user=admin)
    assert_equal_to_a_rebuild()
    membership.status = MembershipStatus.WITHDRAWN
    membership.withdrawn_date = dt.date(2022, 8, 1)
    membership.reason = "调出"
    project_services.save_membership(membership, acting_user=admin)
    assert_equal_to_a_rebuild()

    # The period's deadline, and the warnings of the period.
    reporting.set_deadline(september, dt.date(2022, 10, 28), acting_user=admin, reason="国庆假期顺延")
    refresh_warnings(2022, 9, acting_user=admin)
    assert_equal_to_a_rebuild()

    # New thresholds: the cells are summed again under the new version, and still change with every write.
    change_thresholds({"behind_schedule_points": 5, "over_half_percent": 40}, acting_user=admin, note="试算")
    assert_equal_to_a_rebuild()
    report = MonthlyReport.objects.filter(period=september, status=ReportStatus.SUBMITTED).first()
    reporting.accept_report(report, acting_user=admin)
    assert_equal_to_a_rebuild()


def test_new_thresholds_give_the_live_figures(loaded, monkeypatch):  # noqa: F811
    admin = User.objects.get(username="admin")
    change_thresholds({"behind_schedule_points": 20, "stats_entry_min_wanyuan": 1000}, acting_user=admin, note="试算")
    for by in (None, "region", "tier", "month"):
        built = evaluate(Project.objects.all(), 2022, 6, by=by)
        assert figures(built) == figures(live(monkeypatch, Project.objects.all(), 2022, 6, by=by)), by
    # An older version's figures are read from the facts, with that version's thresholds.
    first = KpiDefinitionVersion.objects.get(number=1)
    older = evaluate(Project.objects.all(), 2022, 6, by="region", version=first)
    assert figures(older) == figures(live(monkeypatch, Project.objects.all(), 2022, 6, by="region", version=first))
    assert older.total.values["behind_schedule_count"] != built.total.values["behind_schedule_count"]


def test_the_command_rebuilds_and_a_new_period_is_built(loaded, capsys):  # noqa: F811
    ProjectPeriodFact.objects.filter(month=6).update(ytd_submitted=0)
    call_command("refresh_metrics", "--period", "2022-06")
    assert ProjectPeriodFact.objects.filter(month=6, ytd_submitted__gt=0).exists()
    call_command("refresh_metrics")
    assert "9" in capsys.readouterr().out
    admin = User.objects.get(username="admin")
    period = reporting.get_period(2022, 10)
    assert period.pk and FactPeriod.objects.filter(year=2022, month=10).exists()
    assert ProjectPeriodFact.objects.filter(year=2022, month=10).count() == Project.objects.count()
    assert admin
