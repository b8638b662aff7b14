import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from faims.alerts.choices import WarningLevel
from faims.alerts.models import ProjectWarning
from faims.projects.models import Project
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_report


@pytest.fixture
def june(world):
    """June 2022: xinwu's new project started and 60% done, jiangyin's continuing one 30% done and red-flagged.

    Both plans are 10000万: the city is at 45%, 5 points behind the time progress of 50%."""
    Project.objects.filter(pk=world.projects["xinwu"].pk).update(actual_start_date=dt.date(2022, 3, 1))
    Project.objects.filter(pk=world.projects["jiangyin"].pk).update(actual_start_date=dt.date(2021, 3, 1))
    make_report(
        world.projects["xinwu"],
        status=ReportStatus.ACCEPTED,
        ytd_investment=Decimal("6000"),
        month_investment=Decimal("1000"),
    )
    make_report(
        world.projects["jiangyin"],
        status=ReportStatus.ACCEPTED,
        ytd_investment=Decimal("3000"),
        month_investment=Decimal("500"),
    )
    ProjectWarning.objects.create(
        project=world.projects["jiangyin"],
        rule="R2",
        level=WarningLevel.RED,
        year=2022,
        month=6,
        message="投资完成率低于时序进度20个百分点",
        raised_at=timezone.now(),
    )
    return world
