"""What the import commands share: running a batch with its preview and error report."""
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from . import services


def run_batch(command, *, path: str, user, dry_run: bool, warning_note: str = "", **batch_fields) -> None:
    """Upload, preview, commit unless --dry-run; print the preview; fail when nothing was imported."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"文件不存在：{path}")
    try:
        batch = services.create_batch(acting_user=user, file_name=file.name, content=file.read_bytes(),
                                      **batch_fields)
    except PermissionDenied as exc:
        raise CommandError(str(exc)) from exc
    plan = services.preview(batch) if dry_run else services.commit(batch, acting_user=user,
                                                                    warning_note=warning_note)
    command.stdout.write(plan.as_text())
    if not plan.ok:
        raise CommandError("导入失败：有错误，未导入任何数据。")
    if dry_run:
        command.stdout.write(command.style.SUCCESS("试导入完成（--dry-run），未保存任何数据。"))
    elif plan.changed:
        command.stdout.write(command.style.SUCCESS(f"已导入 {plan.changed} 行。"))
    else:
        raise CommandError("没有需要导入的变化（无变化）。")
