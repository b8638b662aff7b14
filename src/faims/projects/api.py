"""The registry through the API: projects, libraries, memberships, annual plans, project people, node plans."""

from faims.api.resources import ResourceViewSet, model_serializer

from . import services
from .filtersets import (
    AnnualPlanFilterSet,
    LibraryFilterSet,
    MembershipFilterSet,
    ProjectFilterSet,
    ProjectPersonFilterSet,
)
from .forms import AnnualPlanForm, LibraryForm, MembershipForm, ProjectForm, ProjectPersonForm
from .models import AnnualPlan, Library, Membership, Project, ProjectPerson


def _fields(form_class) -> list[str]:
    return [name for name in form_class.base_fields if name != "change_reason"]


class ProjectViewSet(ResourceViewSet):
    """项目：the registry of projects. Bulk items name an existing project by `id` or by its `code`."""

    model, form_class, filterset_class = Project, ProjectForm, ProjectFilterSet
    serializer_class = model_serializer(Project, _fields(ProjectForm))
    save_service = staticmethod(services.save_project)
    delete_service = staticmethod(services.delete_project)
    save_many_service = staticmethod(services.save_projects)
    natural_key = "code"
    prefetch_related = ("departments",)


class LibraryViewSet(ResourceViewSet):
    """项目库."""

    model, form_class, filterset_class = Library, LibraryForm, LibraryFilterSet
    serializer_class = model_serializer(Library, _fields(LibraryForm))
    save_service = staticmethod(services.save_library)
    delete_service = staticmethod(services.delete_library)


class MembershipViewSet(ResourceViewSet):
    """入库记录：a project in a library, with its status and dates."""

    model, form_class, filterset_class = Membership, MembershipForm, MembershipFilterSet
    serializer_class = model_serializer(Membership, _fields(MembershipForm))
    save_service = staticmethod(services.save_membership)
    delete_service = staticmethod(services.delete_membership)


class AnnualPlanViewSet(ResourceViewSet):
    """年度计划：a project's planned investment and start kind for a year."""

    model, form_class, filterset_class = AnnualPlan, AnnualPlanForm, AnnualPlanFilterSet
    serializer_class = model_serializer(AnnualPlan, _fields(AnnualPlanForm))
    save_service = staticmethod(services.save_annual_plan)
    delete_service = staticmethod(services.delete_annual_plan)


class ProjectPersonViewSet(ResourceViewSet):
    """项目人员：the linked leaders, commissioners and contacts of a project."""

    model, form_class, filterset_class = ProjectPerson, ProjectPersonForm, ProjectPersonFilterSet
    serializer_class = model_serializer(ProjectPerson, _fields(ProjectPersonForm))
    save_service = staticmethod(services.save_project_person)
    delete_service = staticmethod(services.delete_project_person)


ROUTES = [
    ("projects", ProjectViewSet),
    ("libraries", LibraryViewSet),
    ("memberships", MembershipViewSet),
    ("annual-plans", AnnualPlanViewSet),
    ("project-people", ProjectPersonViewSet),
]
