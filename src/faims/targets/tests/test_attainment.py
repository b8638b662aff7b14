"""Attainment of targets, computed by hand on the small world of the KPI engine's tests."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from faims.metrics.tests.conftest import small  # noqa: F401 (a fixture)
from faims.projects.models import Project
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_period, make_report
from faims.targets.attainment import attainment, attainments, expected_value
from faims.targets.choices import TargetPeriod, TargetScope
from faims.targets.models import Target


def test_city_money_target(small):  # noqa: F811
    target = Target.objects.get(kpi_key="annual_target")
    result = attainment(target, small.users["admin"], month=6)
    # 6000 + 1000 filed by June against 80000: half the year asks for 40000.
    assert result.actual == Decimal("7000.00")
    assert result.gap == Decimal("-73000.00")
    assert result.expected == Decimal("40000.00")
    assert result.on_track is False
    assert "key=ytd_investment" in result.url


def test_library_start_rate_at_half_year(small):  # noqa: F811
    target = Target.objects.create(kpi_key="new_start_rate", scope=TargetScope.LIBRARY, library=small.second_library,
                                   year=2022, period=TargetPeriod.H1, value=Decimal("0.75"))
    june = attainment(target, small.users["admin"], month=6)
    # The second library holds P1 alone, a new project started in March: 1 of 1.
    assert june.actual == Decimal("1.0000") and june.gap == Decimal("0.2500")
    assert june.expected == Decimal("0.75") and june.on_track is True
    assert f"group={small.second_library.pk}" in june.url


def test_library_start_rate_in_april(small):  # noqa: F811
    target = Target.objects.create(kpi_key="new_start_rate", scope=TargetScope.LIBRARY, library=small.library,
                                   year=2022, period=TargetPeriod.H1, value=Decimal("0.75"))
    p1 = small.projects["xinwu"]
    make_period(2022, 4)
    # In April P1 has not started yet (its report says so): 0 of its library's new projects.
    make_report(p1, 2022, 4, status=ReportStatus.ACCEPTED, ytd_investment=0)
    Project.objects.filter(pk=p1.pk).update(actual_start_date=dt.date(2022, 5, 1))
    april = attainment(target, small.users["admin"], month=4)
    assert april.expected == Decimal("0.75")
    assert april.actual == Decimal("0.0000") and april.on_track is False


def test_region_target_for_a_region_officer(small):  # noqa: F811
    target = Target.objects.create(kpi_key="project_count", scope=TargetScope.REGION, region=small.xinwu,
                                   year=2022, period=TargetPeriod.YEAR, value=Decimal("4"))
    officer = attainment(target, small.users["xinwu"], month=6)
    # One project in 新吴区; 4 × 6/12 = 2 expected by June.
    assert officer.actual == Decimal("1.00") and officer.expected == Decimal("2.00")
    assert officer.gap == Decimal("-3.00") and officer.on_track is False
    city = Target.objects.create(kpi_key="project_count", year=2022, value=Decimal("4"))
    # The officer sees only 新吴区 even for the city's target; the admin sees all three.
    assert attainment(city, small.users["xinwu"], month=6).actual == Decimal("1.00")
    assert attainment(city, small.users["admin"], month=6).actual == Decimal("3.00")


def test_kpi_without_a_value(small):  # noqa: F811
    pending = Target.objects.create(kpi_key="problem_closure_rate", year=2022, value=Decimal("0.9"))
    empty = Target.objects.create(kpi_key="filing_rate", year=2022, value=Decimal("0.9"))
    results = attainments([pending, empty], small.users["admin"], 6)
    for target in (pending, empty):
        assert results[target.pk].actual is None and results[target.pk].on_track is None
        assert results[target.pk].reason


def test_each_slice_is_evaluated_once(small, django_assert_max_num_queries):  # noqa: F811
    targets = [Target.objects.create(kpi_key=key, year=2022, value=Decimal("1")) for key in
               ("project_count", "started_rate", "new_start_rate")]
    with django_assert_max_num_queries(6):
        results = attainments(targets, small.users["admin"], 6)
    assert len(results) == 3


def test_list_and_detail_show_the_actual(small, admin_client):  # noqa: F811
    target = Target.objects.get(kpi_key="annual_target")
    page = admin_client.get(reverse("targets:target_list"), {"year": 2022, "month": 6}).content.decode()
    assert "实际" in page and "7,000" in page and "滞后于时序" in page
    detail = admin_client.get(target.get_absolute_url(), {"year": 2022, "month": 6}).content.decode()
    assert 'data-testid="target-actual"' in detail and "7,000" in detail


def test_list_defaults_to_the_latest_month_with_reports(small, admin_client):  # noqa: F811
    page = admin_client.get(reverse("targets:target_list")).content.decode()
    assert "7,000万元" in page and "-73,000万元" in page


def test_rate_gap_is_shown_in_points(small, admin_client):  # noqa: F811
    target = Target.objects.create(kpi_key="new_start_rate", scope=TargetScope.LIBRARY, library=small.second_library,
                                   year=2022, period=TargetPeriod.H1, value=Decimal("0.75"))
    detail = admin_client.get(target.get_absolute_url()).content.decode()
    assert "100.0%" in detail and "+25.0个百分点" in detail and "符合时序" in detail


@pytest.mark.parametrize("kpi_key, period, month, expected", [
    ("ytd_investment", TargetPeriod.YEAR, 3, Decimal("30000.00")),    # 120000 × 3/12
    ("ytd_investment", TargetPeriod.H1, 4, Decimal("80000.00")),      # 120000 × 4/6
    ("ytd_investment", TargetPeriod.Q1, 5, Decimal("120000")),        # past its end month: the value itself
    ("new_start_rate", TargetPeriod.Q3, 2, Decimal("0.75")),          # rates compare directly
])
def test_expected_value_by_period(kpi_key, period, month, expected):
    value = Decimal("0.75") if kpi_key == "new_start_rate" else Decimal("120000")
    assert expected_value(Target(kpi_key=kpi_key, period=period, value=value, year=2022), month) == expected


def test_links_follow_the_slice(small):  # noqa: F811
    leaf = Target.objects.create(kpi_key="project_count", scope=TargetScope.REGION, region=small.xinwu,
                                 year=2022, value=Decimal("1"))
    city = Target.objects.create(kpi_key="project_count", scope=TargetScope.REGION, region=small.city,
                                 year=2022, value=Decimal("1"))
    results = attainments([leaf, city], small.users["admin"], 6)
    assert f"group_by=region&group={small.xinwu.pk}" in results[leaf.pk].url
    # 无锡市 with its 区 is beyond the drill-down's own-region groups: the project list's filter takes it.
    assert results[city.pk].url == f"{reverse('projects:project_list')}?region={small.city.pk}"
    assert results[city.pk].actual == Decimal("3.00")
