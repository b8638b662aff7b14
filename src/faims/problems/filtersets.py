"""The filter of the problem list, shared by the HTML list and its Excel export."""

import re

import django_filters
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faims.core.filtersets import FaimsFilterSet, choice_filter, model_choice_filter, yes_no_filter
from faims.metrics.engine import Period
from faims.metrics.problem_figures import conditions
from faims.org.models import Department, Person, Region
from faims.projects.filtersets import current_members
from faims.projects.models import Library

from .choices import MeetingKind, ProblemCategory, ProblemStatus, Source, VisitKind
from .models import EscalationLevel, Meeting, Problem, Visit

# What the problem KPIs count (faims.metrics.problem_figures), as of the end of the period `period`.
FIGURES = [
    ("open", _("到期末未办结")),
    ("overdue", _("到期末逾期未办结")),
    ("due", _("年内到期")),
    ("answered", _("年内到期且按期反馈")),
    ("raised", _("年内提出")),
    ("closed", _("年内提出且已办结")),
]


def level_choices():
    return [(0, _("未升级")), *((level.order, str(level)) for level in EscalationLevel.objects.order_by("order"))]


class ProblemFilterSet(FaimsFilterSet):
    search_fields = ("title", "description", "project__name", "project__code")
    status = choice_filter(_("办理状态"), ProblemStatus.choices)
    category = choice_filter(_("问题类别"), ProblemCategory.choices)
    source = choice_filter(_("问题来源"), Source.choices)
    region = model_choice_filter(_("地区"), Region, method="filter_region")
    lead_department = model_choice_filter(_("牵头部门"), Department)
    overdue = yes_no_filter(_("已逾期"), method="filter_overdue")
    escalation_level = choice_filter(_("升级层级"), level_choices)
    library = model_choice_filter(_("项目库"), Library, method="filter_library")
    leader = model_choice_filter(_("挂钩市领导"), Person, filters={"is_leader": True}, field_name="project__leader")
    figure = choice_filter(_("指标口径"), FIGURES, method="filter_figure")
    period = django_filters.CharFilter(
        label=_("截至报送期（YYYY-MM）"),
        method="filter_period_only",
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("报送期应为 YYYY-MM 格式，例如 2022-06。"))],
    )

    class Meta:
        model = Problem
        fields = []

    def filter_region(self, queryset, name, value):
        return queryset.filter(project__region__in=Region.objects.subtree_ids(value.pk))

    def filter_library(self, queryset, name, value):
        return queryset.filter(project__in=current_members(library=value))

    def filter_period_only(self, queryset, name, value):
        # Read by filter_figure; alone it selects nothing.
        return queryset

    def filter_figure(self, queryset, name, value):
        """The problems behind a problem KPI of the period (the current month when no period is given)."""
        match = re.fullmatch(r"(\d{4})-(\d{2})", self.data.get("period", "") or "")
        if match and 1 <= int(match[2]) <= 12:
            period = Period(int(match[1]), int(match[2]))
        else:
            today = timezone.localdate()
            period = Period(today.year, today.month)
        return queryset.filter(conditions(period)[value])

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class EscalationLevelFilterSet(FaimsFilterSet):
    search_fields = ("name",)

    class Meta:
        model = EscalationLevel
        fields = []


class VisitFilterSet(FaimsFilterSet):
    search_fields = ("findings", "person__name", "projects__name")
    kind = choice_filter(_("走访类型"), VisitKind.choices)
    person = model_choice_filter(_("走访人"), Person)
    region = model_choice_filter(_("地区"), Region, method="filter_region")
    date_from = django_filters.DateFilter(label=_("走访日期起"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("走访日期止"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Visit
        fields = []

    def search(self, queryset, name, value):
        # Searching the projects' names joins the many-to-many: keep one row per visit.
        return queryset.filter(pk__in=super().search(Visit.objects.all(), name, value).values("pk"))

    def filter_region(self, queryset, name, value):
        touching = Visit.projects.through.objects.filter(project__region__in=Region.objects.subtree_ids(value.pk))
        return queryset.filter(pk__in=touching.values("visit"))


class MeetingFilterSet(FaimsFilterSet):
    search_fields = ("title", "minutes", "attendees")
    kind = choice_filter(_("会议类型"), MeetingKind.choices)
    chair = model_choice_filter(_("主持人"), Person)
    date_from = django_filters.DateFilter(label=_("会议日期起"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("会议日期止"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = []
