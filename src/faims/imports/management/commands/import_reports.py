"""faims import_reports FILE --period 2022-06: a progress sheet becomes the period's monthly reports."""
from django.core.management.base import BaseCommand

from faims.core.commandline import acting_user, parse_period
from faims.imports.commandline import run_batch
from faims.imports.models import ImportKind


class Command(BaseCommand):
    help = ("导入月度进度表（.xlsx/.csv）为该报送期的月度报送（默认存为草稿，--submit 则直接报送）；"
            "先显示将发生的全部变化和错误，有错误时不导入任何数据并以非零状态退出。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="进度表文件（.xlsx 或 .csv）")
        parser.add_argument("--period", required=True, help="报送期，格式 YYYY-MM，例如 2022-06")
        parser.add_argument("--submit", action="store_true", help="导入后直接报送（否则存为草稿）")
        parser.add_argument("--warning-note", default="", help="存在预警时随报送提交的说明（--submit 时需要）")
        parser.add_argument("--dry-run", action="store_true", help="只显示将发生的变化，不保存")
        parser.add_argument("--user", default=None, help="操作人账号（默认第一个市重大办管理员）")

    def handle(self, *args, file, period, submit, warning_note, dry_run, user, **options):
        year, month = parse_period(period)
        run_batch(self, path=file, user=acting_user(user), dry_run=dry_run, warning_note=warning_note,
                  kind=ImportKind.REPORTS, year=year, month=month, options={"submit": submit})
