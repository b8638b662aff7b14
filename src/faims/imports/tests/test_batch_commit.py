"""The batch commit gives what the one-row-at-a-time services give: same reports, change log and errors."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from faims.core.audit import request_id_var
from faims.core.models import ChangeLog
from faims.core.services import BatchError
from faims.core.testing import make_project
from faims.imports import services
from faims.imports.report_import import ReportPlanner
from faims.projects.models import AnnualPlan, Membership, Project
from faims.reporting import services as reporting
from faims.reporting.choices import ReportStatus
from faims.reporting.models import MonthlyReport
from faims.reporting.testing import make_period, make_report, new_report

from .helpers import xlsx

pytestmark = pytest.mark.django_db
HEADER = ["项目代码", "项目名称", "1-6月完成投资", "本月完成投资", "自开始建设累计完成投资", "开工时间", "形象进度",
          "存在问题"]


class Undo(Exception):
    pass


@pytest.fixture
def projects(world):
    """Eight projects of 新吴区 with the histories the sheet's rows meet."""
    made = {}
    for n in range(1, 9):
        made[n] = make_project(world.xinwu, name=f"批量测试项目{n}", code=code(n),
                               total=Decimal("50000"), actual_start_date=dt.date(2021, 10, 1))
    make_report(made[1], 2022, 5, ytd_investment=4000, month_investment=1000, cumulative_investment=9000)
    make_report(made[2], 2022, 4, ytd_investment=3000, cumulative_investment=8000)
    make_report(made[3], 2022, 6, ytd_investment=5000, cumulative_investment=10000, progress_text="主体施工")
    make_report(made[4], 2022, 6, ytd_investment=5000, cumulative_investment=10000, progress_text="主体施工")
    make_report(made[5], 2022, 6, status=ReportStatus.SUBMITTED, ytd_investment=5000, cumulative_investment=10000)
    # A report two years back: the commit's rules see it (R02), the preview's look-up does not.
    make_report(made[8], 2020, 12, ytd_investment=20000, cumulative_investment=40000)
    return made


def code(n):
    return f"2022-320214-39-02-{n:06d}"


def good_rows():
    return [
        [code(1), "批量测试项目1", 5200, None, 10200, "2021-10-01", "主体施工", "无"],       # new, month derived
        [code(2), "批量测试项目2", 5000, None, 10000, None, "主体施工", None],               # new, gap: month unknown
        [code(3), "批量测试项目3", 5600, None, 10600, None, "主体结构封顶", None],           # update
        [code(4), "批量测试项目4", 5000, None, 10000, None, "主体施工", None],               # unchanged
        [code(5), "批量测试项目5", 5500, None, 10500, None, None, None],                    # submitted, admin edits
        [code(6), "批量测试项目6", 3000, None, 52000, "2021-10-01", "设备安装", "资金紧张"],  # R04 warning
        [code(7), "批量测试项目7", 800, 800, 800, "2022-03-01", "基础施工", None],           # new
    ]


def outcome(marker):
    """Reports and change-log rows as comparable values (ids and timestamps left out)."""
    ignored = {"id", "submitted_at", "first_submitted_at", "reviewed_at"}
    reports = {}
    for report in MonthlyReport.objects.select_related("project", "period").order_by("project__code", "period"):
        values = {f.name: f.value_from_object(report) for f in MonthlyReport._meta.concrete_fields
                  if f.name not in ignored | {"created", "updated"}}
        values["project"], values["period"] = report.project.code, report.period.label
        reports[(report.project.code, report.period.label)] = values
    log = {}
    for entry in ChangeLog.objects.filter(pk__gt=marker).order_by("pk"):
        model = entry.content_type.model_class()
        obj = model.objects.filter(pk=entry.object_id).first()
        key = (entry.content_type.model, entry.object_repr)
        log.setdefault(key, []).append({
            "action": entry.action, "reason": entry.reason, "request_id": entry.request_id,
            "user": entry.user_name, "related": entry.related_id == getattr(obj, "project_id", entry.related_id),
            "before": {k: v for k, v in (entry.before or {}).items() if k not in ignored},
            "after": {k: v for k, v in (entry.after or {}).items() if k not in ignored},
        })
    return reports, log


def both_ways(user, content, *, note="", **options):
    """(per-row result, batch result): each (plan dict, reports, change log); the per-row one rolled back."""
    marker = ChangeLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    results = []
    for per_row in (True, False):
        token = request_id_var.set("import-request")
        try:
            with transaction.atomic():
                batch = services.create_batch(acting_user=user, kind="reports", file_name="进度表.xlsx",
                                              content=content, year=2022, month=6, options=options)
                plan = services.commit(batch, acting_user=user, warning_note=note, per_row=per_row)
                results.append((plan.ok, [str(e) for e in plan.errors], [str(w) for w in plan.warnings],
                                plan.counts(), *outcome(marker)))
                if per_row:
                    raise Undo
        except Undo:
            pass
        finally:
            request_id_var.reset(token)
    return results


def test_a_sheet_saves_the_same_reports_and_change_log_both_ways(world, projects):
    row_way, batch_way = both_ways(world.users["admin"], xlsx([HEADER, *good_rows()]))
    assert row_way[0] and batch_way[0], row_way[1]
    assert row_way == batch_way
    _ok, _errors, warnings, counts, reports, log = batch_way
    assert counts == {"new": 4, "updated": 2, "unchanged": 1, "skipped": 0, "invalid": 0}
    assert any("R04" in w for w in warnings)
    assert reports[(code(1), "2022-06")]["month_investment"] == Decimal("1200.00")
    assert reports[(code(2), "2022-06")]["month_investment"] is None
    assert sum(len(entries) for entries in log.values()) == 6
    assert all(e["request_id"] == "import-request" and e["reason"] == "Excel 导入进度表：进度表.xlsx"
               for entries in log.values() for e in entries)


def test_submitting_on_import_gives_the_same_result_both_ways(world, projects):
    row_way, batch_way = both_ways(world.users["admin"], xlsx([HEADER, *good_rows()]), note="总投资已调整", submit=True)
    assert row_way[0], row_way[1]
    assert row_way == batch_way
    reports, log = batch_way[4], batch_way[5]
    assert {r["status"] for key, r in reports.items() if key[1] == "2022-06"} == {ReportStatus.SUBMITTED}
    assert reports[(code(6), "2022-06")]["warning_note"] == "总投资已调整"
    assert [e["action"] for e in log[("monthlyreport", "批量测试项目1 · 2022年6月")]] == ["create", "update"]


def test_rule_errors_and_warnings_are_reported_the_same_both_ways(world, projects):
    rows = [
        *good_rows(),
        [code(8), "批量测试项目8", 1000, None, 1500, None, None, None],  # R02 against the 2020 report
        [code(1), "批量测试项目1", 100, None, 900000, None, None, None],  # duplicate row
        ["2022-320214-39-01-999999", "不存在的项目", 100, None, 100, None, None, None],
    ]
    row_way, batch_way = both_ways(world.users["admin"], xlsx([HEADER, *rows]))
    assert not row_way[0]
    assert row_way[1:4] == batch_way[1:4]
    assert len(row_way[1]) == 5 and any("R04" in w for w in row_way[2])
    assert row_way[1][2] == (
        "第9行 E列（自开始建设累计完成投资）：R02 自开工累计完成投资（1,500万元）小于上期（40,000万元，2020年12月），"
        "累计数不能减少。")


def test_errors_only_the_commit_finds_are_reported_the_same_both_ways(world, projects, monkeypatch):
    # As if the data changed between the preview and the commit: the services' own checks name the rows.
    monkeypatch.setattr(ReportPlanner, "check", lambda *args, **kwargs: None)
    rows = [
        *good_rows()[:6],
        [code(7), "批量测试项目7", 800, 800, 900000, "2022-03-01", "基础施工", None],  # R05
        [code(8), "批量测试项目8", 1000, None, 1500, None, None, None],  # R02
    ]
    row_way, batch_way = both_ways(world.users["admin"], xlsx([HEADER, *rows]))
    assert not row_way[0] and row_way == batch_way
    assert [error[:7] for error in row_way[1]] == ["第8行：R05", "第9行：R02"]
    assert not MonthlyReport.objects.filter(period__month=6, project__in=[projects[1], projects[7]]).exists()


def test_the_same_sheet_twice_writes_nothing_the_second_time(world, projects):
    admin = world.users["admin"]
    content = xlsx([HEADER, *good_rows()])
    for _ in range(2):
        batch = services.create_batch(acting_user=admin, kind="reports", file_name="a.xlsx", content=content,
                                      year=2022, month=6)
        marker = ChangeLog.objects.count()
        plan = services.commit(batch, acting_user=admin)
        assert plan.ok
    assert plan.changed == 0 and ChangeLog.objects.count() == marker


# The services themselves: save_reports and save_report on the same reports --------------------

def errors_of(exc):
    if isinstance(exc, PermissionDenied):
        return ("denied", str(exc))
    return ("invalid", exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


def one_by_one(reports, user):
    results = []
    for report in reports:
        try:
            with transaction.atomic():
                results.append(("ok", [f.code for f in reporting.save_report(report, acting_user=user)]))
        except (ValidationError, PermissionDenied) as exc:
            results.append(errors_of(exc))
    return results


def in_one_batch(reports, user):
    try:
        warnings = reporting.save_reports(reports, acting_user=user)
    except BatchError as exc:
        return {i: errors_of(error) for i, error in exc.errors.items()}
    return [("ok", [f.code for f in found]) for found in warnings]


def sample_reports(world, projects):
    locked = make_period(2022, 2, locked_at=dt.datetime(2022, 3, 25, tzinfo=dt.UTC))
    return [
        new_report(projects[1], ytd_investment=5200, cumulative_investment=10200),
        new_report(projects[2], ytd_investment=2000, cumulative_investment=10000),                # R01
        new_report(projects[6], ytd_investment=3000, cumulative_investment=52000),                # R04 warning
        new_report(projects[7], ytd_investment=3000, cumulative_investment=900000),               # R05
        new_report(projects[3], ytd_investment=1, cumulative_investment=1),                       # exists (unique)
        new_report(projects[8], ytd_investment=-5, capacity_reached=Decimal("123456")),          # field errors
        new_report(world.projects["jiangyin"], ytd_investment=100, cumulative_investment=100),   # outside scope
        MonthlyReport(project=world.projects["xinwu"], period=locked, ytd_investment=1),         # locked period
    ]


def test_save_reports_raises_what_save_report_raises_for_each_report(world, projects):
    officer = world.users["xinwu"]
    with transaction.atomic():
        expected = one_by_one(sample_reports(world, projects), officer)
        transaction.set_rollback(True)
    got = in_one_batch(sample_reports(world, projects), officer)
    assert got == {i: result for i, result in enumerate(expected) if result[0] != "ok"}
    assert [r[0] for r in expected] == ["ok", "invalid", "ok", "invalid", "invalid", "invalid", "denied", "invalid"]
    assert not MonthlyReport.objects.filter(period__month=6, project=projects[1]).exists()


def test_save_reports_writes_what_save_report_writes(world, projects):
    admin = world.users["admin"]
    marker = ChangeLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def reports():
        stored = MonthlyReport.objects.get(project=projects[3], period__month=6)
        stored.progress_text, stored.ytd_investment = "主体结构封顶", Decimal("5600")
        return [new_report(projects[1], ytd_investment=5200, cumulative_investment=10200),
                new_report(projects[6], ytd_investment=3000, cumulative_investment=52000), stored]

    with transaction.atomic():
        expected_warnings = [[f.code for f in reporting.save_report(r, acting_user=admin)] for r in reports()]
        expected = outcome(marker)
        transaction.set_rollback(True)
    warnings = reporting.save_reports(reports(), acting_user=admin)
    assert [[f.code for f in found] for found in warnings] == expected_warnings == [[], ["R04"], []]
    assert outcome(marker) == expected


def test_accepted_reports_saved_by_the_city_admin_update_the_project_as_save_report_does(world, projects):
    admin = world.users["admin"]
    project = projects[7]
    Project.objects.filter(pk=project.pk).update(actual_start_date=None)
    report = make_report(project, 2022, 6, status=ReportStatus.ACCEPTED, ytd_investment=100,
                         cumulative_investment=100, actual_start_date=dt.date(2022, 3, 1))
    report.progress_text = "基础施工"
    reporting.save_reports([report], acting_user=admin)
    assert Project.objects.get(pk=project.pk).actual_start_date == dt.date(2022, 3, 1)


def test_submit_reports_refuses_what_submit_report_refuses(world, projects):
    admin = world.users["admin"]
    warned = make_report(projects[6], 2022, 6, ytd_investment=3000, cumulative_investment=52000)
    fine = make_report(projects[7], 2022, 6, ytd_investment=3000, cumulative_investment=3000,
                       actual_start_date=dt.date(2022, 3, 1))
    submitted = MonthlyReport.objects.get(project=projects[5], period__month=6)
    with pytest.raises(BatchError) as caught:
        reporting.submit_reports([fine, warned, submitted], acting_user=admin)
    assert set(caught.value.errors) == {1, 2}
    assert "warning_note" in caught.value.errors[1].message_dict
    assert MonthlyReport.objects.get(pk=fine.pk).status == ReportStatus.DRAFT
    reporting.submit_reports([fine, warned], acting_user=admin, warning_note="总投资已调整")
    assert warned.status == ReportStatus.SUBMITTED and warned.warning_note == "总投资已调整"
    assert fine.warning_note == "" and fine.first_submitted_at is not None


# Project lists -----------------------------------------------------------------------------------

def test_a_project_list_creates_the_same_projects_plans_and_log_both_ways(world, liangxi):
    admin = world.users["admin"]
    content = xlsx([
        ["项目代码", "项目名称", "建设性质", "总投资(亿元)", "2022年计划投资(亿元)", "开工时间", "责任单位"],
        ["", "清单新项目甲", "新建", 2, 0.5, "2022-03-01", "市自然资源规划局"],
        ["", "清单新项目乙", "续建", 1.5, 0.3, "", ""],
        ["2022-320214-39-01-000001", "新吴区集成电路项目", "续建", 6, 1.2, "", ""],
    ])
    marker = ChangeLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    results = []
    for per_row in (True, False):
        with transaction.atomic():
            batch = services.create_batch(acting_user=admin, kind="projects", file_name="清单.xlsx", content=content,
                                          year=2022, options={"region": "320213", "library": "梁溪区重大项目"})
            plan = services.commit(batch, acting_user=admin, per_row=per_row)
            assert plan.ok, plan.as_text()
            projects = sorted((p.name, p.code, p.total_investment, p.actual_start_date, p.status, p.region_id,
                               tuple(p.departments.values_list("name", flat=True))) for p in Project.objects.all())
            plans = sorted(AnnualPlan.objects.values_list("project__name", "year", "planned_investment", "start_kind"))
            members = sorted(Membership.objects.values_list("project__name", "library__name"))
            log = sorted((e.content_type.model, e.object_repr, e.action, e.reason,
                          sorted((k, v) for k, v in (e.after or {}).items() if k not in {"id", "project", "library"}),
                          sorted((k, v) for k, v in (e.before or {}).items()))
                         for e in ChangeLog.objects.filter(pk__gt=marker))
            results.append((projects, plans, members, log))
            transaction.set_rollback(True)
    assert results[0] == results[1]
    assert len(results[1][3]) == 3 + 3 + 1 + 3  # projects, plans, the new library, its memberships
