"""The filters of the reporting lists, shared by the HTML lists and their Excel exports."""
import django_filters
from django.utils.translation import gettext_lazy as _

from faims.core.filtersets import FaimsFilterSet, choice_filter, model_choice_filter, yes_no_filter
from faims.core.permissions import VIEW
from faims.org.models import Organisation, Region
from faims.projects.filtersets import current_members
from faims.projects.models import Library, Project

from .choices import ReportStatus
from .models import MonthlyReport, ReportingPeriod


def units_in_scope(request):
    """Only the units whose projects the user may see: a region officer is not offered the whole city."""
    user = getattr(request, "user", None)
    projects = Project.objects.restrict(user, VIEW)
    return Organisation.objects.filter(pk__in=projects.values("unit"))


class ReportingPeriodFilterSet(FaimsFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    locked = yes_no_filter(_("已锁定"), method="filter_locked")

    class Meta:
        model = ReportingPeriod
        fields = []

    def filter_locked(self, queryset, name, value):
        return queryset.filter(locked_at__isnull=not value)


class MonthlyReportFilterSet(FaimsFilterSet):
    search_fields = ("project__name", "project__code", "project__unit__name", "progress_text", "problems_text")
    period = model_choice_filter(_("报送期"), ReportingPeriod)
    year = django_filters.NumberFilter(label=_("年度"), field_name="period__year", min_value=2000, max_value=2100)
    status = choice_filter(_("报送状态"), ReportStatus.choices)
    region = model_choice_filter(_("地区"), Region, method="filter_region")
    library = model_choice_filter(_("项目库"), Library, method="filter_library")
    unit = django_filters.ModelChoiceFilter(
        label=_("项目单位"), queryset=units_in_scope, field_name="project__unit", empty_label=_("全部"),
    )

    class Meta:
        model = MonthlyReport
        fields = []

    def filter_region(self, queryset, name, value):
        return queryset.filter(project__region__in=Region.objects.subtree_ids(value.pk))

    def filter_library(self, queryset, name, value):
        return queryset.filter(project__in=current_members(library=value))
