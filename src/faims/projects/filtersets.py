"""The filters of the registry lists, shared by the HTML lists and their Excel exports."""
import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faims.core.filtersets import FaimsFilterSet, choice_filter, model_choice_filter, yes_no_filter
from faims.org.models import Department, Person, Region

from .choices import (
    TIER_MIN_WANYUAN,
    Category,
    InvestmentType,
    LibraryKind,
    LibraryLevel,
    LifecycleStatus,
    MembershipStatus,
    Nature,
    NodeKind,
    PersonRole,
    StartKind,
    Tier,
)
from .models import AnnualPlan, Library, Membership, NodePlan, Project, ProjectPerson


def _region():
    return model_choice_filter(_("地区"), Region, method="filter_region")


def _in_region(queryset, path, region):
    """The region and its sub-regions (a 区 and its 功能区)."""
    return queryset.filter(**{f"{path}region__in": Region.objects.subtree_ids(region.pk)})


def current_members(**filters):
    """Ids of projects in a library, as a subquery; a project that left a library is no longer in it."""
    return Membership.objects.exclude(status=MembershipStatus.WITHDRAWN).filter(**filters).values("project")


class ProjectFilterSet(FaimsFilterSet):
    search_fields = ("name", "code", "unit__name", "location", "scale")
    year = django_filters.NumberFilter(label=_("年度"), method="filter_year", min_value=2000, max_value=2100)
    library = model_choice_filter(_("项目库"), Library, method="filter_library")
    region = _region()
    category = choice_filter(_("项目类别"), Category.choices)
    nature = choice_filter(_("建设性质"), Nature.choices)
    status = choice_filter(_("项目状态"), LifecycleStatus.choices)
    tier = choice_filter(_("投资规模"), Tier.choices, method="filter_tier")
    investment_type = choice_filter(_("投资类型"), InvestmentType.choices)
    # A project names each department once, so this join cannot repeat a project.
    department = model_choice_filter(_("责任部门"), Department, field_name="departments")
    leader = model_choice_filter(_("挂钩市领导"), Person, filters={"is_leader": True})
    in_statistics = yes_no_filter(_("已纳统"))
    is_synthetic = yes_no_filter(_("演示合成数据"))
    is_public = yes_no_filter(_("公开"))

    class Meta:
        model = Project
        fields = []

    def filter_year(self, queryset, name, value):
        # Subqueries rather than joins: a project with a plan and two libraries of the year is one row.
        year = int(value)
        return queryset.filter(
            Q(pk__in=AnnualPlan.objects.filter(year=year).values("project"))
            | Q(pk__in=current_members(library__year=year))
        )

    def filter_library(self, queryset, name, value):
        return queryset.filter(pk__in=current_members(library=value))

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "", value)

    def filter_tier(self, queryset, name, value):
        return queryset.filter(total_investment__gte=TIER_MIN_WANYUAN[Tier(value)])


class LibraryFilterSet(FaimsFilterSet):
    search_fields = ("name", "description")
    year = django_filters.NumberFilter(label=_("年度"))
    level = choice_filter(_("级别"), LibraryLevel.choices)
    kind = choice_filter(_("类型"), LibraryKind.choices)

    class Meta:
        model = Library
        fields = []


class MembershipFilterSet(FaimsFilterSet):
    search_fields = ("project__name", "project__code")
    library = model_choice_filter(_("项目库"), Library)
    status = choice_filter(_("入库状态"), MembershipStatus.choices)
    region = _region()

    class Meta:
        model = Membership
        fields = []

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "project__", value)


class AnnualPlanFilterSet(FaimsFilterSet):
    search_fields = ("project__name", "project__code")
    year = django_filters.NumberFilter(label=_("年度"))
    start_kind = choice_filter(_("新开工/续建"), StartKind.choices)
    region = _region()

    class Meta:
        model = AnnualPlan
        fields = []

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "project__", value)


class ProjectPersonFilterSet(FaimsFilterSet):
    search_fields = ("project__name", "project__code", "person__name")
    # The linked leader is Project.leader, never a row here.
    role = choice_filter(_("角色"), [c for c in PersonRole.choices if c[0] != PersonRole.LEADER])
    region = _region()

    class Meta:
        model = ProjectPerson
        fields = []

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "project__", value)


class MonthField(forms.CharField):
    """A month as "2022-07" (the browser's month input); cleans to (year, month)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2022-07"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(_("请按“2022-07”的格式填写年月。"))
        return int(match[1]), int(match[2])


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class NodePlanFilterSet(FaimsFilterSet):
    search_fields = ("project__name", "project__code", "note")
    kind = choice_filter(_("节点"), NodeKind.choices)
    region = _region()
    library = model_choice_filter(_("项目库"), Library, method="filter_library")
    planned_month = MonthFilter(label=_("计划年月"), method="filter_planned_month")
    overdue = yes_no_filter(_("已逾期"), method="filter_overdue")
    as_of = django_filters.DateFilter(label=_("逾期判断日期"), method="filter_as_of",
                                      widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = NodePlan
        fields = []

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "project__", value)

    def filter_library(self, queryset, name, value):
        return queryset.filter(project__in=current_members(library=value))

    def filter_planned_month(self, queryset, name, value):
        year, month = value
        return queryset.filter(planned_date__year=year, planned_date__month=month)

    def filter_overdue(self, queryset, name, value):
        # Overdue as of the date given beside it (default today): planned before it, no actual date.
        on_date = self.form.cleaned_data.get("as_of") or timezone.localdate()
        overdue = Q(planned_date__lt=on_date, actual_date__isnull=True)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_as_of(self, queryset, name, value):
        return queryset
