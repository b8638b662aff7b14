import time

from django.core.management.base import BaseCommand

from faims.core.commandline import parse_period
from faims.metrics.facts import build_period, rebuild_all


class Command(BaseCommand):
    help = ("重建指标引擎存储的各期项目事实数据（通过系统的每次修改都会自动更新；批量直接写库后或升级后运行）。"
            "不指定 --period 时重建全部报送期。")

    def add_arguments(self, parser):
        parser.add_argument("--period", action="append", default=[],
                            help="报送期，格式 YYYY-MM（可重复）；不指定时重建全部报送期")

    def handle(self, *args, period, **options):
        periods = [parse_period(text) for text in period]
        started = time.monotonic()
        if periods:
            for year, month in periods:
                build_period(year, month)
            count = len(periods)
        else:
            count = rebuild_all(log=lambda text: self.stdout.write(f"  {text}") if options["verbosity"] > 1 else None)
        self.stdout.write(f"已重建 {count} 个报送期的指标事实数据（用时 {time.monotonic() - started:.1f} 秒）。")
