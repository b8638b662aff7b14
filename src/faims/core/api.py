"""The change log and the audit events (read-only, the city admin and the supervisor, as on their pages), and the
caller's own inbox (list, mark read)."""

from django.db import models
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, filters, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import services
from .filtersets import AuditEventFilterSet, ChangeLogFilterSet
from .models import AuditEvent, ChangeLog, Notification
from .permissions import VIEW, can

ERROR = inline_serializer(
    "InboxError",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False),
    },
)


class ChangeLogSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField(help_text="对象类型：应用.模型")

    class Meta:
        model = ChangeLog
        fields = ["id", "time", "user", "user_name", "request_id", "action", "content_type", "object_type",
                  "object_id", "object_repr", "before", "after", "reason"]
        read_only_fields = fields

    def get_object_type(self, entry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"


class ChangeLogDetailSerializer(ChangeLogSerializer):
    changes = serializers.SerializerMethodField(help_text="改动的字段：名称、修改前、修改后（页面上的写法）")

    class Meta(ChangeLogSerializer.Meta):
        fields = [*ChangeLogSerializer.Meta.fields, "changes"]
        read_only_fields = fields

    def get_changes(self, entry) -> list[dict]:
        return [{"field": str(label), "before": before, "after": after} for label, before, after in entry.diff()]


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "time", "user", "user_name", "kind", "ip_address", "request_id", "detail"]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created", "read_at"]
        read_only_fields = fields


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only resource with the scope, filters, ordering and error bodies of `ResourceViewSet`; writes, where
    there are any, are its own actions."""

    model = None
    filterset_class = None
    select_related: tuple = ()
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can(request.user, self.model, VIEW):
            raise exceptions.PermissionDenied(
                _("您的角色无权访问%(model)s。") % {"model": self.model._meta.verbose_name}
            )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        queryset = self.model.objects.restrict(self.request.user, VIEW)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset.order_by(*(self.model._meta.ordering or ["pk"]), "pk")

    @property
    def ordering_fields(self):
        return ["id", *(f.name for f in self.model._meta.concrete_fields
                        if not f.is_relation and not isinstance(f, (models.JSONField, models.BinaryField)))]

    def field_labels(self) -> dict:
        if self.filterset_class is None:
            return {}
        return {name: str(flt.label) for name, flt in self.filterset_class.base_filters.items()}


class ChangeLogViewSet(ScopedReadOnlyViewSet):
    """变更记录：every change of a domain object (who, when, request, before and after, reason)."""

    model, filterset_class = ChangeLog, ChangeLogFilterSet
    serializer_class = ChangeLogSerializer
    select_related = ("content_type",)

    def get_serializer_class(self):
        return ChangeLogDetailSerializer if self.action == "retrieve" else ChangeLogSerializer


class AuditEventViewSet(ScopedReadOnlyViewSet):
    """审计事件：logins, failed logins, exports, imports, locks, publications, permission changes."""

    model, filterset_class = AuditEvent, AuditEventFilterSet
    serializer_class = AuditEventSerializer


class NotificationViewSet(ScopedReadOnlyViewSet):
    """站内消息：the caller's own messages, newest first (unread=true: only the unread ones)."""

    model = Notification
    serializer_class = NotificationSerializer

    def field_labels(self) -> dict:
        return {"unread": _("未读")}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and self.request.query_params.get("unread") in ("1", "true"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="只列未读消息")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="标为已读", request=None,
                   responses={200: NotificationSerializer, 404: OpenApiResponse(ERROR)})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.mark_read(notification, acting_user=request.user)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @extend_schema(summary="全部标为已读", request=None,
                   responses={200: inline_serializer("ReadAll", {"count": serializers.IntegerField()})})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"count": services.mark_all_read(acting_user=request.user)})


ROUTES = [("changes", ChangeLogViewSet), ("audit-events", AuditEventViewSet), ("inbox", NotificationViewSet)]
