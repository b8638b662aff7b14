"""The filters of the registry lists, shared by the HTML lists and their Excel exports."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from faims.core.permissions import VIEW
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
    PersonRole,
    StartKind,
    Tier,
)
from .models import AnnualPlan, Library, Membership, Project, ProjectPerson

ALL = _("全部")
YES_NO = [("", ALL), ("true", _("是")), ("false", _("否"))]


def _restricted(model, **filters):
    """Choices of a filter: what the requesting user may see, like every other list."""

    def queryset(request):
        user = getattr(request, "user", None)
        return model.objects.restrict(user, VIEW).filter(**filters)

    return queryset


def _choice(label, choices, **kwargs):
    return django_filters.ChoiceFilter(label=label, choices=choices, empty_label=ALL, **kwargs)


def _model_choice(label, model, *, filters=None, **kwargs):
    return django_filters.ModelChoiceFilter(
        label=label, queryset=_restricted(model, **(filters or {})), empty_label=ALL, **kwargs
    )


def _region():
    return _model_choice(_("地区"), Region, method="filter_region")


def _yes_no(label):
    return django_filters.BooleanFilter(label=label, widget=forms.Select(choices=YES_NO))


def _in_region(queryset, path, region):
    """The region and its sub-regions (a 区 and its 功能区)."""
    return queryset.filter(**{f"{path}region__in": Region.objects.subtree_ids(region.pk)})


def current_members(**filters):
    """Ids of projects in a library, as a subquery; a project that left a library is no longer in it."""
    return Membership.objects.exclude(status=MembershipStatus.WITHDRAWN).filter(**filters).values("project")


class StyledFilterSet(django_filters.FilterSet):
    """Filter widgets in the compact style of the list pages."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form


class ProjectFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = django_filters.NumberFilter(label=_("年度"), method="filter_year", min_value=2000, max_value=2100)
    library = _model_choice(_("项目库"), Library, method="filter_library")
    region = _region()
    category = _choice(_("项目类别"), Category.choices)
    nature = _choice(_("建设性质"), Nature.choices)
    status = _choice(_("项目状态"), LifecycleStatus.choices)
    tier = _choice(_("投资规模"), Tier.choices, method="filter_tier")
    investment_type = _choice(_("投资类型"), InvestmentType.choices)
    # A project names each department once, so this join cannot repeat a project.
    department = _model_choice(_("责任部门"), Department, field_name="departments")
    leader = _model_choice(_("挂钩市领导"), Person, filters={"is_leader": True})
    in_statistics = _yes_no(_("已纳统"))
    is_synthetic = _yes_no(_("演示合成数据"))

    class Meta:
        model = Project
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(unit__name__icontains=value)
            | Q(location__icontains=value) | Q(scale__icontains=value)
        )

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


class LibraryFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = django_filters.NumberFilter(label=_("年度"))
    level = _choice(_("级别"), LibraryLevel.choices)
    kind = _choice(_("类型"), LibraryKind.choices)

    class Meta:
        model = Library
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class MembershipFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    library = _model_choice(_("项目库"), Library)
    status = _choice(_("入库状态"), MembershipStatus.choices)
    region = _region()

    class Meta:
        model = Membership
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(project__name__icontains=value) | Q(project__code__icontains=value))

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "project__", value)


class AnnualPlanFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = django_filters.NumberFilter(label=_("年度"))
    start_kind = _choice(_("新开工/续建"), StartKind.choices)
    region = _region()

    class Meta:
        model = AnnualPlan
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(project__name__icontains=value) | Q(project__code__icontains=value))

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "project__", value)


class ProjectPersonFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    role = _choice(_("角色"), PersonRole.choices)
    region = _region()

    class Meta:
        model = ProjectPerson
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(project__name__icontains=value) | Q(project__code__icontains=value) | Q(person__name__icontains=value)
        )

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "project__", value)
