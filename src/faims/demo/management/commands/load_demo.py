"""faims load_demo: the Wuxi 2022 demo programme (reference data, named and synthetic projects, targets, users)."""
import time

from django.core.management.base import BaseCommand, CommandError

from faims.demo import accounts
from faims.demo.programme import DEFAULT_PROJECTS, DEFAULT_SEED, DemoError, existing_data, load_programme


class Command(BaseCommand):
    help = "载入无锡2022年演示数据：地区、部门、项目库、政策点名项目、合成项目、目标任务和演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=None,
                            help=f"项目总数（默认 {DEFAULT_PROJECTS}，即政策规模的项目盘子；政策点名项目总会载入）。")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子；同一种子得到同样的数据。")
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有项目时什么也不做。")
        parser.add_argument("--reset", action="store_true",
                            help="先删除已有的项目登记、项目库、目标、参考数据和演示账号（变更记录保留），再载入。")

    def handle(self, *args, projects, seed, if_empty, reset, **options):
        if projects is not None and projects < 1:
            raise CommandError("--projects 必须是正整数。")
        if if_empty and not reset and existing_data():
            self.stdout.write("数据库中已有数据，跳过演示数据载入（--if-empty）。")
            return
        started = time.monotonic()
        try:
            counts = load_programme(projects=projects, seed=seed, do_reset=reset, log=self.stdout.write)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        summary = "，".join(f"{name} {count:,}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"已载入演示数据（种子 {seed}，用时 {elapsed:.1f} 秒）：{summary}"))
        if not if_empty:  # `make run` prints the accounts itself, loaded now or before
            self.stdout.write(accounts.format_table(accounts.account_rows()))
