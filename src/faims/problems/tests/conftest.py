import datetime as dt

import pytest
from django.utils import timezone

from faims.problems import services
from faims.problems.choices import ProblemCategory


def raise_one(world, *, by="xinwu", project="xinwu", title="用地指标未落实", category=ProblemCategory.LAND):
    return services.raise_problem(
        acting_user=world.users[by],
        project=world.projects[project],
        category=category,
        title=title,
        description="项目二期用地指标尚未下达，影响开工。",
    )


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def problems(world):
    """One problem on each project: xinwu's assigned to the world's department (due in 10 days), jiangyin's
    to the other one (due in 200 days), and a third on xinwu's project not assigned yet."""
    xinwu = raise_one(world)
    services.assign_problem(
        xinwu, acting_user=world.users["admin"], lead_department=world.department, deadline=in_days(10)
    )
    jiangyin = raise_one(world, by="jiangyin", project="jiangyin", title="港区供电线路迁改")
    services.assign_problem(
        jiangyin, acting_user=world.users["jiangyin"], lead_department=world.other_department, deadline=in_days(200)
    )
    raised = raise_one(world, by="unit", title="环评批复进度慢", category=ProblemCategory.ENVIRONMENT)
    return {"xinwu": xinwu, "jiangyin": jiangyin, "raised": raised}
