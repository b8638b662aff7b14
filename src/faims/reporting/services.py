"""Writing monthly reports: filing, review, the period lock, amendments and attachments.

The web pages, the Excel import and the reminder jobs call these functions and nothing else. Each
is atomic, takes a keyword-only `acting_user`, writes through `core.services.save_object` (so
every change has its change-log row) and raises ValidationError (field-keyed, Chinese, prefixed
with the rule code where a rule is to blame) or PermissionDenied.

The flow: 草稿/已退回 —报送→ 已报送 —退回→ 已退回, 已报送 —审核通过→ 已审核; the city admin
locks a whole period, after which a report changes only through `amend_report`.

Decisions worth knowing:
- A report's month amount is derived from the year-to-date figure only when FAIMS holds the
  report of the month just before (same year). With a gap (May missing) the difference would
  be two months' investment, so the month stays unknown; R01 still checks the figures agree.
- When a save changes only one of month/year-to-date, the other follows it (where derivable), so
  correcting one figure does not leave the other contradicting it.
- The workflow functions act on the stored report (`refresh_from_db`), never on unsaved edits:
  save first, then submit.
- Creating a report, saving, attaching and deleting attachments are refused on a locked period;
  its reports change only through amendments, which keep before and after.
- Accepting a report fills in what the project does not know yet: its actual start date, and its
  statistics (纳统) flag and date when the report says 已入库. Nothing else of the project changes.
- `save_reports` / `submit_reports` are `save_report` / `submit_report` for thousands of reports at
  once (the Excel import): the same checks, rules, side effects and change log, the look-ups done
  once per batch, all or nothing, every failing report named (core.services.BatchError).
"""
import datetime as dt
import json

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.permissions import VIEW, can
from faims.core.services import (
    BatchError,
    after_write,
    chunked,
    clean_objects,
    delete_object,
    in_scope_ids,
    save_object,
    save_objects,
)
from faims.org.choices import Role
from faims.projects.models import Project

from . import rules
from .choices import ReportStatus, StartStatus, StatsStatus
from .models import MonthlyReport, ReportAmendment, ReportAttachment, ReportingPeriod, default_deadline

# The fields a filer fills in (the form's fields; what an amendment may change).
REPORT_FIELDS = (
    "month_investment", "ytd_investment", "cumulative_investment", "start_status", "actual_start_date",
    "stats_status", "stats_date", "construction_status", "progress_text", "production_status",
    "capacity_reached", "problems_text", "status_change_reason",
)
# Fields only the workflow functions set.
WORKFLOW_FIELDS = (
    "status", "warning_note", "return_reason", "submitted_at", "submitted_by", "first_submitted_at",
    "reviewed_at", "reviewed_by",
)

ACTION_LABELS = {
    "save": _("保存"),
    "submit": _("报送"),
    "return": _("退回"),
    "accept": _("审核通过"),
    "amend": _("更正"),
}
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)

ATTACHMENT_TYPES = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
}


# ---------------------------------------------------------------------------------------------
# Periods

def get_period(year: int, month: int, *, create: bool = True) -> ReportingPeriod | None:
    """The period of (year, month); created with the default deadline unless create=False.

    A period is reference data every report points at, not a decision of its own: creating it
    needs no acting user and leaves no change-log row (its deadline changes do).
    """
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError(_("报送期 %(year)s年%(month)s月 不存在。") % {"year": year, "month": month})
    if not create:
        return ReportingPeriod.objects.filter(year=year, month=month).first()
    period, created = ReportingPeriod.objects.get_or_create(
        year=year, month=month, defaults={"deadline": default_deadline(year, month)}
    )
    if created:
        after_write(ReportingPeriod, [period])
    return period


@transaction.atomic
def set_deadline(period: ReportingPeriod, deadline: dt.date, *, acting_user, reason: str) -> ReportingPeriod:
    """Move a period's deadline (holidays); city admin only, with a reason, not after the lock."""
    stored = _lock_period_row(period)
    if not can(acting_user, ReportingPeriod, "change"):
        raise PermissionDenied(_("只有市重大办管理员可以调整报送截止日期。"))
    if stored.is_locked:
        raise ValidationError({"deadline": _("%(period)s已锁定，不能再调整截止日期。") % {"period": stored}})
    if not (reason or "").strip():
        raise ValidationError({"deadline_reason": _("请填写截止日期调整原因。")})
    first_day = rules.period_bounds(stored)[1] + dt.timedelta(days=1)
    if deadline < first_day:
        raise ValidationError({"deadline": _("截止日期（%(date)s）不能早于报送期结束后的第一天（%(first)s）。") % {
            "date": deadline.isoformat(), "first": first_day.isoformat()}})
    stored.deadline = deadline
    stored.deadline_reason = reason.strip()
    save_object(stored, acting_user=acting_user, reason=reason.strip())
    period.refresh_from_db()
    return period


@transaction.atomic
def lock_period(period: ReportingPeriod, *, acting_user) -> ReportingPeriod:
    """Freeze a period: afterwards its reports change only through amendments. There is no unlock."""
    stored = _lock_period_row(period)
    if not can(acting_user, ReportingPeriod, "lock"):
        raise PermissionDenied(_("只有市重大办管理员可以锁定报送期。"))
    if stored.is_locked:
        raise ValidationError(_("%(period)s已于 %(time)s 锁定。") % {
            "period": stored, "time": timezone.localtime(stored.locked_at).strftime("%Y-%m-%d %H:%M")})
    stored.locked_at = timezone.now()
    stored.locked_by = acting_user
    save_object(stored, acting_user=acting_user, reason=str(_("锁定报送期")))
    counts = {status: 0 for status in ReportStatus.values}
    for status in stored.reports.values_list("status", flat=True):
        counts[status] += 1
    record_event(AuditKind.LOCK, user=acting_user, period=stored.label, **counts)
    period.refresh_from_db()
    return period


def _lock_period_row(period: ReportingPeriod) -> ReportingPeriod:
    """The stored period, its row locked until the transaction ends (a lock and a save cannot cross)."""
    return ReportingPeriod.objects.select_for_update().get(pk=period.pk)


# ---------------------------------------------------------------------------------------------
# Reading helpers the services, pages and imports share

def previous_report(project, period) -> MonthlyReport | None:
    """The latest report of the same project and year before `period`."""
    return (MonthlyReport.objects.filter(project=project, period__year=period.year, period__month__lt=period.month)
            .select_related("period").order_by("-period__month").first())


def earlier_report(project, period) -> MonthlyReport | None:
    """The latest report of the project before `period`, of any year (for figures that never restart)."""
    return (MonthlyReport.objects.filter(project=project)
            .exclude(period__year__gt=period.year)
            .exclude(period__year=period.year, period__month__gte=period.month)
            .select_related("period").order_by("-period__year", "-period__month").first())


def neighbours(report: MonthlyReport) -> tuple[MonthlyReport | None, MonthlyReport | None]:
    """(previous, earlier) of a report as the rules take them, in one query."""
    earlier = earlier_report(report.project, report.period)
    previous = earlier if earlier is not None and earlier.period.year == report.period.year else None
    return previous, earlier


def check_report(report: MonthlyReport) -> list[rules.Finding]:
    """Every finding of the rules for `report` as it stands (saved or not); what pages should show."""
    previous, earlier = neighbours(report)
    return rules.check(report, previous=previous, project=report.project, earlier=earlier)


def allowed_actions(report: MonthlyReport, user=None) -> list[str]:
    """The next steps of the flow from the report's state ("save", "submit", "return", "accept", "amend").

    With a user, only those the user's role allows (scope is checked when the step is taken).
    """
    if report.period.is_locked:
        steps = ["amend"]
    elif report.status in EDITABLE:
        steps = ["save", "submit"]
    elif report.status == ReportStatus.SUBMITTED:
        steps = ["save", "return", "accept"] if user is None or _is_admin(user) else ["return", "accept"]
    else:
        steps = ["save"] if user is None or _is_admin(user) else []
    if user is None:
        return steps
    needs = {"save": "change", "submit": "change", "return": "review", "accept": "review", "amend": "amend"}
    return [step for step in steps if can(user, MonthlyReport, needs[step])]


def _is_admin(user) -> bool:
    return getattr(user, "role", None) == Role.CITY_ADMIN


def _refuse_step(report, user=None, *, field=NON_FIELD_ERRORS):
    """The ValidationError of a step outside the flow, naming the steps that are possible."""
    steps = allowed_actions(report, user)
    names = "、".join(str(ACTION_LABELS[s]) for s in steps) if steps else str(_("无"))
    note = _("（本期已锁定）") if report.period.is_locked else ""
    message = _("当前状态“%(status)s”，可进行的操作：%(steps)s%(note)s") % {
        "status": report.get_status_display(), "steps": names, "note": note}
    return ValidationError({field: [message]})


def _require(user, report: MonthlyReport, action: str) -> None:
    """PermissionDenied unless `user` may take `action` on this report (role and project scope)."""
    if report.pk is not None:
        allowed = MonthlyReport.objects.restrict(user, action).filter(pk=report.pk).exists()
    else:
        allowed = (can(user, MonthlyReport, action)
                   and Project.objects.restrict(user, VIEW).filter(pk=report.project_id).exists())
    if not allowed:
        raise PermissionDenied(_("您无权对该项目的月度报送执行此操作。"))


def _stored(report: MonthlyReport) -> MonthlyReport:
    """The stored report, its row locked until the transaction ends."""
    return MonthlyReport.objects.select_for_update().select_related("period", "project").get(pk=report.pk)


# ---------------------------------------------------------------------------------------------
# Filing

def derive_amounts(report: MonthlyReport, previous: MonthlyReport | None, stored: MonthlyReport | None = None) -> None:
    """Fill in the month or year-to-date figure from the other one, where the figures allow.

    In January both are the same. Otherwise the month is the year-to-date figure minus that of
    the month just before; a gap, or no earlier report (the first report FAIMS holds may be
    June's), leaves it unknown. When a stored report is given and only one of the two figures
    changed, the other is derived again from it.
    """
    month, ytd = report.month_investment, report.ytd_investment
    if stored is not None:
        month_changed = month != stored.month_investment
        ytd_changed = ytd != stored.ytd_investment
        if ytd_changed and not month_changed:
            month = None
        elif month_changed and not ytd_changed:
            ytd = None
    if month is not None and ytd is not None:
        report.month_investment, report.ytd_investment = month, ytd
        return
    if report.period.month == 1:
        month = ytd if month is None else month
        ytd = month if ytd is None else ytd
    elif rules.is_immediately_before(previous, report.period) and previous.ytd_investment is not None:
        if month is None and ytd is not None and ytd >= previous.ytd_investment:
            month = ytd - previous.ytd_investment
        elif ytd is None and month is not None:
            ytd = previous.ytd_investment + month
    elif stored is not None:
        # Not derivable: keep the figure the user did not touch rather than drop it.
        month = stored.month_investment if month is None and report.month_investment is not None else month
        ytd = stored.ytd_investment if ytd is None and report.ytd_investment is not None else ytd
    report.month_investment, report.ytd_investment = month, ytd


def _validate(report: MonthlyReport, *, stored: MonthlyReport | None) -> list[rules.Finding]:
    """Clean the fields, derive the amounts, run the rules; raise every error at once."""
    try:
        report.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    previous, earlier = neighbours(report)
    derive_amounts(report, previous, stored)
    findings = rules.check(report, previous=previous, project=report.project, earlier=earlier)
    _raise_errors(rules.errors(findings))
    return rules.warnings(findings)


def _raise_errors(errors) -> None:
    if errors:
        grouped = {}
        for finding in errors:
            grouped.setdefault(finding.field or NON_FIELD_ERRORS, []).append(finding.message)
        raise ValidationError(grouped)


@transaction.atomic
def save_report(report: MonthlyReport, *, acting_user, reason: str = "") -> list[rules.Finding]:
    """Create or update a draft or returned report (the city admin also a submitted or accepted one).

    Derives the month or year-to-date figure, runs the rules; errors raise ValidationError, the
    warnings are returned (they need a confirming note at submission). The workflow fields are
    the stored ones whatever the instance holds.
    """
    creating = report.pk is None
    missing = {name: [_("请选择%(what)s。") % {"what": label}] for name, label in
               (("project", _("项目")), ("period", _("报送期"))) if getattr(report, f"{name}_id") is None}
    if missing:
        raise ValidationError(missing)
    _require(acting_user, report, "add" if creating else "change")
    period = _lock_period_row(report.period)
    report.period = period
    stored = None
    if creating:
        for name in WORKFLOW_FIELDS:
            setattr(report, name, MonthlyReport._meta.get_field(name).get_default())
    else:
        stored = _stored(report)
        if stored.project_id != report.project_id or stored.period_id != report.period_id:
            raise ValidationError(_("报送的项目和报送期不能修改；请为该项目或报送期另建报送。"))
        for name in WORKFLOW_FIELDS:
            setattr(report, name, getattr(stored, name))
    if period.is_locked:
        raise ValidationError(_("%(period)s已锁定，不能再修改报送；如需修改请提交更正并说明原因。") % {
            "period": period})
    if not creating and report.status not in EDITABLE and not _is_admin(acting_user):
        raise _refuse_step(report, acting_user)
    warnings = _validate(report, stored=stored)
    save_object(report, acting_user=acting_user, reason=reason)
    if report.status == ReportStatus.ACCEPTED:
        _apply_to_project(report, acting_user=acting_user)
    return warnings


@transaction.atomic
def submit_report(report: MonthlyReport, *, acting_user, warning_note: str = "") -> MonthlyReport:
    """Draft or returned → submitted. Errors block; warnings need a note (field "warning_note")."""
    _require(acting_user, report, "change")
    stored = _stored(report)
    _lock_period_row(stored.period)
    if stored.period.is_locked or stored.status not in EDITABLE:
        raise _refuse_step(stored, acting_user)
    warnings = _validate(stored, stored=None)
    note = (warning_note or "").strip()
    if warnings:
        if not note:
            listed = "；".join(w.message for w in warnings)
            message = _("本报送有以下预警，请填写说明后再报送：%(list)s") % {"list": listed}
            raise ValidationError({"warning_note": [message]})
        stored.warning_note = note
    now = timezone.now()
    stored.status = ReportStatus.SUBMITTED
    stored.submitted_at, stored.submitted_by = now, acting_user
    stored.first_submitted_at = stored.first_submitted_at or now
    stored.return_reason = ""
    save_object(stored, acting_user=acting_user, reason=str(_("报送")))
    _copy_into(report, stored)
    return report


@transaction.atomic
def return_report(report: MonthlyReport, *, acting_user, reason: str) -> MonthlyReport:
    """Submitted → returned, with the reason the filer reads."""
    _require(acting_user, report, "review")
    stored = _stored(report)
    _lock_period_row(stored.period)
    if stored.period.is_locked or stored.status != ReportStatus.SUBMITTED:
        raise _refuse_step(stored, acting_user)
    if not (reason or "").strip():
        raise ValidationError({"return_reason": [_("退回须填写原因。")]})
    stored.status = ReportStatus.RETURNED
    stored.return_reason = reason.strip()
    stored.reviewed_at, stored.reviewed_by = timezone.now(), acting_user
    save_object(stored, acting_user=acting_user, reason=reason.strip())
    _copy_into(report, stored)
    return report


@transaction.atomic
def accept_report(report: MonthlyReport, *, acting_user) -> MonthlyReport:
    """Submitted → accepted; the project learns its start date and 纳统 state if it lacked them."""
    _require(acting_user, report, "review")
    stored = _stored(report)
    _lock_period_row(stored.period)
    if stored.period.is_locked or stored.status != ReportStatus.SUBMITTED:
        raise _refuse_step(stored, acting_user)
    # The report's neighbours may have changed since it was submitted; an error it now has is
    # a reason to return it, not to accept it.
    _raise_errors(rules.errors(check_report(stored)))
    stored.status = ReportStatus.ACCEPTED
    stored.reviewed_at, stored.reviewed_by = timezone.now(), acting_user
    save_object(stored, acting_user=acting_user, reason=str(_("审核通过")))
    _apply_to_project(stored, acting_user=acting_user)
    _copy_into(report, stored)
    return report


def _apply_to_project(report: MonthlyReport, *, acting_user) -> None:
    """Fill in the project's actual start date and statistics entry from an accepted report."""
    from faims.projects.services import save_project

    project = Project.objects.select_for_update().get(pk=report.project_id)
    changed = False
    if report.start_status == StartStatus.STARTED and report.actual_start_date and not project.actual_start_date:
        project.actual_start_date = report.actual_start_date
        changed = True
    if report.stats_status == StatsStatus.ENTERED:
        if not project.in_statistics:
            project.in_statistics, project.statistics_date = True, report.stats_date
            changed = True
        elif project.statistics_date is None and report.stats_date:
            project.statistics_date = report.stats_date
            changed = True
    if not changed:
        return
    try:
        # The reviewer accepted the report within its scope; the project update follows from that
        # decision even for a region officer, who cannot edit projects directly.
        save_project(project, acting_user=acting_user, reason=f"月度报送 {report.period.label}", check_scope=False)
    except ValidationError as exc:
        messages = "；".join(m for ms in exc.message_dict.values() for m in ms)
        raise ValidationError(_("项目信息无法随本报送更新：%(messages)s") % {"messages": messages}) from exc
    report.project = project


def _copy_into(report: MonthlyReport, stored: MonthlyReport) -> None:
    """Leave the caller's instance as stored, so that a page shows what the database holds."""
    for field in MonthlyReport._meta.concrete_fields:
        setattr(report, field.attname, getattr(stored, field.attname))
    report.period = stored.period


# ---------------------------------------------------------------------------------------------
# Batches (the Excel import): save_report and submit_report for many reports at once

def neighbours_in_bulk(reports) -> list[tuple[MonthlyReport | None, MonthlyReport | None]]:
    """neighbours() of every report, in two queries per period and chunk of projects."""
    by_period = {}
    for i, report in enumerate(reports):
        by_period.setdefault(report.period_id, (report.period, []))[1].append(i)
    result = [(None, None)] * len(reports)
    for period, positions in by_period.values():
        latest = (MonthlyReport.objects.filter(project=OuterRef("pk"))
                  .exclude(period__year__gt=period.year)
                  .exclude(period__year=period.year, period__month__gte=period.month)
                  .order_by("-period__year", "-period__month").values("pk")[:1])
        found = {}
        for part in chunked({reports[i].project_id for i in positions}):
            ids = [pk for pk in Project.objects.filter(pk__in=part).annotate(earlier=Subquery(latest))
                   .values_list("earlier", flat=True) if pk is not None]
            for report in MonthlyReport.objects.filter(pk__in=ids).select_related("period"):
                found[report.project_id] = report
        for i in positions:
            earlier = found.get(reports[i].project_id)
            result[i] = (earlier if earlier is not None and earlier.period.year == period.year else None, earlier)
    return result


def _validate_all(reports, stored) -> tuple[dict, dict]:
    """_validate for every report: ({position: ValidationError}, {position: warnings})."""
    errors = {i: ValidationError(exc.message_dict) for i, exc in clean_objects(reports).items()}
    valid = [i for i in range(len(reports)) if i not in errors]
    warnings = {}
    for i, (previous, earlier) in zip(valid, neighbours_in_bulk([reports[i] for i in valid]), strict=True):
        report = reports[i]
        derive_amounts(report, previous, stored[i])
        findings = rules.check(report, previous=previous, project=report.project, earlier=earlier)
        try:
            _raise_errors(rules.errors(findings))
        except ValidationError as exc:
            errors[i] = exc
        else:
            warnings[i] = rules.warnings(findings)
    return errors, warnings


def _lock_period_rows(ids) -> dict:
    return {p.pk: p for p in ReportingPeriod.objects.select_for_update().filter(pk__in=set(ids))}


@transaction.atomic
def save_reports(reports, *, acting_user, reason: str = "") -> list[list[rules.Finding]]:
    """save_report for many reports (at most one per project), all or nothing.

    Returns each report's warnings; raises core.services.BatchError holding, by position, the
    ValidationError or PermissionDenied save_report would raise for each failing report.
    """
    reports = list(reports)
    if len({r.project_id for r in reports}) != len({(r.project_id, r.period_id) for r in reports}):
        raise ValueError("save_reports takes at most one period per project")
    errors = {}
    for i, report in enumerate(reports):
        missing = {name: [_("请选择%(what)s。") % {"what": label}] for name, label in
                   (("project", _("项目")), ("period", _("报送期"))) if getattr(report, f"{name}_id") is None}
        if missing:
            errors[i] = ValidationError(missing)
    denied = PermissionDenied(_("您无权对该项目的月度报送执行此操作。"))
    creating = [i for i, r in enumerate(reports) if r.pk is None and i not in errors]
    updating = [i for i, r in enumerate(reports) if r.pk is not None and i not in errors]
    visible = (in_scope_ids(Project, acting_user, VIEW, [reports[i].project_id for i in creating])
               if can(acting_user, MonthlyReport, "add") else set())
    changeable = in_scope_ids(MonthlyReport, acting_user, "change", [reports[i].pk for i in updating])
    errors.update({i: denied for i in creating if reports[i].project_id not in visible})
    errors.update({i: denied for i in updating if reports[i].pk not in changeable})
    checked = [i for i in range(len(reports)) if i not in errors]
    periods = _lock_period_rows(reports[i].period_id for i in checked)
    stored_rows = {}
    for part in chunked(reports[i].pk for i in checked if reports[i].pk is not None):
        stored_rows.update(MonthlyReport.objects.select_for_update().in_bulk(part))
    stored = {}
    for i in checked:
        report = reports[i]
        period = report.period = periods[report.period_id]
        old = stored[i] = stored_rows.get(report.pk)
        if old is None:
            for name in WORKFLOW_FIELDS:
                setattr(report, name, MonthlyReport._meta.get_field(name).get_default())
        elif old.project_id != report.project_id or old.period_id != report.period_id:
            errors[i] = ValidationError(_("报送的项目和报送期不能修改；请为该项目或报送期另建报送。"))
            continue
        else:
            for name in WORKFLOW_FIELDS:
                setattr(report, name, getattr(old, name))
        if period.is_locked:
            errors[i] = ValidationError(_("%(period)s已锁定，不能再修改报送；如需修改请提交更正并说明原因。") % {
                "period": period})
        elif old is not None and report.status not in EDITABLE and not _is_admin(acting_user):
            errors[i] = _refuse_step(report, acting_user)
    valid = [i for i in checked if i not in errors]
    found, warnings = _validate_all([reports[i] for i in valid], [stored[i] for i in valid])
    errors.update({valid[n]: error for n, error in found.items()})
    if errors:
        raise BatchError(errors)
    save_objects(reports, acting_user=acting_user, reason=reason)
    for report in reports:
        if report.status == ReportStatus.ACCEPTED:
            _apply_to_project(report, acting_user=acting_user)
    return [warnings[n] for n in range(len(valid))]


@transaction.atomic
def submit_reports(reports, *, acting_user, warning_note: str = "") -> list[MonthlyReport]:
    """submit_report for many saved reports, all or nothing (BatchError as in save_reports)."""
    reports = list(reports)
    changeable = in_scope_ids(MonthlyReport, acting_user, "change", [r.pk for r in reports])
    errors = {i: PermissionDenied(_("您无权对该项目的月度报送执行此操作。"))
              for i, r in enumerate(reports) if r.pk not in changeable}
    stored = {}
    for part in chunked(r.pk for i, r in enumerate(reports) if i not in errors):
        stored.update(MonthlyReport.objects.select_for_update().select_related("period", "project").in_bulk(part))
    _lock_period_rows(s.period_id for s in stored.values())
    todo = []
    for i, report in enumerate(reports):
        if i in errors:
            continue
        if stored[report.pk].period.is_locked or stored[report.pk].status not in EDITABLE:
            errors[i] = _refuse_step(stored[report.pk], acting_user)
        else:
            todo.append(i)
    rows = [stored[reports[i].pk] for i in todo]
    found, warnings = _validate_all(rows, [None] * len(rows))
    note = (warning_note or "").strip()
    now = timezone.now()
    for n, i in enumerate(todo):
        if n in found:
            errors[i] = found[n]
            continue
        row = rows[n]
        if warnings[n]:
            if not note:
                listed = "；".join(w.message for w in warnings[n])
                message = _("本报送有以下预警，请填写说明后再报送：%(list)s") % {"list": listed}
                errors[i] = ValidationError({"warning_note": [message]})
                continue
            row.warning_note = note
        row.status = ReportStatus.SUBMITTED
        row.submitted_at, row.submitted_by = now, acting_user
        row.first_submitted_at = row.first_submitted_at or now
        row.return_reason = ""
    if errors:
        raise BatchError(errors)
    save_objects(rows, acting_user=acting_user, reason=str(_("报送")))
    for report, row in zip(reports, rows, strict=True):
        _copy_into(report, row)
    return reports


# ---------------------------------------------------------------------------------------------
# Amendments (locked periods)

@transaction.atomic
def amend_report(report: MonthlyReport, *, acting_user, reason: str, changes: dict) -> ReportAmendment:
    """Change a report of a locked period; the figures before and after and the reason are kept."""
    _require(acting_user, report, "amend")
    stored = _stored(report)
    if not stored.period.is_locked:
        raise ValidationError({NON_FIELD_ERRORS: [_("%(period)s尚未锁定，请直接修改报送，无需更正。") % {
            "period": stored.period}]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("更正须填写原因。")]})
    unknown = [name for name in changes if name not in REPORT_FIELDS]
    if unknown:
        raise ValidationError({NON_FIELD_ERRORS: [_("以下内容不能通过更正修改：%(fields)s") % {
            "fields": "、".join(unknown)}]})
    original = MonthlyReport.objects.get(pk=stored.pk)
    before = {name: getattr(original, name) for name in REPORT_FIELDS}
    for name, value in changes.items():
        setattr(stored, name, value)
    _validate(stored, stored=original)
    if all(before[name] == getattr(stored, name) for name in REPORT_FIELDS):
        raise ValidationError({NON_FIELD_ERRORS: [_("更正内容与原报送相同，没有需要更正的内容。")]})
    save_object(stored, acting_user=acting_user, reason=str(_("更正：%(reason)s") % {"reason": reason.strip()}))
    # Read back, so that the amendment holds what the database stores (1300 as 1300.00).
    saved = MonthlyReport.objects.get(pk=stored.pk)
    after = {name: getattr(saved, name) for name in REPORT_FIELDS}
    changed = [name for name in REPORT_FIELDS if before[name] != after[name]]
    amendment = ReportAmendment.objects.create(
        report=stored, user=acting_user, reason=reason.strip(),
        before=_json({name: before[name] for name in changed}),
        after=_json({name: after[name] for name in changed}),
    )
    if stored.status == ReportStatus.ACCEPTED:
        _apply_to_project(stored, acting_user=acting_user)
    _copy_into(report, stored)
    return amendment


def _json(values: dict) -> dict:
    """Amounts as "1200.00" and dates as "2022-06-01", as the change log stores them."""
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


# ---------------------------------------------------------------------------------------------
# Attachments

def sniff_content_type(content: bytes) -> str | None:
    """The attachment type the file's first bytes announce (None for anything else)."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _check_attachable(report: MonthlyReport, acting_user) -> MonthlyReport:
    stored = _stored(report)
    _lock_period_row(stored.period)
    if stored.period.is_locked or (stored.status not in EDITABLE and not _is_admin(acting_user)):
        raise _refuse_step(stored, acting_user)
    return stored


def check_upload(name: str, content: bytes) -> tuple[str, str]:
    """(file name as stored, content type the content announces) of an acceptable photo or PDF."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    limit_mb = settings.FAIMS_MAX_UPLOAD_MB
    if not content:
        raise ValidationError({"content": [_("文件“%(name)s”是空的。") % {"name": name}]})
    if len(content) > limit_mb * 1024 * 1024:
        raise ValidationError(
            {
                "content": [
                    _("文件“%(name)s”大小为 %(size).1f MB，超过 %(limit)s MB 的上限。")
                    % {"name": name, "size": len(content) / 1024 / 1024, "limit": limit_mb}
                ]
            }
        )
    detected = sniff_content_type(content)
    suffixes = tuple(s for group in ATTACHMENT_TYPES.values() for s in group)
    if detected is None or not name.lower().endswith(suffixes):
        raise ValidationError(
            {
                "content": [
                    _("文件“%(name)s”不是可接受的图片或 PDF；只能上传 JPG、PNG、GIF、WebP 图片和 PDF 文件。")
                    % {"name": name}
                ]
            }
        )
    if len(name) > 200:
        stem, _dot, suffix = name.rpartition(".")
        name = f"{stem[: 200 - len(suffix) - 1]}.{suffix}"
    return name, detected


@transaction.atomic
def add_attachment(report: MonthlyReport, *, acting_user, name: str, content_type: str,
                   content: bytes) -> ReportAttachment:
    """Attach a photo (JPEG, PNG, GIF, WebP) or a PDF, recognised by its content, within the size limit.

    The stored type is the one the content announces; the `content_type` the browser sent is
    not trusted.
    """
    _require(acting_user, report, "change")
    stored = _check_attachable(report, acting_user)
    name, detected = check_upload(name, content)
    attachment = ReportAttachment(report=stored, name=name, content_type=detected, size=len(content),
                                  content=content, uploaded_by=acting_user)
    return save_object(attachment, acting_user=acting_user)


@transaction.atomic
def delete_attachment(attachment: ReportAttachment, *, acting_user) -> None:
    _require(acting_user, attachment.report, "change")
    _check_attachable(attachment.report, acting_user)
    delete_object(attachment, acting_user=acting_user)

