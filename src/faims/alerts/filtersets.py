"""The filters of the warning list, shared by the HTML list and its Excel export."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from faims.core.filtersets import ALL, FaimsFilterSet, choice_filter, model_choice_filter
from faims.org.models import Region
from faims.projects.filtersets import _in_region, current_members
from faims.projects.models import Library

from .choices import WarningLevel
from .models import ProjectWarning
from .rules import RULES

STATE_CHOICES = [("active", _("有效")), ("cleared", _("已解除"))]


def periods():
    rows = ProjectWarning.objects.order_by("-year", "-month").values_list("year", "month").distinct()
    return [(f"{year}-{month:02d}", f"{year}-{month:02d}") for year, month in rows]


def rule_choices():
    return [(code, f"{code} {rule.title}") for code, rule in RULES.items()]


class ProjectWarningFilterSet(FaimsFilterSet):
    search_fields = ("project__name", "project__code", "message")
    period = django_filters.ChoiceFilter(label=_("报送期"), choices=periods, empty_label=ALL, method="filter_period")
    level = choice_filter(_("预警等级"), WarningLevel.choices)
    rule = choice_filter(_("预警规则"), rule_choices)
    region = model_choice_filter(_("地区"), Region, method="filter_region")
    library = model_choice_filter(_("项目库"), Library, method="filter_library")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=STATE_CHOICES, empty_label=ALL,
                                        method="filter_state", widget=forms.Select)

    class Meta:
        model = ProjectWarning
        fields = ["q", "period", "level", "rule", "region", "library", "state"]

    def filter_period(self, queryset, name, value):
        year, month = value.split("-")
        return queryset.filter(year=int(year), month=int(month))

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "project__", value)

    def filter_library(self, queryset, name, value):
        return queryset.filter(project__in=current_members(library=value))

    def filter_state(self, queryset, name, value):
        return queryset.filter(cleared_at__isnull=value == "active")
