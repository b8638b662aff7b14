"""Monthly reporting through the API: the pages' scope, forms, workflow, lock and amendments, bulk and attachments."""

from decimal import Decimal

import pytest

from faims.core.models import ChangeLog
from faims.reporting.choices import ReportStatus, StartStatus
from faims.reporting.models import MonthlyReport, ReportAmendment, ReportAttachment, ReportingPeriod
from faims.reporting.testing import PNG, START_DATE, make_period, make_report

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _body(project, **changes):
    body = {
        "project": project.pk,
        "period": "2022-06",
        "ytd_investment": "1200",
        "cumulative_investment": "3000",
        "start_status": StartStatus.STARTED,
        "actual_start_date": START_DATE.isoformat(),
        "construction_status": "construction",
        "progress_text": "主体结构施工",
    }
    body.update(changes)
    return body


@pytest.fixture
def june(world):
    """2022-06 with a submitted report of each project."""
    period = make_period(2022, 6)
    reports = {
        key: make_report(project, 2022, 6, status=ReportStatus.SUBMITTED, user=world.users["admin"],
                         month_investment=200, ytd_investment=1200, cumulative_investment=3000)
        for key, project in world.projects.items()
    }
    return period, reports


def test_reports_are_scoped_and_filtered_like_the_list(world, api_for, june):
    _period, reports = june
    admin = api_for("admin")
    assert len(_results(admin.get("/api/reports/"))) == 2
    rows = _results(admin.get("/api/reports/", {"region": world.jiangyin.pk}))
    assert [row["id"] for row in rows] == [reports["jiangyin"].pk]
    assert rows[0]["period"] == "2022-06" and rows[0]["status"] == "submitted"
    assert _results(admin.get("/api/reports/", {"status": "draft"})) == []
    assert len(_results(admin.get("/api/reports/", {"q": "集成电路"}))) == 1
    xinwu = api_for("xinwu")
    assert [row["id"] for row in _results(xinwu.get("/api/reports/"))] == [reports["xinwu"].pk]
    assert xinwu.get(f"/api/reports/{reports['jiangyin'].pk}/").status_code == 404
    detail = xinwu.get(f"/api/reports/{reports['xinwu'].pk}/").json()
    assert set(detail["allowed_actions"]) == {"return", "accept"}
    assert isinstance(detail["findings"], list)


def test_filing_a_draft_then_submitting_it_at_once(world, api_for):
    unit = api_for("unit")
    project = world.projects["xinwu"]
    created = unit.post("/api/reports/", _body(project), format="json")
    assert created.status_code == 201, created.content
    report = MonthlyReport.objects.get(pk=created.json()["id"])
    assert report.status == ReportStatus.DRAFT and report.ytd_investment == Decimal("1200")
    assert report.period == ReportingPeriod.objects.get(year=2022, month=6)
    assert ChangeLog.objects.filter(content_type__model="monthlyreport", object_id=report.pk).count() == 1
    patched = unit.patch(f"/api/reports/{report.pk}/", {"progress_text": "封顶", "submit_now": True,
                                                         "change_reason": "补充"}, format="json")
    assert patched.status_code == 200, patched.content
    report.refresh_from_db()
    assert report.progress_text == "封顶" and report.status == ReportStatus.SUBMITTED
    assert patched.json()["status"] == "submitted"


def test_a_bad_body_names_the_field_and_saves_nothing(world, api_for):
    unit = api_for("unit")
    project = world.projects["xinwu"]
    response = unit.post("/api/reports/", _body(project, period="六月", ytd_investment="很多"), format="json")
    assert response.status_code == 400
    assert {"period", "ytd_investment"} <= set(response.json()["errors"])
    assert "：" in response.json()["detail"]
    unknown = unit.post("/api/reports/", _body(project, colour="red"), format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"] == {"colour": ["未知字段。"]}
    nested = unit.post("/api/reports/", _body(project, progress_text={"a": 1}), format="json")
    assert nested.status_code == 400 and "progress_text" in nested.json()["errors"]
    # Another region's project is not a choice of the form.
    other = unit.post("/api/reports/", _body(world.projects["jiangyin"]), format="json")
    assert other.status_code == 400 and "project" in other.json()["errors"]
    # A rule error (the start date after the period) is the service's, on its field.
    late_start = unit.post("/api/reports/", _body(project, actual_start_date="2022-09-01"), format="json")
    assert late_start.status_code == 400, late_start.content
    assert not MonthlyReport.objects.exists()
    assert api_for("leader").post("/api/reports/", _body(project), format="json").status_code == 403


def test_the_review_flow_and_its_refusals(world, api_for, june):
    _period, reports = june
    report = reports["xinwu"]
    xinwu = api_for("xinwu")
    assert xinwu.post(f"/api/reports/{reports['jiangyin'].pk}/accept/").status_code == 404
    assert api_for("leader").post(f"/api/reports/{report.pk}/accept/").status_code == 404
    no_reason = xinwu.post(f"/api/reports/{report.pk}/return/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    returned = xinwu.post(f"/api/reports/{report.pk}/return/", {"reason": "累计数有误"}, format="json")
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "returned" and returned.json()["return_reason"] == "累计数有误"
    refused = xinwu.post(f"/api/reports/{report.pk}/accept/")
    assert refused.status_code == 400 and "可进行的操作" in refused.json()["detail"]
    unit = api_for("unit")
    resubmitted = unit.post(f"/api/reports/{report.pk}/submit/", {"warning_note": ""}, format="json")
    assert resubmitted.status_code == 200, resubmitted.content
    accepted = xinwu.post(f"/api/reports/{report.pk}/accept/")
    assert accepted.status_code == 200, accepted.content
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == world.users["xinwu"]
    reasons = set(ChangeLog.objects.filter(content_type__model="monthlyreport", object_id=report.pk)
                  .values_list("reason", flat=True))
    assert {"累计数有误", "报送", "审核通过"} <= reasons


def test_periods_deadline_lock_and_amendment(world, api_for, june):
    period, reports = june
    admin, xinwu = api_for("admin"), api_for("xinwu")
    assert xinwu.post(f"/api/reporting-periods/{period.pk}/lock/").status_code == 404
    no_reason = admin.post(f"/api/reporting-periods/{period.pk}/deadline/", {"deadline": "2022-07-25"},
                           format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    moved = admin.post(f"/api/reporting-periods/{period.pk}/deadline/",
                       {"deadline": "2022-07-25", "reason": "端午假期顺延"}, format="json")
    assert moved.status_code == 200 and moved.json()["deadline"] == "2022-07-25"
    locked = admin.post(f"/api/reporting-periods/{period.pk}/lock/")
    assert locked.status_code == 200 and locked.json()["locked_at"]
    assert admin.post(f"/api/reporting-periods/{period.pk}/lock/").status_code == 400
    report = reports["xinwu"]
    frozen = admin.patch(f"/api/reports/{report.pk}/", {"progress_text": "改"}, format="json")
    assert frozen.status_code == 400 and "更正" in frozen.json()["detail"]
    assert admin.post(f"/api/reports/{report.pk}/amend/", {"ytd_investment": "1300"},
                      format="json").status_code == 400
    amended = admin.post(f"/api/reports/{report.pk}/amend/", {"ytd_investment": "1300", "reason": "统计局核定"},
                         format="json")
    assert amended.status_code == 201, amended.content
    assert amended.json()["before"]["ytd_investment"] == "1200.00"
    assert ReportAmendment.objects.get(report=report).after["ytd_investment"] == "1300.00"
    assert len(admin.get(f"/api/reports/{report.pk}/amendments/").json()) == 1
    same = admin.post(f"/api/reports/{report.pk}/amend/", {"ytd_investment": "1300", "reason": "再次"},
                      format="json")
    assert same.status_code == 400


def test_periods_are_opened_by_the_admin_and_summarised_within_scope(world, api_for, june):
    period, _reports = june
    admin = api_for("admin")
    opened = admin.post("/api/reporting-periods/", {"year": 2022, "month": 7}, format="json")
    assert opened.status_code == 201 and opened.json()["deadline"] == "2022-08-20"
    assert admin.post("/api/reporting-periods/", {"year": 1999, "month": 13}, format="json").status_code == 400
    assert api_for("unit").post("/api/reporting-periods/", {"year": 2022, "month": 8},
                                format="json").status_code == 403
    summary = api_for("xinwu").get(f"/api/reporting-periods/{period.pk}/summary/").json()
    assert summary["report_count"] == 1
    assert {row["status"]: row["count"] for row in summary["status_counts"]}["submitted"] == 1
    assert api_for("xinwu").get(f"/api/reporting-periods/{period.pk}/missing/").json() == []
    locked = _results(admin.get("/api/reporting-periods/", {"locked": "false"}))
    assert {row["month"] for row in locked} == {6, 7}


def test_bulk_is_all_or_nothing_by_project_and_period(world, api_for, june):
    _period, reports = june
    admin = api_for("admin")
    july = _body(world.projects["xinwu"], period="2022-07", month_investment="100", ytd_investment=None)
    bad = _body(world.projects["jiangyin"], period="2022-07", ytd_investment="很多")
    response = admin.post("/api/reports/bulk/", {"items": [july, bad, "x"]}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"1", "2"} and "ytd_investment" in response.json()["errors"]["1"]
    assert not MonthlyReport.objects.filter(period__month=7).exists()
    assert not ReportingPeriod.objects.filter(month=7).exists()
    # The June report of jiangyin (a draft) is named by (project, period) and updated; July of xinwu is created.
    MonthlyReport.objects.filter(pk=reports["jiangyin"].pk).update(status=ReportStatus.DRAFT)
    update = {"project": world.projects["jiangyin"].pk, "period": "2022-06", "progress_text": "批量修改"}
    ok = admin.post("/api/reports/bulk/", {"items": [july, update], "submit": True}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["created"] == 1 and ok.json()["updated"] == 1
    created = MonthlyReport.objects.get(period__month=7)
    assert created.status == ReportStatus.SUBMITTED and created.ytd_investment == Decimal("1300")
    assert MonthlyReport.objects.get(pk=reports["jiangyin"].pk).progress_text == "批量修改"
    again = admin.post("/api/reports/bulk/", {"items": [update], "submit": True}, format="json")
    assert again.status_code == 400 and "可进行的操作" in str(again.json()["errors"]["0"])
    twice = admin.post("/api/reports/bulk/", {"items": [july, july]}, format="json")
    assert twice.status_code == 400 and set(twice.json()["errors"]) == {"1"}
    assert api_for("xinwu").post("/api/reports/bulk/", {"items": [update]}, format="json").status_code == 400
    assert admin.post("/api/reports/bulk/", {"items": []}, format="json").status_code == 400


def test_attachments_upload_download_and_delete(world, api_for):
    report = make_report(world.projects["xinwu"], 2022, 6, ytd_investment=1200, cumulative_investment=3000)
    unit = api_for("unit")
    upload = {"file": _file("现场.png", PNG)}
    created = unit.post(f"/api/reports/{report.pk}/attachments/", upload, format="multipart")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["content_type"] == "image/png"
    refused = unit.post(f"/api/reports/{report.pk}/attachments/", {"file": _file("a.exe", b"MZ" * 10)},
                        format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()["errors"]
    assert [row["id"] for row in unit.get(f"/api/reports/{report.pk}/attachments/").json()] == [pk]
    download = unit.get(f"/api/report-attachments/{pk}/download/")
    assert download.status_code == 200 and download.content == PNG and download["Content-Type"] == "image/png"
    assert api_for("jiangyin").get(f"/api/report-attachments/{pk}/download/").status_code == 404
    assert unit.delete(f"/api/report-attachments/{pk}/").status_code == 204
    assert not ReportAttachment.objects.exists()


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_schema_documents_the_workflow(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in ("/api/reports/{id}/submit/", "/api/reports/{id}/return/", "/api/reports/{id}/accept/",
                 "/api/reports/{id}/amend/", "/api/reports/bulk/", "/api/reporting-periods/{id}/lock/",
                 "/api/reporting-periods/{id}/deadline/", "/api/report-attachments/{id}/download/"):
        assert path in paths, path
    assert "delete" not in paths["/api/reports/{id}/"]


def test_dates_are_checked_like_the_page(world, api_for):
    unit = api_for("unit")
    response = unit.post("/api/reports/", _body(world.projects["xinwu"], actual_start_date=20210101), format="json")
    assert response.status_code == 400 and "actual_start_date" in response.json()["errors"]


def test_the_check_saves_nothing_and_the_due_list_and_rules(world, api_for, june):
    _period, reports = june
    unit = api_for("unit")
    july = _body(world.projects["xinwu"], period="2022-07", ytd_investment="1100")
    checked = unit.post("/api/reports/check/", july, format="json")
    assert checked.status_code == 200, checked.content
    body = checked.json()
    # July's year-to-date figure is below June's: the rule's error, as the page's live check shows it.
    assert body["errors"] and body["derived"]["ytd"] == "1100.00"
    assert not MonthlyReport.objects.filter(period__month=7).exists()
    assert not ReportingPeriod.objects.filter(month=7).exists()
    fine = unit.post("/api/reports/check/", {**july, "ytd_investment": "1500"}, format="json").json()
    assert fine["errors"] == [] and fine["derived"]["month"] == "300.00"
    assert unit.post("/api/reports/check/", {**july, "period": "x"}, format="json").status_code == 400
    assert api_for("leader").post("/api/reports/check/", july, format="json").status_code == 404
    due = unit.get("/api/reports/due/", {"period": "2022-07"})
    assert due.status_code == 200, due.content
    assert all(row["project"] == world.projects["xinwu"].pk for row in due.json())
    assert unit.get("/api/reports/due/", {"period": "七月"}).status_code == 400
    codes = [rule["code"] for rule in api_for("leader").get("/api/reports/rules/").json()]
    assert {"R01", "R05"} <= set(codes)
