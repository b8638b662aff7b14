"""Uploading a sheet, previewing what it would change, committing it all or nothing.

The web pages and the `import_projects` / `import_reports` commands call these and nothing else.
The file stays in the database (ImportBatch) between the dry run and the commit, so any server of
the installation can commit what another one previewed; the commit reads it again and re-plans
against the data as it is then.
"""
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.permissions import ADD, can
from faims.projects.choices import Category, InvestmentType
from faims.projects.models import Project
from faims.reporting.models import MonthlyReport

from .models import BatchStatus, ImportBatch, ImportKind
from .plans import Issue, Plan
from .project_import import ProjectPlanner
from .report_import import ReportPlanner
from .sheets import SheetError, read_table


class _Rollback(Exception):
    pass


def may_import(user, kind: str) -> bool:
    model = Project if kind == ImportKind.PROJECTS else MonthlyReport
    return can(user, model, ADD)


def create_batch(*, acting_user, kind: str, file_name: str, content: bytes, year: int, month: int | None = None,
                 options: dict | None = None) -> ImportBatch:
    """Keep an uploaded sheet for its preview and commit."""
    if not may_import(acting_user, kind):
        raise PermissionDenied(_("您的角色不能导入%(kind)s。") % {"kind": ImportKind(kind).label})
    batch = ImportBatch(
        kind=kind, user=acting_user, file_name=(file_name or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200],
        size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content, year=year, month=month,
        options=options or {},
    )
    batch.full_clean()
    batch.save()
    return batch


def build_plan(batch: ImportBatch, user=None) -> Plan:
    """What the batch would change, read from its stored file; no write."""
    user = user or batch.user
    plan = Plan(batch.kind, batch.file_name)
    try:
        table = read_table(bytes(batch.content), batch.file_name)
    except SheetError as exc:
        plan.error(str(exc))
        return plan
    options = batch.options or {}
    if batch.kind == ImportKind.PROJECTS:
        planner = ProjectPlanner(
            table, plan, user=user, year=batch.year, library_name=options.get("library", ""),
            region_code=options.get("region", ""), category=options.get("category") or Category.INDUSTRY,
            investment_type=options.get("investment_type") or InvestmentType.ENTERPRISE)
    else:
        planner = ReportPlanner(table, plan, user=user, year=batch.year, month=batch.month,
                                submit=bool(options.get("submit")))
    return planner.build()


def preview(batch: ImportBatch) -> Plan:
    plan = build_plan(batch)
    batch.summary = plan.as_dict()
    batch.save(update_fields=["summary"])
    return plan


def commit(batch: ImportBatch, *, acting_user, warning_note: str = "") -> Plan:
    """Apply every row of the batch in one transaction; on any error nothing is saved.

    Returns the plan; `plan.ok` tells whether the batch was imported.
    """
    if batch.user_id != acting_user.pk:
        raise PermissionDenied(_("只能导入自己上传的文件。"))
    if batch.status == BatchStatus.COMMITTED:
        raise ValidationError(_("该文件已于 %(time)s 导入，无需重复导入；如需再次导入请重新上传。") % {
            "time": timezone.localtime(batch.committed_at).strftime("%Y-%m-%d %H:%M")})
    note = (warning_note or "").strip()
    plan = build_plan(batch, acting_user)
    if plan.ok and batch.kind == ImportKind.REPORTS and batch.options.get("submit") and plan.warnings and not note:
        plan.error(_("有 %(n)s 条预警，提交报送前请填写预警说明。") % {"n": len(plan.warnings)})
    if plan.ok:
        try:
            with transaction.atomic():
                for row in plan.rows:
                    if row.apply is None:
                        continue
                    try:
                        row.apply(warning_note=note)
                    except ValidationError as exc:
                        for message in _messages(exc):
                            plan.errors.append(Issue(message, row.row))
                    except PermissionDenied as exc:
                        plan.errors.append(Issue(str(exc) or _("超出您的管辖范围。"), row.row))
                if plan.errors:
                    raise _Rollback
                record_event(AuditKind.IMPORT, user=acting_user, what=batch.kind, file=batch.file_name,
                             sha256=batch.sha256, batch=batch.pk, period=batch.period_label, **plan.counts())
                batch.status, batch.committed_at = BatchStatus.COMMITTED, timezone.now()
                batch.summary = plan.as_dict()
                batch.save(update_fields=["status", "committed_at", "summary"])
        except _Rollback:
            pass
    if not plan.ok:
        batch.status, batch.summary = BatchStatus.FAILED, plan.as_dict()
        batch.save(update_fields=["status", "summary"])
    return plan


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for messages in exc.message_dict.values() for message in messages]
    return list(exc.messages)
