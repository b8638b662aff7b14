"""Sheets FAIMS writes: a period's report template (openpyxl, with drop-down lists) and the progress table
重大项目进展情况表 (xlsxwriter, for any filtered set of projects)."""
import datetime as dt
import io

import xlsxwriter
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from faims.core.permissions import VIEW
from faims.metrics import engine
from faims.org.choices import Role
from faims.projects.choices import LifecycleStatus
from faims.projects.models import AnnualPlan, Project
from faims.reporting import rules
from faims.reporting.choices import ProductionStatus, ReportStatus, StartStatus, StatsStatus
from faims.reporting.models import MonthlyReport

from .project_import import chunks

IDENTITY_FILL = PatternFill("solid", fgColor="EDEDED")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.##"


def scope_label(user) -> str:
    if user.role == Role.REGION_OFFICER and user.region_id:
        return str(user.region)
    if user.role == Role.PROJECT_UNIT and user.organisation_id:
        return str(user.organisation)
    return _("全市")


def due_projects(period, user):
    """The projects of the user's scope that report for the period (an annual plan of its year, not 退库)."""
    from faims.reporting.deadlines import due_projects as due

    return due(period).filter(pk__in=Project.objects.restrict(user, VIEW).values("pk"))


def _latest_reports(project_ids, period, *, before: bool) -> dict:
    """The report of the period (before=False), or the latest earlier one of the year (before=True), per project."""
    found = {}
    for part in chunks(project_ids):
        reports = MonthlyReport.objects.filter(project__in=part).select_related("period")
        if before:
            reports = reports.filter(period__year=period.year, period__month__lt=period.month).order_by(
                "project", "-period__month")
        else:
            reports = reports.filter(period__year=period.year, period__month=period.month)
        for report in reports:
            found.setdefault(report.project_id, report)
    return found


def _label(choices, value):
    return str(dict(choices).get(value, "")) if value else ""


def report_template(period, user, *, protect: bool = False) -> bytes:
    # The sheet is read back by the importer, which knows the Chinese headers and choice labels;
    # it is also the document offices circulate, so it is Chinese whatever the page language.
    with translation.override("zh-hans"):
        return _report_template(period, user, protect=protect)


def _report_template(period, user, *, protect: bool = False) -> bytes:
    """The period's report sheet for the user's scope: one row per due project, ready to fill in and upload."""
    projects = list(due_projects(period, user).select_related("unit", "region").order_by("region__code", "name"))
    ids = [p.pk for p in projects]
    plans = {}
    for part in chunks(ids):
        plans.update(dict(AnnualPlan.objects.filter(project__in=part, year=period.year)
                          .values_list("project_id", "planned_investment")))
    current = _latest_reports(ids, period, before=False)
    previous = _latest_reports(ids, period, before=True)
    m = period.month
    columns = [
        # (header, width, identity, validation choices)
        (_("系统编号"), 9, True, None),
        (_("项目代码"), 26, True, None),
        (_("项目名称"), 36, True, None),
        (_("项目单位"), 28, True, None),
        (_("所在地区"), 10, True, None),
        (_("总投资（万元）"), 14, True, None),
        (_("%(y)s年计划投资（万元）") % {"y": period.year}, 14, True, None),
        (_("上月本年累计完成投资（万元）"), 14, True, None),
        (_("上月自开工累计完成投资（万元）"), 14, True, None),
        (_("1-%(m)s月完成投资（万元）") % {"m": m}, 14, False, None),
        (_("自开工累计完成投资（万元）"), 14, False, None),
        (_("开工情况"), 10, False, StartStatus.choices),
        (_("实际开工日期"), 13, False, None),
        (_("入库申报情况"), 12, False, StatsStatus.choices),
        (_("入库日期"), 13, False, None),
        (_("建设状态"), 10, False, LifecycleStatus.choices),
        (_("形象进度"), 30, False, None),
        (_("投产情况"), 10, False, ProductionStatus.choices),
        (_("达产率（%）"), 10, False, None),
        (_("存在问题"), 30, False, None),
        (_("状态变化说明"), 20, False, None),
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{period.year}年{m}月"
    width = len(columns)
    sheet.append([_("%(scope)s%(y)s年%(m)s月重大项目进度报送表") % {
        "scope": scope_label(user), "y": period.year, "m": m}])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([_("单位：万元。灰色列为项目信息和上月数据，请勿修改；白色列为本月填报内容，下拉选择状态。"
                    "未填写本月完成投资的行不导入。")])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append([str(c[0]) for c in columns])
    for index, (_header, col_width, identity, _choices) in enumerate(columns, start=1):
        cell = sheet.cell(row=3, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL if not identity else IDENTITY_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = col_width
    for project in projects:
        report, before = current.get(project.pk), previous.get(project.pk)
        carried = report or before
        sheet.append([
            project.pk, project.code or "", project.name, project.unit.name if project.unit else "",
            project.region.name, float(project.total_investment), _number(plans.get(project.pk)),
            _number(before.ytd_investment) if before else None,
            _number(before.cumulative_investment) if before else None,
            _number(report.ytd_investment) if report else None,
            _number(report.cumulative_investment) if report else None,
            _label(StartStatus.choices, carried.start_status) if carried else (
                str(StartStatus.STARTED.label) if project.actual_start_date else str(StartStatus.NOT_STARTED.label)),
            (carried.actual_start_date if carried else project.actual_start_date),
            _label(StatsStatus.choices, carried.stats_status) if carried else "",
            carried.stats_date if carried else None,
            _label(LifecycleStatus.choices, carried.construction_status if carried else project.status),
            report.progress_text if report else "",
            _label(ProductionStatus.choices, carried.production_status) if carried else "",
            _number(carried.capacity_reached) if carried else None,
            report.problems_text if report else "",
            report.status_change_reason if report else "",
        ])
    last = sheet.max_row
    for index, (_header, _w, identity, choices) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if choices:
            validation = DataValidation(type="list", formula1='"{}"'.format(",".join(str(lbl) for _v, lbl in choices)),
                                        allow_blank=True, showErrorMessage=True)
            validation.error = _("请从下拉列表中选择。")
            sheet.add_data_validation(validation)
            validation.add(f"{letter}4:{letter}{max(last, 4) + 200}")
        for row in range(4, last + 1):
            cell = sheet.cell(row=row, column=index)
            if identity:
                cell.fill = IDENTITY_FILL
            elif protect:
                cell.protection = Protection(locked=False)
            if index in (13, 15):
                cell.number_format = DATE_FORMAT
            elif 6 <= index <= 11:
                cell.number_format = MONEY_FORMAT
    sheet.freeze_panes = "D4"
    if protect:
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(value):
    return float(value) if value is not None else None


PROGRESS_COLUMNS = [
    ("序号", 6), ("项目名称", 32), ("建设内容", 40), ("总投资", 12), ("年度计划", 12), ("1-{m}月完成", 12),
    ("完成率", 9), ("开工情况", 14), ("形象进度", 36), ("存在问题", 30), ("责任单位", 20), ("挂钩领导", 10),
]
REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
TOTAL_KPIS = ["project_count", "total_investment", "annual_plan", "ytd_investment", "completion_rate"]


def progress_rows(projects, period):
    """(project, annual plan amount, report) for each project, with three queries per 2,000 projects."""
    projects = list(projects.select_related("leader", "region").prefetch_related(
        Prefetch("departments")).order_by("-total_investment", "pk"))
    ids = [p.pk for p in projects]
    plans, reports = {}, {}
    for part in chunks(ids):
        plans.update(dict(AnnualPlan.objects.filter(project__in=part, year=period.year)
                          .values_list("project_id", "planned_investment")))
        reports.update({r.project_id: r for r in MonthlyReport.objects.filter(
            project__in=part, period__year=period.year, period__month=period.month, status__in=REPORTED)})
    return [(p, plans.get(p.pk), reports.get(p.pk)) for p in projects]


def progress_table(projects, period, *, title: str) -> bytes:
    with translation.override("zh-hans"):
        return _progress_table(projects, period, title=title)


def _progress_table(projects, period, *, title: str) -> bytes:
    """重大项目进展情况表: title, 单位：万元, header, one row per project, 合计."""
    rows = progress_rows(projects, period)
    end = rules.period_bounds(period)[1]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(f"{period.year}年1-{period.month}月")
    fmt = {
        "title": workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}),
        "unit": workbook.add_format({"align": "right"}),
        "head": workbook.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                     "text_wrap": True, "bg_color": "#DDEBF7"}),
        "text": workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
        "center": workbook.add_format({"border": 1, "align": "center", "valign": "top"}),
        "money": workbook.add_format({"border": 1, "num_format": "#,##0.##", "valign": "top"}),
        "rate": workbook.add_format({"border": 1, "num_format": "0.0%", "valign": "top"}),
        "total": workbook.add_format({"border": 1, "bold": True, "align": "center"}),
        "total_money": workbook.add_format({"border": 1, "bold": True, "num_format": "#,##0.##"}),
        "total_rate": workbook.add_format({"border": 1, "bold": True, "num_format": "0.0%"}),
    }
    last_col = len(PROGRESS_COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last_col, title, fmt["title"])
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, last_col, _("单位：万元"), fmt["unit"])
    for c, (header, col_width) in enumerate(PROGRESS_COLUMNS):
        sheet.write_string(2, c, header.format(m=period.month), fmt["head"])
        sheet.set_column(c, c, col_width)
    r = 2
    for n, (project, plan, report) in enumerate(rows, start=1):
        r += 1
        ytd = report.ytd_investment if report else None
        start = (report.actual_start_date if report and report.actual_start_date else project.actual_start_date)
        if start and start <= end:
            started = _("已开工（%(date)s）") % {"date": start.isoformat()}
        else:
            started = _("未开工")
        departments = "、".join(d.name for d in project.departments.all()) or project.region.name
        sheet.write_number(r, 0, n, fmt["center"])
        sheet.write_string(r, 1, project.name, fmt["text"])
        sheet.write_string(r, 2, project.scale or "", fmt["text"])
        sheet.write_number(r, 3, float(project.total_investment), fmt["money"])
        _write_amount(sheet, r, 4, plan, fmt["money"])
        _write_amount(sheet, r, 5, ytd, fmt["money"])
        if plan and ytd is not None:
            sheet.write_number(r, 6, float(ytd / plan), fmt["rate"])
        else:
            sheet.write_blank(r, 6, None, fmt["rate"])
        sheet.write_string(r, 7, started, fmt["text"])
        sheet.write_string(r, 8, (report.progress_text if report else _("本期未报送")) or "", fmt["text"])
        sheet.write_string(r, 9, (report.problems_text if report else "") or "", fmt["text"])
        sheet.write_string(r, 10, departments, fmt["text"])
        sheet.write_string(r, 11, project.leader.name if project.leader else "", fmt["text"])
    r += 1
    # The 合计 row comes from the KPI engine, like every other total FAIMS shows.
    kpis = engine.evaluate(projects, period.year, period.month, keys=TOTAL_KPIS).total
    sheet.merge_range(r, 0, r, 2, _("合计（%(n)s个项目）") % {"n": kpis["project_count"]}, fmt["total"])
    for c, key in enumerate(("total_investment", "annual_plan", "ytd_investment"), start=3):
        sheet.write_number(r, c, float(kpis[key]), fmt["total_money"])
    _write_amount(sheet, r, 6, kpis["completion_rate"], fmt["total_rate"])
    for c in range(7, last_col + 1):
        sheet.write_blank(r, c, None, fmt["total"])
    sheet.freeze_panes(3, 2)
    sheet.repeat_rows(2)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    workbook.close()
    return buffer.getvalue()


def _write_amount(sheet, r, c, value, cell_format):
    if value is None:
        sheet.write_blank(r, c, None, cell_format)
    else:
        sheet.write_number(r, c, float(value), cell_format)


def progress_title(scope: str, period) -> str:
    return _("%(scope)s重大项目进展情况表（%(y)s年1-%(m)s月）") % {"scope": scope, "y": period.year, "m": period.month}


def today_stamp() -> str:
    return dt.date.today().strftime("%Y%m%d")
