import datetime as dt
from decimal import Decimal

import pytest

from faims.assessment.models import AssessmentFlag, AssessmentIndicator, AssessmentScheme
from faims.projects.models import Project
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_report
from faims.targets.choices import TargetScope
from faims.targets.models import Target


@pytest.fixture
def june(world):
    """June 2022: xinwu's new project started and 60% of its 10000万 plan done, jiangyin's continuing one 30%.

    Annual targets: 新吴区 10000万, 江阴市 20000万."""
    Project.objects.filter(pk=world.projects["xinwu"].pk).update(actual_start_date=dt.date(2022, 3, 1))
    Project.objects.filter(pk=world.projects["jiangyin"].pk).update(actual_start_date=dt.date(2021, 3, 1))
    make_report(world.projects["xinwu"], status=ReportStatus.ACCEPTED, ytd_investment=Decimal("6000"),
                month_investment=Decimal("1000"))
    make_report(world.projects["jiangyin"], status=ReportStatus.ACCEPTED, ytd_investment=Decimal("3000"),
                month_investment=Decimal("500"))
    for region, value in ((world.xinwu, "10000"), (world.jiangyin, "20000")):
        Target.objects.create(kpi_key="annual_target", scope=TargetScope.REGION, region=region, year=2022,
                              value=Decimal(value))
    return world


def make_scheme(kind="annual", subject="region", year=2030, indicators=(), flags=()) -> AssessmentScheme:
    """A scheme with indicators (kpi key, weight, method, goal source, goal) and flags (kind, condition, N/X)."""
    scheme = AssessmentScheme.objects.create(name=f"测试方案{kind}{subject}{year}", kind=kind, subject=subject,
                                             year=year)
    for order, (key, weight, method, source, goal) in enumerate(indicators):
        AssessmentIndicator.objects.create(scheme=scheme, kpi_key=key, weight=Decimal(weight), method=method,
                                           goal_source=source, goal=None if goal is None else Decimal(goal),
                                           sort_order=order)
    for kind_, condition, threshold in flags:
        AssessmentFlag.objects.create(scheme=scheme, kind=kind_, label=f"{kind_}-{condition}", condition=condition,
                                      threshold=Decimal(threshold))
    return scheme


@pytest.fixture
def scheme(june):
    return make_scheme(
        indicators=[("completion_rate", "60", "higher", "fixed", "0.8"),
                    ("new_start_rate", "40", "higher", "fixed", "1")],
        flags=[("reward", "top", "1"), ("penalty", "bottom", "1"), ("penalty", "below", "60"),
               ("reward", "at_least", "80")],
    )
