import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from faims.core.testing import make_project
from faims.metrics import facts
from faims.projects.choices import StartKind
from faims.projects.models import AnnualPlan, Membership, Project
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_period, make_report
from faims.targets.choices import TargetPeriod, TargetScope
from faims.targets.models import Target


def at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture(params=["live", "stored"])
def figures(world, request):
    """Reports for May and June 2022: 新吴 started and filed on time; 江阴's port filed late, its second
    project (never started, below plan) filed nothing. Every test runs twice: with the KPI engine computing
    live, and with its stored facts and period cells built."""
    p1, p2 = world.projects["xinwu"], world.projects["jiangyin"]
    Project.objects.filter(pk=p1.pk).update(
        actual_start_date=dt.date(2022, 3, 1), in_statistics=True, statistics_date=dt.date(2022, 4, 1)
    )
    Project.objects.filter(pk=p2.pk).update(actual_start_date=dt.date(2021, 5, 1))
    idle = make_project(world.jiangyin, name="江阴市安置房项目", total=Decimal("800"))
    AnnualPlan.objects.create(project=idle, year=2022, planned_investment=Decimal("20000"), start_kind=StartKind.NEW)
    Membership.objects.create(project=idle, library=world.library)
    make_period(2022, 5)
    make_period(2022, 6)
    make_report(p1, 2022, 5, status=ReportStatus.ACCEPTED, filed_at=at(dt.date(2022, 6, 10)), ytd_investment=4000)
    make_report(p1, 2022, 6, status=ReportStatus.ACCEPTED, filed_at=at(dt.date(2022, 7, 10)), ytd_investment=6000)
    make_report(p2, 2022, 6, status=ReportStatus.SUBMITTED, filed_at=at(dt.date(2022, 7, 25)), ytd_investment=1000)
    Target.objects.create(kpi_key="annual_target", year=2022, value=Decimal("80000"))
    Target.objects.create(kpi_key="new_start_rate", year=2022, period=TargetPeriod.H1, value=Decimal("0.75"))
    Target.objects.create(
        kpi_key="annual_target", scope=TargetScope.REGION, region=world.jiangyin, year=2022, value=Decimal("50000")
    )
    world.projects["idle"] = idle
    if request.param == "stored":
        facts.rebuild_all()
    return world
