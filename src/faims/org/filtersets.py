import django_filters
from django.utils.translation import gettext_lazy as _

from faims.core.filtersets import FaimsFilterSet, yes_no_filter

from .choices import DepartmentKind, RegionLevel, Role
from .models import Department, Organisation, Person, Region, User


def regions(request):
    return Region.objects.restrict(request.user if request else None)


def departments(request):
    return Department.objects.restrict(request.user if request else None)


def organisations(request):
    return Organisation.objects.restrict(request.user if request else None)


class RegionFilterSet(FaimsFilterSet):
    search_fields = ("code", "name")
    level = django_filters.ChoiceFilter(label=_("级别"), choices=RegionLevel.choices)
    parent = django_filters.ModelChoiceFilter(label=_("上级区划"), queryset=regions)

    class Meta:
        model = Region
        fields = ["q", "level", "parent"]


class DepartmentFilterSet(FaimsFilterSet):
    search_fields = ("name", "short_name")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=DepartmentKind.choices)
    region = django_filters.ModelChoiceFilter(label=_("所属地区"), queryset=regions)

    class Meta:
        model = Department
        fields = ["q", "kind", "region"]


class OrganisationFilterSet(FaimsFilterSet):
    search_fields = ("name", "credit_code")
    region = django_filters.ModelChoiceFilter(label=_("所在地区"), queryset=regions)

    class Meta:
        model = Organisation
        fields = ["q", "region"]


class PersonFilterSet(FaimsFilterSet):
    search_fields = ("name", "title", "phone")
    department = django_filters.ModelChoiceFilter(label=_("所在部门"), queryset=departments)
    organisation = django_filters.ModelChoiceFilter(label=_("所在单位"), queryset=organisations)
    is_leader = yes_no_filter(_("市领导"))

    class Meta:
        model = Person
        fields = ["q", "department", "organisation", "is_leader"]


class UserFilterSet(FaimsFilterSet):
    search_fields = ("username", "full_name", "email")
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices)
    region = django_filters.ModelChoiceFilter(label=_("所辖地区"), queryset=regions)
    department = django_filters.ModelChoiceFilter(label=_("所属部门"), queryset=departments)
    is_active = yes_no_filter(_("有效"))

    class Meta:
        model = User
        fields = ["q", "role", "region", "department", "is_active"]
