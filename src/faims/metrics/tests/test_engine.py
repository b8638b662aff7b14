"""Hand-computed figures of a small world: three projects, two libraries, one missing report."""
from decimal import Decimal
from fractions import Fraction

import pytest

from faims.metrics.engine import ACCEPTED, evaluate, projects_behind
from faims.projects.models import Project
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_report
from faims.targets.choices import TargetScope
from faims.targets.models import Target

EXPECTED = {
    "project_count": 3, "new_count": 1, "continuing_count": 2,
    "total_investment": Decimal("1250300"), "annual_plan": Decimal("40000"), "annual_target": Decimal("80000"),
    "ytd_investment": Decimal("7000"), "completion_rate": Fraction(7, 40), "target_completion_rate": Fraction(7, 80),
    "time_progress": Fraction(1, 2), "progress_gap": Fraction(7, 40) - Fraction(1, 2),
    "new_started_count": 1, "new_start_rate": Fraction(1), "continuing_not_started_count": 1,
    "not_started_count": 1, "started_rate": Fraction(2, 3),
    # P2 is at 10% of its plan, below 50% − 10 points; P1 at 60% is not.
    "behind_schedule_count": 1, "over_half_count": 1,
    # P3 (300万) is below the 500万 floor; of P1 and P2 only P1 is in the statistics.
    "stats_entry_rate": Fraction(1, 2),
    "missing_report_count": 1, "on_time_report_rate": Fraction(1, 3),
    "completed_count": 1, "in_production_count": 1,
    "filing_rate": None, "filed_start_rate": Fraction(1), "started_investment_rate": Fraction(7, 20),
    "production_rate": Fraction(1), "capacity_rate": Fraction(0),
    "filed_10yi_count": 1, "filed_50yi_count": 1, "filed_100yi_count": 1,
    # No report three months back: each project's year to date over the usual share of January–June (45.5%).
    "forecast_year_end": Decimal("15384.62"),
    "warning_red_count": 0, "warning_yellow_count": 0, "warning_project_count": 0,
    "problem_open_count": 0, "problem_overdue_count": 0, "problem_feedback_rate": None, "problem_closure_rate": None,
    # The world's linked leader and commissioner made no visit (tests/test_visit_figures.py has visits).
    "leader_visit_compliance_rate": Fraction(0), "commissioner_visit_compliance_rate": Fraction(0),
    "leader_visit_count": 0, "leader_visitor_count": 0,
}


def slice_of(world):
    return Project.objects.restrict(world.users["admin"])


def test_every_kpi_by_hand(small):
    result = evaluate(slice_of(small), 2022, 6, target_scope="city")
    assert result.total.values == EXPECTED
    assert result.version.number == 1
    assert result.period.label == "2022-06"


def test_accepted_reports_only(small):
    values = evaluate(slice_of(small), 2022, 6, statuses=ACCEPTED).total.values
    assert values["ytd_investment"] == Decimal("6000")
    # A submitted report not yet accepted still counts as filed.
    assert values["missing_report_count"] == 1


def test_no_target_without_a_matching_scope(small):
    values = evaluate(slice_of(small), 2022, 6).total.values
    assert values["annual_target"] is None and values["target_completion_rate"] is None


def test_zero_denominators_have_no_value(world):
    values = evaluate(Project.objects.none(), 2022, 6).total.values
    assert values["project_count"] == 0 and values["ytd_investment"] == Decimal("0")
    for key in ("completion_rate", "new_start_rate", "started_rate", "stats_entry_rate", "on_time_report_rate",
                "progress_gap"):
        assert values[key] is None, key


def test_a_project_in_two_libraries_counts_once_in_the_total(small):
    result = evaluate(slice_of(small), 2022, 6, by="library", keys=["project_count", "ytd_investment"])
    groups = {row.label: row.values for row in result.rows}
    assert result.total.values == {"project_count": 3, "ytd_investment": Decimal("7000")}
    assert groups["2022年市级重大产业项目"] == {"project_count": 3, "ytd_investment": Decimal("7000")}
    assert groups["2022年省重大项目"] == {"project_count": 1, "ytd_investment": Decimal("6000")}


def test_missing_report_contributes_zero(small):
    result = evaluate(slice_of(small), 2022, 6, by="region", keys=["ytd_investment", "missing_report_count"])
    groups = {row.label: row.values for row in result.rows}
    assert groups["江阴市"] == {"ytd_investment": Decimal("1000"), "missing_report_count": 1}
    assert [p.name for p in projects_behind(slice_of(small), 2022, 6, "missing_report_count")] == ["江阴市安置房项目"]


def test_another_month_is_never_borrowed(small):
    make_report(small.projects["idle"], 2022, 5, status=ReportStatus.ACCEPTED, ytd_investment=900)
    values = evaluate(slice_of(small), 2022, 6, keys=["ytd_investment", "missing_report_count"]).total.values
    assert values == {"ytd_investment": Decimal("7000"), "missing_report_count": 1}


def test_continuing_project_never_started(small):
    behind = projects_behind(slice_of(small), 2022, 6, "continuing_not_started_count")
    assert list(behind) == [small.projects["idle"]]


def test_drill_down_matches_the_figures(small):
    projects = slice_of(small)
    values = evaluate(projects, 2022, 6).total.values
    assert projects_behind(projects, 2022, 6, "behind_schedule_count").count() == values["behind_schedule_count"]
    assert projects_behind(projects, 2022, 6, "started_rate", "numerator").count() == 2
    assert projects_behind(projects, 2022, 6, "started_rate", "denominator").count() == 3
    within = projects_behind(projects, 2022, 6, "project_count", by="library", group=small.second_library.pk)
    assert list(within) == [small.projects["xinwu"]]


def test_scope_of_a_region_officer(small):
    projects = Project.objects.restrict(small.users["xinwu"])
    values = evaluate(projects, 2022, 6, keys=["project_count", "ytd_investment"]).total.values
    assert values == {"project_count": 1, "ytd_investment": Decimal("6000")}


def test_by_month_gives_each_month(small):
    result = evaluate(slice_of(small), 2022, 6, by="month", keys=["time_progress", "ytd_investment"])
    assert [row.key for row in result.rows] == [1, 2, 3, 4, 5, 6]
    assert result.rows[0].values == {"time_progress": Fraction(1, 12), "ytd_investment": Decimal("0")}
    assert result.rows[-1].values == result.total.values


def test_other_groupings(small):
    for by in ("category", "tier", "department", "leader"):
        result = evaluate(slice_of(small), 2022, 6, by=by, keys=["project_count"])
        counts = [row.values["project_count"] for row in result.rows]
        assert sum(counts) == 3, by
        assert all(row.label for row in result.rows), by


def test_unknown_key_is_refused(world):
    with pytest.raises(ValueError):
        evaluate(Project.objects.all(), 2022, 6, keys=["no_such_kpi"])


def test_group_targets_and_a_fixed_number_of_queries(small, django_assert_max_num_queries):
    Target.objects.create(kpi_key="annual_target", year=2022, value=Decimal("30000"), scope=TargetScope.REGION,
                          region=small.jiangyin)
    projects = slice_of(small)
    with django_assert_max_num_queries(6):
        result = evaluate(projects, 2022, 6, by="region", keys=["annual_target", "target_completion_rate"])
    groups = {row.label: row.values for row in result.rows}
    assert groups["江阴市"] == {"annual_target": Decimal("30000"), "target_completion_rate": Fraction(1, 30)}
    assert groups["新吴区"] == {"annual_target": None, "target_completion_rate": None}
