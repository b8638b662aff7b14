"""The reporting lists; the same tables give the Excel exports (raw amounts there, formatted on screen)."""
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from faims.projects.tables import MONEY_ATTRS, WanColumn, YiColumn, then_pk

from .choices import ReportStatus
from .models import MonthlyReport, ReportingPeriod

# (annotation, label) of the per-status counts a period row carries, within the user's scope.
STATUS_COUNTS = [(f"{status.value}_count", status.label) for status in ReportStatus]


class ReportingPeriodTable(tables.Table):
    period = tables.Column(verbose_name=_("报送期"), accessor="pk", order_by=("year", "month"),
                           linkify=lambda record: record.get_absolute_url())
    deadline = tables.DateColumn(format="Y-m-d")
    locked_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("锁定时间"))

    class Meta:
        model = ReportingPeriod
        fields = ("period", "deadline", "deadline_reason", "locked_at")
        attrs = {"data-testid": "period-table"}

    def __init__(self, *args, **kwargs):
        extra = [(name, tables.Column(verbose_name=label, attrs=MONEY_ATTRS)) for name, label in STATUS_COUNTS]
        super().__init__(*args, extra_columns=extra, **kwargs)

    def render_period(self, record):
        return str(record)

    def value_period(self, record):
        return str(record)


class MonthlyReportTable(tables.Table):
    period = tables.Column(order_by=then_pk("period__year", "period__month"))
    project_code = tables.Column(verbose_name=_("投资项目统一代码"), accessor="project__code",
                                 order_by=then_pk("project__code"))
    project = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=then_pk("project__name"))
    region = tables.Column(verbose_name=_("所在地区"), accessor="project__region",
                           order_by=then_pk("project__region__sort_order", "project__region__code"))
    unit = tables.Column(verbose_name=_("项目单位"), accessor="project__unit", order_by=then_pk("project__unit__name"))
    status = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=then_pk("status"))
    month_investment = WanColumn(order_by=then_pk("month_investment"))
    ytd_investment = WanColumn(order_by=then_pk("ytd_investment"))
    ytd_investment_yi = YiColumn(verbose_name=_("本年累计（亿元）"), accessor="ytd_investment",
                                 order_by=then_pk("ytd_investment"))
    cumulative_investment = WanColumn(order_by=then_pk("cumulative_investment"))
    start_status = tables.Column(order_by=then_pk("start_status"))
    construction_status = tables.Column(order_by=then_pk("construction_status"))
    first_submitted_at = tables.DateTimeColumn(format="Y-m-d H:i", order_by=then_pk("first_submitted_at"))
    progress_text = tables.Column(orderable=False)

    class Meta:
        model = MonthlyReport
        fields = (
            "period", "project_code", "project", "region", "unit", "status", "month_investment", "ytd_investment",
            "ytd_investment_yi", "cumulative_investment", "start_status", "construction_status",
            "first_submitted_at", "progress_text",
        )
        attrs = {"data-testid": "report-table"}

    def render_progress_text(self, value):
        return value if len(value) <= 40 else f"{value[:40]}…"

    def value_progress_text(self, value):
        return value
