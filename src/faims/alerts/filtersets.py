"""The filters of the warning list, shared by the HTML list and its Excel export."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from faims.core.filtersets import ALL, FaimsFilterSet, choice_filter, model_choice_filter
from faims.org.models import Person, Region
from faims.projects.filtersets import _in_region, current_members
from faims.projects.models import Library
from faims.reporting.models import ReportingPeriod

from .choices import WarningLevel
from .models import ProjectWarning
from .rules import RULES

STATE_CHOICES = [("active", _("有效")), ("cleared", _("已解除"))]


def periods():
    """Every period with warnings or reports (a period without warnings is a valid, empty choice)."""
    rows = set(ProjectWarning.objects.values_list("year", "month").distinct())
    rows |= set(ReportingPeriod.objects.values_list("year", "month"))
    return [(f"{year}-{month:02d}", f"{year}-{month:02d}") for year, month in sorted(rows, reverse=True)]


def rule_choices():
    return [(code, f"{code} {rule.title}") for code, rule in RULES.items()]


class ProjectWarningFilterSet(FaimsFilterSet):
    search_fields = ("project__name", "project__code", "message")
    period = django_filters.ChoiceFilter(label=_("报送期"), choices=periods, empty_label=ALL, method="filter_period")
    level = choice_filter(_("预警等级"), WarningLevel.choices)
    rule = choice_filter(_("预警规则"), rule_choices)
    region = model_choice_filter(_("地区"), Region, method="filter_region")
    library = model_choice_filter(_("项目库"), Library, method="filter_library")
    leader = model_choice_filter(_("挂钩市领导"), Person, filters={"is_leader": True}, field_name="project__leader")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=STATE_CHOICES, empty_label=ALL,
                                        method="filter_state", widget=forms.Select)

    class Meta:
        model = ProjectWarning
        fields = ["q", "period", "level", "rule", "region", "library", "leader", "state"]

    def filter_period(self, queryset, name, value):
        year, month = value.split("-")
        return queryset.filter(year=int(year), month=int(month))

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "project__", value)

    def filter_library(self, queryset, name, value):
        return queryset.filter(project__in=current_members(library=value))

    def filter_state(self, queryset, name, value):
        return queryset.filter(cleared_at__isnull=value == "active")
