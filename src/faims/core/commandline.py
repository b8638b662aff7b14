"""What management commands share: the acting user (--user) and the period (--period YYYY-MM)."""
import re

from django.core.management.base import CommandError

from faims.org.choices import Role
from faims.org.models import User


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
