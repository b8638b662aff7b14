import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .choices import WarningLevel
from .models import ProjectWarning

BADGE = {WarningLevel.RED: "text-bg-danger", WarningLevel.YELLOW: "text-bg-warning"}


class ProjectWarningTable(tables.Table):
    period = tables.Column(verbose_name=_("报送期"), empty_values=(), order_by=("year", "month"))
    level = tables.Column()
    rule = tables.Column(linkify=True)
    project = tables.Column(linkify=True)
    region = tables.Column(verbose_name=_("所在地区"), accessor="project__region__name",
                           order_by=("project__region__sort_order", "project__region__code"))
    message = tables.Column()
    raised_at = tables.DateTimeColumn(format="Y-m-d H:i")
    cleared_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = ProjectWarning
        fields = ("period", "level", "rule", "project", "region", "message", "raised_at", "cleared_at")

    def render_period(self, record):
        return record.period_label

    def render_level(self, record):
        return format_html('<span class="badge {}">{}</span>', BADGE[record.level], record.get_level_display())

    def value_level(self, record):
        return record.get_level_display()

    def render_rule(self, record):
        return f"{record.rule} {record.rule_title}"

    def value_rule(self, record):
        return f"{record.rule} {record.rule_title}"
