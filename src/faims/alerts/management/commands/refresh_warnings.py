import re
import time

from django.core.management.base import BaseCommand, CommandError

from faims.alerts.services import refresh_warnings


class Command(BaseCommand):
    help = "按当前阈值重新计算某一期的项目预警：新增、更新等级、解除不再触发的预警（保留记录）。"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, action="append",
                            help="报送期，格式 YYYY-MM（可重复，如 --period 2022-05 --period 2022-06）")

    def handle(self, *args, period, **options):
        for text in period:
            match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
            if not match or not 1 <= int(match[2]) <= 12:
                raise CommandError(f"--period 应为 YYYY-MM 格式，例如 2022-06：{text}")
            started = time.monotonic()
            result = refresh_warnings(int(match[1]), int(match[2]))
            self.stdout.write(
                f"{text}：新增 {result.raised}，更新 {result.updated}，解除 {result.cleared}，"
                f"未变 {result.unchanged}（用时 {time.monotonic() - started:.2f} 秒）")
