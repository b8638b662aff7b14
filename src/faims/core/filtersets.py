"""The base of every FilterSet: styled widgets, one search box, choice lists within the user's scope."""
import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AuditKind, ChangeAction
from .forms import bootstrap_class
from .models import AuditEvent, ChangeLog
from .permissions import VIEW

ALL = _("全部")
YES_NO = [("", ALL), ("true", _("是")), ("false", _("否"))]


def restricted(model, **filters):
    """Choices of a filter: what the requesting user may see, like every other list."""

    def queryset(request):
        return model.objects.restrict(getattr(request, "user", None), VIEW).filter(**filters)

    return queryset


def choice_filter(label, choices, **kwargs):
    return django_filters.ChoiceFilter(label=label, choices=choices, empty_label=ALL, **kwargs)


def model_choice_filter(label, model, *, filters=None, **kwargs):
    return django_filters.ModelChoiceFilter(
        label=label, queryset=restricted(model, **(filters or {})), empty_label=ALL, **kwargs
    )


def yes_no_filter(label, **kwargs):
    return django_filters.BooleanFilter(label=label, widget=forms.Select(choices=YES_NO), **kwargs)


class FaimsFilterSet(django_filters.FilterSet):
    """A FilterSet with one text box searching `search_fields`, its widgets in the list pages' style."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", bootstrap_class(field.widget))
            if getattr(field, "empty_label", None) == "---------":
                field.empty_label = ALL

    def search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)


class ChangeLogFilterSet(FaimsFilterSet):
    search_fields = ("object_repr", "user_name", "reason")
    action = choice_filter(_("操作"), ChangeAction.choices)
    content_type = django_filters.ModelChoiceFilter(
        label=_("对象类型"), empty_label=ALL,
        queryset=ContentType.objects.filter(app_label__in=["org", "projects", "targets"]),
    )
    time_after = django_filters.DateFilter(label=_("起始日期"), field_name="time", lookup_expr="date__gte")
    time_before = django_filters.DateFilter(label=_("截止日期"), field_name="time", lookup_expr="date__lte")

    class Meta:
        model = ChangeLog
        fields = ["q", "action", "content_type", "time_after", "time_before"]


class AuditEventFilterSet(FaimsFilterSet):
    search_fields = ("user_name",)
    kind = choice_filter(_("事件"), AuditKind.choices)
    time_after = django_filters.DateFilter(label=_("起始日期"), field_name="time", lookup_expr="date__gte")
    time_before = django_filters.DateFilter(label=_("截止日期"), field_name="time", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = ["q", "kind", "time_after", "time_before"]
