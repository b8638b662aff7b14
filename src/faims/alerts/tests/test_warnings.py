"""refresh_warnings (history, idempotence, thresholds from the registry), the counts and the pages."""
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from faims.alerts.models import ProjectWarning
from faims.alerts.services import refresh_stored_periods, refresh_warnings
from faims.core.testing import make_project
from faims.metrics.engine import evaluate
from faims.metrics.facts import rebuild_all
from faims.metrics.services import change_thresholds
from faims.projects.models import Project
from faims.reporting.models import ReportingPeriod

NOW = timezone.make_aware(dt.datetime(2022, 7, 25, 9, 0))


@pytest.fixture
def late(world):
    """The world's two projects, both planned to start on 2022-03-15 and not started."""
    Project.objects.filter(pk__in=[p.pk for p in world.projects.values()]).update(
        planned_start_date=dt.date(2022, 3, 15))
    return world


def active(rule="W01"):
    return ProjectWarning.objects.active().filter(rule=rule, year=2022, month=6)


def test_refresh_raises_and_is_idempotent(late):
    first = refresh_warnings(2022, 6, now=NOW)
    assert first.raised == 2 and first.cleared == 0
    warning = active().get(project=late.projects["xinwu"])
    assert warning.level == "red" and warning.raised_at == NOW and warning.cleared_at is None
    assert warning.message == "计划开工 2022-03-15，截至 2022-06-30 未开工，已逾期 3 个月（红色阈值 3 个月）"
    assert warning.version.number == 1
    rows = ProjectWarning.objects.count()
    second = refresh_warnings(2022, 6, now=NOW + dt.timedelta(hours=1))
    assert (second.raised, second.updated, second.cleared, second.unchanged) == (0, 0, 0, 2)
    assert ProjectWarning.objects.count() == rows
    assert active().get(project=late.projects["xinwu"]).raised_at == NOW


def test_refresh_clears_and_keeps_the_history(late):
    refresh_warnings(2022, 6, now=NOW)
    xinwu = late.projects["xinwu"]
    Project.objects.filter(pk=xinwu.pk).update(actual_start_date=dt.date(2022, 6, 10))
    later = NOW + dt.timedelta(days=1)
    result = refresh_warnings(2022, 6, now=later)
    assert result.cleared == 1 and result.unchanged == 1
    cleared = ProjectWarning.objects.get(project=xinwu, rule="W01")
    assert cleared.cleared_at == later
    # The start date is corrected away again: a new warning, the cleared one stays.
    Project.objects.filter(pk=xinwu.pk).update(actual_start_date=None)
    assert refresh_warnings(2022, 6, now=later).raised == 1
    assert ProjectWarning.objects.filter(project=xinwu, rule="W01").count() == 2
    assert active().filter(project=xinwu).count() == 1


def test_thresholds_come_from_the_registry_version(late):
    refresh_warnings(2022, 6, now=NOW)
    version = change_thresholds({"warn_not_started_red_months": 4}, acting_user=late.users["admin"],
                                note="按季度考核")
    result = refresh_warnings(2022, 6, now=NOW)
    assert result.updated == 2
    warning = active().get(project=late.projects["xinwu"])
    assert warning.level == "yellow" and warning.version == version
    assert warning.message == "计划开工 2022-03-15，截至 2022-06-30 未开工，已逾期 3 个月（黄色阈值 1 个月）"


def test_refresh_is_a_few_queries_whatever_the_number_of_projects(late):
    for _ in range(30):
        make_project(late.xinwu, planned_start_date=dt.date(2022, 1, 5))
    with CaptureQueriesContext(connection) as small:
        refresh_warnings(2022, 5, now=NOW)
    for _ in range(30):
        make_project(late.xinwu, planned_start_date=dt.date(2022, 1, 5))
    with CaptureQueriesContext(connection) as large:
        refresh_warnings(2022, 6, now=NOW)
    assert len(large.captured_queries) == len(small.captured_queries)


def counts(projects, year, month):
    return evaluate(projects, year, month, keys=["warning_red_count", "warning_yellow_count"]).total.values


def test_counts_are_kpis(late):
    make_project(late.xinwu, planned_start_date=dt.date(2022, 5, 1))
    refresh_warnings(2022, 6, now=NOW)
    assert counts(Project.objects.all(), 2022, 6) == {"warning_red_count": 2, "warning_yellow_count": 1}
    assert counts(Project.objects.filter(region=late.jiangyin), 2022, 6) == {
        "warning_red_count": 1, "warning_yellow_count": 0}
    # The same from the engine's stored facts, kept current as the warnings change.
    rebuild_all()
    assert counts(Project.objects.all(), 2022, 6) == {"warning_red_count": 2, "warning_yellow_count": 1}


def test_command(late):
    out = io.StringIO()
    call_command("refresh_warnings", "--period", "2022-06", stdout=out)
    assert "2022-06：新增 2" in out.getvalue()
    assert active().count() == 2


def test_list_is_scoped(late, client_for):
    refresh_warnings(2022, 6, now=NOW)
    url = reverse("alerts:projectwarning_list")
    text = client_for("xinwu").get(url).content.decode()
    assert "新吴区集成电路项目" in text and "江阴市港口项目" not in text
    text = client_for("admin").get(url, {"period": "2022-06", "level": "red", "rule": "W01", "state": "active"}
                                   ).content.decode()
    assert "新吴区集成电路项目" in text and "江阴市港口项目" in text
    text = client_for("admin").get(url, {"region": late.jiangyin.pk}).content.decode()
    assert "新吴区集成电路项目" not in text and "江阴市港口项目" in text
    text = client_for("admin").get(url, {"state": "cleared"}).content.decode()
    assert "江阴市港口项目" not in text


def test_export_is_scoped(late, client_for):
    refresh_warnings(2022, 6, now=NOW)
    response = client_for("xinwu").get(reverse("alerts:projectwarning_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][1] == "红色" and values[1][3] == "新吴区集成电路项目"


def test_detail_and_out_of_scope_404(late, client_for):
    refresh_warnings(2022, 6, now=NOW)
    mine = active().get(project=late.projects["xinwu"])
    theirs = active().get(project=late.projects["jiangyin"])
    client = client_for("xinwu")
    response = client.get(reverse("alerts:projectwarning", args=[mine.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert mine.message in text and "预警：逾期未开工红色阈值（月）" in text and "planned_start_date" in text
    assert client.get(reverse("alerts:projectwarning", args=[theirs.pk])).status_code == 404


def test_menu_entry(late, client_for):
    assert "项目预警" in client_for("xinwu").get(reverse("projects:project_list")).content.decode()


def test_refresh_stored_periods(late):
    for month in (5, 6):
        ReportingPeriod.objects.create(year=2022, month=month, deadline=dt.date(2022, month + 1, 20))
    # W01 for both projects in both periods (May: 1 month late, yellow), W04 for both projects in both.
    assert refresh_stored_periods(now=NOW) == 8
    assert ProjectWarning.objects.get(project=late.projects["xinwu"], rule="W01", month=5).level == "yellow"
    assert refresh_stored_periods(now=NOW) == 8
    assert ProjectWarning.objects.count() == 8
