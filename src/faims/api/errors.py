"""Error bodies of the API: `{"detail": "...", "errors": {field: [messages]}}`, in the user's language.

`detail` is one sentence a person can read (the first problem, with the field's label); `errors` names every field
(`non_field_errors` for the object as a whole). Django's own ValidationError and PermissionDenied raised by the
services become 400 and 403 like DRF's.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

NON_FIELD = "non_field_errors"


def django_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {(NON_FIELD if field == "__all__" else field): messages for field, messages in exc.message_dict.items()}
    return {NON_FIELD: list(exc.messages)}


def _flatten(errors, prefix="") -> list[tuple[str, str]]:
    if isinstance(errors, dict):
        return [pair for key, value in errors.items() for pair in _flatten(value, f"{prefix}{key}.")]
    if isinstance(errors, list):
        return [pair for value in errors for pair in _flatten(value, prefix)]
    return [(prefix.rstrip("."), str(errors))]


def summary(errors, labels: dict | None = None) -> str:
    """The first message, prefixed with the label of its field ("地区：该字段是必填项。")."""
    pairs = _flatten(errors)
    if not pairs:
        return _("请求有误。")
    field, message = pairs[0]
    name = field.split(".")[0]
    if not field or name == NON_FIELD:
        return message
    label = (labels or {}).get(name, field)
    return _("%(field)s：%(message)s") % {"field": label, "message": message}


def handle(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_errors(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return Response(
            {"detail": _("请求体过大：不得超过 %(mb)s MB。") % {"mb": limit}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {NON_FIELD: exc.detail}
        view = context.get("view")
        labels = getattr(view, "field_labels", lambda: {})()
        response.data = {"detail": summary(errors, labels), "errors": errors}
    return response
