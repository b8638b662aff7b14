"""Pages of the project registry: projects, libraries, memberships, annual plans, project people."""
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from faims.alerts.models import ProjectWarning
from faims.alerts.tables import BADGE
from faims.core.permissions import ADD, VIEW, can
from faims.core.templatetags.faims import field_display
from faims.core.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView
from faims.reporting.models import MonthlyReport

from . import services
from .choices import MembershipStatus, Tier
from .filtersets import (
    AnnualPlanFilterSet,
    LibraryFilterSet,
    MembershipFilterSet,
    ProjectFilterSet,
    ProjectPersonFilterSet,
)
from .forms import AnnualPlanForm, LibraryForm, MembershipForm, ProjectForm, ProjectPersonForm
from .models import AnnualPlan, Library, Membership, Project, ProjectPerson
from .tables import AnnualPlanTable, LibraryMemberTable, LibraryTable, MembershipTable, ProjectPersonTable, ProjectTable

# The project page lists only the latest monthly reports; the history is on the report list.
RECENT_REPORTS = 6

# The project page shows the fields in the groups an office reads them in; the milestones
# (planned_*/actual_* dates) have their own planned-versus-actual table.
PROJECT_FIELD_GROUPS = [
    (_("基本信息"), ["code", "name", "unit", "region", "location", "longitude", "latitude", "scale", "status"]),
    (_("投资与分类"), ["total_investment", "tier", "category", "industry_chain", "nature", "investment_type",
                    "approval_mode", "is_synthetic"]),
    (_("纳统"), ["in_statistics", "statistics_date"]),
    (_("开放数据"), ["is_public"]),
    (_("责任部门与挂钩市领导"), ["departments", "leader"]),
]


def current_memberships():
    """The libraries a listed project is in, fetched for the whole page at once."""
    return Prefetch(
        "memberships",
        queryset=Membership.objects.exclude(status=MembershipStatus.WITHDRAWN).select_related("library"),
        to_attr="current_memberships",
    )


class ProjectListView(ObjectListView):
    model, filterset_class, table_class = Project, ProjectFilterSet, ProjectTable

    def get_queryset(self):
        return super().get_queryset().select_related("region", "unit", "leader").prefetch_related(
            current_memberships()
        )


class ProjectView(ObjectView):
    model = Project
    template_name = "projects/project.html"

    def get_object(self, pk, action=VIEW):
        queryset = self.model.objects.restrict(self.request.user, action)
        return get_object_or_404(
            queryset.select_related("region", "unit", "leader").prefetch_related("departments"), pk=pk
        )

    def get_extra_context(self, project):
        user = self.request.user
        groups = [(label, [_field_row(project, name) for name in names]) for label, names in PROJECT_FIELD_GROUPS]
        query = urlencode({"project": project.pk, "next": project.get_absolute_url()})
        add_links = [
            (label, f"{reverse(f'projects:{model._meta.model_name}_add')}?{query}", model._meta.model_name)
            for label, model in [(_("加入项目库"), Membership), (_("新增年度计划"), AnnualPlan),
                                 (_("新增项目人员"), ProjectPerson)]
            if can(user, model, ADD)
        ]
        return {
            "field_groups": groups,
            "milestones": project.milestone_rows(),
            "memberships": Membership.objects.restrict(user, VIEW).filter(project=project).select_related("library"),
            "plans": AnnualPlan.objects.restrict(user, VIEW).filter(project=project),
            "people": ProjectPerson.objects.restrict(user, VIEW).filter(project=project).select_related("person"),
            "add_links": add_links,
            "warnings": [(warning, BADGE[warning.level]) for warning in ProjectWarning.objects.restrict(user, VIEW)
                         .active().filter(project=project).order_by("-year", "-month", "level", "rule")],
            "reports": MonthlyReport.objects.restrict(user, VIEW).filter(project=project).select_related("period")
            .order_by("-period__year", "-period__month")[:RECENT_REPORTS],
        }


def _field_row(project, name):
    if name == "tier":
        return _("投资规模"), Tier(project.tier).label if project.tier else "—"
    field = Project._meta.get_field(name)
    return field.verbose_name, field_display(project, field)


class ProjectEditView(ObjectEditView):
    model, form_class = Project, ProjectForm
    save_service = staticmethod(services.save_project)


class ProjectDeleteView(ObjectDeleteView):
    model = Project
    delete_service = staticmethod(services.delete_project)


class LibraryListView(ObjectListView):
    model, filterset_class, table_class = Library, LibraryFilterSet, LibraryTable

    def get_queryset(self):
        # Each user counts only the members it may see.
        in_scope = Project.objects.restrict(self.request.user, VIEW).values("pk")
        members = Q(memberships__project__in=in_scope) & ~Q(memberships__status=MembershipStatus.WITHDRAWN)
        return super().get_queryset().annotate(member_count=Count("memberships", filter=members))


class LibraryView(ObjectView):
    model = Library
    template_name = "projects/library.html"

    def get_extra_context(self, library):
        members = Membership.objects.restrict(self.request.user, VIEW).filter(library=library).select_related(
            "project", "project__region"
        )
        table = LibraryMemberTable(members, request=self.request)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        return {
            "members": table,
            "projects_url": f"{reverse('projects:project_list')}?{urlencode({'library': library.pk})}",
        }


class LibraryEditView(ObjectEditView):
    model, form_class = Library, LibraryForm
    save_service = staticmethod(services.save_library)


class LibraryDeleteView(ObjectDeleteView):
    model = Library
    delete_service = staticmethod(services.delete_library)


class MembershipListView(ObjectListView):
    model, filterset_class, table_class = Membership, MembershipFilterSet, MembershipTable

    def get_queryset(self):
        return super().get_queryset().select_related("project", "project__region", "library")


class MembershipView(ObjectView):
    model = Membership


class MembershipEditView(ObjectEditView):
    model, form_class = Membership, MembershipForm
    save_service = staticmethod(services.save_membership)


class MembershipDeleteView(ObjectDeleteView):
    model = Membership
    delete_service = staticmethod(services.delete_membership)


class AnnualPlanListView(ObjectListView):
    model, filterset_class, table_class = AnnualPlan, AnnualPlanFilterSet, AnnualPlanTable

    def get_queryset(self):
        return super().get_queryset().select_related("project", "project__region")


class AnnualPlanView(ObjectView):
    model = AnnualPlan


class AnnualPlanEditView(ObjectEditView):
    model, form_class = AnnualPlan, AnnualPlanForm
    save_service = staticmethod(services.save_annual_plan)


class AnnualPlanDeleteView(ObjectDeleteView):
    model = AnnualPlan
    delete_service = staticmethod(services.delete_annual_plan)


class ProjectPersonListView(ObjectListView):
    model, filterset_class, table_class = ProjectPerson, ProjectPersonFilterSet, ProjectPersonTable

    def get_queryset(self):
        return super().get_queryset().select_related("project", "person")


class ProjectPersonView(ObjectView):
    model = ProjectPerson


class ProjectPersonEditView(ObjectEditView):
    model, form_class = ProjectPerson, ProjectPersonForm
    save_service = staticmethod(services.save_project_person)


class ProjectPersonDeleteView(ObjectDeleteView):
    model = ProjectPerson
    delete_service = staticmethod(services.delete_project_person)
