"""faims export_oc4ids -o FILE [--pretty] [--uri URI]"""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.opendata.oc4ids import build_package, package_json


class Command(BaseCommand):
    help = "将标记为公开的项目导出为 OC4IDS 项目包（JSON），并打印项目数。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="输出文件（.json）")
        parser.add_argument("--pretty", action="store_true", help="缩进排版，便于阅读")
        parser.add_argument("--uri", default=None,
                            help="项目包的地址（默认 FAIMS_SITE_URL 加 /api/open/oc4ids/）")

    def handle(self, *args, output, pretty, uri, **options):
        path = reverse("opendata:oc4ids")
        uri = uri or f"{(settings.FAIMS_SITE_URL or 'http://localhost').rstrip('/')}{path}"
        package = build_package(uri)
        Path(output).write_text(package_json(package, pretty=pretty) + "\n", encoding="utf-8")
        count = len(package["projects"])
        record_event(AuditKind.EXPORT, user_name="export_oc4ids", what="oc4ids", rows=count, file=str(output))
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 个公开项目到 {output}"))
