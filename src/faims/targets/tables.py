import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from faims.core.formatting import format_rate, format_wan, format_yi

from .choices import TargetUnit
from .models import QuantitativeTask, Target
from .progress import status_of


def target_value_text(target: Target) -> str:
    """The value as offices write it: 万元 with its 亿元, a rate as a percent, a count with 个."""
    if target.value is None:
        return "—"
    if target.unit == TargetUnit.WANYUAN:
        return f"{format_wan(target.value)}万元（{format_yi(target.value)}亿元）"
    if target.unit == TargetUnit.RATE:
        return format_rate(target.value)
    return f"{format_wan(target.value)}个"


class TargetTable(tables.Table):
    year = tables.Column()
    scope = tables.Column(
        verbose_name=_("范围"), linkify=True, order_by=("scope", "region__sort_order", "region__code", "library__name"),
    )
    value = tables.Column(attrs={"td": {"class": "money"}, "th": {"class": "money"}})
    unit = tables.Column(verbose_name=_("单位"), empty_values=(), orderable=False, visible=False)

    class Meta:
        model = Target
        fields = ("year", "scope", "kpi_key", "period", "value", "unit", "description")

    def render_scope(self, record):
        return record.scope_label

    def render_value(self, record):
        return target_value_text(record)

    def value_value(self, record):
        # The export keeps the number itself, in the unit of the next column, so that it can be summed.
        return record.value

    def render_unit(self, record):
        return TargetUnit(record.unit).label


def on_track_text(status) -> str:
    if status.on_track is None:
        return str(_("未填报"))
    return str(_("符合时序") if status.on_track else _("滞后于时序"))


class QuantitativeTaskTable(tables.Table):
    name = tables.Column(linkify=True)
    quantity = tables.Column(attrs={"td": {"class": "money"}, "th": {"class": "money"}})
    actual = tables.Column(verbose_name=_("累计完成"), empty_values=(), orderable=False,
                           attrs={"td": {"class": "money"}, "th": {"class": "money"}})
    month = tables.Column(verbose_name=_("截至月份"), empty_values=(), orderable=False)
    completion = tables.Column(verbose_name=_("完成率"), empty_values=(), orderable=False,
                               attrs={"td": {"class": "money"}, "th": {"class": "money"}})
    on_track = tables.Column(verbose_name=_("进度"), empty_values=(), orderable=False)

    class Meta:
        model = QuantitativeTask
        fields = ("year", "clause", "name", "quantity", "unit", "owner", "actual", "month", "completion", "on_track")

    def render_quantity(self, value):
        return format_wan(value)

    def value_quantity(self, value):
        return value

    def render_actual(self, record):
        return format_wan(status_of(record).actual)

    def value_actual(self, record):
        return status_of(record).actual

    def render_month(self, record):
        month = status_of(record).month
        return _("%(m)s月") % {"m": month} if month else "—"

    def value_month(self, record):
        return status_of(record).month

    def render_completion(self, record):
        status = status_of(record)
        return format_rate(status.completion) if status.month else "—"

    def value_completion(self, record):
        # The export keeps the fraction, so that it can be computed with.
        status = status_of(record)
        return status.completion if status.month else None

    def render_on_track(self, record):
        return on_track_text(status_of(record))
