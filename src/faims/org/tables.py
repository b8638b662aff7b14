import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from faims.core.formatting import format_wan
from faims.projects.models import Project, ProjectPerson

from .models import Department, Organisation, Person, Region, User


class RegionTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True, order_by=("parent__sort_order", "parent__code"))

    class Meta:
        model = Region
        fields = ("code", "name", "level", "parent", "sort_order")


class DepartmentTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column(linkify=True, order_by=("region__sort_order", "region__code"))

    class Meta:
        model = Department
        fields = ("name", "short_name", "kind", "region")


class OrganisationTable(tables.Table):
    name = tables.Column(linkify=True)
    region = tables.Column(linkify=True, order_by=("region__sort_order", "region__code"))

    class Meta:
        model = Organisation
        fields = ("name", "credit_code", "region")


class PersonTable(tables.Table):
    name = tables.Column(linkify=True)
    department = tables.Column(linkify=True, order_by=("department__name",))
    organisation = tables.Column(linkify=True, order_by=("organisation__name",))
    is_leader = tables.BooleanColumn(yesno=(_("是"), ""))

    class Meta:
        model = Person
        fields = ("name", "title", "department", "organisation", "phone", "is_leader")


class UserTable(tables.Table):
    username = tables.Column(linkify=True)
    scope = tables.Column(verbose_name=_("权限范围"), empty_values=(), orderable=False)
    is_active = tables.BooleanColumn(yesno=(_("有效"), _("已停用")))
    last_login = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = User
        fields = ("username", "full_name", "role", "scope", "email", "is_active", "last_login")

    def render_scope(self, record):
        field = User.SCOPE_FIELD.get(record.role)
        target = getattr(record, field) if field else None
        return str(target) if target else "—"


class ProjectRowTable(tables.Table):
    """The in-scope projects shown on a region, department, unit or person page."""

    name = tables.Column(linkify=True)
    region = tables.Column()
    total_investment = tables.Column(attrs={"td": {"class": "money"}, "th": {"class": "money"}})

    class Meta:
        model = Project
        fields = ("code", "name", "region", "category", "status", "total_investment")
        orderable = False

    def render_total_investment(self, value):
        return format_wan(value)


class ProjectRoleTable(tables.Table):
    project = tables.Column(linkify=True)
    region = tables.Column(verbose_name=_("所在地区"), accessor="project__region")

    class Meta:
        model = ProjectPerson
        fields = ("project", "region", "role")
        orderable = False
