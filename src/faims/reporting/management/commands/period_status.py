"""faims period_status --period 2022-06: due, on-time, late and missing reports of a period by group."""
from django.core.management.base import BaseCommand, CommandError

from faims.core.commandline import acting_user, parse_period
from faims.core.formatting import format_rate
from faims.core.permissions import VIEW
from faims.projects.models import Project
from faims.reporting import deadlines, services


class Command(BaseCommand):
    help = "按地区、项目单位或项目库列出一个报送期的应报、按时、逾期、未报送数和按时报送率（在操作人的权限范围内）。"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="报送期，格式 YYYY-MM，例如 2022-06")
        parser.add_argument("--by", default="region", choices=deadlines.GROUPINGS, help="分组方式（默认 region）")
        parser.add_argument("--user", default=None, help="按此账号的权限范围统计（默认第一个市重大办管理员）")

    def handle(self, *args, period, by, user, **options):
        year, month = parse_period(period)
        found = services.get_period(year, month, create=False)
        if found is None:
            raise CommandError(f"报送期 {period} 不存在。")
        projects = Project.objects.restrict(acting_user(user), VIEW)
        self.stdout.write(f"{found}  截止 {found.deadline:%Y-%m-%d}{'  已锁定' if found.is_locked else ''}")
        self.stdout.write(f"{'':<24}{'应报':>6}{'按时':>6}{'逾期':>6}{'未报':>6}  按时报送率")
        for row in deadlines.on_time_rate(found, projects, by=by):
            self.stdout.write(f"{row.label[:22]:<24}{row.due:>6}{row.on_time:>6}{row.late:>6}{row.missing:>6}  "
                              f"{format_rate(row.rate)}")
