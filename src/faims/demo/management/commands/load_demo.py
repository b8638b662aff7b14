"""faims load_demo: the Wuxi 2022 demo programme (reference data, named and synthetic projects, targets, users,
monthly reports)."""
import time

from django.core.management.base import BaseCommand, CommandError

from faims.alerts.services import refresh_stored_periods
from faims.demo import accounts
from faims.demo.nodes import load_nodes
from faims.demo.problems import load_problems
from faims.demo.programme import DEFAULT_PROJECTS, DEFAULT_SEED, DemoError, existing_data, load_programme
from faims.demo.reports import REPORT_MONTHS
from faims.demo.visits import load_visits
from faims.metrics.facts import rebuild_all


class Command(BaseCommand):
    help = ("载入无锡2022年演示数据：地区、部门、项目库、政策点名项目、合成项目、目标任务、"
            "2022年1–9月月度报送和演示账号。")

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=None,
                            help=f"项目总数（默认 {DEFAULT_PROJECTS}，即政策规模的项目盘子；政策点名项目总会载入）。")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子；同一种子得到同样的数据。")
        parser.add_argument(
            "--report-months", type=int, default=REPORT_MONTHS, metavar="N",
            help=f"月度报送覆盖截至8月的最近 N 个月（默认 {REPORT_MONTHS}，即1–8月，另有9月的少量草稿和报送；"
                 "0 不生成报送）。较少的月数从较晚的月份开始，首月报送只有本年累计、本月数未知；"
                 "早于首月的报送期显示为未报送。载入数十万个项目时可减少月数以加快速度。",
        )
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有项目时什么也不做。")
        parser.add_argument("--without-warnings", action="store_true",
                            help="不计算项目预警（之后可用 faims refresh_warnings 计算），用于载入百万级项目。")
        parser.add_argument("--reset", action="store_true",
                            help="先删除已有的月度报送、项目登记、项目库、目标、参考数据和演示账号（变更记录保留），再载入。")

    def handle(self, *args, projects, seed, if_empty, reset, report_months, without_warnings, **options):
        if projects is not None and projects < 1:
            raise CommandError("--projects 必须是正整数。")
        if not 0 <= report_months <= REPORT_MONTHS:
            raise CommandError(f"--report-months 须在 0 到 {REPORT_MONTHS} 之间。")
        if if_empty and not reset and existing_data():
            self.stdout.write("数据库中已有数据，跳过演示数据载入（--if-empty）。")
            return
        started = time.monotonic()
        try:
            counts = load_programme(projects=projects, seed=seed, do_reset=reset, report_months=report_months,
                                    log=self.stdout.write)
            counts["nodeplan"] = load_nodes(seed=seed, log=self.stdout.write)
            counts["problem"] = load_problems(seed=seed, log=self.stdout.write)
            counts["visit"] = load_visits(seed=seed, log=self.stdout.write)
            if not without_warnings:
                counts["projectwarning"] = refresh_stored_periods()
            # The KPI engine's stored facts of every period (kept current by every later write).
            rebuild_all()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        summary = "，".join(f"{name} {count:,}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"已载入演示数据（种子 {seed}，用时 {elapsed:.1f} 秒）：{summary}"))
        if not if_empty:  # `make run` prints the accounts itself, loaded now or before
            self.stdout.write(accounts.format_table(accounts.account_rows()))
