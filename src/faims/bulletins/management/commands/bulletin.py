"""faims bulletin --year Y --month M --kind monthly|quarterly|annual [--region CODE] --format docx|xlsx|pdf -o FILE"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from faims.bulletins import services
from faims.bulletins.choices import BulletinFormat, BulletinKind
from faims.core.commandline import acting_user
from faims.org.models import Region


class Command(BaseCommand):
    help = "生成月度通报、季度督查报告或年度考核通报（Word、Excel 或 PDF），写入文件；不发布。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True, choices=range(1, 13))
        parser.add_argument("--kind", default="monthly", choices=BulletinKind.values)
        parser.add_argument("--region", default=None, help="地区代码（默认全市）")
        parser.add_argument("--format", dest="file_format", default="docx", choices=BulletinFormat.values)
        parser.add_argument("-o", "--output", required=True, help="输出文件")
        parser.add_argument("--user", default=None, help="操作人账号（默认第一个市重大办管理员）")

    def handle(self, *args, year, month, kind, region, file_format, output, user, **options):
        found = None
        if region:
            found = Region.objects.filter(code=region).first()
            if found is None:
                raise CommandError(f"地区代码 {region} 不存在。")
        verbosity = options.get("verbosity", 1)

        def progress(done, total, step):
            if verbosity:
                self.stdout.write(f"[{done + 1}/{total + 1}] {step}")

        try:
            document = services.generate(acting_user(user), year, month, found, kind=kind, progress=progress)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        Path(output).write_bytes(services.render(document, file_format))
        self.stdout.write(self.style.SUCCESS(f"已生成 {output}：{document.title}"))
