"""Writing the change log and audit events; the request context they carry."""
import contextvars
import datetime as dt
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent, ChangeLog

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("faims_request_id", default="")
client_ip_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("faims_client_ip", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def _json_value(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model) -> dict:
    """The object's stored fields, JSON-safe; many-to-many fields as sorted lists of ids."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in getattr(instance, "audit_exclude", ()):
            continue
        data[field.name] = _json_value(field.value_from_object(instance))
    if instance.pk:
        for field in instance._meta.many_to_many:
            data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return data


def log_change(*, instance, action, acting_user, before, after, reason="", related=None) -> ChangeLog:
    return ChangeLog.objects.create(
        user=acting_user if getattr(acting_user, "pk", None) else None,
        user_name=getattr(acting_user, "username", "") or "",
        request_id=request_id_var.get(),
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=instance.pk,
        object_repr=str(instance)[:300],
        related_type=ContentType.objects.get_for_model(type(related)) if related is not None else None,
        related_id=related.pk if related is not None else None,
        before=before,
        after=after,
        reason=reason or "",
    )


def record_event(kind, *, user=None, user_name="", **detail) -> AuditEvent:
    return AuditEvent.objects.create(
        kind=kind,
        user=user if getattr(user, "pk", None) else None,
        user_name=user_name or getattr(user, "username", "") or "",
        ip_address=client_ip_var.get(),
        request_id=request_id_var.get(),
        detail={k: _json_value(v) for k, v in detail.items()},
    )


def history_for(instance):
    """Changes of the object itself and of the objects that name it as their parent."""
    ct = ContentType.objects.get_for_model(type(instance))
    return ChangeLog.objects.filter(
        models.Q(content_type=ct, object_id=instance.pk) | models.Q(related_type=ct, related_id=instance.pk)
    ).select_related("content_type", "user")
