"""faims export_progress --period 2022-06 -o FILE: the progress table 重大项目进展情况表 as .xlsx."""
from pathlib import Path
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.commandline import acting_user, parse_period
from faims.core.permissions import VIEW
from faims.imports import exports
from faims.org.models import Region
from faims.projects.filtersets import ProjectFilterSet
from faims.projects.models import Library, Project
from faims.reporting import services as reporting


class Command(BaseCommand):
    help = "导出重大项目进展情况表（.xlsx）：序号、项目名称、建设内容、总投资、年度计划、1-M月完成、完成率……及合计行。"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="报送期，格式 YYYY-MM，例如 2022-06")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.xlsx）")
        parser.add_argument("--region", default="", help="只含该地区（区划代码）及其下级的项目")
        parser.add_argument("--library", default="", help="只含该项目库（名称；优先取报送期所在年度的库）的项目")
        parser.add_argument("--user", default=None,
                            help="操作人账号（默认第一个市重大办管理员）；只导出其管辖范围内的项目")

    def handle(self, *args, period, output, region, library, user, **options):
        year, month = parse_period(period)
        user = acting_user(user)
        data = {"year": str(year)}
        scope = exports.scope_label(user)
        if region:
            found = Region.objects.filter(code=region).first()
            if found is None:
                raise CommandError(f"地区 {region} 不存在。")
            data["region"], scope = str(found.pk), found.name
        if library:
            libraries = Library.objects.filter(name=library)
            found = libraries.filter(year=year).first() or libraries.order_by("-year").first()
            if found is None:
                raise CommandError(f"项目库“{library}”不存在。")
            data["library"] = str(found.pk)
        # The filter's choice lists are the user's scope, as on the page.
        filterset = ProjectFilterSet(data, queryset=Project.objects.restrict(user, VIEW),
                                     request=SimpleNamespace(user=user))
        if not filterset.is_valid():
            raise CommandError(str(filterset.errors))
        reporting_period = reporting.get_period(year, month)
        title = exports.progress_title(scope, reporting_period)
        projects = filterset.qs
        Path(output).write_bytes(exports.progress_table(projects, reporting_period, title=title))
        record_event(AuditKind.EXPORT, user=user, what="progress_table", period=reporting_period.label,
                     query=str(data))
        self.stdout.write(self.style.SUCCESS(f"已导出 {projects.count()} 个项目：{output}"))
