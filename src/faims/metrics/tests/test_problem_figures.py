"""The problem KPIs and the overdue-problem warning (W06), by hand, as of the end of June 2022."""
import datetime as dt
from fractions import Fraction

import pytest
from django.utils import timezone

from faims.alerts.models import ProjectWarning
from faims.alerts.services import refresh_warnings
from faims.metrics import facts
from faims.metrics.engine import evaluate
from faims.problems.choices import ProblemCategory, ProblemStatus
from faims.problems.models import Problem
from faims.projects.models import Project

KEYS = ["problem_open_count", "problem_overdue_count", "problem_feedback_rate", "problem_closure_rate"]


def at(year, month, day):
    return timezone.make_aware(dt.datetime(year, month, day, 10))


@pytest.fixture
def problems(small):
    p1, p2 = small.projects["xinwu"], small.projects["jiangyin"]
    admin = small.users["admin"]

    def problem(project, title, raised, deadline=None, answered=None, closed=None):
        return Problem.objects.create(
            project=project, title=title, description=title, category=ProblemCategory.choices[0][0],
            raised_by=admin, raised_at=raised, deadline=deadline, first_answered_at=answered, closed_at=closed,
            status=ProblemStatus.CLOSED if closed else ProblemStatus.ASSIGNED)

    # Answered on time and closed in April.
    problem(p1, "a", at(2022, 2, 1), dt.date(2022, 3, 31), at(2022, 3, 20), at(2022, 4, 10))
    # Answered after its deadline, still open: overdue at the end of June by 46 days.
    problem(p1, "b", at(2022, 4, 1), dt.date(2022, 5, 15), at(2022, 5, 20))
    # Open, its deadline after the period.
    problem(p1, "c", at(2022, 6, 10), dt.date(2022, 7, 31))
    # Raised after the period: counts nowhere.
    problem(p1, "d", at(2022, 7, 5), dt.date(2022, 7, 20))
    # Of 2021, closed in January 2022.
    problem(p2, "e", at(2021, 11, 1), dt.date(2021, 12, 31), at(2021, 12, 1), at(2022, 1, 10))
    return small


def test_problem_kpis_by_hand(problems):
    result = evaluate(Project.objects.all(), 2022, 6, keys=KEYS, by="region")
    assert result.total.values == {"problem_open_count": 2, "problem_overdue_count": 1,
                                   "problem_feedback_rate": Fraction(1, 2), "problem_closure_rate": Fraction(1, 3)}
    rows = {row.label: row.values for row in result.rows}
    assert rows["新吴区"] == result.total.values
    assert rows["江阴市"] == {"problem_open_count": 0, "problem_overdue_count": 0, "problem_feedback_rate": None,
                           "problem_closure_rate": None}
    # 新吴's project is in both libraries: each counts its problems.
    libraries = evaluate(Project.objects.all(), 2022, 6, keys=["problem_open_count"], by="library")
    assert {row.label: row.values["problem_open_count"] for row in libraries.rows} == {
        "2022年市级重大产业项目": 2, "2022年省重大项目": 2}
    # In March: only a is open, not yet overdue; answered by its deadline; raised this year, not yet closed.
    march = evaluate(Project.objects.all(), 2022, 3, keys=KEYS).total.values
    assert march["problem_open_count"] == 1 and march["problem_overdue_count"] == 0
    assert march["problem_feedback_rate"] == Fraction(1) and march["problem_closure_rate"] == Fraction(0)
    # The same from the stored facts (the problem counts are read alongside them).
    facts.rebuild_all()
    assert evaluate(Project.objects.all(), 2022, 6, keys=KEYS, by="region").total.values == result.total.values


def test_overdue_problems_raise_w06(problems):
    refresh_warnings(2022, 6)
    warning = ProjectWarning.objects.active().get(rule="W06", year=2022, month=6)
    assert warning.project == problems.projects["xinwu"] and warning.level == "red"
    assert "已逾期 46 天" in warning.message and warning.data["threshold_days"] == "30"
    refresh_warnings(2022, 5)
    may = ProjectWarning.objects.active().get(rule="W06", year=2022, month=5)
    assert may.level == "yellow" and may.data["days_overdue"] == 16 and may.data["oldest_date"] == "2022-05-15"
    # Closing the problem clears the warning when the rules run again.
    Problem.objects.filter(title="b").update(status=ProblemStatus.CLOSED, closed_at=at(2022, 6, 20))
    refresh_warnings(2022, 6)
    assert not ProjectWarning.objects.active().filter(rule="W06", year=2022, month=6).exists()
