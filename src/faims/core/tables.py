import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, ChangeLog


class ChangeLogTable(tables.Table):
    time = tables.DateTimeColumn(format="Y-m-d H:i", linkify=lambda record: record.get_absolute_url())
    content_type = tables.Column(verbose_name=_("对象类型"), accessor="content_type__name", orderable=False)

    class Meta:
        model = ChangeLog
        fields = ("time", "user_name", "action", "content_type", "object_repr", "reason")


class AuditEventTable(tables.Table):
    time = tables.DateTimeColumn(format="Y-m-d H:i:s")
    detail = tables.JSONColumn(orderable=False)

    class Meta:
        model = AuditEvent
        fields = ("time", "user_name", "kind", "ip_address", "detail")
