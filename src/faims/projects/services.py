"""Writing the registry: the functions the pages, the Excel import and the API all call.

Each is a thin layer over `core.services.save_object` / `delete_object` (validated, scoped, atomic,
in the change log); here live only the registry's own rules and messages.
"""
from faims.core.services import delete_object, save_object, save_objects

from .models import AnnualPlan, Library, Membership, Project, ProjectPerson


def save_project(project: Project, *, acting_user, reason: str = "", m2m: dict | None = None,
                 check_scope: bool = True) -> Project:
    """Create or update a project; `m2m` sets its departments ({"departments": [...]}).

    check_scope=False: see core.services.save_object (monthly reports accepted by a region officer).
    """
    return save_object(project, acting_user=acting_user, reason=reason, m2m=m2m, check_scope=check_scope)


def save_projects(projects, *, acting_user, reason: str = "", m2m: list | None = None) -> list[Project]:
    """save_project for many projects at once (the project-list import): all or nothing, the same
    checks and change log; raises core.services.BatchError naming every failing project."""
    return save_objects(projects, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_project(project: Project, *, acting_user, reason: str = "") -> None:
    delete_object(project, acting_user=acting_user, reason=reason)


def save_library(library: Library, *, acting_user, reason: str = "", m2m: dict | None = None) -> Library:
    return save_object(library, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_library(library: Library, *, acting_user, reason: str = "") -> None:
    delete_object(library, acting_user=acting_user, reason=reason)


def save_membership(membership: Membership, *, acting_user, reason: str = "", m2m: dict | None = None) -> Membership:
    return save_object(membership, acting_user=acting_user, reason=reason, m2m=m2m)


def save_memberships(memberships, *, acting_user, reason: str = "") -> list[Membership]:
    return save_objects(memberships, acting_user=acting_user, reason=reason)


def delete_membership(membership: Membership, *, acting_user, reason: str = "") -> None:
    delete_object(membership, acting_user=acting_user, reason=reason)


def save_annual_plan(plan: AnnualPlan, *, acting_user, reason: str = "", m2m: dict | None = None) -> AnnualPlan:
    return save_object(plan, acting_user=acting_user, reason=reason, m2m=m2m)


def save_annual_plans(plans, *, acting_user, reason: str = "") -> list[AnnualPlan]:
    return save_objects(plans, acting_user=acting_user, reason=reason)


def delete_annual_plan(plan: AnnualPlan, *, acting_user, reason: str = "") -> None:
    delete_object(plan, acting_user=acting_user, reason=reason)


def save_project_person(person: ProjectPerson, *, acting_user, reason: str = "",
                        m2m: dict | None = None) -> ProjectPerson:
    return save_object(person, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_project_person(person: ProjectPerson, *, acting_user, reason: str = "") -> None:
    delete_object(person, acting_user=acting_user, reason=reason)
