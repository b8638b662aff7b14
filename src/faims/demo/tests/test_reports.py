"""The demo's monthly reports: valid by the model and the rules, consistent figures, workflow and deadlines."""
import calendar
import copy
import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent
from faims.demo import accounts, reports
from faims.demo.reference import AS_OF
from faims.org.models import User
from faims.projects.choices import LifecycleStatus, MembershipStatus
from faims.projects.models import AnnualPlan, Project
from faims.reporting import deadlines, rules, services
from faims.reporting.choices import ReportStatus, StartStatus, StatsStatus
from faims.reporting.models import MonthlyReport, ReportingPeriod, default_deadline

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded")]
AS_OF_END = timezone.make_aware(dt.datetime.combine(AS_OF, dt.time.max))


@pytest.fixture(scope="module")
def by_project(django_db_blocker, loaded):
    """Every report, grouped by project in period order."""
    with django_db_blocker.unblock():
        grouped = defaultdict(list)
        for report in MonthlyReport.objects.select_related("period", "project").order_by("project", "period__month"):
            grouped[report.project_id].append(report)
        return grouped


def period_end(period) -> dt.date:
    return dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def stage_from_dates(project, end) -> str:
    """A project's construction status at a date, read from its own dates (停缓建 has no date of its own)."""
    if project.actual_start_date is None or project.actual_start_date > end:
        return LifecycleStatus.PREPARATION
    for status, date in ((LifecycleStatus.CAPACITY, project.actual_capacity_date),
                         (LifecycleStatus.PRODUCTION, project.actual_production_date),
                         (LifecycleStatus.COMPLETED, project.actual_completion_date)):
        if date and date <= end:
            return status
    return LifecycleStatus.CONSTRUCTION


def as_it_stood(project, period):
    """The project as it was when the period was reported.

    Without an earlier report, R09 compares a report with the project's status; the demo's
    projects carry their status of the demo date, so a January report of a project completed in
    May would be compared with 竣工. The rules are checked against the status of the time.
    """
    then = copy.copy(project)
    then.status = stage_from_dates(project, period_end(period))
    return then


def test_periods_deadlines_and_locks():
    periods = list(ReportingPeriod.objects.order_by("month"))
    assert [(p.year, p.month) for p in periods] == [(2022, m) for m in range(1, 10)]
    admin = User.objects.get(username="admin")
    for period in periods:
        if period.month == 1:
            assert period.deadline == dt.date(2022, 2, 25) and "春节" in period.deadline_reason
        else:
            assert period.deadline == default_deadline(2022, period.month) and period.deadline_reason == ""
        assert period.is_locked == (period.month <= 6)
        if period.is_locked:
            assert period.locked_by == admin
            last = period.reports.order_by("-reviewed_at").values_list("reviewed_at", flat=True).first()
            assert last < period.locked_at < AS_OF_END
        period.full_clean()


def test_every_report_passes_the_rules(by_project):
    total = 0
    for project_reports in by_project.values():
        previous = None
        for report in project_reports:
            project = report.project if previous else as_it_stood(report.project, report.period)
            findings = rules.check(report, previous=previous, project=project, earlier=previous)
            assert not findings, (str(report), [f.message for f in findings])
            previous = report
            total += 1
    assert total == MonthlyReport.objects.count() > 5_000


def test_a_sample_passes_full_clean_and_the_rules_with_its_neighbours():
    ids = list(MonthlyReport.objects.order_by("pk").values_list("pk", flat=True))
    sample = MonthlyReport.objects.filter(pk__in=ids[:: len(ids) // 250]).select_related("period", "project")
    assert len(sample) >= 200
    for report in sample:
        report.full_clean()
        previous, earlier = services.neighbours(report)
        project = report.project if earlier else as_it_stood(report.project, report.period)
        errors = rules.errors(rules.check(report, previous=previous, project=project, earlier=earlier))
        assert not errors, (str(report), [f.message for f in errors])


def test_year_to_date_is_the_running_sum_and_cumulative_never_decreases(by_project):
    unknown_months = 0
    for project_reports in by_project.values():
        previous = None
        for report in project_reports:
            month, ytd, cumulative = report.month_investment, report.ytd_investment, report.cumulative_investment
            follows = previous is not None and previous.period.month == report.period.month - 1
            if report.period.month == 1:
                assert month == ytd
            elif follows:
                assert ytd == previous.ytd_investment + month
            else:
                # The first report of a project, or one after a gap: only the year-to-date figure is known.
                assert month is None
                unknown_months += 1
            if previous is not None:
                assert ytd >= previous.ytd_investment
                assert cumulative >= previous.cumulative_investment
            assert ytd <= cumulative <= report.project.total_investment
            previous = report
    assert unknown_months > 20


def test_no_investment_before_the_start_and_statuses_follow_the_dates(by_project):
    for project_reports in by_project.values():
        project = project_reports[0].project
        for report in project_reports:
            end = period_end(report.period)
            started = project.actual_start_date is not None and project.actual_start_date <= end
            assert report.start_status == (StartStatus.STARTED if started else StartStatus.NOT_STARTED)
            assert report.actual_start_date == (project.actual_start_date if started else None)
            if not started:
                assert report.ytd_investment == report.cumulative_investment == 0
            if report.construction_status != LifecycleStatus.SUSPENDED:
                assert report.construction_status == stage_from_dates(project, end), str(report)
            if report.stats_status == StatsStatus.ENTERED:
                assert project.in_statistics and report.stats_date == project.statistics_date
            elif project.in_statistics and project.statistics_date <= end:
                assert project.total_investment < 500 or not started
            assert (report.production_status != "none") == bool(
                project.actual_production_date and project.actual_production_date <= end)
            assert report.progress_text


def test_statistics_entry_lags_the_start():
    june = MonthlyReport.objects.filter(period__month=6, start_status=StartStatus.STARTED,
                                        project__total_investment__gte=500)
    counts = Counter(june.values_list("stats_status", flat=True))
    assert counts[StatsStatus.ENTERED] > 0.8 * sum(counts.values())
    assert counts[StatsStatus.APPLIED] > 0
    started_in_june = june.filter(actual_start_date__month=6, actual_start_date__year=2022)
    assert not started_in_june.filter(stats_status=StatsStatus.ENTERED, stats_date__lt="2022-06-01").exists()


def test_workflow_states_by_period():
    by_month = defaultdict(Counter)
    for month, status in MonthlyReport.objects.values_list("period__month", "status"):
        by_month[month][status] += 1
    for month in range(1, 7):
        assert set(by_month[month]) == {ReportStatus.ACCEPTED}
    for month in (7, 8):
        counts = by_month[month]
        assert counts[ReportStatus.ACCEPTED] > 0.75 * sum(counts.values())
        assert counts[ReportStatus.SUBMITTED] > 0
    assert by_month[7][ReportStatus.RETURNED] + by_month[8][ReportStatus.RETURNED] >= 2
    assert set(by_month[9]) <= {ReportStatus.DRAFT, ReportStatus.SUBMITTED}
    due = deadlines.due_projects(ReportingPeriod.objects.get(month=9)).count()
    assert 0 < sum(by_month[9].values()) < 0.15 * due

    returned = MonthlyReport.objects.filter(status=ReportStatus.RETURNED)
    assert not returned.filter(return_reason="").exists()
    assert not returned.filter(reviewed_by=None).exists()
    for report in MonthlyReport.objects.exclude(status=ReportStatus.DRAFT):
        assert report.first_submitted_at <= report.submitted_at <= AS_OF_END
        assert report.submitted_by_id is not None
        if report.status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED):
            assert report.submitted_at < report.reviewed_at <= AS_OF_END
        else:
            assert report.reviewed_at is None
    drafts = MonthlyReport.objects.filter(status=ReportStatus.DRAFT)
    assert not drafts.exclude(first_submitted_at=None, submitted_by=None, reviewed_by=None).exists()


def test_the_right_accounts_filed_and_reviewed():
    users = {u.username: u for u in User.objects.filter(username__in=accounts.USERNAMES)}
    filed = MonthlyReport.objects.exclude(submitted_by=None)
    xinwu = filed.filter(project__region__code="320214")
    unit_projects = Project.objects.filter(unit=users["unit"].organisation)
    assert set(filed.filter(project__in=unit_projects).values_list("submitted_by", flat=True)) == {users["unit"].pk}
    assert set(xinwu.exclude(project__in=unit_projects).values_list("submitted_by", flat=True)) == {users["xinwu"].pk}
    assert set(xinwu.exclude(reviewed_by=None).values_list("reviewed_by", flat=True)) == {users["xinwu"].pk}
    jiangyin = filed.filter(project__region__code="320281").exclude(reviewed_by=None)
    assert set(jiangyin.values_list("reviewed_by", flat=True)) == {users["jiangyin"].pk}
    elsewhere = filed.exclude(project__region__code__in=["320214", "320281"])
    assert set(elsewhere.values_list("submitted_by", flat=True)) == {users["admin"].pk}


def test_past_periods_have_late_and_missing_reports():
    projects = Project.objects.all()
    filed = late = 0
    for period in ReportingPeriod.objects.filter(month__lte=8):
        assert deadlines.late(period, projects).exists(), period
        assert deadlines.missing(period, projects).exists(), period
        rows = deadlines.on_time_rate(period, projects)
        due = sum(r.due for r in rows)
        assert Decimal("0.7") < Decimal(sum(r.on_time for r in rows)) / due < Decimal("0.97"), period
        reports_ = MonthlyReport.objects.filter(period=period).exclude(first_submitted_at=None)
        filed += reports_.count()
        late += reports_.filter(first_submitted_at__gte=deadlines.deadline_passed_at(period)).count()
    assert 0.04 < late / filed < 0.15
    # 宜兴市 files through FAIMS from April: its first report carries the year-to-date figure only.
    yixing = MonthlyReport.objects.filter(project__region__code="320282")
    assert not yixing.filter(period__month__lt=reports.LATE_ADOPTERS["320282"]).exists()
    assert yixing.filter(period__month=4, month_investment=None).count() > 0.9 * yixing.filter(period__month=4).count()


def test_half_year_investment_against_the_plans():
    """1–6月 by library against the annual plans: 省重大 ahead of time progress, the others about half."""
    expected = {"省重大项目": (0.55, 0.65), "市级重大产业项目": (0.45, 0.55), "市级政府投资项目": (0.45, 0.55)}
    for name, (low, high) in expected.items():
        members = Project.objects.filter(memberships__library__name=name,
                                         memberships__status=MembershipStatus.IN_LIBRARY)
        plan = AnnualPlan.objects.filter(project__in=members, year=2022).aggregate(s=Sum("planned_investment"))["s"]
        june = MonthlyReport.objects.filter(project__in=members, period__month=6)
        ytd = june.aggregate(s=Sum("ytd_investment"))["s"]
        assert low < ytd / plan < high, (name, ytd / plan)
    # A spread: started projects behind time progress (by more than 10 points) and ahead of it.
    plans = dict(AnnualPlan.objects.filter(year=2022).values_list("project", "planned_investment"))
    rates = [ytd / plans[project] for project, ytd in MonthlyReport.objects.filter(
        period__month=6, start_status=StartStatus.STARTED).values_list("project", "ytd_investment")]
    assert sum(rate < Decimal("0.4") for rate in rates) > 0.1 * len(rates)
    assert sum(rate > Decimal("0.6") for rate in rates) > 0.3 * len(rates)


def test_reports_have_problems_and_suspensions_explained():
    assert MonthlyReport.objects.exclude(problems_text="").count() > 100
    suspended = MonthlyReport.objects.filter(construction_status=LifecycleStatus.SUSPENDED)
    assert suspended.exists()
    assert suspended.exclude(status_change_reason="").exists()


def test_the_load_counts_the_reports(loaded):
    event = AuditEvent.objects.get(kind=AuditKind.DEMO_LOAD)
    assert event.detail["counts"]["monthlyreport"] == MonthlyReport.objects.count()
    assert event.detail["counts"]["reportingperiod"] == 9
    assert event.detail["reports"]["accepted"] == MonthlyReport.objects.filter(status=ReportStatus.ACCEPTED).count()
    assert event.detail["report_months"] == reports.REPORT_MONTHS
    assert "monthlyreport" in loaded and "月度报送：已审核" in loaded


@pytest.mark.parametrize("username", accounts.USERNAMES)
def test_the_reporting_pages_render_for_every_demo_account(client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    june = ReportingPeriod.objects.get(month=6)
    for url in (reverse("reporting:monthlyreport_list"), reverse("reporting:reportingperiod_list"),
                reverse("reporting:reportingperiod", args=[june.pk]),
                reverse("reporting:reportingperiod_missing", args=[june.pk]),
                reverse("reporting:reportingperiod_late", args=[june.pk]) + "?by=library"):
        assert client.get(url).status_code == 200, url
    report = MonthlyReport.objects.restrict(user).order_by("pk").first()
    if report is not None:
        assert client.get(report.get_absolute_url()).status_code == 200


def test_xinwu_sees_only_xinwu_reports(client):
    client.force_login(User.objects.get(username="xinwu"))
    june = ReportingPeriod.objects.get(month=6)
    response = client.get(reverse("reporting:monthlyreport_list"), {"period": june.pk})
    shown = response.context["table"].data.data
    in_xinwu = MonthlyReport.objects.filter(period=june, project__region__code="320214")
    assert set(shown.values_list("project__region__code", flat=True)) == {"320214"}
    assert shown.count() == in_xinwu.count() > 50
    outside = MonthlyReport.objects.filter(period=june).exclude(project__region__code="320214").first()
    assert client.get(outside.get_absolute_url()).status_code == 404
    missing = client.get(reverse("reporting:reportingperiod_missing", args=[june.pk]))
    regions = {project.region.code for _label, projects in missing.context["groups"] for project in projects}
    assert regions <= {"320214"}
