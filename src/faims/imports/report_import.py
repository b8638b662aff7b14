"""Progress sheets: each row becomes the project's monthly report of the period, as a draft or submitted.

Rows match projects by 系统编号 (the template's), 项目代码, else exact name within the uploader's
scope; a project FAIMS does not know, or one outside the scope, is an error of its row. A new report
starts from the project's previous report (statuses, start date) and takes the sheet's values over it.
The preview runs the reporting rules in memory on the same figures `save_report` will see.
"""
import copy

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from faims.core.permissions import VIEW
from faims.core.services import BatchError
from faims.org.choices import Role
from faims.projects.choices import LifecycleStatus
from faims.projects.models import Project
from faims.reporting import rules
from faims.reporting import services as reporting
from faims.reporting.choices import ProductionStatus, ReportStatus, StartStatus, StatsStatus
from faims.reporting.models import MonthlyReport, ReportingPeriod, default_deadline

from .columns import REPORT_KEYS
from .plans import INVALID, NEW, SKIPPED, UNCHANGED, UPDATED, Plan, Planner, RowPlan, apply_in_chunks
from .project_import import BEFORE_CONSTRUCTION, chunks


def _labels(choices, **extra) -> dict:
    return {str(label): value for value, label in choices} | extra


START_STATUSES = _labels(StartStatus.choices, 是=StartStatus.STARTED, 否=StartStatus.NOT_STARTED,
                         开工=StartStatus.STARTED, 尚未开工=StartStatus.NOT_STARTED, 已开复工=StartStatus.STARTED)
STATS_STATUSES = _labels(StatsStatus.choices, 已纳统=StatsStatus.ENTERED, 已入统=StatsStatus.ENTERED,
                         未入库=StatsStatus.NOT_APPLIED, 未纳统=StatsStatus.NOT_APPLIED, 申报中=StatsStatus.APPLIED,
                         是=StatsStatus.ENTERED, 否=StatsStatus.NOT_APPLIED)
CONSTRUCTION_STATUSES = _labels(LifecycleStatus.choices, 停建=LifecycleStatus.SUSPENDED,
                                缓建=LifecycleStatus.SUSPENDED, 前期工作=LifecycleStatus.PREPARATION,
                                施工=LifecycleStatus.CONSTRUCTION, 已竣工=LifecycleStatus.COMPLETED,
                                已投产=LifecycleStatus.PRODUCTION)
PRODUCTION_STATUSES = _labels(ProductionStatus.choices, 全面投产=ProductionStatus.FULL,
                              已投产=ProductionStatus.FULL, 否=ProductionStatus.NONE)
# Sheet column → report field, for the messages of the rules.
FIELD_COLUMNS = {
    "month_investment": "month", "ytd_investment": "ytd", "cumulative_investment": "cumulative",
    "start_status": "start_status", "actual_start_date": "start_date", "stats_status": "stats_status",
    "stats_date": "stats_date", "construction_status": "construction_status", "progress_text": "progress",
    "production_status": "production_status", "capacity_reached": "capacity", "problems_text": "problems",
    "status_change_reason": "status_change_reason",
}
CARRIED = ("start_status", "actual_start_date", "stats_status", "stats_date", "construction_status",
           "production_status", "capacity_reached")
FIGURES = ("ytd", "month", "cumulative")


class ReportPlanner(Planner):
    keys = REPORT_KEYS

    def __init__(self, table, plan: Plan, *, user, year: int, month: int, submit: bool = False):
        super().__init__(table, plan)
        self.user, self.year, self.month, self.submit = user, year, month, submit
        self.reason = _("Excel 导入进度表：%(file)s") % {"file": plan.file_name}
        self.period = reporting.get_period(year, month, create=False) or ReportingPeriod(
            year=year, month=month, deadline=default_deadline(year, month))

    def build(self) -> Plan:
        plan = self.plan
        if not self.has("name") and not self.has("code") and not self.has("system_id"):
            plan.error(_("表头缺少“项目名称”或“项目代码”列。"))
        if not any(self.has(key) for key in (*FIGURES, "progress", "start_date")):
            plan.error(_("表头缺少完成投资列：须有“本年完成投资”（或“1-%(m)s月完成投资”）、"
                         "“本月完成投资”或“累计完成投资”。") % {"m": self.month})
        for key in ("ytd", "month"):
            column = self.column(key)
            if column is not None and column.month and column.month != self.month:
                plan.error(_("表头“%(header)s”是%(m)s月的数据，与导入的报送期 %(period)s 不一致；请核对报送期。") % {
                    "header": column.header, "m": column.month, "period": self.period}, None, column)
        if plan.errors:
            return plan
        parsed = [self.parse(row) for row in self.table.rows]
        parsed = [p for p in parsed if p is not None]
        self.match(parsed)
        for item in parsed:
            plan.rows.append(self.compare(item))
        plan.apply_rows = self.apply_rows
        if self.submit and plan.warnings:
            plan.notices.append(_("有 %(n)s 条预警：提交报送时须填写一条预警说明（适用于本批全部报送）。") % {
                "n": len(plan.warnings)})
        return plan

    def parse(self, row) -> dict | None:
        errors = []
        item = {"row": row, "errors": errors}
        for key in ("system_id", "code", "name", "ytd", "month", "cumulative", "start_date", "stats_date",
                    "capacity", "progress", "problems", "status_change_reason"):
            item[key] = self.read(row, key, errors=errors)
        item["start_status"] = self.read(row, "start_status", START_STATUSES, errors)
        item["stats_status"] = self.read(row, "stats_status", STATS_STATUSES, errors)
        item["construction_status"] = self.read(row, "construction_status", CONSTRUCTION_STATUSES, errors)
        item["production_status"] = self.read(row, "production_status", PRODUCTION_STATUSES, errors)
        if not item["name"] and not item["code"] and not item["system_id"]:
            if any(item[key] is not None for key in FIGURES):
                self.plan.error(_("缺少项目名称和项目代码。"), row.number, self.column("name") or self.column("code"))
                errors.append("name")
                item["name"] = ""
            else:
                return None
        if item["code"]:
            item["code"] = item["code"].upper().replace(" ", "")
        return item

    def match(self, parsed) -> None:
        scope = Project.objects.restrict(self.user, VIEW) if self._may_file() else Project.objects.none()
        ids = {int(p["system_id"]) for p in parsed if (p["system_id"] or "").isdigit()}
        codes = {p["code"] for p in parsed if p["code"]}
        names = {p["name"] for p in parsed if p["name"]}
        by_id, by_code, by_name = {}, {}, {}
        for part in chunks(ids):
            by_id.update({p.pk: p for p in scope.filter(pk__in=part)})
        for part in chunks(codes):
            by_code.update({p.code: p for p in scope.filter(code__in=part)})
        for part in chunks(names):
            for project in scope.filter(name__in=part):
                by_name.setdefault(project.name, []).append(project)
        seen = {}
        for item in parsed:
            row, project = item["row"], None
            system_id = item["system_id"]
            if system_id and system_id.isdigit() and int(system_id) in by_id:
                project = by_id[int(system_id)]
            elif item["code"]:
                project = by_code.get(item["code"])
                if project is None:
                    self._cell_error(row, self.column("code"), _(
                        "在您的管辖范围内没有项目代码为 %(code)s 的项目（项目不存在或不归您管辖）。") % {
                        "code": item["code"]}, item["errors"])
            elif item["name"]:
                found = by_name.get(item["name"], [])
                if len(found) == 1:
                    project = found[0]
                elif found:
                    self._cell_error(row, self.column("name"), _(
                        "您的管辖范围内有 %(n)s 个名为“%(name)s”的项目，请填写项目代码以区分。") % {
                        "n": len(found), "name": item["name"]}, item["errors"])
                else:
                    self._cell_error(row, self.column("name"), _(
                        "在您的管辖范围内没有名为“%(name)s”的项目"
                        "（项目不存在或不归您管辖；请先导入项目清单或填写项目代码）。") % {
                        "name": item["name"]}, item["errors"])
            item["project"] = project
            if project is not None:
                if project.pk in seen:
                    self.plan.error(_("与第%(first)s行是同一个项目（%(name)s），一个项目每期只能有一行。") % {
                        "first": seen[project.pk], "name": project.name}, row.number,
                        self.column("name") or self.column("code"))
                    item["errors"].append("duplicate")
                else:
                    seen[project.pk] = row.number
        matched = list(seen)
        self.current, self.previous, self.earlier = {}, {}, {}
        for part in chunks(matched):
            if self.period.pk:
                for report in MonthlyReport.objects.filter(period=self.period, project__in=part):
                    report.period = self.period
                    self.current[report.project_id] = report
        # The same earlier reports the services' rules will compare with.
        probes = [MonthlyReport(project_id=pk, period=self.period) for pk in matched]
        for pk, (previous, earlier) in zip(matched, reporting.neighbours_in_bulk(probes), strict=True):
            if previous is not None:
                self.previous[pk] = previous
            if earlier is not None:
                self.earlier[pk] = earlier

    def _may_file(self) -> bool:
        from faims.core.permissions import can

        if not can(self.user, MonthlyReport, "add"):
            self.plan.error(_("您的角色不能报送月度数据。"))
            return False
        return True

    def compare(self, item) -> RowPlan:
        row, project, errors = item["row"], item.get("project"), item["errors"]
        result = RowPlan(row=row.number, name=project.name if project else item["name"] or "",
                         code=(project.code if project else item["code"]) or "")
        if project is None:
            result.status = INVALID
            return result
        stored = self.current.get(project.pk)
        figures = [item[key] for key in FIGURES]
        if stored is None and all(v is None for v in figures):
            result.status = SKIPPED
            result.notes.append(_("未填写本期完成投资，未导入。"))
            return result
        report = copy.copy(stored) if stored is not None else self.new_report(project)
        report.project = project
        before = {name: getattr(report, name) for name in reporting.REPORT_FIELDS} if stored else {}
        self.overlay(report, item, project)
        previous, earlier = self.previous.get(project.pk), self.earlier.get(project.pk)
        reporting.derive_amounts(report, previous, stored)
        after = {name: getattr(report, name) for name in reporting.REPORT_FIELDS}
        changed = [name for name in reporting.REPORT_FIELDS
                   if after[name] != before.get(name) and (stored is not None or after[name] not in (None, ""))]
        for name in changed:
            if stored is None and after[name] == MonthlyReport._meta.get_field(name).get_default():
                continue
            self.add_change(result, name, before.get(name), after[name])
        status = stored.status if stored is not None else ReportStatus.DRAFT
        will_submit = self.submit and status in reporting.EDITABLE
        if will_submit:
            result.change(MonthlyReport._meta.get_field("status").verbose_name,
                          ReportStatus(status).label if stored else None, ReportStatus.SUBMITTED.label)
        if changed or will_submit or stored is None:
            self.check(report, previous, earlier, project, result, errors, stored, bool(changed))
        if errors:
            result.status = INVALID
            return result
        if stored is not None and not changed and not will_submit:
            result.status = UNCHANGED
            return result
        result.status = NEW if stored is None else UPDATED
        save = stored is None or bool(changed)
        result.apply = self.applier(report, save=save, submit=will_submit)
        result.target = {"report": report, "save": save, "submit": will_submit}
        return result

    def new_report(self, project) -> MonthlyReport:
        report = MonthlyReport(project=project, period=self.period)
        earlier = self.earlier.get(project.pk)
        if earlier is not None:
            for name in CARRIED:
                setattr(report, name, getattr(earlier, name))
        else:
            # What the registry knew by the end of the period; later dates belong to later reports.
            end = rules.period_bounds(self.period)[1]
            if project.actual_start_date and project.actual_start_date <= end:
                report.start_status, report.actual_start_date = StartStatus.STARTED, project.actual_start_date
            report.construction_status = project.status
            if project.in_statistics and (project.statistics_date is None or project.statistics_date <= end):
                report.stats_status, report.stats_date = StatsStatus.ENTERED, project.statistics_date
        return report

    def overlay(self, report, item, project) -> None:
        if item["month"] is not None:
            report.month_investment = item["month"]
        if item["ytd"] is not None:
            report.ytd_investment = item["ytd"]
        if item["cumulative"] is not None:
            report.cumulative_investment = item["cumulative"]
        if item["start_date"] is not None:
            report.actual_start_date = item["start_date"]
            if item["start_status"] is None:
                report.start_status = StartStatus.STARTED
        if item["start_status"] is not None:
            report.start_status = item["start_status"]
            if item["start_status"] == StartStatus.NOT_STARTED and item["start_date"] is not None:
                self._cell_error(item["row"], self.column("start_status"),
                                 _("开工情况为“未开工”，却填写了开工时间，请核对。"), item["errors"])
        for key, name in (("stats_status", "stats_status"), ("stats_date", "stats_date"),
                          ("construction_status", "construction_status"), ("production_status", "production_status"),
                          ("capacity", "capacity_reached"), ("progress", "progress_text"),
                          ("problems", "problems_text"), ("status_change_reason", "status_change_reason")):
            if item[key] is not None:
                setattr(report, name, item[key])
        if (item["construction_status"] is None and report.start_status == StartStatus.STARTED
                and report.construction_status in BEFORE_CONSTRUCTION):
            report.construction_status = LifecycleStatus.CONSTRUCTION

    def add_change(self, result, name, before, after) -> None:
        field = MonthlyReport._meta.get_field(name)
        choices = dict(field.flatchoices) if field.choices else {}
        result.change(field.verbose_name, choices.get(before, before), choices.get(after, after))

    def check(self, report, previous, earlier, project, result, errors, stored, changed) -> None:
        """The checks `save_report` and `submit_report` will make, run now on the same figures."""
        if self.period.is_locked and (changed or stored is None):
            self.plan.error(_("%(period)s已锁定，不能通过导入修改报送；如需修改请提交更正。") % {
                "period": self.period}, result.row)
            errors.append("locked")
            return
        if (stored is not None and changed and stored.status not in reporting.EDITABLE
                and self.user.role != Role.CITY_ADMIN):
            self.plan.error(_("该项目本期报送已是“%(status)s”，不能通过导入修改；如需修改请联系审核人退回。") % {
                "status": stored.get_status_display()}, result.row)
            errors.append("status")
            return
        try:
            report.full_clean(exclude=["project", "period", "submitted_by", "reviewed_by"],
                              validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = self.column(FIELD_COLUMNS.get(name, ""))
                for message in messages:
                    self.plan.error(message, result.row, column)
                    errors.append(message)
        for finding in rules.check(report, previous=previous, project=project, earlier=earlier):
            column = self.column(FIELD_COLUMNS.get(finding.field or "", ""))
            if finding.is_error:
                self.plan.error(finding.message, result.row, column)
                errors.append(finding.message)
            else:
                self.plan.warning(finding.message, result.row, column)
                result.notes.append(finding.message)

    def stored_period(self):
        if self.period.pk is None:
            self.period = reporting.get_period(self.year, self.month)
        return self.period

    def apply_rows(self, rows, *, warning_note: str = "", progress=None) -> list:
        """Save (and submit) every changed row's report through the batch services."""

        def write(part):
            for row in part:
                if row.target["report"].period.pk is None:
                    row.target["report"].period = self.stored_period()
            for step in ("save", "submit"):
                positions = [n for n, row in enumerate(part) if row.target[step]]
                reports = [part[n].target["report"] for n in positions]
                try:
                    if step == "save":
                        reporting.save_reports(reports, acting_user=self.user, reason=self.reason)
                    else:
                        reporting.submit_reports(reports, acting_user=self.user, warning_note=warning_note)
                except BatchError as exc:
                    raise exc.shifted(positions) from None

        return apply_in_chunks(rows, write, progress)

    def applier(self, report, *, save: bool, submit: bool):
        def apply(warning_note: str = ""):
            if report.period.pk is None:
                report.period = self.stored_period()
            if save:
                reporting.save_report(report, acting_user=self.user, reason=self.reason)
            if submit:
                reporting.submit_report(report, acting_user=self.user, warning_note=warning_note)

        return apply
