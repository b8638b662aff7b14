import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from faims.core.testing import make_project
from faims.imports import services
from faims.imports.models import ImportKind
from faims.org.choices import RegionLevel
from faims.org.models import Region
from faims.projects.choices import Category, LibraryLevel, StartKind
from faims.projects.models import AnnualPlan, Library, Membership, Project
from faims.reporting import services as reporting_services
from faims.reporting.choices import ReportStatus
from faims.reporting.models import MonthlyReport
from faims.reporting.testing import make_period, make_report
from faims.targets.models import Target

SAMPLES = Path(__file__).resolve().parents[2] / "imports" / "tests" / "data"


@pytest.fixture
def liangxi(world):
    return Region.objects.create(code="320213", name="梁溪区", level=RegionLevel.DISTRICT, parent=world.city)


@pytest.fixture
def sample_world(world, liangxi):
    """The 30 sample projects of 梁溪区 imported as the 2022 list and as the reports of 2022-03."""
    admin = world.users["admin"]
    content = (SAMPLES / "progress-2022-03-plain.csv").read_bytes()
    for kind, month, options in [(ImportKind.PROJECTS, None, {"region": "320213", "library": "梁溪区重大项目"}),
                                 (ImportKind.REPORTS, 3, {})]:
        batch = services.create_batch(acting_user=admin, kind=kind, file_name="progress-2022-03-plain.csv",
                                      content=content, year=2022, month=month, options=options)
        plan = services.commit(batch, acting_user=admin)
        assert plan.ok, plan.as_text()
    # An import leaves drafts; the figures of a period come from filed reports.
    for report in MonthlyReport.objects.filter(project__region=liangxi):
        reporting_services.submit_report(report, acting_user=admin, warning_note="已核实")
    return world


def at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def small(world):
    """P1 新吴 new, in two libraries; P2 江阴 continuing, completed and producing; P3 continuing, never started."""
    p1, p2 = world.projects["xinwu"], world.projects["jiangyin"]
    Project.objects.filter(pk=p1.pk).update(actual_start_date=dt.date(2022, 3, 1), in_statistics=True,
                                            statistics_date=dt.date(2022, 4, 1))
    Project.objects.filter(pk=p2.pk).update(
        actual_start_date=dt.date(2021, 5, 1), actual_filing_date=dt.date(2022, 2, 1),
        actual_completion_date=dt.date(2022, 5, 1), actual_production_date=dt.date(2022, 6, 15))
    p3 = make_project(world.jiangyin, name="江阴市安置房项目", total=Decimal("300"), category=Category.LIVELIHOOD)
    AnnualPlan.objects.create(project=p3, year=2022, planned_investment=Decimal("20000"),
                              start_kind=StartKind.CONTINUING)
    Membership.objects.create(project=p3, library=world.library)
    second = Library.objects.create(name="省重大项目", level=LibraryLevel.PROVINCIAL, year=2022)
    Membership.objects.create(project=p1, library=second)
    make_period(2022, 6)
    make_report(p1, 2022, 6, status=ReportStatus.ACCEPTED, filed_at=at(dt.date(2022, 7, 10)), ytd_investment=6000,
                actual_start_date=dt.date(2022, 3, 1))
    make_report(p2, 2022, 6, status=ReportStatus.SUBMITTED, filed_at=at(dt.date(2022, 7, 25)), ytd_investment=1000,
                actual_start_date=dt.date(2021, 5, 1))
    Target.objects.create(kpi_key="annual_target", year=2022, value=Decimal("80000"))
    world.projects["idle"] = p3
    world.second_library = second
    return world
