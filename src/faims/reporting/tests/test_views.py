"""The reporting pages as each role sees them: scope, workflow buttons, the web form and its live check.

`client_for(role)` signs the one test client in again, so a test that switches roles calls it each time.
"""
import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent, ChangeLog
from faims.core.testing import VISIBLE_PROJECTS, make_project
from faims.projects.choices import LifecycleStatus
from faims.reporting import services
from faims.reporting.choices import ReportStatus, StartStatus, StatsStatus
from faims.reporting.models import MonthlyReport, ReportAmendment, ReportAttachment, ReportingPeriod
from faims.reporting.testing import PDF, PNG, START_DATE, make_period, make_report

pytestmark = pytest.mark.django_db

ROLES = sorted(VISIBLE_PROJECTS)
FILERS = {"admin", "xinwu", "jiangyin", "unit"}
LIST = reverse("reporting:monthlyreport_list")
ADD = reverse("reporting:monthlyreport_add")
CHECK = reverse("reporting:monthlyreport_check")


@pytest.fixture
def june(world):
    """2022-06 with a submitted report of each project (the xinwu one by the unit)."""
    period = make_period(2022, 6)
    reports = {
        key: make_report(project, 2022, 6, status=ReportStatus.SUBMITTED, user=world.users["admin"],
                         month_investment=200, ytd_investment=1200, cumulative_investment=3000)
        for key, project in world.projects.items()
    }
    return period, reports


def page(client, url, **params):
    response = client.get(url, params)
    return response, response.content.decode()


def report_post(world, **changes):
    """The web form as the browser sends it for the xinwu project's June report."""
    data = {
        "project": world.projects["xinwu"].pk, "period": "2022-06", "basis": "ytd",
        "month_investment": "", "ytd_investment": "1200", "cumulative_investment": "3000",
        "start_status": StartStatus.STARTED, "actual_start_date": START_DATE.isoformat(),
        "stats_status": StatsStatus.NOT_APPLIED, "stats_date": "", "construction_status": LifecycleStatus.CONSTRUCTION,
        "progress_text": "主体结构施工", "production_status": "none", "capacity_reached": "", "problems_text": "",
        "status_change_reason": "", "warning_note": "", "change_reason": "", "action": "save",
    }
    data.update(changes)
    return data


# Menu, rules, periods ------------------------------------------------------------------------------

def test_menu_has_the_reporting_group_by_role(client_for, world):
    _response, unit = page(client_for("unit"), reverse("core:home"))
    assert "月度报送" in unit and reverse("reporting:my_due") in unit and ADD in unit
    _response, leader = page(client_for("leader"), reverse("core:home"))
    assert LIST in leader and reverse("reporting:rules") in leader
    assert reverse("reporting:my_due") not in leader and ADD not in leader


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_user_reads_the_rules(client_for, world, role):
    response, text = page(client_for(role), reverse("reporting:rules"))
    assert response.status_code == 200
    assert all(code in text for code in ("R01", "R05", "R09"))
    assert "错误" in text and "预警" in text


def test_the_rules_page_needs_signing_in(client, world):
    assert client.get(reverse("reporting:rules")).status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_period_pages_count_within_the_scope(client_for, world, june, role):
    period, _reports = june
    client = client_for(role)
    response = client.get(reverse("reporting:reportingperiod_list"))
    assert response.status_code == 200
    row = response.context["table"].page.object_list[0].record
    assert row.submitted_count == len(VISIBLE_PROJECTS[role])
    response, text = page(client, period.get_absolute_url())
    assert response.status_code == 200
    assert dict((v, n) for _l, v, n in response.context["status_counts"])["submitted"] == len(VISIBLE_PROJECTS[role])
    assert ("锁定本期" in text) == (role == "admin")
    assert ("调整截止日期" in text) == (role == "admin")


def test_missing_and_late_pages_group_and_rate_within_the_scope(client_for, world):
    period = make_period(2022, 6)
    make_report(world.projects["xinwu"], 2022, 6, status=ReportStatus.SUBMITTED,
                filed_at=dt.datetime(2022, 7, 25, 9, tzinfo=dt.UTC), month_investment=100, ytd_investment=100,
                cumulative_investment=100)
    admin = client_for("admin")
    response, text = page(admin, reverse("reporting:reportingperiod_missing", args=[period.pk]))
    assert response.status_code == 200
    assert "江阴市港口项目" in text and "新吴区集成电路项目" not in text
    rates = {row.label: row for row in response.context["rate_rows"]}
    assert rates["新吴区"].late == 1 and rates["新吴区"].rate == 0
    assert rates["江阴市"].missing == 1
    response, text = page(admin, reverse("reporting:reportingperiod_late", args=[period.pk]), by="unit")
    assert "江阴市港口项目" in text and "新吴区集成电路项目" in text
    assert [label for label, _projects in response.context["groups"]] == sorted(
        ["江阴测试建设有限公司", "无锡测试建设有限公司"])
    response, text = page(admin, reverse("reporting:reportingperiod_late", args=[period.pk]), by="library")
    assert [label for label, _projects in response.context["groups"]] == ["2022年市级重大产业项目"]

    response, text = page(client_for("xinwu"), reverse("reporting:reportingperiod_late", args=[period.pk]))
    assert "新吴区集成电路项目" in text and "江阴市港口项目" not in text
    assert [row.label for row in response.context["rate_rows"]] == ["新吴区"]


def test_city_admin_moves_the_deadline_with_a_reason(client_for, world):
    period = make_period(2022, 9)
    url = reverse("reporting:reportingperiod_deadline", args=[period.pk])
    admin = client_for("admin")
    response = admin.post(url, {"deadline": "2022-10-24", "reason": ""})
    assert response.status_code == 200 and "调整原因" in response.content.decode()
    response = admin.post(url, {"deadline": "2022-10-24", "reason": "国庆假期顺延"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.deadline == dt.date(2022, 10, 24) and period.deadline_reason == "国庆假期顺延"
    assert "国庆假期顺延" in admin.get(period.get_absolute_url()).content.decode()
    assert client_for("xinwu").post(url, {"deadline": "2022-10-30", "reason": "x"}).status_code == 404


def test_only_the_city_admin_opens_and_locks_a_period(client_for, world, june):
    period, _reports = june
    url = reverse("reporting:reportingperiod_lock", args=[period.pk])
    for role in ("xinwu", "unit", "supervisor"):
        assert client_for(role).get(url).status_code == 404
        assert client_for(role).post(url).status_code == 404
    add = reverse("reporting:reportingperiod_add")
    assert client_for("unit").post(add, {"year": 2022, "month": 8}).status_code == 403
    admin = client_for("admin")
    response, text = page(admin, url)
    assert response.status_code == 200 and "确认锁定" in text
    assert admin.post(url).status_code == 302
    period.refresh_from_db()
    assert period.is_locked
    assert AuditEvent.objects.filter(kind=AuditKind.LOCK).exists()
    assert "锁定本期" not in admin.get(period.get_absolute_url()).content.decode()
    response = admin.post(add, {"year": 2022, "month": 8})
    assert response.status_code == 302 and ReportingPeriod.objects.filter(year=2022, month=8).exists()


# Lists and export ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_report_list_and_export_hold_exactly_the_scope(client_for, world, june, role):
    client = client_for(role)
    response = client.get(LIST)
    assert response.status_code == 200
    names = {row.record.project.name for row in response.context["table"].page.object_list}
    assert names == {world.projects[key].name for key in VISIBLE_PROJECTS[role]}
    export = client.get(LIST, {"export": "xlsx"})
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True).active
    rows = list(sheet.values)
    assert len(rows) - 1 == len(VISIBLE_PROJECTS[role])
    assert "本年累计完成投资（万元）" in rows[0]
    assert 1200 in rows[1]


def test_report_list_filters(admin_client, world, june):
    period, reports = june
    make_report(world.projects["xinwu"], 2022, 7, month_investment=100, ytd_investment=1300,
                cumulative_investment=3100)

    def names(**params):
        return sorted(r.record.project.name + r.record.period.label
                      for r in admin_client.get(LIST, params).context["table"].page.object_list)

    assert names(period=period.pk) == ["新吴区集成电路项目2022-06", "江阴市港口项目2022-06"]
    assert names(status="draft") == ["新吴区集成电路项目2022-07"]
    assert names(region=world.jiangyin.pk) == ["江阴市港口项目2022-06"]
    assert names(unit=world.unit.pk, period=period.pk) == ["新吴区集成电路项目2022-06"]
    assert names(library=world.library.pk, status="submitted") == ["新吴区集成电路项目2022-06", "江阴市港口项目2022-06"]
    assert names(q="港口") == ["江阴市港口项目2022-06"]


def test_the_unit_filter_offers_only_units_in_scope(client_for, world):
    form = client_for("xinwu").get(LIST).context["filterset"].form
    assert [str(o) for o in form.fields["unit"].queryset] == ["无锡测试建设有限公司"]


# The report page and its workflow ------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_report_pages_answer_404_outside_the_scope(client_for, world, june, role):
    _period, reports = june
    client = client_for(role)
    for key, report in reports.items():
        expected = 200 if key in VISIBLE_PROJECTS[role] else 404
        assert client.get(report.get_absolute_url()).status_code == expected, key


def test_report_page_shows_figures_in_wan_and_yi_and_history(client_for, world, june):
    _period, reports = june
    response, text = page(client_for("xinwu"), reports["xinwu"].get_absolute_url())
    assert "1,200" in text and "0.1" in text and "3,000" in text
    assert "2022年计划投资" in text and "12.0%" in text  # 1,200 of the 10,000 planned
    assert 'data-testid="history"' in text


def test_project_unit_cannot_review(client_for, world, june):
    _period, reports = june
    report = reports["xinwu"]
    unit = client_for("unit")
    text = unit.get(report.get_absolute_url()).content.decode()
    assert "审核通过" not in text and "action-return" not in text
    assert unit.post(reverse("reporting:monthlyreport_accept", args=[report.pk])).status_code == 404
    assert unit.post(reverse("reporting:monthlyreport_return", args=[report.pk]), {"reason": "x"}).status_code == 404
    assert unit.get(reverse("reporting:monthlyreport_return", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_officer_of_another_region_cannot_review(client_for, world, june):
    _period, reports = june
    client = client_for("jiangyin")
    assert client.post(reverse("reporting:monthlyreport_accept", args=[reports["xinwu"].pk])).status_code == 404
    reports["xinwu"].refresh_from_db()
    assert reports["xinwu"].status == ReportStatus.SUBMITTED


def test_region_officer_returns_with_a_reason_then_accepts(client_for, world, june):
    _period, reports = june
    report = reports["xinwu"]
    officer = client_for("xinwu")
    text = officer.get(report.get_absolute_url()).content.decode()
    assert "审核通过" in text and "退回" in text
    url = reverse("reporting:monthlyreport_return", args=[report.pk])
    response = officer.post(url, {"reason": ""})
    assert response.status_code == 200 and "退回原因" in response.content.decode()
    assert officer.post(url, {"reason": "累计投资与统计局数据不一致"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "累计投资与统计局数据不一致"
    # A returned report cannot be accepted: the service names the steps that are possible.
    officer.post(reverse("reporting:monthlyreport_accept", args=[report.pk]))
    text = officer.get(report.get_absolute_url()).content.decode()
    assert "可进行的操作" in text
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_report_page_buttons_by_role_and_state(client_for, world):
    report = make_report(world.projects["xinwu"], 2022, 6, month_investment=100, ytd_investment=100,
                         cumulative_investment=100)

    def buttons(role):
        text = client_for(role).get(report.get_absolute_url()).content.decode()
        return set(re.findall(r'data-testid="action-(\w+)"', text))

    assert buttons("unit") == {"edit", "submit", "attach"}
    assert buttons("leader") == set()
    report.status = ReportStatus.SUBMITTED
    report.save()
    assert buttons("unit") == set()
    assert buttons("xinwu") == {"accept", "return"}
    assert buttons("admin") == {"edit", "accept", "return", "attach"}
    report.period.locked_at = dt.datetime(2022, 8, 1, tzinfo=dt.UTC)
    report.period.save()
    assert buttons("unit") == {"amend"}
    assert buttons("leader") == set()


def test_submit_with_a_warning_needs_a_note(client_for, world):
    # 60,000 万元 against a total of 50,000: R04, a warning.
    report = make_report(world.projects["xinwu"], 2022, 6, month_investment=100, ytd_investment=100,
                         cumulative_investment=60000)
    unit = client_for("unit")
    text = unit.get(report.get_absolute_url()).content.decode()
    assert "R04" in text and 'name="warning_note"' in text
    url = reverse("reporting:monthlyreport_submit", args=[report.pk])
    response = unit.post(url, {"warning_note": ""})
    assert response.status_code == 400 and "请填写说明后再报送" in response.content.decode()
    assert unit.post(url, {"warning_note": "总投资调增，待发改委批复"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.warning_note == "总投资调增，待发改委批复"


def test_amendment_of_a_locked_period_keeps_the_original(client_for, world, june):
    period, reports = june
    report = reports["xinwu"]
    services.accept_report(report, acting_user=world.users["xinwu"])
    services.lock_period(period, acting_user=world.users["admin"])
    unit = client_for("unit")
    # The edit page of a locked report leads to the amendment.
    assert unit.get(reverse("reporting:monthlyreport_edit", args=[report.pk])).url == reverse(
        "reporting:monthlyreport_amend", args=[report.pk])
    url = reverse("reporting:monthlyreport_amend", args=[report.pk])
    form = unit.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = unit.post(url, {**data, "reason": ""})
    assert response.status_code == 200 and "更正原因" in response.content.decode()
    response = unit.post(url, {**data, "cumulative_investment": "3100", "reason": "统计局反馈数据有误"})
    assert response.status_code == 302
    amendment = ReportAmendment.objects.get(report=report)
    assert amendment.before == {"cumulative_investment": "3000.00"}
    text = unit.get(report.get_absolute_url()).content.decode()
    assert "统计局反馈数据有误" in text and "3,000 万元" in text and "3,100 万元" in text
    assert client_for("jiangyin").get(url).status_code == 404
    # An unlocked period has no amendments.
    other = make_report(world.projects["xinwu"], 2022, 7)
    assert client_for("unit").get(reverse("reporting:monthlyreport_amend", args=[other.pk])).status_code == 404


# The web form --------------------------------------------------------------------------------------

def test_form_offers_only_projects_in_the_filing_scope(client_for, world):
    response = client_for("unit").get(ADD)
    assert response.status_code == 200
    assert [p.name for p in response.context["form"].fields["project"].queryset] == ["新吴区集成电路项目"]
    for role in ("leader", "department", "supervisor", "commissioner"):
        assert client_for(role).get(ADD).status_code == 403


def test_form_defaults_to_last_month(client_for, world, time_machine):
    time_machine.move_to(dt.datetime(2022, 7, 5, 10, tzinfo=dt.UTC))
    assert client_for("unit").get(ADD).context["form"]["period"].value() == "2022-06"


def test_form_prefills_from_the_previous_report(client_for, world):
    make_report(world.projects["xinwu"], 2022, 5, status=ReportStatus.ACCEPTED, month_investment=100,
                ytd_investment=1000, cumulative_investment=2800, stats_status=StatsStatus.APPLIED,
                progress_text="桩基完成")
    response = client_for("unit").get(ADD, {"project": world.projects["xinwu"].pk, "period": "2022-06"})
    form = response.context["form"]
    assert form["start_status"].value() == StartStatus.STARTED
    assert form["stats_status"].value() == StatsStatus.APPLIED
    assert form["construction_status"].value() == LifecycleStatus.CONSTRUCTION
    assert form["cumulative_investment"].value() == Decimal("2800")
    assert "上期（2022年5月）本年累计 1,000 万元" in response.content.decode()
    assert form["basis"].value() == "month"
    # Without last month's report only the year-to-date figure gives both.
    response = client_for("unit").get(ADD, {"project": world.projects["xinwu"].pk, "period": "2022-08"})
    assert response.context["form"]["basis"].value() == "ytd"
    # A project outside the scope is not prefilled.
    response = client_for("unit").get(ADD, {"project": world.projects["jiangyin"].pk, "period": "2022-06"})
    assert response.context["form"]["project"].value() is None


def test_form_leads_to_the_existing_report_of_the_period(client_for, world):
    report = make_report(world.projects["xinwu"], 2022, 6)
    response = client_for("unit").get(ADD, {"project": world.projects["xinwu"].pk, "period": "2022-06"})
    assert response.url == reverse("reporting:monthlyreport_edit", args=[report.pk])


def test_saving_a_draft_derives_the_month_from_the_year_to_date(client_for, world):
    make_report(world.projects["xinwu"], 2022, 5, status=ReportStatus.ACCEPTED, month_investment=100,
                ytd_investment=1000, cumulative_investment=2800)
    response = client_for("unit").post(ADD, report_post(world, month_investment="999"))
    report = MonthlyReport.objects.get(period__month=6)
    assert response.url == report.get_absolute_url()
    assert report.status == ReportStatus.DRAFT
    assert (report.month_investment, report.ytd_investment) == (Decimal("200"), Decimal("1200"))
    assert ChangeLog.objects.filter(object_id=report.pk, object_repr__contains="2022年6月").exists()


def test_save_and_submit_at_once(client_for, world):
    response = client_for("unit").post(ADD, report_post(world, action="submit"))
    report = MonthlyReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.status == ReportStatus.SUBMITTED and report.first_submitted_at is not None


def test_errors_name_the_field_in_chinese_and_nothing_is_saved(client_for, world):
    data = report_post(world, start_status=StartStatus.NOT_STARTED, actual_start_date="", action="submit")
    response = client_for("unit").post(ADD, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "开工情况：R06" in text
    assert not MonthlyReport.objects.exists() and not ReportingPeriod.objects.exists()
    response = client_for("unit").post(ADD, report_post(world, period="2022年13月"))
    assert "报送期：报送期应写成“年-月”" in response.content.decode()


def test_submit_with_warnings_needs_the_note_and_rolls_back_the_save(client_for, world):
    response = client_for("unit").post(ADD, report_post(world, cumulative_investment="60000", action="submit"))
    assert response.status_code == 200
    assert "预警说明：" in response.content.decode() and "R04" in response.content.decode()
    assert not MonthlyReport.objects.exists()
    response = client_for("unit").post(ADD, report_post(world, cumulative_investment="60000", action="submit",
                                                        warning_note="总投资已调整"))
    assert MonthlyReport.objects.get().status == ReportStatus.SUBMITTED


def test_a_returned_report_is_corrected_and_resubmitted(client_for, world, june):
    _period, reports = june
    report = reports["xinwu"]
    services.return_report(report, acting_user=world.users["xinwu"], reason="累计投资有误")
    unit = client_for("unit")
    text = unit.get(report.get_absolute_url()).content.decode()
    assert "累计投资有误" in text
    url = reverse("reporting:monthlyreport_edit", args=[report.pk])
    response = unit.get(url)
    assert response.status_code == 200 and response.context["form"]["basis"].value() == "month"
    response = unit.post(url, report_post(world, basis="month", month_investment="200", ytd_investment="1200",
                                          cumulative_investment="3200", action="submit"))
    assert response.status_code == 302, response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.cumulative_investment == Decimal("3200")
    # A submitted report is no longer the unit's to edit.
    assert unit.get(url).status_code == 302


def test_out_of_scope_edit_is_404(client_for, world, june):
    _period, reports = june
    url = reverse("reporting:monthlyreport_edit", args=[reports["jiangyin"].pk])
    assert client_for("unit").get(url).status_code == 404
    assert client_for("unit").post(url, report_post(world)).status_code == 404
    own = reverse("reporting:monthlyreport_edit", args=[reports["xinwu"].pk])
    assert client_for("leader").get(own).status_code == 404


# The live check --------------------------------------------------------------------------------------

def check(client, data):
    response = client.post(CHECK, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_check_derives_and_saves_nothing(client_for, world):
    make_report(world.projects["xinwu"], 2022, 5, status=ReportStatus.ACCEPTED, month_investment=100,
                ytd_investment=1000, cumulative_investment=2800)
    counts = (MonthlyReport.objects.count(), ChangeLog.objects.count(), ReportingPeriod.objects.count())
    text = check(client_for("unit"), report_post(world))
    assert 'data-testid="check-ok"' in text
    assert re.search(r'data-testid="derived-month">200<', text)
    # 2,800 last month plus 200 this month is the 3,000 typed in: no reminder.
    assert "suggested-cumulative" not in text
    text = check(client_for("unit"), report_post(world, cumulative_investment="2800"))
    assert "上月自开工累计 2,800 万元加本月 200 万元为 3,000 万元" in text
    assert (MonthlyReport.objects.count(), ChangeLog.objects.count(), ReportingPeriod.objects.count()) == counts


def test_check_shows_errors_with_field_names_and_warnings_with_codes(client_for, world):
    unit = client_for("unit")
    text = check(unit, report_post(world, start_status=StartStatus.NOT_STARTED, actual_start_date=""))
    assert "<strong>开工情况</strong>：R06" in text
    text = check(unit, report_post(world, cumulative_investment="60000"))
    assert "<code>R04</code>" in text and 'data-errors="0"' in text
    text = check(unit, report_post(world, project=""))
    assert "项目" in text and 'data-testid="check-error"' in text
    text = check(unit, report_post(world, period="2099-01"))
    assert "R08" in text


def test_check_of_an_existing_report_and_scope(client_for, world, june):
    _period, reports = june
    services.return_report(reports["xinwu"], acting_user=world.users["xinwu"], reason="请核对")
    data = report_post(world, report=reports["xinwu"].pk, basis="month", month_investment="200",
                       ytd_investment="1200", cumulative_investment="1000", actual_start_date="2022-03-01")
    text = check(client_for("unit"), data)
    assert "R03" in text, text  # started in 2022: since the start cannot be less than this year
    reports["xinwu"].refresh_from_db()
    assert reports["xinwu"].cumulative_investment == Decimal("3000")
    assert client_for("leader").post(CHECK, data).status_code == 404
    assert client_for("jiangyin").post(CHECK, data).status_code == 404


# Attachments -------------------------------------------------------------------------------------------

def test_attachment_upload_inline_image_and_download_scope(client_for, world):
    report = make_report(world.projects["xinwu"], 2022, 6)
    unit = client_for("unit")
    url = reverse("reporting:reportattachment_add", args=[report.pk])
    upload = io.BytesIO(PNG)
    upload.name = "现场照片.png"
    assert unit.post(url, {"file": upload}).status_code == 302
    pdf = io.BytesIO(PDF)
    pdf.name = "形象进度.pdf"
    assert unit.post(url, {"file": pdf}).status_code == 302
    fake = io.BytesIO(b"MZ not a picture")
    fake.name = "病毒.png"
    response = unit.post(url, {"file": fake})
    assert response.status_code == 200 and "不是可接受的图片或 PDF" in response.content.decode()
    image, document = ReportAttachment.objects.order_by("pk")
    text = unit.get(report.get_absolute_url()).content.decode()
    download = reverse("reporting:reportattachment", args=[image.pk])
    assert f'<img src="{download}"' in text and "形象进度.pdf" in text
    response = client_for("xinwu").get(download)
    assert response.status_code == 200 and response["Content-Type"] == "image/png" and response.content == PNG
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    response = client_for("leader").get(reverse("reporting:reportattachment", args=[document.pk]), {"download": 1})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    for role in ("jiangyin", "commissioner"):
        assert client_for(role).get(download).status_code == 404
    assert client_for("jiangyin").post(url, {"file": io.BytesIO(PNG)}).status_code == 404
    assert client_for("jiangyin").post(reverse("reporting:reportattachment_delete", args=[image.pk])).status_code == 404
    unit = client_for("unit")
    assert unit.post(reverse("reporting:reportattachment_delete", args=[image.pk])).status_code == 302
    assert list(ReportAttachment.objects.all()) == [document]


# 我的待报项目 ----------------------------------------------------------------------------------------

def test_my_due_projects_link_to_the_prefilled_form(client_for, world):
    make_period(2022, 6)
    unit = client_for("unit")
    response, text = page(unit, reverse("reporting:my_due"), period="2022-06")
    rows = response.context["rows"]
    assert [project.name for project, _report, _url in rows] == ["新吴区集成电路项目"]
    assert rows[0][2] == f"{ADD}?project={world.projects['xinwu'].pk}&period=2022-06"
    draft = make_report(world.projects["xinwu"], 2022, 6)
    rows = unit.get(reverse("reporting:my_due"), {"period": "2022-06"}).context["rows"]
    assert rows[0][2] == reverse("reporting:monthlyreport_edit", args=[draft.pk])
    services.submit_report(draft, acting_user=world.users["unit"])
    _response, text = page(unit, reverse("reporting:my_due"), period="2022-06")
    assert "本期没有待报项目" in text
    # A period nobody has opened yet: every due project is waiting.
    rows = unit.get(reverse("reporting:my_due"), {"period": "2022-09"}).context["rows"]
    assert [project.name for project, _report, _url in rows] == ["新吴区集成电路项目"]
    assert {p.name for p, _r, _u in client_for("admin").get(
        reverse("reporting:my_due"), {"period": "2022-09"}).context["rows"]} == {"新吴区集成电路项目", "江阴市港口项目"}
    assert client_for("leader").get(reverse("reporting:my_due")).status_code == 404


def test_lists_do_not_query_per_row(admin_client, world):
    for n in range(12):
        project = make_project(world.xinwu, name=f"批量项目{n:02d}")
        make_report(project, 2022, 6, status=ReportStatus.SUBMITTED, month_investment=n, ytd_investment=n,
                    cumulative_investment=n)
    for url in (LIST, reverse("reporting:reportingperiod_list")):
        counts = []
        for per_page in (2, 10):
            with CaptureQueriesContext(connection) as queries:
                assert admin_client.get(url, {"per_page": per_page}).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], url
