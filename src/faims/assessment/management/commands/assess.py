"""faims assess --year 2022 [--quarter 2] [--month M] --subject region|department [--format table|json] [--user NAME]"""
import json

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from faims.assessment.choices import SchemeKind
from faims.assessment.models import AssessmentScheme
from faims.assessment.scoring import assess
from faims.core.commandline import acting_user
from faims.core.permissions import VIEW


class Command(BaseCommand):
    help = "按考核方案计算各地区或各部门的季度督查或年度考核得分、排名和奖惩措施。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, choices=range(1, 5), default=None, help="季度（省略为年度考核）")
        parser.add_argument("--month", type=int, choices=range(1, 13), default=None,
                            help="年度预评估截至的月份（默认12）")
        parser.add_argument("--subject", default="region", choices=["region", "department"])
        parser.add_argument("--format", dest="output_format", default="table", choices=["table", "json"])
        parser.add_argument("--user", default=None, help="操作人账号（默认第一个市重大办管理员）")

    def handle(self, *args, year, quarter, month, subject, output_format, user, **options):
        user = acting_user(user)
        kind = SchemeKind.QUARTERLY if quarter else SchemeKind.ANNUAL
        month = quarter * 3 if quarter else (month or 12)
        scheme = AssessmentScheme.objects.restrict(user, VIEW).filter(
            kind=kind, subject=subject, year=year, active=True).first()
        if scheme is None:
            raise CommandError(f"{year}年没有启用的{SchemeKind(kind).label}方案（考核对象：{subject}）。")
        try:
            result = assess(user, scheme, year, month)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        if output_format == "json":
            self.stdout.write(json.dumps(result.figures, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{scheme.name} · {result.period_label}（指标口径第{result.version}版）")
        header = ["排名", "对象", "总分", *[i.label for i in result.indicators], "奖惩"]
        self.stdout.write("\t".join(header))
        for s in result.subjects:
            cells = [str(s.rank or "—"), s.label, str(s.total if s.total is not None else "—"),
                     *[str(score.points) if score.applicable else "不涉及" for score in s.scores],
                     "；".join(f"{f.label}（{f.reason}）" for f in s.flags)]
            self.stdout.write("\t".join(cells))
