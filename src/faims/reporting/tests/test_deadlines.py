import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from faims.core.testing import make_project
from faims.projects.choices import LibraryLevel, LifecycleStatus, MembershipStatus, StartKind
from faims.projects.models import AnnualPlan, Library, Membership, Project
from faims.reporting import deadlines, services
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_period, make_report, new_report

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def period(db):
    return make_period(2022, 6)  # deadline 2022-07-20


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_due_projects_have_a_plan_for_the_year_and_are_not_withdrawn(world, period):
    without_plan = make_project(world.xinwu, name="无年度计划项目")
    withdrawn = make_project(world.xinwu, name="已退库项目", status=LifecycleStatus.WITHDRAWN)
    AnnualPlan.objects.create(project=withdrawn, year=2022, planned_investment=Decimal(1), start_kind=StartKind.NEW)
    other_year = make_project(world.xinwu, name="2023年项目")
    AnnualPlan.objects.create(project=other_year, year=2023, planned_investment=Decimal(1), start_kind=StartKind.NEW)
    assert names(deadlines.due_projects(period)) == ["新吴区集成电路项目", "江阴市港口项目"]
    assert without_plan.name not in names(deadlines.missing(period, Project.objects.all()))


def test_missing_counts_drafts_but_not_returned_reports(world, period):
    xinwu, jiangyin = world.projects["xinwu"], world.projects["jiangyin"]
    make_report(xinwu, status=ReportStatus.DRAFT)
    assert names(deadlines.missing(period, Project.objects.all())) == ["新吴区集成电路项目", "江阴市港口项目"]
    make_report(jiangyin, status=ReportStatus.RETURNED, filed_at=at(2022, 7, 10))
    assert names(deadlines.missing(period, Project.objects.all())) == ["新吴区集成电路项目"]


def test_missing_respects_the_scope_passed_in(world, period):
    scoped = Project.objects.restrict(world.users["unit"])
    assert names(deadlines.missing(period, scoped)) == ["新吴区集成电路项目"]
    # A queryset whose joins repeat projects still yields each once.
    joined = Project.objects.filter(memberships__library__isnull=False, departments__isnull=False)
    assert deadlines.missing(period, joined).count() == 2


def test_late_before_and_after_the_deadline(world, period):
    xinwu, jiangyin = world.projects["xinwu"], world.projects["jiangyin"]
    make_report(xinwu, status=ReportStatus.SUBMITTED, filed_at=at(2022, 7, 20, 23, 30))
    projects = Project.objects.all()
    with time_machine.travel(at(2022, 7, 20, 23, 59)):
        assert names(deadlines.late(period, projects)) == []
    with time_machine.travel(at(2022, 7, 21, 0, 0, 1)):
        assert names(deadlines.late(period, projects)) == ["江阴市港口项目"]  # still missing
    make_report(jiangyin, status=ReportStatus.SUBMITTED, filed_at=at(2022, 7, 21, 0, 0, 1))
    with time_machine.travel(at(2022, 8, 1)):
        assert names(deadlines.late(period, projects)) == ["江阴市港口项目"]  # filed late
        assert names(deadlines.missing(period, projects)) == []


def test_returned_and_resubmitted_later_stays_on_time(world, period):
    unit, officer = world.users["unit"], world.users["xinwu"]
    report = new_report(world.projects["xinwu"], ytd_investment=100, cumulative_investment=900)
    services.save_report(report, acting_user=unit)
    with time_machine.travel(at(2022, 7, 18, 10)):
        services.submit_report(report, acting_user=unit)
        services.return_report(report, acting_user=officer, reason="补充形象进度")
    with time_machine.travel(at(2022, 7, 28, 10)):
        services.submit_report(report, acting_user=unit)
        rows = deadlines.on_time_rate(period, Project.objects.restrict(officer))
        assert names(deadlines.late(period, Project.objects.restrict(officer))) == []
    assert [(r.label, r.due, r.on_time, r.late, r.missing, r.rate) for r in rows] == [
        ("新吴区", 1, 1, 0, 0, Decimal(1))]


def test_a_moved_deadline_counts(world, period):
    services.set_deadline(period, dt.date(2022, 7, 25), acting_user=world.users["admin"], reason="端午节顺延")
    make_report(world.projects["xinwu"], status=ReportStatus.SUBMITTED, filed_at=at(2022, 7, 22, 9))
    with time_machine.travel(at(2022, 7, 23)):
        assert names(deadlines.late(period, Project.objects.all())) == []
    with time_machine.travel(at(2022, 7, 26)):
        assert names(deadlines.late(period, Project.objects.all())) == ["江阴市港口项目"]


def test_on_time_rate_by_region(world, period):
    make_report(world.projects["xinwu"], status=ReportStatus.ACCEPTED, filed_at=at(2022, 7, 15))
    extra = make_project(world.jiangyin, name="江阴市第二项目")
    AnnualPlan.objects.create(project=extra, year=2022, planned_investment=Decimal(1), start_kind=StartKind.NEW)
    make_report(extra, status=ReportStatus.SUBMITTED, filed_at=at(2022, 7, 22))
    with time_machine.travel(at(2022, 8, 1)):
        rows = deadlines.on_time_rate(period, Project.objects.all(), by="region")
    assert [(r.key, r.label, r.due, r.on_time, r.late, r.missing) for r in rows] == [
        (world.xinwu.pk, "新吴区", 1, 1, 0, 0),
        (world.jiangyin.pk, "江阴市", 2, 0, 2, 1),
    ]
    by_label = {r.label: r for r in rows}
    assert by_label["新吴区"].rate == Decimal(1)
    assert by_label["江阴市"].rate == Decimal(0)
    assert by_label["江阴市"]["late"] == 2 and by_label["江阴市"]["name"] == "江阴市"  # rows read both ways


def test_before_the_deadline_unfiled_reports_are_missing_not_late(world, period):
    with time_machine.travel(at(2022, 7, 10)):
        rows = deadlines.on_time_rate(period, Project.objects.all(), by="region")
    assert sum(r.missing for r in rows) == 2 and sum(r.late for r in rows) == 0
    assert all(r.rate == 0 for r in rows)


def test_on_time_rate_by_unit_and_library(world, period):
    no_unit = make_project(world.xinwu, name="无单位项目")
    AnnualPlan.objects.create(project=no_unit, year=2022, planned_investment=Decimal(1), start_kind=StartKind.NEW)
    second = Library.objects.create(name="省重大项目", level=LibraryLevel.PROVINCIAL, year=2022)
    Membership.objects.create(project=world.projects["xinwu"], library=second)
    Membership.objects.create(project=world.projects["jiangyin"], library=second, status=MembershipStatus.WITHDRAWN,
                              reason="调整")
    make_report(world.projects["xinwu"], status=ReportStatus.SUBMITTED, filed_at=at(2022, 7, 1))
    with time_machine.travel(at(2022, 8, 1)):
        by_unit = deadlines.on_time_rate(period, Project.objects.all(), by="unit")
        by_library = deadlines.on_time_rate(period, Project.objects.all(), by="library")
    assert [(r.label, r.due, r.on_time) for r in by_unit] == [
        ("无锡测试建设有限公司", 1, 1), ("江阴测试建设有限公司", 1, 0), ("未填写项目单位", 1, 0)]
    assert [(r.label, r.due, r.on_time, r.late) for r in by_library] == [
        ("2022年市级重大产业项目", 2, 1, 1), ("2022年省重大项目", 1, 1, 0), ("未入库", 1, 0, 1)]


def test_nothing_due_gives_no_rate(world):
    period = make_period(2023, 3)
    assert deadlines.on_time_rate(period, Project.objects.all()) == []
    assert deadlines.RateRow(None, "空", 0, 0, 0, 0).rate is None
    with pytest.raises(ValueError):
        deadlines.on_time_rate(period, Project.objects.all(), by="leader")


def test_a_project_reports_from_the_month_it_entered_a_library(world):
    import datetime as dt

    from faims.projects.models import Membership
    from faims.reporting import deadlines
    from faims.reporting.testing import make_period

    project = world.projects["xinwu"]
    Membership.objects.filter(project=project).update(admitted_date=dt.date(2022, 5, 10))
    assert project not in deadlines.due_projects(make_period(2022, 4))
    assert project in deadlines.due_projects(make_period(2022, 5))
    assert world.projects["jiangyin"] in deadlines.due_projects(make_period(2022, 4))  # no admission date
