"""The API's resources: one generic view set over a model, with the UI's form, FilterSet, scope and services.

A resource reads through `Model.objects.restrict(user, action)` (an id outside the caller's scope is 404, as on the
pages), filters with the list page's FilterSet, and writes by validating the body with the edit page's form and
saving through the same service function: the API can do nothing the UI would refuse, and every change is in the
change log. `bulk` creates or updates many objects in one call, all or nothing, with an error per item.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, filters, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from faims.core import services
from faims.core.permissions import ADD, CHANGE, DELETE, VIEW, can

from .bodies import IGNORED, form_errors, typed_body
from .errors import django_errors

MAX_BULK = 1000
ACTIONS = {"list": VIEW, "retrieve": VIEW, "update": CHANGE, "partial_update": CHANGE, "destroy": DELETE}


def model_serializer(model, fields, *, read_only=(), extra=None):
    """A ModelSerializer of `id` and `fields` (+ read-only `read_only`): what the API returns and documents."""
    meta = type("Meta", (), {"model": model, "fields": ["id", *fields, *read_only], "read_only_fields": read_only})
    attrs = {"Meta": meta, **(extra or {})}
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), attrs)


class ResourceViewSet(viewsets.ModelViewSet):
    model = None
    form_class = None
    filterset_class = None
    save_service = staticmethod(services.save_object)
    delete_service = staticmethod(services.delete_object)
    save_many_service = staticmethod(services.save_objects)
    # A field that names an existing object in a bulk item without its id (a project's code).
    natural_key: str | None = None
    select_related: tuple = ()
    prefetch_related: tuple = ()
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    # -- reading ---------------------------------------------------------------------------

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can(request.user, self.model, VIEW):
            raise exceptions.PermissionDenied(
                _("您的角色无权访问%(model)s。") % {"model": self.model._meta.verbose_name}
            )

    def get_queryset(self):
        action_name = ACTIONS.get(self.action, VIEW)
        queryset = self.model.objects.restrict(self.request.user, action_name)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset.order_by(*(self.model._meta.ordering or ["pk"]), "pk")

    @property
    def ordering_fields(self):
        return ["id", *(f.name for f in self.model._meta.concrete_fields if not f.is_relation)]

    def field_labels(self) -> dict:
        return {name: str(field.label) for name, field in self.form_class.base_fields.items()}

    # -- writing ---------------------------------------------------------------------------

    def _form(self, data, instance, *, partial: bool):
        if not isinstance(data, dict):
            raise exceptions.ValidationError({"non_field_errors": [_("请求体应为 JSON 对象。")]})
        allowed = set(self.form_class.base_fields)
        unknown = sorted(set(data) - allowed - IGNORED - set(self.get_serializer_class().Meta.read_only_fields))
        if unknown:
            raise exceptions.ValidationError({name: [_("未知字段。")] for name in unknown})
        values = {}
        if instance.pk is None:
            # What the body leaves out of a new object takes the model's default, as a new form's initial does.
            values = {
                field.name: field.get_default()
                for field in self.model._meta.concrete_fields
                if field.name in allowed and field.has_default()
            }
        elif partial:
            values = {
                name: [getattr(item, "pk", item) for item in value] if isinstance(value, list) else value
                for name, value in model_to_dict(instance, fields=allowed).items()
            }
        values.update(typed_body({name: value for name, value in data.items() if name in allowed}, self.form_class))
        return self.form_class(data=values, instance=instance, user=self.request.user)

    def _save(self, instance, data, *, partial: bool):
        form = self._form(data, instance, partial=partial)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        reason = data.get("change_reason", "") if isinstance(data.get("change_reason", ""), str) else ""
        try:
            return self.save_service(
                form.instance, acting_user=self.request.user, reason=reason, m2m=form.many_to_many()
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(_("您无权保存此对象：它超出了您的管辖范围。")) from exc

    def create(self, request, *args, **kwargs):
        if not can(request.user, self.model, ADD):
            raise exceptions.PermissionDenied(
                _("您的角色无权新增%(model)s。") % {"model": self.model._meta.verbose_name}
            )
        saved = self._save(self.model(), request.data, partial=False)
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        saved = self._save(self.get_object(), request.data, partial=partial)
        return Response(self.get_serializer(saved).data)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        reason = request.query_params.get("change_reason", "")
        try:
            self.delete_service(instance, acting_user=request.user, reason=reason[:500])
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(django_errors(exc)) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)

    # -- many at once ----------------------------------------------------------------------

    @extend_schema(
        summary="批量新增或修改",
        description=(
            "items 中每一项为一个对象：带 id（或自然键）的修改已有对象，其余新增。全部通过校验才保存，"
            "否则一项也不保存，并按序号返回每一项的错误。"
        ),
        request=inline_serializer(
            "BulkRequest", {"items": serializers.ListField(child=serializers.DictField(), max_length=MAX_BULK)}
        ),
        responses={
            200: inline_serializer(
                "BulkResult",
                {
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                    "ids": serializers.ListField(child=serializers.IntegerField()),
                },
            ),
            400: OpenApiResponse(description="每一项的错误：errors 为 {序号: {字段: [错误]}}"),
        },
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        items = request.data.get("items") if isinstance(request.data, dict) else None
        forms, errors = self.bulk_forms(items)
        if errors:
            raise exceptions.ValidationError(errors)
        instances = [form.instance for form in forms.values()]
        m2m = [form.many_to_many() for form in forms.values()]
        created = sum(instance.pk is None for instance in instances)
        try:
            with transaction.atomic():
                saved = self.save_many_service(instances, acting_user=request.user, reason=_("接口批量写入"), m2m=m2m)
        except services.BatchError as failure:
            raise exceptions.ValidationError(
                {str(index): _bulk_error(error) for index, error in failure.errors.items()}
            ) from failure
        return Response({"created": created, "updated": len(saved) - created, "ids": [obj.pk for obj in saved]})

    def bulk_forms(self, items) -> tuple[dict, dict]:
        """({position: valid bound form}, {position: errors}) of the items of a bulk call."""
        if not isinstance(items, list) or not items:
            raise exceptions.ValidationError({"items": [_("请提供至少一项（items 为对象数组）。")]})
        if len(items) > MAX_BULK:
            raise exceptions.ValidationError({"items": [_("一次最多 %(n)s 项。") % {"n": MAX_BULK}]})
        existing = self._existing(items)
        forms, errors = {}, {}
        for index, item in enumerate(items):
            try:
                instance = self._bulk_instance(item, existing)
                form = self._form(item, instance, partial=instance.pk is not None)
                if not form.is_valid():
                    raise exceptions.ValidationError(form_errors(form))
            except exceptions.APIException as exc:
                errors[str(index)] = exc.detail
                continue
            forms[index] = form
        return forms, errors

    def _existing(self, items) -> dict:
        """The in-scope objects the items name, by id and by natural key (one query each)."""
        dicts = [item for item in items if isinstance(item, dict)]
        queryset = self.model.objects.restrict(self.request.user, CHANGE)
        ids = {item["id"] for item in dicts if isinstance(item.get("id"), int) and not isinstance(item["id"], bool)}
        found = {("id", obj.pk): obj for obj in queryset.filter(pk__in=ids)}
        if self.natural_key:
            keys = {item[self.natural_key] for item in dicts if isinstance(item.get(self.natural_key), str)}
            found.update(
                {
                    (self.natural_key, getattr(obj, self.natural_key)): obj
                    for obj in queryset.filter(**{f"{self.natural_key}__in": keys})
                }
            )
        return found

    def _bulk_instance(self, item, existing):
        if not isinstance(item, dict):
            raise exceptions.ValidationError({"non_field_errors": [_("每一项应为 JSON 对象。")]})
        if "id" in item:
            pk = item["id"]
            if not isinstance(pk, int) or isinstance(pk, bool):
                raise exceptions.ValidationError({"id": [_("id 应为整数。")]})
            if can(self.request.user, self.model, CHANGE) and ("id", pk) in existing:
                return existing[("id", pk)]
            raise exceptions.ValidationError({"id": [_("对象不存在或超出您的管辖范围。")]})
        key = item.get(self.natural_key) if self.natural_key else None
        if isinstance(key, str) and (self.natural_key, key) in existing:
            return existing[(self.natural_key, key)]
        if not can(self.request.user, self.model, ADD):
            raise exceptions.ValidationError(
                {"non_field_errors": [_("您的角色无权新增%(model)s。") % {"model": self.model._meta.verbose_name}]}
            )
        return self.model()


def _bulk_error(error) -> dict:
    if isinstance(error, DjangoValidationError):
        return django_errors(error)
    return {"non_field_errors": [str(error) or _("您无权对该对象执行此操作。")]}
