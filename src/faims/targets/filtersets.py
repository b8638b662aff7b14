import django_filters
from django.utils.translation import gettext_lazy as _

from faims.core.filtersets import FaimsFilterSet, choice_filter, model_choice_filter
from faims.org.filtersets import regions
from faims.org.models import Department
from faims.projects.choices import Category
from faims.projects.models import Library

from .choices import KPI_KEY_CHOICES, TargetPeriod, TargetScope, TaskUnit
from .models import QuantitativeTask, Target


def libraries(request):
    return Library.objects.restrict(request.user if request else None)


def years():
    return [(year, year) for year in Target.objects.order_by("-year").values_list("year", flat=True).distinct()]


class TargetFilterSet(FaimsFilterSet):
    search_fields = ("description", "kpi_key")
    year = django_filters.TypedChoiceFilter(label=_("年度"), choices=years, coerce=int)
    scope = django_filters.ChoiceFilter(label=_("范围"), choices=TargetScope.choices)
    kpi_key = django_filters.ChoiceFilter(label=_("指标"), choices=KPI_KEY_CHOICES)
    period = django_filters.ChoiceFilter(label=_("时点"), choices=TargetPeriod.choices)
    region = django_filters.ModelChoiceFilter(label=_("地区"), queryset=regions)
    library = django_filters.ModelChoiceFilter(label=_("项目库"), queryset=libraries)
    category = django_filters.ChoiceFilter(label=_("项目类别"), choices=Category.choices)

    class Meta:
        model = Target
        fields = ["q", "year", "scope", "kpi_key", "period", "region", "library", "category"]


def task_years():
    return [(year, year) for year in
            QuantitativeTask.objects.order_by("-year").values_list("year", flat=True).distinct()]


class QuantitativeTaskFilterSet(FaimsFilterSet):
    search_fields = ("name", "description", "clause")
    year = django_filters.TypedChoiceFilter(label=_("年度"), choices=task_years, coerce=int)
    owner = model_choice_filter(_("牵头部门"), Department)
    unit = choice_filter(_("单位"), TaskUnit.choices)

    class Meta:
        model = QuantitativeTask
        fields = ["q", "year", "owner", "unit"]
