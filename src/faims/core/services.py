"""The one way domain objects are written: validated, scoped, atomic and in the change log.

App services (`projects.services`, `org.services` …) call these; views, the API, imports, jobs
and commands call the app services and never save models themselves.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import log_change, snapshot
from .choices import ChangeAction
from .models import Notification
from .permissions import ADD, CHANGE, DELETE, check_in_scope


def _parent(instance):
    """The object whose history also shows this one's changes: `audit_parent`, else the project."""
    if hasattr(type(instance), "audit_parent"):
        return instance.audit_parent
    return getattr(instance, "project", None) if hasattr(type(instance), "project") else None


@transaction.atomic
def save_object(instance, *, acting_user, reason: str = "", m2m: dict | None = None, check_scope: bool = True):
    """Create or update `instance` (and set its many-to-many fields) as `acting_user`.

    Raises ValidationError naming the field, or PermissionDenied; nothing is saved then.
    check_scope=False is only for a change that a service derives from an action it has already
    authorised (an accepted monthly report setting its project's start date); it is still logged.
    """
    creating = instance.pk is None
    before = None
    if not creating:
        if check_scope:
            check_in_scope(acting_user, instance, CHANGE)
        stored = type(instance)._default_manager.get(pk=instance.pk)
        before = snapshot(stored)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    # Checked after the save so that a change cannot move an object out of the user's scope.
    if check_scope:
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


# The in-app inbox. Messages are not domain objects: writing or reading them leaves no change-log row.

def notify(user, *, kind: str, key: str, title: str, body: str = "", url: str = ""):
    """Put a message in the user's inbox unless one with the same key is there already.

    Returns (notification, created). The unique (user, key) constraint makes this safe when two
    servers run the same job at once: the second insert fails and the first message is returned.
    """
    return Notification.objects.get_or_create(
        user=user, key=key, defaults={"kind": kind, "title": title[:200], "body": body, "url": url[:300]},
    )


def mark_emailed(notification) -> None:
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def mark_read(notification, *, acting_user) -> None:
    """Mark one of the acting user's own messages read (another user's message: PermissionDenied)."""
    if notification.user_id != getattr(acting_user, "pk", None):
        raise PermissionDenied(_("您无权对该对象执行此操作。"))
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(*, acting_user) -> int:
    """Mark every unread message of the acting user read; returns how many."""
    return Notification.objects.restrict(acting_user).filter(read_at__isnull=True).update(read_at=timezone.now())
