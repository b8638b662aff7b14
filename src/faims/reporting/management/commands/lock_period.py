"""faims lock_period --period 2022-06: the city admin locks a reporting period from the console."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from faims.core.commandline import acting_user, parse_period
from faims.reporting import services


class Command(BaseCommand):
    help = "锁定一个报送期：锁定后该期数据只能通过更正（须说明原因）修改。"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="报送期，格式 YYYY-MM，例如 2022-06")
        parser.add_argument("--user", default=None, help="操作人账号（须为市重大办管理员；默认第一个管理员）")

    def handle(self, *args, period, user, **options):
        year, month = parse_period(period)
        found = services.get_period(year, month, create=False)
        if found is None:
            raise CommandError(f"报送期 {period} 不存在。")
        try:
            services.lock_period(found, acting_user=acting_user(user))
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(self.style.SUCCESS(f"已锁定 {found}。"))
