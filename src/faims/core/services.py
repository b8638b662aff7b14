"""The one way domain objects are written: validated, scoped, atomic and in the change log.

App services (`projects.services`, `org.services` …) call these; views, the API, imports, jobs
and commands call the app services and never save models themselves.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from .audit import log_change, snapshot
from .choices import ChangeAction
from .permissions import ADD, CHANGE, DELETE, check_in_scope


def _parent(instance):
    """The object whose history also shows this one's changes (a project for its plans)."""
    return getattr(instance, "project", None) if hasattr(type(instance), "project") else None


@transaction.atomic
def save_object(instance, *, acting_user, reason: str = "", m2m: dict | None = None):
    """Create or update `instance` (and set its many-to-many fields) as `acting_user`.

    Raises ValidationError naming the field, or PermissionDenied; nothing is saved then.
    """
    creating = instance.pk is None
    before = None
    if not creating:
        check_in_scope(acting_user, instance, CHANGE)
        stored = type(instance)._default_manager.get(pk=instance.pk)
        before = snapshot(stored)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    # Checked after the save so that a change cannot move an object out of the user's scope.
    check_in_scope(acting_user, instance, ADD if creating else CHANGE)
    # Read back, so that the log holds what the database stores (50000 as 50000.00).
    after = snapshot(type(instance)._default_manager.get(pk=instance.pk))
    if before != after:
        log_change(
            instance=instance, action=ChangeAction.CREATE if creating else ChangeAction.UPDATE,
            acting_user=acting_user, before=before, after=after, reason=reason, related=_parent(instance),
        )
    return instance


@transaction.atomic
def delete_object(instance, *, acting_user, reason: str = "") -> None:
    if instance.pk is None:
        raise PermissionDenied(_("对象不存在。"))
    check_in_scope(acting_user, instance, DELETE)
    before = snapshot(instance)
    pk, parent = instance.pk, _parent(instance)
    try:
        instance.delete()
    except ProtectedError as exc:
        users = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        raise ValidationError(
            _("“%(obj)s”仍被%(users)s引用，不能删除；请先解除这些引用。") % {"obj": instance, "users": "、".join(users)}
        ) from exc
    instance.pk = pk
    log_change(
        instance=instance, action=ChangeAction.DELETE, acting_user=acting_user, before=before, after=None,
        reason=reason, related=parent,
    )
