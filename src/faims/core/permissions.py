"""The one permission check: `Model.objects.restrict(user, action)` turns a role's scope into a filter.

Every list, detail page, export, form and service starts from it. Reads outside the scope are
answered with 404 by the views, because the object is simply not in the restricted queryset.
"""
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from faims.org.choices import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
SEE_EVERYTHING = frozenset({Role.CITY_ADMIN, Role.SUPERVISOR})


def project_scope_q(user, path: str = "") -> models.Q:
    """The projects a user of a scoped role may see, as a filter reached through `path`."""
    role = user.role
    nothing = models.Q(pk__in=[])
    if role == Role.REGION_OFFICER and user.region_id:
        from faims.org.models import Region

        return models.Q(**{f"{path}region__in": Region.objects.subtree_ids(user.region_id)})
    if role == Role.DEPARTMENT_OFFICER and user.department_id:
        return models.Q(**{f"{path}departments": user.department_id})
    if role == Role.PROJECT_UNIT and user.organisation_id:
        return models.Q(**{f"{path}unit": user.organisation_id})
    if role == Role.LEADER and user.person_id:
        return models.Q(**{f"{path}leader": user.person_id})
    if role == Role.COMMISSIONER and user.person_id:
        from faims.projects.choices import PersonRole

        return models.Q(**{f"{path}people__person": user.person_id, f"{path}people__role": PersonRole.COMMISSIONER})
    return nothing


class ScopedQuerySet(models.QuerySet):
    # Path from this model to its project ("" for Project itself); None for reference data that
    # every signed-in user may read (regions, libraries, departments …).
    project_path: str | None = None
    # Roles that may read at all (None: every role, within its project scope).
    read_roles: frozenset | None = None
    # Roles that may add, change and delete.
    write_roles: frozenset = frozenset({Role.CITY_ADMIN})
    # Roles of the actions that differ from `write_roles` ("submit", "review", "lock" …).
    action_roles: dict[str, frozenset] = {}

    def roles_for(self, action: str) -> frozenset:
        return self.action_roles.get(action, self.write_roles)

    def restrict(self, user, action: str = VIEW):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        role = user.role
        if action != VIEW and role not in self.roles_for(action):
            return self.none()
        if action == VIEW and self.read_roles is not None and role not in self.read_roles:
            return self.none()
        if role in SEE_EVERYTHING or self.project_path is None:
            return self
        return self.filter(project_scope_q(user, self.project_path))


def can(user, model, action: str) -> bool:
    """Whether the user may perform `action` on some object of `model` (for showing buttons)."""
    if user is None or not user.is_authenticated:
        return False
    qs = model._default_manager.get_queryset()
    if action == VIEW:
        return qs.read_roles is None or user.role in qs.read_roles
    return user.role in qs.roles_for(action)


def check_in_scope(user, instance, action: str) -> None:
    """Raise PermissionDenied unless the saved instance lies within the user's scope for `action`."""
    manager = type(instance)._default_manager
    if not manager.restrict(user, action).filter(pk=instance.pk).exists():
        raise PermissionDenied(_("您无权对该对象执行此操作。"))
