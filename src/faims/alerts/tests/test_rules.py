"""Each rule on hand-built data: when it fires, at which level, with which words."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from faims.alerts import rules
from faims.core.testing import make_project
from faims.metrics.services import current_version, thresholds_of
from faims.projects.choices import NodeKind, StartKind
from faims.projects.models import AnnualPlan, NodePlan, Project
from faims.reporting.choices import ReportStatus
from faims.reporting.models import MonthlyReport, ReportingPeriod

BEFORE_DEADLINE = timezone.make_aware(dt.datetime(2022, 7, 10, 9, 0))
AFTER_DEADLINE = timezone.make_aware(dt.datetime(2022, 7, 21, 9, 0))


def run(code, projects=None, year=2022, month=6, now=AFTER_DEADLINE, thresholds=None):
    projects = projects if projects is not None else Project.objects.all()
    thresholds = thresholds or thresholds_of(current_version())
    return rules.evaluate(projects, year, month, thresholds, codes=[code], now=now)[code]


def period(year=2022, month=6):
    return ReportingPeriod.objects.get_or_create(
        year=year, month=month, defaults={"deadline": dt.date(year + month // 12, month % 12 + 1, 20)})[0]


def report(project, year, month, *, ytd=None, cumulative=None, status=ReportStatus.SUBMITTED):
    return MonthlyReport.objects.create(
        project=project, period=period(year, month), status=status, ytd_investment=ytd,
        cumulative_investment=cumulative, first_submitted_at=timezone.make_aware(dt.datetime(year, month, 28)))


@pytest.mark.parametrize(("planned", "months", "level", "threshold"), [
    (dt.date(2022, 3, 15), 3, "red", 3),
    (dt.date(2022, 3, 31), 3, "red", 3),     # June has no 31st: the month is complete at 06-30
    (dt.date(2022, 4, 1), 2, "yellow", 1),
    (dt.date(2022, 5, 31), 1, "yellow", 1),
])
def test_not_started_fires(world, planned, months, level, threshold):
    project = make_project(world.xinwu, planned_start_date=planned)
    hit = run("W01")[project.pk]
    assert hit.level == level
    label = "红色" if level == "red" else "黄色"
    assert hit.message == (f"计划开工 {planned.isoformat()}，截至 2022-06-30 未开工，已逾期 {months} 个月"
                           f"（{label}阈值 {threshold} 个月）")
    assert hit.data["months_late"] == months


def test_not_started_does_not_fire(world):
    less_than_a_month = make_project(world.xinwu, planned_start_date=dt.date(2022, 6, 1))
    started = make_project(world.xinwu, planned_start_date=dt.date(2022, 3, 15), actual_start_date=dt.date(2022, 5, 2))
    started_later = make_project(world.xinwu, planned_start_date=dt.date(2022, 3, 15),
                                 actual_start_date=dt.date(2022, 7, 2))
    hits = run("W01")
    assert less_than_a_month.pk not in hits and started.pk not in hits
    # Started after the period's end: at the end of June it had not started.
    assert hits[started_later.pk].level == "red"
    assert world.projects["xinwu"].pk not in hits  # no planned start date


def _behind_project(world, ytd):
    project = make_project(world.xinwu, actual_start_date=dt.date(2022, 1, 10))
    AnnualPlan.objects.create(project=project, year=2022, planned_investment=Decimal("10000"),
                              start_kind=StartKind.CONTINUING)
    report(project, 2022, 6, ytd=Decimal(ytd))
    return project


def test_behind_time_progress_levels_at_the_boundaries(world):
    at_10 = _behind_project(world, "4000")    # 40% against 50%: 10 points, yellow
    at_30 = _behind_project(world, "2000")    # 30 points: still yellow
    at_31 = _behind_project(world, "1900")    # 31 points: red
    at_9 = _behind_project(world, "4100")     # 9 points: no warning
    hits = run("W02")
    assert hits[at_10.pk].level == "yellow" and hits[at_30.pk].level == "yellow"
    assert hits[at_31.pk].level == "red"
    assert at_9.pk not in hits
    assert hits[at_31.pk].message == ("年度计划投资 10,000万元，1–6月完成 1,900万元（完成率 19.0%），时序进度 50.0%，"
                                      "低于时序进度 31.0 个百分点（红色阈值 超过30 个百分点）")
    assert hits[at_10.pk].message.endswith("低于时序进度 10.0 个百分点（黄色阈值 达到10 个百分点）")
    assert hits[at_31.pk].data["points_behind"] == "31.0"


def test_behind_ignores_projects_not_started_and_drafts(world):
    not_started = make_project(world.xinwu)
    AnnualPlan.objects.create(project=not_started, year=2022, planned_investment=Decimal("10000"),
                              start_kind=StartKind.NEW)
    draft = _behind_project(world, "0")
    MonthlyReport.objects.filter(project=draft).update(status=ReportStatus.DRAFT)
    hits = run("W02")
    assert not_started.pk not in hits
    # A draft does not count: the project has completed nothing as far as the period's figures go.
    assert hits[draft.pk].level == "red"


@pytest.mark.parametrize(("started", "months", "level", "threshold"), [
    (dt.date(2022, 4, 30), 2, "red", 2),
    (dt.date(2022, 5, 15), 1, "yellow", 1),
])
def test_not_in_statistics_fires(world, started, months, level, threshold):
    project = make_project(world.xinwu, actual_start_date=started, total=Decimal("800"))
    hit = run("W03")[project.pk]
    label = "红色" if level == "red" else "黄色"
    assert hit.level == level
    assert hit.message == (f"实际开工 {started.isoformat()}，截至 2022-06-30 未纳入统计库，已开工 {months} 个月"
                           f"（{label}阈值 {threshold} 个月）")


def test_not_in_statistics_does_not_fire(world):
    recent = make_project(world.xinwu, actual_start_date=dt.date(2022, 6, 1))
    small = make_project(world.xinwu, actual_start_date=dt.date(2022, 1, 1), total=Decimal("400"))
    entered = make_project(world.xinwu, actual_start_date=dt.date(2022, 1, 1), in_statistics=True,
                           statistics_date=dt.date(2022, 3, 1))
    entered_later = make_project(world.xinwu, actual_start_date=dt.date(2022, 1, 1), in_statistics=True,
                                 statistics_date=dt.date(2022, 8, 1))
    hits = run("W03")
    assert recent.pk not in hits and small.pk not in hits and entered.pk not in hits
    assert hits[entered_later.pk].level == "red"


def test_no_report(world):
    period()
    report(world.projects["jiangyin"], 2022, 6, ytd=Decimal("1"))
    xinwu = world.projects["xinwu"].pk
    before = run("W04", now=BEFORE_DEADLINE)
    assert set(before) == {xinwu}
    assert before[xinwu].level == "yellow"
    assert before[xinwu].message == "2022年6月应报送月报，尚未报送（报送截止日期 2022-07-20）"
    after = run("W04", now=AFTER_DEADLINE)
    assert after[xinwu].level == "red"
    assert after[xinwu].message == "2022年6月应报送月报，截至报送截止日期 2022-07-20 仍未报送"
    assert run("W04", month=7) == {}  # the period is not open: nothing is due yet


def test_cumulative_flat(world):
    flat = make_project(world.xinwu, actual_start_date=dt.date(2021, 5, 1))
    growing = make_project(world.xinwu, actual_start_date=dt.date(2021, 5, 1))
    completed = make_project(world.xinwu, actual_start_date=dt.date(2021, 5, 1),
                             actual_completion_date=dt.date(2022, 4, 1))
    gap = make_project(world.xinwu, actual_start_date=dt.date(2021, 5, 1))
    not_started = make_project(world.xinwu)
    for project, then, now in ((flat, "5000", "5000"), (growing, "5000", "5600"), (completed, "9000", "9000"),
                               (not_started, "0", "0")):
        report(project, 2022, 3, cumulative=Decimal(then))
        report(project, 2022, 6, cumulative=Decimal(now))
    report(gap, 2022, 6, cumulative=Decimal("5000"))
    hits = run("W05")
    assert set(hits) == {flat.pk}
    assert hits[flat.pk].level == "yellow"
    assert hits[flat.pk].message == ("自开工累计完成投资 2022-03 为 5,000万元，2022-06 为 5,000万元，"
                                     "连续 3 个月未增加（阈值 3 个月）")


def test_flat_across_the_year_end(world):
    flat = make_project(world.xinwu, actual_start_date=dt.date(2021, 5, 1))
    report(flat, 2021, 11, cumulative=Decimal("700"))
    report(flat, 2022, 2, cumulative=Decimal("700"))
    assert set(run("W05", month=2)) == {flat.pk}


def test_every_rule_is_evaluable():
    assert rules.EVALUABLE == ["W01", "W02", "W03", "W04", "W05", "W06", "W07"]


def test_overdue_nodes_raise_w07(world):
    project = make_project(world.xinwu, actual_start_date=dt.date(2022, 1, 5))
    NodePlan.objects.create(project=project, kind=NodeKind.FEASIBILITY, planned_date=dt.date(2022, 3, 31))
    NodePlan.objects.create(project=project, kind=NodeKind.TOPPING_OUT, planned_date=dt.date(2022, 6, 10),
                            actual_date=dt.date(2022, 7, 2))
    hits = run("W07")
    assert hits[project.pk].level == "red" and hits[project.pk].data["days_overdue"] == 91
    assert "有 2 个节点计划逾期未完成，最早为“可研批复”（计划 2022-03-31）" in hits[project.pk].message
    # At the end of April only the feasibility study is late, by 30 days: yellow.
    april = run("W07", month=4)[project.pk]
    assert april.level == "yellow" and april.data["items"] == [NodeKind.FEASIBILITY]


def test_months_between():
    assert rules.months_between(dt.date(2022, 3, 15), dt.date(2022, 6, 14)) == 2
    assert rules.months_between(dt.date(2022, 3, 15), dt.date(2022, 6, 15)) == 3
    assert rules.months_between(dt.date(2021, 11, 30), dt.date(2022, 2, 28)) == 3
