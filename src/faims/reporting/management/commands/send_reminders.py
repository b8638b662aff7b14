"""faims send_reminders: the daily reminder job, run by hand (the schedule runs it every morning)."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from faims.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = "把3天内到期和已逾期的月度报送提醒放入各用户的站内消息（配置了邮件服务器时同时发邮件），并打印汇总。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天运行（YYYY-MM-DD，默认今天）。")

    def handle(self, *args, date, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date 应为 YYYY-MM-DD 格式的日期，收到“{date}”。") from exc
        self.stdout.write(str(send_reminders(today)))
