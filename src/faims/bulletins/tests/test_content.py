import re
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied

from faims.bulletins import content
from faims.bulletins.content import compare, counted, monthly, points
from faims.metrics.engine import evaluate
from faims.problems.tests.conftest import raise_one
from faims.projects.models import Project

ZERO_COUNT = re.compile(r"(?<![\d.])0个")


def test_compare_follows_the_sign_of_the_gap():
    assert compare(Fraction(13, 1000)) == "高于时序进度1.3个百分点"
    assert compare(Fraction(-1, 20)) == "低于时序进度5.0个百分点"
    assert compare(Fraction(0)) == "与时序进度持平"
    # Printed to one decimal: a gap that rounds to 0.0 is 持平, not "高于…0.0个百分点".
    assert compare(Fraction(1, 10000)) == "与时序进度持平"
    assert compare(None) == ""
    assert compare(Fraction(1, 10), "目标") == "高于目标10.0个百分点"
    assert points(Fraction(4275, 100000)) == points(Fraction(428, 10000))


def test_zero_counts_give_no_sentence():
    assert counted(0, "x") is None
    assert counted(None, "x") is None
    assert counted(2, "x") == "x"
    assert content.months_label(1) == "1月"
    assert content.months_label(6) == "1–6月"


def _text(bulletin):
    return "".join(s for _heading, sentences in bulletin.paragraphs for s in sentences)


def test_sentences_follow_the_data(june):
    bulletin = monthly(june.users["admin"], 2022, 6)
    text = _text(bulletin)
    assert bulletin.title == "关于2022年1–6月全市重大项目推进情况的通报"
    assert "1–6月，全市2个重大项目已完成投资0.9亿元，完成年度计划的45.0%，低于时序进度5.0个百分点" in text
    assert "计划新开工项目1个，已全部开工" in text
    assert "投资进度低于时序进度10个百分点以上的项目1个" in text
    # Empty sections are left out and the rest numbered in order.
    assert [heading[:2] for heading, _s in bulletin.paragraphs] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert "高于时序进度的地区1个：新吴区" in text
    assert "低于时序进度的地区1个：江阴市" in text
    assert "本期红色预警项目1个" in text
    assert not ZERO_COUNT.search(text), text
    # Nothing filed, no problems, no visits: those sentences are left out, not written with 0.
    assert "新招引" not in text
    assert "问题" not in text


def test_figures_equal_the_engine(june):
    bulletin = monthly(june.users["admin"], 2022, 6)
    result = evaluate(Project.objects.all(), 2022, 6, keys=content.OVERVIEW_KEYS, target_scope="city")
    for key, value in result.total.values.items():
        assert bulletin.figures["total"][key] == content._json(value)
    by_region = evaluate(Project.objects.all(), 2022, 6, keys=content.ROW_KEYS, by="region")
    for row in by_region.rows:
        if row.values["project_count"]:
            assert bulletin.figures["regions"][str(row.key)]["ytd_investment"] == str(row.values["ytd_investment"])
    assert bulletin.version == result.version.number


def test_regions_are_ranked_by_completion_rate(june):
    bulletin = monthly(june.users["admin"], 2022, 6)
    _title, header, rows = bulletin.table("各地区推进情况排名")
    assert header[:2] == ["排名", "地区"]
    assert [(r[0], r[1], r[5]) for r in rows] == [("1", "新吴区", "60.0%"), ("2", "江阴市", "30.0%")]
    _title, _header, warned = bulletin.table("红色预警项目")
    assert warned[0][0] == "江阴市港口项目"


def test_a_region_officer_gets_its_region_only(june):
    bulletin = monthly(june.users["xinwu"], 2022, 6)
    assert bulletin.scope_label == "新吴区"
    assert bulletin.region_code == "320214"
    assert list(bulletin.figures["regions"]) == [str(june.xinwu.pk)]
    assert bulletin.figures["total"]["project_count"] == 1
    assert "红色预警" not in bulletin.title and bulletin.table("红色预警项目") is None
    with pytest.raises(PermissionDenied):
        monthly(june.users["xinwu"], 2022, 6, june.jiangyin)
    for role in ("department", "unit", "leader", "commissioner"):
        with pytest.raises(PermissionDenied):
            monthly(june.users[role], 2022, 6)


def test_problems_by_department(world):
    from django.utils import timezone

    from faims.problems import services

    problem = raise_one(world)
    services.assign_problem(
        problem, acting_user=world.users["admin"], lead_department=world.department, deadline=timezone.localdate()
    )
    today = timezone.localdate()
    bulletin = monthly(world.users["admin"], today.year, today.month)
    text = _text(bulletin)
    assert "共提出问题1个，尚未办结。" in text
    # Due today, still open at the end of the month: overdue as of the period's end.
    assert "截至期末尚有1个问题未办结，其中逾期1个" in text
    _title, header, rows = bulletin.table("各部门问题办理情况")
    assert rows == [["市自然资源规划局", "1", "0", "1", "1", "0.0%"]]


def test_targets_are_met_or_not_yet(june):
    from decimal import Decimal

    from faims.targets.models import Target

    Target.objects.create(kpi_key="new_start_rate", scope="city", year=2022, period="h1", value=Decimal("0.9"))
    Target.objects.create(kpi_key="filed_10yi_count", scope="city", year=2022, period="year", value=Decimal("80"))
    text = _text(monthly(june.users["admin"], 2022, 6))
    assert "计划新开工项目1个，已全部开工，已完成二季度末（半年）目标（90.0%）。" in text
    assert "新招引备案10亿元以上项目尚未实现（年度目标80个）。" in text
    Target.objects.filter(kpi_key="new_start_rate").update(value=Decimal("1"))
    Project.objects.filter(pk=june.projects["xinwu"].pk).update(actual_start_date=None)
    text = _text(monthly(june.users["admin"], 2022, 6))
    assert "计划新开工项目1个，尚未有项目开工，尚未完成二季度末（半年）目标（100.0%），低于目标100.0个百分点。" in text


def test_each_library_is_held_to_its_own_start_target(june):
    """The city has no start-rate target of its own; the library's H1 target of 75% applies to its new projects."""
    from decimal import Decimal

    from faims.targets.choices import TargetPeriod, TargetScope
    from faims.targets.models import Target

    Target.objects.create(
        kpi_key="new_start_rate",
        scope=TargetScope.LIBRARY,
        library=june.library,
        year=2022,
        period=TargetPeriod.H1,
        value=Decimal("0.75"),
    )
    text = _text(monthly(june.users["admin"], 2022, 6))
    assert "2022年市级重大产业项目：计划新开工项目1个，已全部开工，已完成二季度末（半年）目标（75.0%）。" in text
    Project.objects.filter(pk=june.projects["xinwu"].pk).update(actual_start_date=None)
    text = _text(monthly(june.users["admin"], 2022, 6))
    assert (
        "2022年市级重大产业项目：计划新开工项目1个，尚未有项目开工，尚未完成二季度末（半年）目标（75.0%），低于目标75.0个百分点。"
        in text
    )
