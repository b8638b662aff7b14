import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from faims.core.choices import AuditKind, ChangeAction
from faims.core.models import AuditEvent, ChangeLog
from faims.core.testing import make_project
from faims.projects.models import Project
from faims.reporting import services
from faims.reporting.choices import ReportStatus, StartStatus, StatsStatus
from faims.reporting.models import MonthlyReport, ReportAmendment, ReportAttachment, ReportingPeriod
from faims.reporting.testing import GIF, JPEG, PDF, PNG, WEBP, make_period, make_report, new_report

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def users(world):
    return world.users


@pytest.fixture
def xinwu(world):
    return world.projects["xinwu"]


@pytest.fixture
def jiangyin(world):
    return world.projects["jiangyin"]


def messages(exc_info, field=NON_FIELD_ERRORS):
    return exc_info.value.message_dict[field]


def changes_of(obj):
    return ChangeLog.objects.filter(content_type__model=type(obj)._meta.model_name, object_id=obj.pk).order_by("id")


def submitted(project, month=6, **fields):
    return make_report(project, 2022, month, status=ReportStatus.SUBMITTED, **fields)


# Periods ---------------------------------------------------------------------------------------

def test_get_period_creates_with_the_default_deadline(db):
    assert services.get_period(2022, 12, create=False) is None
    period = services.get_period(2022, 12)
    assert period.deadline == dt.date(2023, 1, 20)
    assert services.get_period(2022, 12) == period
    assert services.get_period(2022, 12, create=False) == period
    with pytest.raises(ValidationError):
        services.get_period(2022, 13)


def test_set_deadline_by_the_city_admin_with_a_reason(users):
    period = make_period(2022, 9)
    services.set_deadline(period, dt.date(2022, 10, 24), acting_user=users["admin"], reason="国庆假期顺延")
    period.refresh_from_db()
    assert period.deadline == dt.date(2022, 10, 24)
    assert period.deadline_reason == "国庆假期顺延"
    change = changes_of(period).get()
    assert change.reason == "国庆假期顺延"
    assert change.after["deadline"] == "2022-10-24"


def test_set_deadline_refusals(users):
    period = make_period(2022, 9)
    with pytest.raises(PermissionDenied):
        services.set_deadline(period, dt.date(2022, 10, 24), acting_user=users["xinwu"], reason="假期")
    with pytest.raises(ValidationError) as exc:
        services.set_deadline(period, dt.date(2022, 10, 24), acting_user=users["admin"], reason=" ")
    assert messages(exc, "deadline_reason") == ["请填写截止日期调整原因。"]
    with pytest.raises(ValidationError) as exc:
        services.set_deadline(period, dt.date(2022, 9, 30), acting_user=users["admin"], reason="假期")
    assert "不能早于报送期结束后的第一天（2022-10-01）" in messages(exc, "deadline")[0]
    services.lock_period(period, acting_user=users["admin"])
    with pytest.raises(ValidationError) as exc:
        services.set_deadline(period, dt.date(2022, 10, 24), acting_user=users["admin"], reason="假期")
    assert "已锁定" in messages(exc, "deadline")[0]


def test_lock_period_records_the_event_once(users, xinwu):
    report = submitted(xinwu)
    period = report.period
    with pytest.raises(PermissionDenied):
        services.lock_period(period, acting_user=users["xinwu"])
    services.lock_period(period, acting_user=users["admin"])
    period.refresh_from_db()
    assert period.is_locked and period.locked_by == users["admin"]
    event = AuditEvent.objects.get(kind=AuditKind.LOCK)
    assert event.user == users["admin"]
    assert event.detail["period"] == "2022-06"
    assert event.detail["submitted"] == 1
    with pytest.raises(ValidationError) as exc:
        services.lock_period(period, acting_user=users["admin"])
    assert "已于" in exc.value.messages[0]


# Saving: derivation ----------------------------------------------------------------------------

def test_save_creates_a_draft_with_a_change_log_row(users, xinwu):
    report = new_report(xinwu, ytd_investment=1200, cumulative_investment=3200)
    assert services.save_report(report, acting_user=users["unit"], reason="首次填报") == []
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    change = changes_of(report).get()
    assert change.action == ChangeAction.CREATE
    assert change.reason == "首次填报"
    assert change.user == users["unit"]
    assert change.related_id == xinwu.pk  # shown in the project's history too
    assert change.after["ytd_investment"] == "1200.00"


def test_month_derived_from_ytd_and_the_previous_month(users, xinwu):
    make_report(xinwu, 2022, 5, ytd_investment=1000, cumulative_investment=3000, status=ReportStatus.ACCEPTED)
    report = new_report(xinwu, ytd_investment=1200, cumulative_investment=3200)
    services.save_report(report, acting_user=users["unit"])
    assert report.month_investment == Decimal("200")


def test_ytd_derived_from_month_and_the_previous_month(users, xinwu):
    make_report(xinwu, 2022, 5, ytd_investment=1000, status=ReportStatus.ACCEPTED)
    report = new_report(xinwu, month_investment=250)
    services.save_report(report, acting_user=users["unit"])
    report.refresh_from_db()
    assert report.ytd_investment == Decimal("1250")


def test_month_unknown_without_a_previous_report(users, xinwu):
    """The first report FAIMS holds may be June's."""
    report = new_report(xinwu, ytd_investment=1200)
    services.save_report(report, acting_user=users["unit"])
    report.refresh_from_db()
    assert report.month_investment is None and report.ytd_investment == Decimal("1200")


def test_month_unknown_across_a_gap(users, xinwu):
    """With May missing, June's YTD minus April's would be two months, not June's amount."""
    make_report(xinwu, 2022, 4, ytd_investment=800, status=ReportStatus.ACCEPTED)
    report = new_report(xinwu, ytd_investment=1200)
    services.save_report(report, acting_user=users["unit"])
    assert report.month_investment is None


def test_january_month_equals_ytd_and_the_previous_year_is_ignored(users, xinwu):
    make_report(xinwu, 2021, 12, ytd_investment=9000, cumulative_investment=9000, status=ReportStatus.ACCEPTED)
    report = new_report(xinwu, 2022, 1, ytd_investment=300, cumulative_investment=9300)
    services.save_report(report, acting_user=users["unit"])
    assert report.month_investment == Decimal("300")
    assert services.previous_report(xinwu, report.period) is None


def test_ytd_only_sheets_give_back_the_monthly_amounts(users, xinwu):
    """Filing a progress sheet (YTD only) month after month recovers each month's amount."""
    amounts = [Decimal(a) for a in ("120", "0", "310.5", "95", "400", "88")]
    ytd = Decimal(0)
    for month, amount in enumerate(amounts, start=1):
        ytd += amount
        report = new_report(xinwu, 2022, month, ytd_investment=ytd, cumulative_investment=5000 + ytd)
        services.save_report(report, acting_user=users["unit"])
    stored = MonthlyReport.objects.filter(project=xinwu).order_by("period__month")
    assert [r.month_investment for r in stored] == amounts


def test_rules_compare_with_the_report_of_the_previous_year(users, xinwu):
    make_report(xinwu, 2021, 12, cumulative_investment=9000, construction_status="production",
                status=ReportStatus.ACCEPTED)
    with pytest.raises(ValidationError) as exc:
        services.save_report(new_report(xinwu, 2022, 1, cumulative_investment=8000), acting_user=users["unit"])
    assert messages(exc, "cumulative_investment")[0].startswith("R02 ")
    assert messages(exc, "status_change_reason")[0] == "R09 建设状态由“投产”变为“在建”，请填写状态变化说明。"
    report = new_report(xinwu, 2022, 1, cumulative_investment=9100, status_change_reason="新建二期工程")
    services.save_report(report, acting_user=users["unit"])


def test_previous_report_is_the_latest_of_the_same_year(xinwu):
    make_report(xinwu, 2021, 12)
    april = make_report(xinwu, 2022, 4)
    make_report(xinwu, 2022, 7)
    assert services.previous_report(xinwu, make_period(2022, 6)) == april
    assert services.previous_report(xinwu, make_period(2022, 1)) is None


def test_changing_only_the_ytd_rederives_the_month(users, xinwu):
    make_report(xinwu, 2022, 5, ytd_investment=1000, status=ReportStatus.ACCEPTED)
    report = new_report(xinwu, ytd_investment=1200)
    services.save_report(report, acting_user=users["unit"])
    report.ytd_investment = Decimal("1500")
    services.save_report(report, acting_user=users["unit"])
    report.refresh_from_db()
    assert report.month_investment == Decimal("500")


def test_inconsistent_month_and_ytd_are_refused_and_nothing_is_saved(users, xinwu):
    make_report(xinwu, 2022, 5, ytd_investment=1000, status=ReportStatus.ACCEPTED)
    report = new_report(xinwu, ytd_investment=1200, month_investment=300)
    with pytest.raises(ValidationError) as exc:
        services.save_report(report, acting_user=users["unit"])
    assert messages(exc, "month_investment")[0].startswith("R01 ")
    assert MonthlyReport.objects.count() == 1
    assert report.pk is None


def test_every_error_is_reported_at_once(users, xinwu):
    make_report(xinwu, 2022, 5, ytd_investment=1000, cumulative_investment=9000, status=ReportStatus.ACCEPTED)
    report = new_report(xinwu, ytd_investment=900, cumulative_investment=8000,
                        actual_start_date=dt.date(2022, 8, 1))
    with pytest.raises(ValidationError) as exc:
        services.save_report(report, acting_user=users["unit"])
    found = exc.value.message_dict
    assert found["ytd_investment"][0].startswith("R01 ")
    assert found["cumulative_investment"][0] == (
        "R02 自开工累计完成投资（8,000万元）小于上期（9,000万元，2022年5月），累计数不能减少。")
    assert found["actual_start_date"][0].startswith("R07 ")


def test_field_errors_come_before_the_rules(users, xinwu):
    report = new_report(xinwu, ytd_investment=Decimal("-5"))
    with pytest.raises(ValidationError) as exc:
        services.save_report(report, acting_user=users["unit"])
    assert "ytd_investment" in exc.value.message_dict


def test_warnings_are_returned_not_raised(users, xinwu):
    report = new_report(xinwu, cumulative_investment=60000)
    warnings = services.save_report(report, acting_user=users["unit"])
    assert [w.code for w in warnings] == ["R04"]
    assert report.pk is not None


def test_future_period_is_refused(users, xinwu):
    with time_machine.travel(dt.datetime(2022, 6, 15, 10, tzinfo=SHANGHAI)):
        with pytest.raises(ValidationError) as exc:
            services.save_report(new_report(xinwu, 2022, 7), acting_user=users["unit"])
    assert messages(exc)[0] == "R08 报送期2022年7月尚未开始，不能填报。"


def test_workflow_fields_on_the_instance_are_ignored(users, xinwu):
    report = new_report(xinwu, status=ReportStatus.ACCEPTED,
                        first_submitted_at=dt.datetime(2022, 7, 1, tzinfo=SHANGHAI))
    services.save_report(report, acting_user=users["unit"])
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.first_submitted_at is None


def test_a_second_report_for_the_same_period_is_refused(users, xinwu):
    make_report(xinwu)
    with pytest.raises(ValidationError) as exc:
        services.save_report(new_report(xinwu), acting_user=users["unit"])
    assert "该项目本期已有报送，请修改原报送。" in exc.value.messages


def test_project_and_period_of_a_report_cannot_change(users, xinwu):
    report = make_report(xinwu)
    report.period = make_period(2022, 5)
    with pytest.raises(ValidationError) as exc:
        services.save_report(report, acting_user=users["unit"])
    assert "不能修改" in exc.value.messages[0]


def test_a_report_leaves_the_project_alone_until_accepted(users, xinwu):
    report = new_report(xinwu, ytd_investment=100, stats_status=StatsStatus.ENTERED, stats_date=dt.date(2022, 6, 3))
    services.save_report(report, acting_user=users["unit"])
    services.submit_report(report, acting_user=users["unit"])
    xinwu.refresh_from_db()
    assert xinwu.actual_start_date is None and not xinwu.in_statistics


# Scope -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("user", ["unit", "xinwu", "department", "leader", "supervisor"])
def test_filing_outside_the_scope_is_denied(users, jiangyin, user):
    with pytest.raises(PermissionDenied):
        services.save_report(new_report(jiangyin), acting_user=users[user])
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("user", ["unit", "xinwu", "admin"])
def test_filers_within_scope_may_file(users, xinwu, user):
    services.save_report(new_report(xinwu), acting_user=users[user])


def test_changing_another_units_report_is_denied(users, jiangyin):
    report = make_report(jiangyin)
    report.progress_text = "改动"
    with pytest.raises(PermissionDenied):
        services.save_report(report, acting_user=users["unit"])
    with pytest.raises(PermissionDenied):
        services.submit_report(report, acting_user=users["unit"])


def test_a_region_officer_reviews_only_its_region(users, jiangyin):
    report = submitted(jiangyin)
    with pytest.raises(PermissionDenied):
        services.accept_report(report, acting_user=users["xinwu"])
    with pytest.raises(PermissionDenied):
        services.return_report(report, acting_user=users["xinwu"], reason="核对")
    services.accept_report(report, acting_user=users["jiangyin"])


def test_a_project_unit_cannot_review(users, xinwu):
    report = submitted(xinwu)
    with pytest.raises(PermissionDenied):
        services.accept_report(report, acting_user=users["unit"])
    with pytest.raises(PermissionDenied):
        services.return_report(report, acting_user=users["unit"], reason="自己退回")


# Workflow --------------------------------------------------------------------------------------

def test_the_whole_flow_and_its_change_log(users, xinwu):
    unit, officer = users["unit"], users["xinwu"]
    report = new_report(xinwu, ytd_investment=500, cumulative_investment=2500)
    services.save_report(report, acting_user=unit)
    with time_machine.travel(dt.datetime(2022, 7, 15, 9, tzinfo=SHANGHAI)):
        services.submit_report(report, acting_user=unit)
    first = report.first_submitted_at
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == unit
    services.return_report(report, acting_user=officer, reason="累计数与台账不符")
    assert report.status == ReportStatus.RETURNED and report.return_reason == "累计数与台账不符"
    report.cumulative_investment = Decimal("2600")
    services.save_report(report, acting_user=unit, reason="按台账更正")
    with time_machine.travel(dt.datetime(2022, 7, 25, 9, tzinfo=SHANGHAI)):
        services.submit_report(report, acting_user=unit)
    assert report.first_submitted_at == first
    assert report.submitted_at > first
    assert report.return_reason == ""
    services.accept_report(report, acting_user=officer)
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == officer
    log = list(changes_of(report))
    assert [c.action for c in log] == [ChangeAction.CREATE] + [ChangeAction.UPDATE] * 5
    assert [c.reason for c in log] == ["", "报送", "累计数与台账不符", "按台账更正", "报送", "审核通过"]
    assert [c.after["status"] for c in log] == ["draft", "submitted", "returned", "returned", "submitted", "accepted"]
    assert log[3].before["cumulative_investment"] == "2500.00" and log[3].after["cumulative_investment"] == "2600.00"


def test_submit_needs_a_note_when_there_are_warnings(users, xinwu):
    report = new_report(xinwu, cumulative_investment=60000)
    services.save_report(report, acting_user=users["unit"])
    with pytest.raises(ValidationError) as exc:
        services.submit_report(report, acting_user=users["unit"], warning_note="  ")
    message = messages(exc, "warning_note")[0]
    assert message.startswith("本报送有以下预警，请填写说明后再报送：R04 ")
    assert MonthlyReport.objects.get().status == ReportStatus.DRAFT
    services.submit_report(report, acting_user=users["unit"], warning_note="总投资已调增，待批复")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.warning_note == "总投资已调增，待批复"


def test_submit_is_blocked_by_errors(users, xinwu):
    make_report(xinwu, 2022, 5, cumulative_investment=9000, status=ReportStatus.ACCEPTED)
    report = make_report(xinwu, 2022, 6, cumulative_investment=8000)  # stored without the rules
    with pytest.raises(ValidationError) as exc:
        services.submit_report(report, acting_user=users["unit"])
    assert messages(exc, "cumulative_investment")[0].startswith("R02 ")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_submit_acts_on_the_stored_report(users, xinwu):
    report = make_report(xinwu, progress_text="主体结构施工")
    report.progress_text = "未保存的改动"
    services.submit_report(report, acting_user=users["unit"])
    assert report.progress_text == "主体结构施工"


@pytest.mark.parametrize(("status", "step", "expected"), [
    (ReportStatus.SUBMITTED, "submit", "当前状态“已报送”，可进行的操作：保存、退回、审核通过"),
    (ReportStatus.ACCEPTED, "submit", "当前状态“已审核”，可进行的操作：保存"),
    (ReportStatus.DRAFT, "accept", "当前状态“草稿”，可进行的操作：保存、报送"),
    (ReportStatus.RETURNED, "accept", "当前状态“已退回”，可进行的操作：保存、报送"),
    (ReportStatus.ACCEPTED, "accept", "当前状态“已审核”，可进行的操作：保存"),
    (ReportStatus.DRAFT, "return", "当前状态“草稿”，可进行的操作：保存、报送"),
    (ReportStatus.ACCEPTED, "return", "当前状态“已审核”，可进行的操作：保存"),
])
def test_steps_outside_the_flow_name_the_allowed_steps(users, xinwu, status, step, expected):
    report = make_report(xinwu, status=status)
    action = {
        "submit": lambda: services.submit_report(report, acting_user=users["admin"]),
        "accept": lambda: services.accept_report(report, acting_user=users["admin"]),
        "return": lambda: services.return_report(report, acting_user=users["admin"], reason="核对"),
    }[step]
    with pytest.raises(ValidationError) as exc:
        action()
    assert messages(exc) == [expected]
    assert MonthlyReport.objects.get().status == status


def test_allowed_steps_depend_on_the_role(users, xinwu):
    report = make_report(xinwu, status=ReportStatus.SUBMITTED)
    assert services.allowed_actions(report, users["unit"]) == []
    assert services.allowed_actions(report, users["xinwu"]) == ["return", "accept"]
    assert services.allowed_actions(report, users["admin"]) == ["save", "return", "accept"]
    with pytest.raises(ValidationError) as exc:
        services.save_report(report, acting_user=users["unit"])
    assert messages(exc) == ["当前状态“已报送”，可进行的操作：无"]


def test_return_needs_a_reason(users, xinwu):
    report = submitted(xinwu)
    with pytest.raises(ValidationError) as exc:
        services.return_report(report, acting_user=users["xinwu"], reason=" ")
    assert messages(exc, "return_reason") == ["退回须填写原因。"]


def test_the_city_admin_may_correct_a_submitted_or_accepted_report(users, xinwu):
    report = make_report(xinwu, status=ReportStatus.ACCEPTED, progress_text="旧")
    report.progress_text = "新"
    services.save_report(report, acting_user=users["admin"], reason="市重大办核实")
    report.refresh_from_db()
    assert report.progress_text == "新" and report.status == ReportStatus.ACCEPTED


def test_accept_is_blocked_when_the_report_now_has_an_error(users, xinwu):
    report = submitted(xinwu, cumulative_investment=8000)
    make_report(xinwu, 2022, 5, cumulative_investment=9000, status=ReportStatus.ACCEPTED)
    with pytest.raises(ValidationError) as exc:
        services.accept_report(report, acting_user=users["xinwu"])
    assert messages(exc, "cumulative_investment")[0].startswith("R02 ")


# Accepting updates the project -----------------------------------------------------------------

def test_accepting_sets_the_projects_start_and_statistics(users, xinwu):
    report = submitted(xinwu, actual_start_date=dt.date(2022, 3, 8), stats_status=StatsStatus.ENTERED,
                       stats_date=dt.date(2022, 5, 10))
    services.accept_report(report, acting_user=users["xinwu"])
    xinwu.refresh_from_db()
    assert xinwu.actual_start_date == dt.date(2022, 3, 8)
    assert xinwu.in_statistics and xinwu.statistics_date == dt.date(2022, 5, 10)
    change = changes_of(xinwu).get()
    assert change.reason == "月度报送 2022-06"
    assert change.user == users["xinwu"]  # a region officer, who cannot edit projects directly
    assert change.after["actual_start_date"] == "2022-03-08"


def test_accepting_never_overwrites_what_the_project_knows(users, xinwu):
    Project.objects.filter(pk=xinwu.pk).update(actual_start_date=dt.date(2022, 2, 1), in_statistics=True,
                                               statistics_date=dt.date(2022, 4, 1))
    report = submitted(xinwu, actual_start_date=dt.date(2022, 3, 8), stats_status=StatsStatus.ENTERED,
                       stats_date=dt.date(2022, 5, 10))
    services.accept_report(report, acting_user=users["xinwu"])
    xinwu.refresh_from_db()
    assert xinwu.actual_start_date == dt.date(2022, 2, 1) and xinwu.statistics_date == dt.date(2022, 4, 1)
    assert not changes_of(xinwu).exists()


def test_accepting_an_unstarted_report_changes_nothing(users, xinwu):
    report = submitted(xinwu, start_status=StartStatus.NOT_STARTED, actual_start_date=None,
                       stats_status=StatsStatus.APPLIED)
    services.accept_report(report, acting_user=users["xinwu"])
    xinwu.refresh_from_db()
    assert xinwu.actual_start_date is None and not xinwu.in_statistics


# Lock and amendments ---------------------------------------------------------------------------

def test_nothing_changes_in_a_locked_period_but_amendments(users, xinwu, jiangyin):
    draft = make_report(xinwu, progress_text="旧")
    filed = submitted(jiangyin)
    services.lock_period(draft.period, acting_user=users["admin"])
    draft.progress_text = "新"
    with pytest.raises(ValidationError) as exc:
        services.save_report(draft, acting_user=users["admin"])
    assert exc.value.messages == ["2022年6月已锁定，不能再修改报送；如需修改请提交更正并说明原因。"]
    with pytest.raises(ValidationError) as exc:
        services.submit_report(draft, acting_user=users["unit"])
    assert messages(exc) == ["当前状态“草稿”，可进行的操作：更正（本期已锁定）"]
    with pytest.raises(ValidationError) as exc:
        services.accept_report(filed, acting_user=users["jiangyin"])
    assert messages(exc) == ["当前状态“已报送”，可进行的操作：更正（本期已锁定）"]
    with pytest.raises(ValidationError) as exc:
        services.return_report(filed, acting_user=users["admin"], reason="核对")
    assert messages(exc) == ["当前状态“已报送”，可进行的操作：更正（本期已锁定）"]
    another = make_project(xinwu.region, unit=xinwu.unit)
    with pytest.raises(ValidationError):
        services.save_report(new_report(another), acting_user=users["admin"])
    assert MonthlyReport.objects.get(pk=draft.pk).progress_text == "旧"
    assert MonthlyReport.objects.get(pk=filed.pk).status == ReportStatus.SUBMITTED


def test_amendment_keeps_the_original_and_logs_the_change(users, xinwu):
    make_report(xinwu, 2022, 5, ytd_investment=1000, cumulative_investment=3000, status=ReportStatus.ACCEPTED)
    report = make_report(xinwu, 2022, 6, month_investment=200, ytd_investment=1200, cumulative_investment=3200,
                         status=ReportStatus.ACCEPTED)
    services.lock_period(report.period, acting_user=users["admin"])
    amendment = services.amend_report(report, acting_user=users["unit"], reason="统计局反馈更正",
                                      changes={"ytd_investment": Decimal("1300"), "cumulative_investment": 3300})
    assert amendment.before == {"month_investment": "200.00", "ytd_investment": "1200.00",
                                "cumulative_investment": "3200.00"}
    assert amendment.after == {"month_investment": "300.00", "ytd_investment": "1300.00",
                               "cumulative_investment": "3300.00"}
    assert amendment.user == users["unit"] and amendment.reason == "统计局反馈更正"
    report.refresh_from_db()
    assert report.ytd_investment == Decimal("1300") and report.status == ReportStatus.ACCEPTED
    change = changes_of(report).get()
    assert change.reason == "更正：统计局反馈更正"
    assert change.before["ytd_investment"] == "1200.00" and change.after["ytd_investment"] == "1300.00"
    assert ReportAmendment.objects.restrict(users["xinwu"]).get() == amendment
    assert not ReportAmendment.objects.restrict(users["jiangyin"]).exists()


def test_amendment_refusals(users, xinwu):
    report = make_report(xinwu, ytd_investment=1200, cumulative_investment=3200, status=ReportStatus.ACCEPTED)
    with pytest.raises(ValidationError) as exc:
        services.amend_report(report, acting_user=users["unit"], reason="更正", changes={"ytd_investment": 1})
    assert "尚未锁定，请直接修改报送" in messages(exc)[0]
    services.lock_period(report.period, acting_user=users["admin"])
    with pytest.raises(ValidationError) as exc:
        services.amend_report(report, acting_user=users["unit"], reason="", changes={"ytd_investment": 1})
    assert messages(exc, "reason") == ["更正须填写原因。"]
    with pytest.raises(ValidationError) as exc:
        services.amend_report(report, acting_user=users["unit"], reason="更正", changes={"status": "draft"})
    assert messages(exc) == ["以下内容不能通过更正修改：status"]
    with pytest.raises(ValidationError) as exc:
        services.amend_report(report, acting_user=users["unit"], reason="更正", changes={"ytd_investment": 1200})
    assert "没有需要更正的内容" in messages(exc)[0]
    with pytest.raises(ValidationError) as exc:
        services.amend_report(report, acting_user=users["unit"], reason="更正",
                              changes={"cumulative_investment": 80000})
    assert messages(exc, "cumulative_investment")[0].startswith("R05 ")
    with pytest.raises(PermissionDenied):
        services.amend_report(report, acting_user=users["jiangyin"], reason="更正", changes={"ytd_investment": 1})
    with pytest.raises(PermissionDenied):
        services.amend_report(report, acting_user=users["supervisor"], reason="更正", changes={"ytd_investment": 1})
    report.refresh_from_db()
    assert report.ytd_investment == Decimal("1200") and report.cumulative_investment == Decimal("3200")
    assert not ReportAmendment.objects.exists()


def test_amending_an_accepted_report_fills_in_the_project(users, xinwu):
    report = make_report(xinwu, start_status=StartStatus.NOT_STARTED, actual_start_date=None,
                         status=ReportStatus.ACCEPTED)
    services.lock_period(report.period, acting_user=users["admin"])
    services.amend_report(report, acting_user=users["xinwu"], reason="漏报开工",
                          changes={"start_status": StartStatus.STARTED, "actual_start_date": dt.date(2022, 6, 6)})
    xinwu.refresh_from_db()
    assert xinwu.actual_start_date == dt.date(2022, 6, 6)


# Attachments -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "expected"), [
    ("现场.jpg", JPEG, "image/jpeg"), ("现场.PNG", PNG, "image/png"), ("动图.gif", GIF, "image/gif"),
    ("照片.webp", WEBP, "image/webp"), ("批复.pdf", PDF, "application/pdf"),
    ("照片.jpg", PNG, "image/png"),  # the content decides the type, not the browser or the name
])
def test_attachments_of_every_accepted_type(users, xinwu, name, content, expected):
    report = make_report(xinwu)
    attachment = services.add_attachment(report, acting_user=users["unit"], name=f"C:\\照片\\{name}",
                                         content_type="application/octet-stream", content=content)
    assert attachment.name == name and attachment.content_type == expected and attachment.size == len(content)
    assert bytes(ReportAttachment.objects.get().content) == content
    change = changes_of(attachment).get()
    assert change.action == ChangeAction.CREATE and "content" not in change.after


@pytest.mark.parametrize(("name", "content"), [
    ("病毒.png", b"MZ\x90\x00" + b"\x00" * 40),  # an executable named like a picture
    ("报告.exe", PDF),  # a PDF under a name that is not accepted
    ("表格.xlsx", b"PK\x03\x04" + b"\x00" * 40),
    ("空.png", b""),
])
def test_attachments_of_a_bad_type_are_refused(users, xinwu, name, content):
    report = make_report(xinwu)
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(report, acting_user=users["unit"], name=name, content_type="image/png",
                                content=content)
    assert name in messages(exc, "content")[0]
    assert not ReportAttachment.objects.exists()


def test_attachments_over_the_size_limit_are_refused(users, xinwu, settings):
    settings.FAIMS_MAX_UPLOAD_MB = 1
    report = make_report(xinwu)
    services.add_attachment(report, acting_user=users["unit"], name="a.pdf", content_type="application/pdf",
                            content=PDF + b"\x00" * (1024 * 1024 - len(PDF)))
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(report, acting_user=users["unit"], name="b.pdf", content_type="application/pdf",
                                content=PDF + b"\x00" * (1024 * 1024))
    assert "超过 1 MB 的上限" in messages(exc, "content")[0]
    assert ReportAttachment.objects.count() == 1


def test_attachments_scope_and_state(users, xinwu, jiangyin):
    with pytest.raises(PermissionDenied):
        services.add_attachment(make_report(jiangyin), acting_user=users["unit"], name="a.png",
                                content_type="image/png", content=PNG)
    report = submitted(xinwu)
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(report, acting_user=users["unit"], name="a.png", content_type="image/png",
                                content=PNG)
    assert messages(exc) == ["当前状态“已报送”，可进行的操作：无"]
    attachment = services.add_attachment(report, acting_user=users["admin"], name="a.png",
                                         content_type="image/png", content=PNG)
    services.lock_period(report.period, acting_user=users["admin"])
    with pytest.raises(ValidationError):
        services.delete_attachment(attachment, acting_user=users["admin"])


def test_delete_attachment_logs_and_respects_scope(users, xinwu):
    report = make_report(xinwu)
    attachment = services.add_attachment(report, acting_user=users["unit"], name="a.png",
                                         content_type="image/png", content=PNG)
    with pytest.raises(PermissionDenied):
        services.delete_attachment(attachment, acting_user=users["jiangyin"])
    services.delete_attachment(attachment, acting_user=users["unit"])
    assert not ReportAttachment.objects.exists()
    assert [c.action for c in changes_of(attachment)] == [ChangeAction.CREATE, ChangeAction.DELETE]


def test_period_lookup_is_shared(db):
    """Imports and pages ask for the same period object."""
    assert services.get_period(2022, 6) == make_period(2022, 6)
    assert ReportingPeriod.objects.count() == 1
