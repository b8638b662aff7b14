from decimal import ROUND_HALF_UP, Decimal

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from faims.core.formatting import format_rate, format_wan, format_yi

from .attainment import attainments_at, month_of
from .choices import TargetUnit
from .models import QuantitativeTask, Target
from .progress import status_of


def amount_text(target: Target, amount, *, signed=False) -> str:
    """An actual or a gap in the target's unit: 万元, a percent (a gap in points), or a count."""
    if amount is None:
        return "—"
    sign = "+" if signed and amount > 0 else ""
    if target.unit == TargetUnit.RATE:
        if signed:
            points = (amount * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
            return _("%(sign)s%(points)s个百分点") % {"sign": sign, "points": points}
        return format_rate(amount)
    values = {"sign": sign, "amount": format_wan(amount)}
    if target.unit == TargetUnit.WANYUAN:
        return _("%(sign)s%(amount)s万元") % values
    return _("%(sign)s%(amount)s个") % values


def attainment_on_track_text(result) -> str:
    if result is None:
        return "—"
    if result.on_track is None:
        return str(_("无实际值"))
    return str(_("符合时序") if result.on_track else _("滞后于时序"))


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
    actual = tables.Column(verbose_name=_("实际"), empty_values=(), orderable=False,
                           attrs={"td": {"class": "money"}, "th": {"class": "money"}})
    gap = tables.Column(verbose_name=_("差距"), empty_values=(), orderable=False,
                        attrs={"td": {"class": "money"}, "th": {"class": "money"}})
    on_track = tables.Column(verbose_name=_("是否达到时序要求"), empty_values=(), orderable=False)

    class Meta:
        model = Target
        fields = ("year", "scope", "kpi_key", "period", "value", "unit", "actual", "gap", "on_track", "description")

    def attainment_of(self, record):
        # Every target of the list is judged in one pass, each distinct slice evaluated once.
        if not hasattr(self, "_attainments"):
            request = getattr(self, "request", None)
            if request is None:
                self._attainments = {}
            else:
                year, month = month_of(request)
                self._attainments = attainments_at(list(self.data.data), request.user, year, month)
        return self._attainments.get(record.pk)

    def render_actual(self, record):
        result = self.attainment_of(record)
        if result is None:
            return "—"
        if result.actual is None:
            return format_html('<span class="text-muted" title="{}">—</span>', result.reason)
        text = amount_text(record, result.actual)
        return format_html('<a href="{}">{}</a>', result.url, text) if result.url else text

    def value_actual(self, record):
        result = self.attainment_of(record)
        return None if result is None else result.actual

    def render_gap(self, record):
        result = self.attainment_of(record)
        return amount_text(record, None if result is None else result.gap, signed=True)

    def value_gap(self, record):
        result = self.attainment_of(record)
        return None if result is None else result.gap

    def render_on_track(self, record):
        return attainment_on_track_text(self.attainment_of(record))

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
