"""faims import_projects FILE --year 2022: a project list creates or updates projects and their annual plans."""
from django.core.management.base import BaseCommand

from faims.core.commandline import acting_user
from faims.imports.commandline import run_batch
from faims.imports.models import ImportKind
from faims.projects.choices import Category, InvestmentType


class Command(BaseCommand):
    help = ("导入项目清单（.xlsx/.csv）：按项目代码或名称新建、更新项目及其年度计划；先显示将发生的全部变化和错误，"
            "有错误时不导入任何数据并以非零状态退出。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="项目清单文件（.xlsx 或 .csv）")
        parser.add_argument("--year", type=int, required=True, help="年度计划的年度，例如 2022")
        parser.add_argument("--library", default="", help="项目库名称（不存在时新建），清单中的项目加入该库")
        parser.add_argument("--region", default="", help="没有“所在地区”的行使用的默认地区（区划代码或名称）")
        parser.add_argument("--category", default=Category.INDUSTRY, choices=Category.values,
                            help="没有“项目类别”的新项目的类别（默认 industry=产业）")
        parser.add_argument("--investment-type", default=InvestmentType.ENTERPRISE, choices=InvestmentType.values,
                            help="没有“投资类型”的新项目的投资类型（默认 enterprise=企业投资）")
        parser.add_argument("--dry-run", action="store_true", help="只显示将发生的变化，不保存")
        parser.add_argument("--user", default=None, help="操作人账号（默认第一个市重大办管理员）")

    def handle(self, *args, file, year, library, region, category, investment_type, dry_run, user, **options):
        run_batch(self, path=file, user=acting_user(user), dry_run=dry_run, kind=ImportKind.PROJECTS, year=year,
                  options={"library": library, "region": region, "category": category,
                           "investment_type": investment_type})
