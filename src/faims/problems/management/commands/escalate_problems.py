"""faims escalate_problems: the daily escalation job, run by hand (the schedule runs it every morning)."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from faims.problems.services import escalate_due

RUN_AT = dt.time(6, 30)


class Command(BaseCommand):
    help = "把超过办理期限及等待天数仍未解决的问题升级一级（双专班→常务副市长调度会→市长推进会），并打印升级数量。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天运行（YYYY-MM-DD，默认今天）。")

    def handle(self, *args, date, **options):
        now = None
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date 应为 YYYY-MM-DD 格式的日期，收到“{date}”。") from exc
            now = dt.datetime.combine(day, RUN_AT, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
        self.stdout.write(f"已升级 {escalate_due(now)} 个问题。")
