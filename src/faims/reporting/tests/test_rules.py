"""Every rule, passing and firing, on unsaved objects (the rules read; they never query)."""
import datetime as dt
from decimal import Decimal

import pytest

from faims.projects.choices import LifecycleStatus
from faims.projects.models import Project
from faims.reporting import rules
from faims.reporting.choices import ProductionStatus, RuleLevel, StartStatus, StatsStatus
from faims.reporting.models import MonthlyReport, ReportingPeriod
from faims.reporting.testing import report_fields

TODAY = dt.date(2022, 12, 1)


def project(**fields):
    values = {"name": "测试项目", "total_investment": Decimal("50000"), "status": LifecycleStatus.CONSTRUCTION}
    return Project(**{**values, **fields})


def report(month=6, year=2022, **fields):
    period = ReportingPeriod(year=year, month=month, deadline=dt.date(year, month, 28))
    return MonthlyReport(period=period, **report_fields(**fields))


def codes(findings):
    return [f.code for f in findings]


def run(current, *, previous=None, earlier=None, proj=None, today=TODAY):
    return rules.check(current, previous=previous, project=proj or project(), earlier=earlier, today=today)


def test_rules_table_is_complete_and_readable():
    assert [r.code for r in rules.RULES] == [f"R{n:02d}" for n in range(1, 12)]
    for rule in rules.RULES:
        assert rule.level in RuleLevel.values
        assert str(rule.title) and str(rule.description)
        assert rule.get_level_display() in ("错误", "预警")


def test_a_plain_report_passes_every_rule():
    previous = report(5, ytd_investment=1000, month_investment=200, cumulative_investment=5000)
    current = report(6, ytd_investment=1300, month_investment=300, cumulative_investment=5300)
    assert run(current, previous=previous) == []


# R01 — the year-to-date figure is the sum of the year's months --------------------------------

def test_r01_january_month_must_equal_ytd():
    assert run(report(1, month_investment=100, ytd_investment=100)) == []
    findings = run(report(1, month_investment=100, ytd_investment=120))
    assert codes(findings) == ["R01"]
    assert findings[0].field == "month_investment"
    assert "1月的本月完成投资（100万元）应等于本年累计完成投资（120万元）" in findings[0].message


def test_r01_ytd_must_be_previous_plus_month():
    previous = report(5, ytd_investment=1000)
    findings = run(report(6, ytd_investment=1200, month_investment=300), previous=previous)
    assert codes(findings) == ["R01"]
    assert findings[0].message == (
        "R01 本年累计完成投资（1,200万元）应等于上月本年累计（1,000万元）加本月完成投资（300万元），即 1,300万元。"
    )


def test_r01_ytd_cannot_decrease_within_the_year():
    previous = report(5, ytd_investment=1000)
    findings = run(report(6, ytd_investment=900), previous=previous)
    assert codes(findings) == ["R01"]
    assert findings[0].field == "ytd_investment"
    assert "本年累计完成投资（900万元）小于上期（1,000万元，2022年5月）" in findings[0].message


def test_r01_restarts_in_january():
    december = report(12, year=2021, ytd_investment=9000, cumulative_investment=9000)
    january = report(1, year=2022, month_investment=50, ytd_investment=50, cumulative_investment=9050)
    # The December report is no "previous" of January (another year), but the cumulative compares.
    assert run(january, previous=None, earlier=december) == []


def test_r01_with_a_gap_the_ytd_must_at_least_cover_previous_plus_month():
    april = report(4, ytd_investment=1000)
    assert run(report(6, ytd_investment=1500, month_investment=300), previous=april) == []
    findings = run(report(6, ytd_investment=1200, month_investment=300), previous=april)
    assert codes(findings) == ["R01"]
    assert "加本月完成投资（300万元）" in findings[0].message


def test_r01_unknown_figures_are_not_checked():
    previous = report(5, ytd_investment=None)
    assert run(report(6, ytd_investment=1200, month_investment=300), previous=previous) == []
    assert run(report(6, ytd_investment=1200, month_investment=None), previous=report(5, ytd_investment=1000)) == []


# R02 — the cumulative figure never decreases ---------------------------------------------------

def test_r02_cumulative_cannot_decrease():
    previous = report(5, ytd_investment=1000, cumulative_investment=9000)
    current = report(6, ytd_investment=1100, cumulative_investment=8000)
    findings = run(current, previous=previous)
    assert codes(findings) == ["R02"]
    assert findings[0].message == (
        "R02 自开工累计完成投资（8,000万元）小于上期（9,000万元，2022年5月），累计数不能减少。")
    assert findings[0].level == RuleLevel.ERROR


def test_r02_compares_across_years_with_the_earlier_report():
    december = report(12, year=2021, cumulative_investment=9000)
    assert codes(run(report(1, cumulative_investment=8000), earlier=december)) == ["R02"]
    assert run(report(1, cumulative_investment=9000), earlier=december) == []


# R03 — cumulative ≥ YTD for projects started this year -----------------------------------------

def test_r03_project_started_this_year():
    started = dt.date(2022, 3, 1)
    findings = run(report(6, ytd_investment=1200, cumulative_investment=1000, actual_start_date=started))
    assert codes(findings) == ["R03"]
    assert findings[0].message == (
        "R03 项目于2022年开工，自开工累计完成投资（1,000万元）不能小于本年累计完成投资（1,200万元）。")
    assert run(report(6, ytd_investment=1200, cumulative_investment=1200, actual_start_date=started)) == []


def test_r03_does_not_apply_to_projects_started_earlier():
    current = report(6, ytd_investment=1200, cumulative_investment=1000, actual_start_date=dt.date(2020, 5, 1))
    assert run(current) == []


def test_r03_uses_the_projects_start_date_when_the_report_has_none():
    current = report(6, ytd_investment=1200, cumulative_investment=1000, actual_start_date=None)
    assert codes(run(current, proj=project(actual_start_date=dt.date(2022, 2, 1)))) == ["R03"]
    assert run(current, proj=project(actual_start_date=dt.date(2021, 2, 1))) == []


# R04 / R05 — cumulative against the total investment ------------------------------------------

def test_r04_cumulative_above_total_is_a_warning():
    findings = run(report(6, cumulative_investment=50001), proj=project(total_investment=Decimal("50000")))
    assert codes(findings) == ["R04"]
    assert findings[0].level == RuleLevel.WARNING
    assert "自开工累计完成投资（50,001万元）超过总投资（50,000万元）" in findings[0].message
    assert run(report(6, cumulative_investment=50000)) == []


def test_r05_cumulative_above_150_percent_is_an_error():
    findings = run(report(6, cumulative_investment=75001))
    assert codes(findings) == ["R05"]
    assert findings[0].level == RuleLevel.ERROR
    assert "超过总投资（50,000万元）的150%" in findings[0].message
    assert codes(run(report(6, cumulative_investment=75000))) == ["R04"]


# R06 — investment needs a started project with a start date ------------------------------------

def test_r06_investment_on_an_unstarted_project():
    current = report(6, ytd_investment=100, start_status=StartStatus.NOT_STARTED, actual_start_date=None)
    findings = run(current)
    assert codes(findings) == ["R06"]
    assert findings[0].field == "start_status"
    assert "已填报完成投资（100万元），开工情况却为“未开工”" in findings[0].message


def test_r06_started_needs_a_start_date():
    findings = run(report(6, ytd_investment=100, actual_start_date=None))
    assert codes(findings) == ["R06"]
    assert findings[0].field == "actual_start_date"
    # The project's own start date is enough.
    assert run(report(6, ytd_investment=100, actual_start_date=None),
               proj=project(actual_start_date=dt.date(2021, 1, 1))) == []


def test_r06_no_investment_no_start_needed():
    current = report(6, ytd_investment=0, cumulative_investment=0, start_status=StartStatus.NOT_STARTED,
                     actual_start_date=None, construction_status=LifecycleStatus.CONSTRUCTION)
    assert run(current) == []


# R07 — dates after the period ------------------------------------------------------------------

def test_r07_start_date_after_the_period_is_refused():
    findings = run(report(6, actual_start_date=dt.date(2022, 7, 1)))
    assert codes(findings) == ["R07"]
    assert findings[0].message == "R07 实际开工日期（2022-07-01）晚于报送期（2022年6月），请核对。"
    assert run(report(6, actual_start_date=dt.date(2022, 6, 30))) == []


def test_r07_stats_date_after_the_period_is_refused():
    current = report(6, stats_status=StatsStatus.ENTERED, stats_date=dt.date(2022, 7, 2))
    assert codes(run(current)) == ["R07"]


# R08 — no report for a future period -----------------------------------------------------------

def test_r08_future_period_is_refused():
    findings = run(report(7), today=dt.date(2022, 6, 30))
    assert codes(findings) == ["R08"]
    assert findings[0].field is None
    assert findings[0].message == "R08 报送期2022年7月尚未开始，不能填报。"
    # The current month may be reported (some units report before the month ends).
    assert run(report(7), today=dt.date(2022, 7, 1)) == []


# R09 / R10 — statuses going backwards ----------------------------------------------------------

@pytest.mark.parametrize(("before", "after", "fires"), [
    (LifecycleStatus.PRODUCTION, LifecycleStatus.CONSTRUCTION, True),
    (LifecycleStatus.CONSTRUCTION, LifecycleStatus.PREPARATION, True),
    (LifecycleStatus.CONSTRUCTION, LifecycleStatus.COMPLETED, False),
    (LifecycleStatus.CONSTRUCTION, LifecycleStatus.CONSTRUCTION, False),
    (LifecycleStatus.CONSTRUCTION, LifecycleStatus.SUSPENDED, True),
    (LifecycleStatus.CONSTRUCTION, LifecycleStatus.WITHDRAWN, True),
    (LifecycleStatus.SUSPENDED, LifecycleStatus.CONSTRUCTION, False),
    (LifecycleStatus.SUSPENDED, LifecycleStatus.PREPARATION, False),
    (LifecycleStatus.WITHDRAWN, LifecycleStatus.CONSTRUCTION, True),
])
def test_r09_construction_status_backwards(before, after, fires):
    earlier = report(5, construction_status=before)
    current = report(6, construction_status=after, ytd_investment=None)
    findings = run(current, earlier=earlier)
    assert codes(findings) == (["R09"] if fires else [])
    if fires:
        assert findings[0].field == "status_change_reason"
        assert f"建设状态由“{before.label}”变为“{after.label}”" in findings[0].message
        current.status_change_reason = "因规划调整暂停"
        assert run(current, earlier=earlier) == []


def test_r09_a_first_report_is_not_held_against_todays_registry_status():
    """The first report FAIMS holds may be of a month before the project reached its present status."""
    current = report(1, construction_status=LifecycleStatus.PREPARATION, month_investment=None,
                     ytd_investment=None, cumulative_investment=None)
    assert "R09" not in codes(run(current, proj=project(status=LifecycleStatus.PRODUCTION)))


def test_r10_production_status_backwards():
    earlier = report(5, production_status=ProductionStatus.FULL)
    current = report(6, production_status=ProductionStatus.PARTIAL)
    findings = run(current, earlier=earlier)
    assert codes(findings) == ["R10"]
    assert "投产情况由“全部投产”变为“部分投产”" in findings[0].message
    current.status_change_reason = "二号线检修"
    assert run(current, earlier=earlier) == []
    assert run(report(6, production_status=ProductionStatus.FULL),
               earlier=report(5, production_status=ProductionStatus.PARTIAL)) == []


# R11 — 已入库 with a date ----------------------------------------------------------------------

def test_r11_entered_without_date_is_a_warning():
    findings = run(report(6, stats_status=StatsStatus.ENTERED, stats_date=None))
    assert codes(findings) == ["R11"]
    assert findings[0].level == RuleLevel.WARNING
    assert run(report(6, stats_status=StatsStatus.ENTERED, stats_date=dt.date(2022, 6, 3))) == []
    assert run(report(6, stats_status=StatsStatus.APPLIED, stats_date=None)) == []


def test_errors_and_warnings_split():
    findings = run(report(6, cumulative_investment=60000, actual_start_date=dt.date(2022, 8, 1)))
    assert codes(rules.errors(findings)) == ["R07"]
    assert codes(rules.warnings(findings)) == ["R04"]
