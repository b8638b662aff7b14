import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AuditKind, ChangeAction
from .models import AuditEvent, ChangeLog


class ChangeLogFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    action = django_filters.ChoiceFilter(label=_("操作"), choices=ChangeAction.choices)
    content_type = django_filters.ModelChoiceFilter(
        label=_("对象类型"), queryset=ContentType.objects.filter(app_label__in=["org", "projects", "targets"])
    )
    time_after = django_filters.DateFilter(label=_("起始日期"), field_name="time", lookup_expr="date__gte")
    time_before = django_filters.DateFilter(label=_("截止日期"), field_name="time", lookup_expr="date__lte")

    class Meta:
        model = ChangeLog
        fields = ["q", "action", "content_type", "time_after", "time_before"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(object_repr__icontains=value) | Q(user_name__icontains=value) | Q(reason__icontains=value))


class AuditEventFilterSet(django_filters.FilterSet):
    user_name = django_filters.CharFilter(label=_("账号"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("事件"), choices=AuditKind.choices)
    time_after = django_filters.DateFilter(label=_("起始日期"), field_name="time", lookup_expr="date__gte")
    time_before = django_filters.DateFilter(label=_("截止日期"), field_name="time", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = ["user_name", "kind", "time_after", "time_before"]
