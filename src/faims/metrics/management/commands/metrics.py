"""faims metrics --year 2022 --month 6 [--library NAME] [--region CODE] [--by region] --format json|table|xlsx."""
import json
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from faims.core.commandline import acting_user
from faims.core.permissions import SEE_EVERYTHING, VIEW
from faims.metrics import engine
from faims.metrics import output as formats
from faims.org.models import Region
from faims.projects.filtersets import ProjectFilterSet
from faims.projects.models import Library, Project


class Command(BaseCommand):
    help = "输出一个范围内各项指标（截至某年某月末）；JSON 中金额以万元计、比率以小数计，无值为 null。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，例如 2022")
        parser.add_argument("--month", type=int, required=True, help="月份 1–12")
        parser.add_argument("--library", default=None, help="项目库名称（该年度的库，或不分年度的滚动库）")
        parser.add_argument("--region", default=None, help="地区代码，例如 320214（含所辖功能区）")
        parser.add_argument("--by", default=None, choices=engine.GROUPINGS, help="分组方式")
        parser.add_argument("--format", default="table", choices=("json", "table", "xlsx"), help="输出格式")
        parser.add_argument("--accepted-only", action="store_true", help="只计已审核的月报（默认含已报送未审核的）")
        parser.add_argument("-o", "--output", default=None, help="输出文件（xlsx 必填）")
        parser.add_argument("--user", default=None, help="按此账号的权限范围统计（默认第一个市重大办管理员）")

    def handle(self, *args, year, month, library, region, by, format, accepted_only, output: str | None, user,
               **options):
        if not 1 <= month <= 12:
            raise CommandError("月份应在 1 至 12 之间。")
        if format == "xlsx" and not output:
            raise CommandError("xlsx 格式须用 -o 指定输出文件。")
        user = acting_user(user)
        data = {"year": year}
        target_scope = "city" if user.role in SEE_EVERYTHING else None
        if library:
            found = (Library.objects.restrict(user, VIEW).filter(name=library)
                     .filter(Q(year=year) | Q(year__isnull=True)).order_by("year").first())
            if found is None:
                raise CommandError(f"项目库“{library}”（{year}年）不存在。")
            data["library"] = found.pk
            target_scope = ("library", found.pk)
        if region:
            found = Region.objects.filter(code=region).first()
            if found is None:
                raise CommandError(f"地区代码 {region} 不存在。")
            data["region"] = found.pk
            target_scope = None if library else ("region", found.pk)
        # The filters' choice lists are the acting user's scope, as on the list pages.
        filterset = ProjectFilterSet(data, queryset=Project.objects.restrict(user, VIEW),
                                     request=SimpleNamespace(user=user))
        if not filterset.is_valid():
            raise CommandError(f"筛选条件有误：{filterset.errors.as_text()}")
        result = engine.evaluate(filterset.qs, year, month, by=by, target_scope=target_scope,
                                 statuses=engine.ACCEPTED if accepted_only else engine.SUBMITTED)
        if format == "xlsx":
            with open(output, "wb") as handle:
                handle.write(formats.to_xlsx(result))
            self.stderr.write(f"已写入 {output}")
            return
        text = (json.dumps(formats.to_json(result), ensure_ascii=False, indent=2) if format == "json"
                else formats.to_table(result))
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)

