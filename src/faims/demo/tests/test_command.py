"""load_demo's switches: --if-empty, refusal without --reset, --reset, determinism for a seed."""
import io

import pytest
from django.core.management import CommandError, call_command

from faims.demo.named import NAMED
from faims.projects.models import AnnualPlan, Membership, Project
from faims.reporting.models import MonthlyReport, ReportingPeriod

pytestmark = pytest.mark.django_db


def load(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def fingerprint():
    projects = sorted(Project.objects.values_list(
        "name", "code", "total_investment", "status", "actual_start_date", "region__code", "unit__name",
        "leader__name",
    ))
    memberships = sorted(Membership.objects.values_list("project__name", "library__name", "admitted_date"))
    plans = sorted(AnnualPlan.objects.values_list("project__name", "planned_investment", "start_kind"))
    reports = sorted(MonthlyReport.objects.values_list(
        "project__name", "period__month", "status", "month_investment", "ytd_investment", "cumulative_investment",
        "first_submitted_at", "progress_text",
    ))
    return projects, memberships, plans, reports


def test_if_empty_loads_once_and_then_does_nothing():
    load("--projects", "60", "--if-empty")
    assert Project.objects.count() == 60
    assert "跳过" in load("--projects", "200", "--if-empty")
    assert Project.objects.count() == 60


def test_a_second_load_is_refused_without_reset():
    load("--projects", "60")
    with pytest.raises(CommandError, match="--reset"):
        load("--projects", "60")
    assert Project.objects.count() == 60


def test_the_same_seed_gives_the_same_programme_and_reset_replaces_it():
    load("--projects", "120", "--seed", "5")
    first = fingerprint()
    load("--projects", "120", "--seed", "5", "--reset")
    assert fingerprint() == first
    load("--projects", "120", "--seed", "6", "--reset")
    assert fingerprint() != first
    assert Project.objects.count() == 120


def test_named_projects_are_always_loaded():
    load("--projects", "3")
    assert Project.objects.count() == len(NAMED)


def test_report_months_keeps_the_latest_months():
    load("--projects", "80", "--report-months", "3")
    assert ReportingPeriod.objects.count() == 9
    months = set(MonthlyReport.objects.values_list("period__month", flat=True))
    assert months == {6, 7, 8, 9}
    # June is the first report FAIMS holds: only the year-to-date figure is known.
    june = MonthlyReport.objects.filter(period__month=6)
    assert june.exists() and not june.exclude(month_investment=None).exists()
    with pytest.raises(CommandError, match="--report-months"):
        load("--projects", "80", "--report-months", "9", "--reset")
