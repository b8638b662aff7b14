"""The sample sheets of 梁溪区 give the figures their README states."""
from decimal import Decimal
from fractions import Fraction

from faims.metrics.engine import evaluate, projects_behind
from faims.projects.models import Project


def test_sample_figures(sample_world, liangxi):
    projects = Project.objects.restrict(sample_world.users["admin"]).filter(region=liangxi)
    values = evaluate(projects, 2022, 3).total.values
    assert values["project_count"] == 30
    assert values["new_count"] == 12
    assert values["continuing_count"] == 18
    assert values["new_started_count"] == 7
    assert values["new_start_rate"] == Fraction(7, 12)
    assert values["not_started_count"] == 6
    assert values["continuing_not_started_count"] == 1
    assert values["total_investment"] == Decimal("13911787")
    assert values["annual_plan"] == Decimal("4485805")
    assert values["ytd_investment"] == Decimal("736244")
    assert values["completion_rate"] == Fraction(736244, 4485805)
    assert values["time_progress"] == Fraction(3, 12)
    assert values["progress_gap"] == Fraction(736244, 4485805) - Fraction(1, 4)
    assert values["missing_report_count"] == 0
    assert projects_behind(projects, 2022, 3, "not_started_count").count() == 6
    assert projects_behind(projects, 2022, 3, "new_start_rate", "denominator").count() == 12
