from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied

from faims.assessment.scoring import assess, score
from faims.core.testing import make_project
from faims.projects.choices import StartKind
from faims.projects.models import AnnualPlan
from faims.targets.choices import TargetScope
from faims.targets.models import Target

from .conftest import make_scheme

pytestmark = pytest.mark.django_db


def test_score_methods():
    assert score("higher", 30, Fraction(49, 50), 1) == Fraction(147, 5)  # 98% of 30 → 29.4
    assert score("higher", 30, Fraction(3, 2), 1) == 30
    assert score("higher", 30, Fraction(-1, 10), 1) == 0
    assert score("higher", 10, 0, 0) == 10
    assert score("lower", 20, 2, 2) == 20
    assert score("lower", 20, 3, 2) == 10
    assert score("lower", 20, 5, 2) == 0
    assert score("lower", 20, 0, 0) == 20
    assert score("lower", 20, 1, 0) == 0


def test_points_rescaling_ranks_and_flags(june, scheme):
    result = assess(june.users["admin"], scheme, 2022, 6)
    xinwu, jiangyin = result.subjects
    assert (xinwu.label, xinwu.total, xinwu.rank) == ("新吴区", Decimal("85.0"), 1)
    assert [s.points for s in xinwu.scores] == [Decimal("45.0"), Decimal("40.0")]
    assert xinwu.scores[0].explanation == "年度计划完成率60.0%，目标80.0%，得45.0分（权重60）"
    # Jiangyin has no new project: 新开工率 is 不涉及 and 22.5 of 60 points are rescaled to 37.5 of 100.
    assert (jiangyin.label, jiangyin.total, jiangyin.rank) == ("江阴市", Decimal("37.5"), 2)
    assert jiangyin.scores[1].points is None
    assert "不涉及" in jiangyin.scores[1].explanation
    assert "折算为百分制" in jiangyin.explanation[-1] and "37.5" in jiangyin.explanation[-1]
    assert [(f.label, f.reason) for f in xinwu.flags] == [
        ("reward-top", "排名第1位（前1名）"), ("reward-at_least", "总分85.0分，不低于80分")]
    assert [(f.label, f.reason) for f in jiangyin.flags] == [
        ("penalty-bottom", "排名倒数第1位（后1名）"), ("penalty-below", "总分37.5分，低于60分")]
    assert xinwu.scores[0].url and "group_by=region" in xinwu.scores[0].url
    figures = result.figures
    assert figures["scheme_id"] == scheme.pk
    assert figures["subjects"][0]["indicators"]["completion_rate"]["points"] == "45.0"
    assert figures["subjects"][1]["indicators"]["new_start_rate"]["points"] is None


def test_ties_share_a_rank(june):
    scheme = make_scheme(indicators=[("completion_rate", "100", "higher", "fixed", "0.3")])
    result = assess(june.users["admin"], scheme, 2022, 6)
    assert [(s.total, s.rank) for s in result.subjects] == [(Decimal("100.0"), 1), (Decimal("100.0"), 1)]


def test_goal_from_targets_and_time_progress(june):
    Target.objects.create(kpi_key="completion_rate", scope=TargetScope.REGION, region=june.xinwu, year=2022,
                          value=Decimal("0.75"))
    scheme = make_scheme(indicators=[("completion_rate", "60", "higher", "target", "0.8")])
    xinwu, jiangyin = assess(june.users["admin"], scheme, 2022, 6).subjects
    assert xinwu.scores[0].points == Decimal("48.0") and "目标任务75.0%" in xinwu.scores[0].explanation
    assert jiangyin.scores[0].points == Decimal("22.5")  # no target of its own: the fixed goal
    quarterly = make_scheme(kind="quarterly", indicators=[("completion_rate", "30", "higher", "time_progress", None)])
    xinwu, jiangyin = assess(june.users["admin"], quarterly, 2022, 6).subjects
    assert (xinwu.scores[0].points, jiangyin.scores[0].points) == (Decimal("30.0"), Decimal("18.0"))
    assert "时序进度50.0%" in jiangyin.scores[0].explanation
    with pytest.raises(ValueError, match="3、6、9 或 12"):
        assess(june.users["admin"], quarterly, 2022, 5)


def test_departments_and_scope(june, scheme):
    departments = make_scheme(subject="department",
                              indicators=[("completion_rate", "100", "higher", "fixed", "1")])
    result = assess(june.users["admin"], departments, 2022, 6)
    assert [(s.label, s.total) for s in result.subjects] == [
        ("市自然资源规划局", Decimal("60.0")), ("市交通运输局", Decimal("30.0"))]
    assert "group_by=department" in result.subjects[0].scores[0].url
    own = assess(june.users["department"], departments, 2022, 6)
    assert [s.label for s in own.subjects] == ["市自然资源规划局"]
    # A region officer sees its own region only.
    region = assess(june.users["xinwu"], scheme, 2022, 6)
    assert [s.label for s in region.subjects] == ["新吴区"]
    with pytest.raises(PermissionDenied):
        assess(june.users["xinwu"], departments, 2022, 6)
    with pytest.raises(PermissionDenied):
        assess(june.users["unit"], scheme, 2022, 6)
    with pytest.raises(PermissionDenied):
        assess(june.users["xinwu"], scheme, 2022, 6, region=june.jiangyin)


def test_city_level_left_out_and_small_share_not_ranked(june):
    city_project = make_project(june.city, name="市级统筹项目")
    AnnualPlan.objects.create(project=city_project, year=2022, planned_investment=Decimal("100"),
                              start_kind=StartKind.CONTINUING)
    scheme = make_scheme(indicators=[("completion_rate", "40", "higher", "fixed", "1"),
                                     ("new_start_rate", "60", "higher", "fixed", "1")],
                         flags=[("penalty", "below", "100")])
    xinwu, jiangyin = assess(june.users["admin"], scheme, 2022, 6).subjects
    assert (xinwu.label, xinwu.rank, jiangyin.label) == ("新吴区", 1, "江阴市")
    # Only 40 of 100 points apply to Jiangyin: a total, but no rank and no measures.
    assert (jiangyin.total, jiangyin.rank, jiangyin.flags) == (Decimal("30.0"), None, [])
    assert "不参加排名" in jiangyin.explanation[-1]
