"""Request bodies for the pages' forms, and the pieces every resource's actions share.

The API validates with the same forms as the pages. Django's form fields expect text as a browser posts it, so a
JSON body is first typed for its form (`typed_body`): numbers and booleans become text, lists stay lists only where
the field takes several values, and anything else is refused naming the field. `bound_form` binds an action's page
form to a JSON or multipart body; `FormActionsMixin` lets the error summary use that form's labels and the actions
that take files accept multipart bodies.
"""

from django import forms
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser, MultiPartParser

# Sent back by clients that PUT what they read: ignored, not "unknown".
IGNORED = frozenset({"id", "change_reason"})
# Form fields whose value is a list; every other field takes one value.
MULTI_VALUE = ("MultipleChoiceField", "ModelMultipleChoiceField", "MultipleFileField")
MAX_ID = 2**63 - 1

ERROR = inline_serializer(
    "ErrorBody",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.JSONField(), required=False),
    },
)
REFUSED = {
    400: OpenApiResponse(ERROR, description="输入有误或当前状态不允许该操作；错误说明可执行的操作。"),
    403: OpenApiResponse(ERROR, description="您的角色不能执行该操作。"),
    404: OpenApiResponse(ERROR, description="对象不存在或超出您的管辖范围。"),
}


def form_fields(form_class) -> list[str]:
    return [name for name in form_class.base_fields if name != "change_reason"]


def typed_body(data: dict, form_class, *, skip=()) -> dict:
    """The JSON body as a form's data: numbers and booleans as text, lists only where the field takes several.

    A number where a date belongs would otherwise end in a server error, and a list or object where one value
    belongs is refused here with the field named.
    """
    values, errors = {}, {}
    fields = form_class.base_fields
    for name, value in data.items():
        if name in skip:
            continue
        multi = name in fields and type(fields[name]).__name__ in MULTI_VALUE
        if value is None:
            values[name] = ""
        elif isinstance(value, list) and multi and all(_scalar(item) for item in value):
            values[name] = [_text(item) for item in value]
        elif _scalar(value):
            values[name] = _text(value)
        else:
            errors[name] = [_("应为列表。") if multi else _("应为单个值（文本或数字），不能是列表或对象。")]
            continue
        if isinstance(fields.get(name), forms.ModelChoiceField):
            ids = values[name] if isinstance(values[name], list) else [values[name]]
            # An id beyond the database's integers is no object; the database would fail on it rather than say so.
            if any(_beyond_id_range(text) for text in ids):
                errors[name] = [_("对象不存在或超出您的管辖范围。")]
    if errors:
        raise exceptions.ValidationError(errors)
    return values


def _beyond_id_range(text: str) -> bool:
    digits = text.strip().lstrip("+-")
    return digits.isdigit() and int(digits) > MAX_ID


def _scalar(value) -> bool:
    return isinstance(value, str | int | float | bool)


def _text(value) -> str:
    return value if isinstance(value, str) else str(value)


def plain_body(data, files=(), form_class=None) -> dict:
    """The request body as a dict (a multipart body's files left out, its repeated keys and the values of the
    form's fields that take several as lists)."""
    if hasattr(data, "getlist"):
        fields = form_class.base_fields if form_class else {}
        multi = {name for name, field in fields.items() if type(field).__name__ in MULTI_VALUE}
        return {
            key: (values if len(values) > 1 or key in multi else values[0])
            for key in data
            if key not in files
            for values in [data.getlist(key)]
        }
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("请求体应为 JSON 对象。")]})
    return data


def form_errors(form) -> dict:
    return {
        ("non_field_errors" if name == "__all__" else name): [e["message"] for e in errors]
        for name, errors in form.errors.get_json_data().items()
    }


def bound_form(form_class, request, *, start=None, extra=(), **kwargs):
    """The page's form bound to the body: unknown fields refused, values typed, what the body leaves out taking
    `start` (the stored values) or the form's initial value; files from a multipart body. `extra` names body fields
    the action reads itself."""
    data = plain_body(request.data, request.FILES, form_class)
    body = {name: field.initial for name, field in form_class.base_fields.items() if field.initial is not None}
    body.update(start or {})
    body.update(typed_body({k: v for k, v in data.items() if k not in extra}, form_class, skip=IGNORED))
    form = form_class(data=body, files=request.FILES or None, **kwargs)
    # Against the bound form's fields: a form may drop some for the user (a leader does not choose the visitor).
    unknown = sorted(set(data) - set(form.fields) - IGNORED - set(extra))
    if unknown:
        raise exceptions.ValidationError({name: [_("未知字段。")] for name in unknown})
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form


def file_response(stored, types) -> HttpResponse:
    """A stored file's bytes; a type outside `types` is served as a download of unknown type."""
    response = HttpResponse(
        bytes(stored.content),
        content_type=stored.content_type if stored.content_type in types else "application/octet-stream",
    )
    response["Content-Disposition"] = content_disposition_header(True, stored.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class FormActionsMixin:
    """Error summaries name the field with the label of the form the current action validates with; the actions
    that take files (`multipart_actions`) accept multipart bodies besides JSON."""

    action_forms: dict = {}
    multipart_actions: tuple = ()

    def field_labels(self) -> dict:
        form_class = self.action_forms.get(self.action, self.form_class)
        return {name: str(field.label) for name, field in form_class.base_fields.items()}

    def initialize_request(self, request, *args, **kwargs):
        request = super().initialize_request(request, *args, **kwargs)
        # The action is known only now; the body is parsed later, on first access.
        if self.action in self.multipart_actions:
            request.parsers = [JSONParser(), MultiPartParser()]
        return request
