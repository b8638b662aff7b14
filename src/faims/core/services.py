"""The one way domain objects are written: validated, scoped, atomic and in the change log.

App services (`projects.services`, `org.services` …) call these; views, the API, imports, jobs
and commands call the app services and never save models themselves.
"""
import datetime as dt
import decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import _json_value, log_change, request_id_var, snapshot
from .choices import ChangeAction
from .models import ChangeLog, Notification
from .permissions import ADD, CHANGE, DELETE, check_in_scope

# Ids per `__in` look-up and rows per INSERT/UPDATE statement of the batch functions (SQLite
# refuses more than 32,766 parameters in one statement).
BATCH_CHUNK = 2000
WRITE_BATCH = 500


# Called after every write, inside its transaction, with (model, instances): what other apps keep in step with
# the domain objects (the KPI engine's stored facts) registers here (`on_write`) from its AppConfig.ready.
_write_listeners = []


def on_write(listener):
    _write_listeners.append(listener)
    return listener


def after_write(model, instances) -> None:
    for listener in _write_listeners:
        listener(model, instances)


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
        after_write(type(instance), [instance])
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
    after_write(type(instance), [instance])
    log_change(
        instance=instance, action=ChangeAction.DELETE, acting_user=acting_user, before=before, after=None,
        reason=reason, related=parent,
    )


# ---------------------------------------------------------------------------------------------
# The batch path: the same validation, scope checks and change log as save_object, with the
# look-ups done once per batch instead of once per object (imports of thousands of rows).

class BatchError(Exception):
    """Every failing object of a batch: `errors` maps its position in the batch to the
    ValidationError or PermissionDenied that save_object would have raised for it. Nothing is saved."""

    def __init__(self, errors: dict):
        self.errors = dict(sorted(errors.items()))
        super().__init__(f"{len(self.errors)} objects of the batch failed")

    def shifted(self, positions) -> "BatchError":
        """The same errors keyed by `positions[i]` instead of i (a sub-batch's errors in the caller's terms)."""
        return BatchError({positions[i]: error for i, error in self.errors.items()})


def chunked(items, size=BATCH_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def in_scope_ids(model, user, action: str, pks) -> set:
    """The ids among `pks` that `Model.objects.restrict(user, action)` holds (one query per chunk)."""
    allowed = set()
    for part in chunked({pk for pk in pks if pk is not None}):
        allowed.update(model._default_manager.restrict(user, action).filter(pk__in=part)
                       .values_list("pk", flat=True))
    return allowed


def clean_objects(instances) -> dict:
    """full_clean of every instance, with the foreign-key and uniqueness look-ups done in bulk.

    Returns {position: ValidationError} for the instances full_clean would refuse. An instance that
    fails any check is cleaned once more by its own full_clean, so that its errors are word for word
    the ones save_object gives; instances of the batch that collide with each other get the error
    the second of them would get once the first is saved.
    """
    if not instances:
        return {}
    model = type(instances[0])
    opts = model._meta
    relations = [f for f in opts.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]
    relation_names = {f.name for f in relations}
    suspects, field_errors = set(), {}
    for i, instance in enumerate(instances):
        try:
            instance.full_clean(exclude=relation_names, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            suspects.add(i)
            field_errors[i] = set(exc.error_dict) if hasattr(exc, "error_dict") else set()
    for field in relations:
        target = field.target_field.attname
        values = {getattr(instance, field.attname) for instance in instances} - {None}
        found = set()
        for part in chunked(values):
            found.update(field.remote_field.model._base_manager.filter(**{f"{target}__in": part})
                         .complex_filter(field.get_limit_choices_to()).values_list(target, flat=True))
        for i, instance in enumerate(instances):
            value = getattr(instance, field.attname)
            if not (field.blank and value in field.empty_values) and value not in found:
                suspects.add(i)
                field_errors.setdefault(i, set()).add(field.name)
    duplicates = {}
    for fields, constraint in _unique_sets(model):
        keys = {}
        for i, instance in enumerate(instances):
            if field_errors.get(i, set()) & set(fields):
                continue
            key = tuple(getattr(instance, opts.get_field(name).attname) for name in fields)
            if any(value is None for value in key):
                continue
            if key in keys:
                duplicates.setdefault(i, []).append((fields, constraint))
            else:
                keys[key] = i
        first = opts.get_field(fields[0])
        for part in chunked(keys):
            lookup = {f"{first.attname}__in": [key[0] for key in part]}
            for position, name in enumerate(fields[1:], start=1):
                lookup[f"{opts.get_field(name).attname}__in"] = {key[position] for key in part}
            attnames = [opts.get_field(name).attname for name in fields]
            for pk, *key in model._default_manager.filter(**lookup).values_list("pk", *attnames):
                i = keys.get(tuple(key))
                if i is not None and (instances[i]._state.adding or instances[i].pk != pk):
                    suspects.add(i)
    errors = {}
    for i in sorted(suspects | set(duplicates)):
        instance = instances[i]
        found = {}
        if i in suspects:
            try:
                instance.full_clean()
            except ValidationError as exc:
                found = exc.update_error_dict({})
        for fields, constraint in duplicates.get(i, []):
            found = _unique_error(instance, model, fields, constraint).update_error_dict(found)
        if found:
            errors[i] = ValidationError(found)
    return errors


def _unique_sets(model):
    """(field names, UniqueConstraint or None) of every uniqueness save_object's full_clean checks."""
    opts = model._meta
    sets = [((f.name,), None) for f in opts.local_fields if f.unique and not f.primary_key]
    sets += [(tuple(names), None) for names in opts.unique_together]
    sets += [(tuple(c.fields), c) for c in opts.total_unique_constraints]
    return sets


def _unique_error(instance, model, fields, constraint) -> ValidationError:
    """The error full_clean gives when (fields) are already taken (Model.validate_unique / validate_constraints)."""
    if constraint is None or constraint.violation_error_message == constraint.default_violation_error_message:
        message = instance.unique_error_message(model, fields)
        error = ValidationError(message, code=message.code)
    else:
        error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
    if constraint is None or (error.code == "unique" and len(fields) == 1):
        return ValidationError({fields[0] if len(fields) == 1 else NON_FIELD_ERRORS: [error]})
    return error


def _stored_value(field, value):
    """The value as the database gives it back (1200 → 1200.00, datetimes in UTC), as the log shows it."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField) and isinstance(value, decimal.Decimal | int | float | str):
        return field.to_python(value).quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
    if isinstance(value, dt.datetime) and settings.USE_TZ and timezone.is_aware(value):
        return value.astimezone(dt.UTC)
    return value


def _m2m_ids(model, pks) -> dict:
    """{m2m field name: {pk: sorted related ids}} of the stored objects, one query per field and chunk."""
    result = {}
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        ids = {pk: [] for pk in pks}
        for part in chunked(pks):
            for pk, related in through._default_manager.filter(**{f"{source}__in": part}).values_list(source, target):
                ids[pk].append(related)
        result[field.name] = {pk: sorted(values) for pk, values in ids.items()}
    return result


def _snapshot(instance, m2m: dict) -> dict:
    """What audit.snapshot gives for the object as stored, built from the instance."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in getattr(instance, "audit_exclude", ()):
            continue
        data[field.name] = _json_value(_stored_value(field, field.value_from_object(instance)))
    data.update(m2m)
    return data


@transaction.atomic
def save_objects(instances, *, acting_user, reason: str = "", m2m: list | None = None,
                 check_scope: bool = True) -> list:
    """save_object for many objects of one model at once, all or nothing.

    The same checks and log as save_object: scope of changed objects before the write and of every
    written object after it, full_clean (see clean_objects), one ChangeLog row per created or changed
    object with the before/after snapshots save_object would write. An object whose stored fields
    and many-to-many sets would not change is not written at all. `m2m` holds, per object, what
    save_object's `m2m` takes (or None). Raises BatchError naming every failing object; returns the
    instances, created ones with their ids.
    """
    instances = list(instances)
    if not instances:
        return instances
    model = type(instances[0])
    if any(type(instance) is not model for instance in instances):
        raise TypeError("save_objects takes objects of one model")
    m2m = list(m2m) if m2m is not None else [None] * len(instances)
    denied = PermissionDenied(_("您无权对该对象执行此操作。"))
    errors = {}
    existing = [i for i, instance in enumerate(instances) if instance.pk is not None]
    if check_scope and existing:
        allowed = in_scope_ids(model, acting_user, CHANGE, [instances[i].pk for i in existing])
        errors.update({i: denied for i in existing if instances[i].pk not in allowed})
    stored = {}
    for part in chunked([instances[i].pk for i in existing]):
        stored.update(model._default_manager.in_bulk(part))
    stored_m2m = _m2m_ids(model, list(stored))
    remaining = [i for i in range(len(instances)) if i not in errors]
    cleaned = clean_objects([instances[i] for i in remaining])
    errors.update({remaining[i]: error for i, error in cleaned.items()})
    if errors:
        raise BatchError(errors)

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    auto_now = [f for f in fields if getattr(f, "auto_now", False)]
    creating, updating, changed_fields, logs = [], [], set(), []
    for i, instance in enumerate(instances):
        old = stored.get(instance.pk)
        new_m2m = {}
        for field in model._meta.many_to_many:
            if (m2m[i] or {}).get(field.name) is not None:
                new_m2m[field.name] = sorted(getattr(v, "pk", v) for v in m2m[i][field.name])
            else:
                new_m2m[field.name] = stored_m2m[field.name].get(instance.pk, [])
        if old is None:
            creating.append(i)
        else:
            differing = {f.attname for f in fields if f not in auto_now
                         and _stored_value(f, f.value_from_object(instance)) != f.value_from_object(old)}
            old_m2m = {name: ids.get(instance.pk, []) for name, ids in stored_m2m.items()}
            if not differing and new_m2m == old_m2m:
                continue
            updating.append(i)
            changed_fields |= differing
        logs.append((i, _snapshot(old, old_m2m) if old is not None else None, new_m2m))
    if creating:
        model._default_manager.bulk_create([instances[i] for i in creating], batch_size=WRITE_BATCH)
    if updating:
        for field in auto_now:
            for i in updating:
                field.pre_save(instances[i], add=False)
        names = [f.name for f in fields if f.attname in changed_fields or f in auto_now]
        if names:
            model._default_manager.bulk_update([instances[i] for i in updating], names, batch_size=WRITE_BATCH)
    _write_m2m(model, instances, m2m, stored_m2m, creating + updating)
    if creating or updating:
        after_write(model, [instances[i] for i in creating + updating])
    if check_scope:
        for action, positions in ((ADD, creating), (CHANGE, updating)):
            allowed = in_scope_ids(model, acting_user, action, [instances[i].pk for i in positions])
            errors.update({i: denied for i in positions if instances[i].pk not in allowed})
        if errors:
            raise BatchError(errors)
    _log_changes(instances, logs, acting_user=acting_user, reason=reason)
    return instances


def _write_m2m(model, instances, m2m, stored_m2m, positions) -> None:
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        added = []
        for i in positions:
            values = (m2m[i] or {}).get(field.name)
            if values is None:
                continue
            pk = instances[i].pk
            new, old = {getattr(v, "pk", v) for v in values}, set(stored_m2m[field.name].get(pk, []))
            if old - new:
                through._default_manager.filter(**{source: pk, f"{target}__in": old - new}).delete()
            added += [through(**{source: pk, target: related}) for related in sorted(new - old)]
        through._default_manager.bulk_create(added, batch_size=WRITE_BATCH)


def _log_changes(instances, logs, *, acting_user, reason) -> None:
    user = acting_user if getattr(acting_user, "pk", None) else None
    user_name = getattr(acting_user, "username", "") or ""
    request_id = request_id_var.get()
    rows = []
    for i, before, m2m in logs:
        instance = instances[i]
        after = _snapshot(instance, m2m)
        if before == after:
            continue
        related = _parent(instance)
        rows.append(ChangeLog(
            user=user, user_name=user_name, request_id=request_id,
            action=ChangeAction.UPDATE if before is not None else ChangeAction.CREATE,
            content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk,
            object_repr=str(instance)[:300],
            related_type=ContentType.objects.get_for_model(type(related)) if related is not None else None,
            related_id=related.pk if related is not None else None,
            before=before, after=after, reason=reason or "",
        ))
    ChangeLog.objects.bulk_create(rows, batch_size=WRITE_BATCH)


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
