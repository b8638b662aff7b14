from collections import Counter
from urllib.parse import urlencode

from django.contrib.auth import update_session_auth_hash
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent
from faims.core.permissions import VIEW, can
from faims.core.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView
from faims.projects.choices import PersonRole
from faims.projects.models import Project, ProjectPerson

from . import filtersets, forms, services, tables
from .choices import Role
from .models import Department, Organisation, Person, Region, User

# The related-project lists on a detail page stop here; the full list is one click away.
RELATED_LIMIT = 200


def _projects(request, **filters):
    return Project.objects.restrict(request.user, VIEW).filter(**filters).select_related("region").distinct()


def _project_table(queryset):
    return tables.ProjectRowTable(queryset[:RELATED_LIMIT])


# 地区


class RegionListView(ObjectListView):
    model, filterset_class, table_class = Region, filtersets.RegionFilterSet, tables.RegionTable

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class RegionView(ObjectView):
    model = Region
    template_name = "org/region.html"

    def get_extra_context(self, region):
        # Each visible project counts in its own region and every region above it.
        parent_of = dict(Region.objects.values_list("pk", "parent_id"))
        per_region = Project.objects.restrict(self.request.user, VIEW).order_by().values_list("region").annotate(
            n=Count("pk", distinct=True))
        totals = Counter()
        for region_id, n in per_region:
            node = region_id
            while node is not None:
                totals[node] += n
                node = parent_of.get(node)
        children = list(region.children.all())
        for child in children:
            child.project_count = totals[child.pk]
        return {
            "children": children,
            "project_count": totals[region.pk],
            "department_count": Department.objects.restrict(self.request.user).filter(region=region).count(),
            "organisation_count": Organisation.objects.restrict(self.request.user).filter(region=region).count(),
            "user_count": User.objects.restrict(self.request.user).filter(region=region).count()
            if can(self.request.user, User, VIEW) else None,
        }


class RegionEditView(ObjectEditView):
    model, form_class = Region, forms.RegionForm
    save_service = staticmethod(services.save_region)


class RegionDeleteView(ObjectDeleteView):
    model = Region
    delete_service = staticmethod(services.delete_region)


# 部门


class DepartmentListView(ObjectListView):
    model, filterset_class, table_class = Department, filtersets.DepartmentFilterSet, tables.DepartmentTable

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class DepartmentView(ObjectView):
    model = Department
    template_name = "org/department.html"

    def get_extra_context(self, department):
        projects = _projects(self.request, departments=department)
        return {
            "projects": _project_table(projects),
            "project_count": projects.count(),
            "people": department.people.all(),
        }


class DepartmentEditView(ObjectEditView):
    model, form_class = Department, forms.DepartmentForm
    save_service = staticmethod(services.save_department)


class DepartmentDeleteView(ObjectDeleteView):
    model = Department
    delete_service = staticmethod(services.delete_department)


# 项目单位


class OrganisationListView(ObjectListView):
    model, filterset_class, table_class = Organisation, filtersets.OrganisationFilterSet, tables.OrganisationTable

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class OrganisationView(ObjectView):
    model = Organisation
    template_name = "org/organisation.html"

    def get_extra_context(self, organisation):
        projects = _projects(self.request, unit=organisation)
        return {
            "projects": _project_table(projects),
            "project_count": projects.count(),
            "people": organisation.people.all(),
        }


class OrganisationEditView(ObjectEditView):
    model, form_class = Organisation, forms.OrganisationForm
    save_service = staticmethod(services.save_organisation)


class OrganisationDeleteView(ObjectDeleteView):
    model = Organisation
    delete_service = staticmethod(services.delete_organisation)


# 人员


class PersonListView(ObjectListView):
    model, filterset_class, table_class = Person, filtersets.PersonFilterSet, tables.PersonTable

    def get_queryset(self):
        return super().get_queryset().select_related("department", "organisation")


class PersonView(ObjectView):
    model = Person
    template_name = "org/person.html"

    def get_extra_context(self, person):
        led = _projects(self.request, leader=person)
        roles = (
            ProjectPerson.objects.restrict(self.request.user, VIEW).filter(person=person)
            .select_related("project__region")
        )
        # The enterprises a leader is linked with, or a commissioner serves: the units of those projects.
        served = roles.filter(role=PersonRole.COMMISSIONER).values("project")
        enterprises = (Organisation.objects.restrict(self.request.user, VIEW)
                       .filter(Q(projects__in=led.values("pk")) | Q(projects__in=served)).distinct()
                       .select_related("region").order_by("name"))
        return {
            "led_projects": _project_table(led),
            "led_count": led.count(),
            "roles": tables.ProjectRoleTable(roles[:RELATED_LIMIT]),
            "role_count": roles.count(),
            "enterprises": tables.OrganisationTable(enterprises[:RELATED_LIMIT], orderable=False),
            "enterprise_count": enterprises.count(),
            "visits_url": f"{reverse('problems:visit_list')}?{urlencode({'person': person.pk})}",
        }


class PersonEditView(ObjectEditView):
    model, form_class = Person, forms.PersonForm
    save_service = staticmethod(services.save_person)


class PersonDeleteView(ObjectDeleteView):
    model = Person
    delete_service = staticmethod(services.delete_person)


# 用户: only the city admin reads them; everyone else is told nothing, not even that the list exists.


class UserListView(ObjectListView):
    model, filterset_class, table_class = User, filtersets.UserFilterSet, tables.UserTable

    def get(self, request):
        if not can(request.user, User, VIEW):
            raise Http404
        return super().get(request)

    def get_queryset(self):
        return super().get_queryset().select_related("region", "department", "organisation", "person")


class UserView(ObjectView):
    model = User
    template_name = "org/user.html"

    def get_extra_context(self, user):
        events = list(AuditEvent.objects.restrict(self.request.user, VIEW).filter(
            kind=AuditKind.PERMISSION_CHANGE, detail__account_id=user.pk)[:50])
        for event in events:
            event.before_text = _permission_text(event.detail.get("before"))
            event.after_text = _permission_text(event.detail.get("after"))
        return {"permission_events": events}


def _permission_text(state) -> str:
    """A stored permission state ({"role": …, "region": 3 …}) as an administrator reads it."""
    if not state:
        return "—"
    parts = [str(Role(state["role"]).label) if state.get("role") in Role.values else str(state.get("role"))]
    for name in services.SCOPE_FIELDS:
        if state.get(name):
            field = User._meta.get_field(name)
            target = field.related_model._default_manager.filter(pk=state[name]).first()
            parts.append(f"{field.verbose_name}：{target or state[name]}")
    parts.append(str(_("有效") if state.get("is_active") else _("已停用")))
    return "；".join(parts)


class UserEditView(ObjectEditView):
    model, form_class = User, forms.UserForm
    save_service = staticmethod(services.save_user)

    def service_kwargs(self, form):
        return {"password": form.cleaned_data.get("password") or None}

    def post(self, request, pk=None):
        response = super().post(request, pk)
        if pk is not None and pk == request.user.pk and response.status_code == 302 and request.POST.get("password"):
            # Changing one's own password would otherwise end one's own session.
            update_session_auth_hash(request, User.objects.get(pk=pk))
        return response


class UserDeleteView(ObjectDeleteView):
    model = User
    delete_service = staticmethod(services.delete_user)
