import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from faims.bulletins import docx, xlsx
from faims.bulletins.periodic import annual, quarterly
from faims.problems.models import Problem
from faims.problems.tests.conftest import raise_one
from faims.targets.choices import TargetPeriod, TargetScope
from faims.targets.models import Target

ZERO_COUNT = re.compile(r"(?<![\d.])0个")


def _text(bulletin):
    return "".join(s for _heading, sentences in bulletin.paragraphs for s in sentences)


def test_quarterly_report(june):
    problem = raise_one(june)
    Problem.objects.filter(pk=problem.pk).update(raised_at=timezone.make_aware(dt.datetime(2022, 5, 10, 9)))
    Target.objects.create(kpi_key="new_start_rate", scope=TargetScope.LIBRARY, library=june.library, year=2022,
                          period=TargetPeriod.H1, value=Decimal("0.75"))
    calls = []
    bulletin = quarterly(june.users["admin"], 2022, 6, progress=lambda *a: calls.append(a))
    assert bulletin.kind == "quarterly"
    assert bulletin.title == "关于2022年第二季度重大项目督查情况的报告"
    headings = [heading for heading, _s in bulletin.paragraphs]
    assert headings[:3] == ["一、项目开工情况", "二、投资完成情况", "三、问题办理情况"]
    assert "四、各地区督查评分" in headings and "五、各部门督查评分" in headings
    text = _text(bulletin)
    assert not ZERO_COUNT.search(text)
    assert "2022年市级重大产业项目：计划新开工项目1个，已全部开工，已完成" in text
    assert "新吴区" in text and "江阴市" in text
    assert "共提出问题1个，尚未办结" in text
    region = bulletin.figures["assessment"]["region"]
    assert region["scheme"] == "2022年各地区重大项目季度督查" and region["scheme_id"]
    assert {s["label"] for s in region["subjects"]} == {"新吴区", "江阴市"}
    assert all(s["indicators"] for s in region["subjects"])
    assert bulletin.table("各地区得分说明") is not None
    assert bulletin.charts[-1].unit == "分"
    json.dumps(bulletin.figures)
    assert calls[-1][0] == calls[-1][1]


def test_quarterly_month_must_end_a_quarter(june):
    with pytest.raises(ValueError, match="季度督查报告的月份须为 3、6、9 或 12 月"):
        quarterly(june.users["admin"], 2022, 5)


def test_annual_bulletin(june):
    for region, value in ((june.xinwu, "10000"), (june.jiangyin, "20000")):
        Target.objects.create(kpi_key="annual_target", scope=TargetScope.REGION, region=region, year=2022,
                              value=Decimal(value))
    problem = raise_one(june)
    Problem.objects.filter(pk=problem.pk).update(raised_at=timezone.make_aware(dt.datetime(2022, 5, 10, 9)))
    bulletin = annual(june.users["admin"], 2022, 6)
    assert bulletin.kind == "annual"
    assert bulletin.title == "关于2022年度重大项目建设考核情况的通报（截至6月预评估）"
    headings = [heading for heading, _s in bulletin.paragraphs]
    assert headings[0] == "一、目标任务完成情况"
    assert any("各地区考核情况" in h for h in headings) and any("各部门考核情况" in h for h in headings)
    text = _text(bulletin)
    assert not ZERO_COUNT.search(text)
    assert "按《2022年度各地区重大项目建设考核》" in text
    figures = bulletin.figures
    assert set(figures["assessment"]) == {"region", "department"}
    assert "five_rates" in figures
    json.dumps(figures)
    assert bulletin.table("各地区2022年度（截至6月预评估）得分排名") is not None
    assert annual(june.users["admin"], 2022, 12).title == "关于2022年度重大项目建设考核情况的通报"


def test_region_officer_gets_its_region_without_departments(june):
    bulletin = annual(june.users["xinwu"], 2022, 6)
    assert "新吴区" in bulletin.title
    assert set(bulletin.figures["assessment"]) == {"region"}
    assert [s["label"] for s in bulletin.figures["assessment"]["region"]["subjects"]] == ["新吴区"]


def test_documents_render(june):
    bulletin = quarterly(june.users["admin"], 2022, 6)
    assert docx.render(bulletin)[:2] == b"PK"
    assert xlsx.render(bulletin)[:2] == b"PK"
