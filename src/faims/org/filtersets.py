import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import DepartmentKind, RegionLevel, Role
from .models import Department, Organisation, Person, Region, User


def regions(request):
    return Region.objects.restrict(request.user if request else None)


def departments(request):
    return Department.objects.restrict(request.user if request else None)


def organisations(request):
    return Organisation.objects.restrict(request.user if request else None)


def yes_no_filter(label):
    return django_filters.BooleanFilter(
        label=label, widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
    )


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with one text box searching the fields named in `search_fields`."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")

    def search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)


class RegionFilterSet(SearchFilterSet):
    search_fields = ("code", "name")
    level = django_filters.ChoiceFilter(label=_("级别"), choices=RegionLevel.choices)
    parent = django_filters.ModelChoiceFilter(label=_("上级区划"), queryset=regions)

    class Meta:
        model = Region
        fields = ["q", "level", "parent"]


class DepartmentFilterSet(SearchFilterSet):
    search_fields = ("name", "short_name")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=DepartmentKind.choices)
    region = django_filters.ModelChoiceFilter(label=_("所属地区"), queryset=regions)

    class Meta:
        model = Department
        fields = ["q", "kind", "region"]


class OrganisationFilterSet(SearchFilterSet):
    search_fields = ("name", "credit_code")
    region = django_filters.ModelChoiceFilter(label=_("所在地区"), queryset=regions)

    class Meta:
        model = Organisation
        fields = ["q", "region"]


class PersonFilterSet(SearchFilterSet):
    search_fields = ("name", "title", "phone")
    department = django_filters.ModelChoiceFilter(label=_("所在部门"), queryset=departments)
    organisation = django_filters.ModelChoiceFilter(label=_("所在单位"), queryset=organisations)
    is_leader = yes_no_filter(_("市领导"))

    class Meta:
        model = Person
        fields = ["q", "department", "organisation", "is_leader"]


class UserFilterSet(SearchFilterSet):
    search_fields = ("username", "full_name", "email")
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices)
    region = django_filters.ModelChoiceFilter(label=_("所辖地区"), queryset=regions)
    department = django_filters.ModelChoiceFilter(label=_("所属部门"), queryset=departments)
    is_active = yes_no_filter(_("有效"))

    class Meta:
        model = User
        fields = ["q", "role", "region", "department", "is_active"]
