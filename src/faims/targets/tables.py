import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from faims.core.formatting import format_rate, format_wan, format_yi

from .choices import TargetUnit
from .models import Target


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
