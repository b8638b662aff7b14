"""What the import and export commands share: the acting user, the period, running a batch."""
import re
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from faims.org.choices import Role
from faims.org.models import User

from . import services


def acting_user(username: str | None) -> User:
    """--user, or the first active city admin."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在或已停用。")
        return user
    user = User.objects.filter(role=Role.CITY_ADMIN, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("系统中没有可用的市重大办管理员账号，请用 --user 指定操作人。")
    return user


def parse_period(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CommandError(f"报送期“{text}”格式应为 YYYY-MM，例如 2022-06。")
    return int(match.group(1)), int(match.group(2))


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
