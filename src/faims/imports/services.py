"""Uploading a sheet, previewing what it would change, committing it all or nothing.

The web pages and the `import_projects` / `import_reports` commands call these and nothing else.
The file stays in the database (ImportBatch) between the dry run and the commit, so any server of
the installation can commit what another one previewed; the commit reads it again and re-plans
against the data as it is then.
"""
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faims.core.audit import record_event, request_id_var
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

# A commit writing more rows than this runs in the job worker, the page showing its progress.
BACKGROUND_ROWS = 500


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


def commit(batch: ImportBatch, *, acting_user, warning_note: str = "", progress=None, per_row: bool = False) -> Plan:
    """Apply every row of the batch in one transaction; on any error nothing is saved.

    Returns the plan; `plan.ok` tells whether the batch was imported. The rows are written through
    the services' batch functions; per_row=True writes them one by one through save_report /
    save_project instead (the slower reference the batch path must agree with). `progress(done,
    total)` is called as chunks of rows are written.
    """
    _check_committable(batch, acting_user)
    note = (warning_note or "").strip()
    plan = build_plan(batch, acting_user)
    if plan.ok and batch.kind == ImportKind.REPORTS and batch.options.get("submit") and plan.warnings and not note:
        plan.error(_("有 %(n)s 条预警，提交报送前请填写预警说明。") % {"n": len(plan.warnings)})
    if plan.ok:
        try:
            with transaction.atomic():
                if per_row:
                    failures = []
                    for row in plan.rows:
                        if row.apply is None:
                            continue
                        try:
                            row.apply(warning_note=note)
                        except (ValidationError, PermissionDenied) as exc:
                            failures.append((row.row, exc))
                else:
                    failures = plan.apply_rows(plan.rows, warning_note=note, progress=progress)
                for row_number, exc in failures:
                    if isinstance(exc, ValidationError):
                        plan.errors.extend(Issue(message, row_number) for message in _messages(exc))
                    else:
                        plan.errors.append(Issue(str(exc) or _("超出您的管辖范围。"), row_number))
                if plan.errors:
                    raise _Rollback
                record_event(AuditKind.IMPORT, user=acting_user, what=batch.kind, file=batch.file_name,
                             sha256=batch.sha256, batch=batch.pk, period=batch.period_label, **plan.counts())
                batch.status, batch.committed_at = BatchStatus.COMMITTED, timezone.now()
                batch.summary = plan.as_dict()
                batch.progress = batch.progress_total = plan.changed
                batch.save(update_fields=["status", "committed_at", "summary", "progress", "progress_total"])
        except _Rollback:
            pass
    if not plan.ok:
        batch.status, batch.summary = BatchStatus.FAILED, plan.as_dict()
        batch.save(update_fields=["status", "summary"])
    return plan


def _check_committable(batch: ImportBatch, acting_user, *, starting: bool = False) -> None:
    if batch.user_id != acting_user.pk:
        raise PermissionDenied(_("只能导入自己上传的文件。"))
    if batch.status == BatchStatus.COMMITTED:
        raise ValidationError(_("该文件已于 %(time)s 导入，无需重复导入；如需再次导入请重新上传。") % {
            "time": timezone.localtime(batch.committed_at).strftime("%Y-%m-%d %H:%M")})
    if starting and batch.in_progress:
        raise ValidationError(_("该文件正在导入，请稍候。"))


def rows_to_write(batch: ImportBatch) -> int:
    """The rows the batch's preview would create or change."""
    counts = (batch.summary or {}).get("counts", {})
    return counts.get("new", 0) + counts.get("updated", 0)


def start_commit(batch: ImportBatch, *, acting_user, warning_note: str = "") -> Plan | None:
    """Commit the batch now, or, when it writes more than BACKGROUND_ROWS rows, hand it to the job
    worker (`faims qcluster`) and return None; the batch then moves 等待导入 → 正在导入 → 已导入/未导入."""
    from django_q.tasks import async_task

    _check_committable(batch, acting_user, starting=True)
    total = rows_to_write(batch)
    if total <= BACKGROUND_ROWS:
        return commit(batch, acting_user=acting_user, warning_note=warning_note)
    batch.status, batch.progress, batch.progress_total = BatchStatus.QUEUED, 0, total
    batch.save(update_fields=["status", "progress", "progress_total"])
    async_task("faims.imports.tasks.commit_batch", batch.pk, (warning_note or "").strip(), request_id_var.get(),
               task_name=f"import-batch-{batch.pk}", group="imports")
    return None


def progress_recorder(batch: ImportBatch):
    """progress(done, total) for commit(): stores the figures the batch page polls.

    Inside the commit's transaction the figures go through a connection of their own so that other
    requests see them before the commit ends. SQLite allows one writer at a time, so there the
    page shows the figures of the checking stage until the commit ends.
    """
    def progress(done: int, total: int) -> None:
        values = {"status": BatchStatus.RUNNING, "progress": done, "progress_total": total}
        if not connection.in_atomic_block:
            ImportBatch.objects.filter(pk=batch.pk).update(**values)
            return
        if connection.vendor == "sqlite":
            return
        side = connection.copy()
        try:
            quote = side.ops.quote_name
            opts = ImportBatch._meta
            columns = ", ".join(f"{quote(opts.get_field(name).column)} = %s" for name in values)
            with side.cursor() as cursor:
                cursor.execute(f"UPDATE {quote(opts.db_table)} SET {columns} WHERE {quote(opts.pk.column)} = %s",
                               [*values.values(), batch.pk])
        finally:
            side.close()

    return progress


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for messages in exc.message_dict.values() for message in messages]
    return list(exc.messages)
