import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import AssessmentFlag, AssessmentIndicator, AssessmentScheme


class AssessmentSchemeTable(tables.Table):
    name = tables.Column(linkify=True)
    indicator_count = tables.Column(verbose_name=_("指标数"), empty_values=(), orderable=False)

    class Meta:
        model = AssessmentScheme
        fields = ("year", "name", "kind", "subject", "active", "indicator_count")

    def render_indicator_count(self, record):
        return record.indicators.count()


class AssessmentIndicatorTable(tables.Table):
    label = tables.Column(verbose_name=_("指标"), empty_values=(), orderable=False, linkify=True)
    goal_label = tables.Column(verbose_name=_("目标"), empty_values=(), orderable=False)

    class Meta:
        model = AssessmentIndicator
        fields = ("scheme", "label", "kpi_key", "weight", "method", "goal_label", "note")

    def render_label(self, record):
        return record.label


class AssessmentFlagTable(tables.Table):
    label = tables.Column(linkify=True)
    condition_text = tables.Column(verbose_name=_("条件"), empty_values=(), orderable=False)

    class Meta:
        model = AssessmentFlag
        fields = ("scheme", "kind", "label", "condition_text")
