"""The project page's active warnings and latest monthly reports."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faims.alerts.choices import WarningLevel
from faims.alerts.models import ProjectWarning
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_report

pytestmark = pytest.mark.django_db

RAISED = timezone.make_aware(dt.datetime(2022, 7, 25, 9, 0))


def warn(project, rule, year, month, level=WarningLevel.RED, cleared=False):
    return ProjectWarning.objects.create(
        project=project, rule=rule, level=level, year=year, month=month, message=f"{rule}预警内容",
        raised_at=RAISED, cleared_at=RAISED if cleared else None)


def test_active_warnings_latest_period_first(client_for, world):
    project = world.projects["xinwu"]
    older = warn(project, "W01", 2022, 5, level=WarningLevel.YELLOW)
    newer = warn(project, "W02", 2022, 6)
    warn(project, "W03", 2022, 6, cleared=True)
    warn(world.projects["jiangyin"], "W01", 2022, 6)
    response = client_for("xinwu").get(project.get_absolute_url())
    assert response.status_code == 200
    assert [warning for warning, _ in response.context["warnings"]] == [newer, older]
    assert [badge for _, badge in response.context["warnings"]] == ["text-bg-danger", "text-bg-warning"]
    html = response.content.decode()
    assert newer.get_absolute_url() in html
    assert "W02预警内容" in html and "2022-05" in html
    assert "W03预警内容" not in html


def test_latest_six_reports_newest_first(client_for, world):
    project = world.projects["xinwu"]
    reports = [make_report(project, 2022, month, status=ReportStatus.SUBMITTED, ytd_investment=month * 100,
                           cumulative_investment=month * 1000) for month in range(1, 9)]
    make_report(world.projects["jiangyin"], 2022, 8, status=ReportStatus.SUBMITTED)
    response = client_for("xinwu").get(project.get_absolute_url())
    shown = list(response.context["reports"])
    assert shown == reports[:1:-1]
    assert shown[0].ytd_investment == Decimal("800")
    html = response.content.decode()
    assert reports[-1].get_absolute_url() in html
    assert reports[0].get_absolute_url() not in html
    assert "2022-08" in html and "已报送" in html


def test_empty_cards(client_for, world):
    html = client_for("xinwu").get(world.projects["xinwu"].get_absolute_url()).content.decode()
    assert "暂无有效预警" in html and "暂无月报" in html


def test_the_cards_cost_no_query_per_row(client_for, world):
    project = world.projects["xinwu"]
    client = client_for("xinwu")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(project.get_absolute_url()).status_code == 200
        return len(captured)

    warn(project, "W01", 2022, 6)
    make_report(project, 2022, 6, status=ReportStatus.SUBMITTED)
    few = queries()
    for month in range(1, 6):
        warn(project, "W02", 2022, month)
        make_report(project, 2022, month, status=ReportStatus.SUBMITTED)
    assert queries() == few


def test_other_regions_warnings_stay_hidden(client_for, world):
    warn(world.projects["jiangyin"], "W01", 2022, 6)
    response = client_for("xinwu").get(world.projects["jiangyin"].get_absolute_url())
    assert response.status_code == 404
