import django_filters
from django.utils.translation import gettext_lazy as _

from faims.core.filtersets import FaimsFilterSet
from faims.org.filtersets import regions
from faims.projects.choices import Category
from faims.projects.models import Library

from .choices import KPI_KEY_CHOICES, TargetPeriod, TargetScope
from .models import Target


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
