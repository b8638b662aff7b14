import django_filters
from django.utils.translation import gettext_lazy as _

from faims.core.filtersets import FaimsFilterSet, choice_filter

from .choices import FlagKind, SchemeKind, Subject
from .models import AssessmentFlag, AssessmentIndicator, AssessmentScheme


def years():
    return [(y, y) for y in AssessmentScheme.objects.order_by("-year").values_list("year", flat=True).distinct()]


class AssessmentSchemeFilterSet(FaimsFilterSet):
    search_fields = ("name", "notes")
    year = django_filters.TypedChoiceFilter(label=_("年度"), choices=years, coerce=int)
    kind = choice_filter(_("类型"), SchemeKind.choices)
    subject = choice_filter(_("考核对象"), Subject.choices)

    class Meta:
        model = AssessmentScheme
        fields = ["q", "year", "kind", "subject"]


class AssessmentIndicatorFilterSet(FaimsFilterSet):
    search_fields = ("kpi_key", "note", "scheme__name")
    year = django_filters.TypedChoiceFilter(label=_("年度"), choices=years, coerce=int, field_name="scheme__year")

    class Meta:
        model = AssessmentIndicator
        fields = ["q", "year", "scheme"]


class AssessmentFlagFilterSet(FaimsFilterSet):
    search_fields = ("label", "scheme__name")
    year = django_filters.TypedChoiceFilter(label=_("年度"), choices=years, coerce=int, field_name="scheme__year")
    kind = choice_filter(_("类别"), FlagKind.choices)

    class Meta:
        model = AssessmentFlag
        fields = ["q", "year", "scheme", "kind"]
