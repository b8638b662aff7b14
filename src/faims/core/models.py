"""The change log and the audit-event table, the two records nobody has to distrust; the inbox."""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.org.choices import Role

from .choices import AuditKind, ChangeAction
from .permissions import ScopedQuerySet


class AuditQuerySet(ScopedQuerySet):
    """The logs are read by the city admin and the supervisor and written only by the services."""

    read_roles = frozenset({Role.CITY_ADMIN, Role.SUPERVISOR})
    write_roles = frozenset()


class ChangeLog(models.Model):
    """One change of one domain object: who, when, request, before and after, why."""

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=36, blank=True)
    action = models.CharField(_("操作"), max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField(_("对象编号"))
    object_repr = models.CharField(_("对象"), max_length=300)
    # The object a child change also belongs to (a project for its memberships and plans),
    # so that the parent's history shows it.
    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    related_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = pgettext_lazy("plural", "变更记录")
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["related_type", "related_id"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def get_absolute_url(self):
        return reverse("core:changelog", args=[self.pk])

    def diff(self):
        """Rows of (field label, before, after) for the fields that changed, as a reader would name them."""
        before, after = self.before or {}, self.after or {}
        model = self.content_type.model_class()
        fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")} if model else {}
        rows = []
        for key in [*after, *(k for k in before if k not in after)]:
            if before.get(key) != after.get(key):
                field = fields.get(key)
                label = field.verbose_name if field is not None else key
                rows.append((label, display_value(field, before.get(key)), display_value(field, after.get(key))))
        return rows


def display_value(field, value):
    """A stored snapshot value as the UI shows it: choice labels, names of related objects."""
    if field is None or value is None or value == "" or value == []:
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        ids = value if isinstance(value, list) else [value]
        names = {obj.pk: str(obj) for obj in field.related_model._default_manager.filter(pk__in=ids)}
        shown = [names.get(pk, f"#{pk}") for pk in ids]
        return shown if field.many_to_many else shown[0]
    return value


class AuditEvent(models.Model):
    """Events that are not changes of an object: logins, exports, imports, locks, publications."""

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("账号"), max_length=150, blank=True)
    kind = models.CharField(_("事件"), max_length=20, choices=AuditKind.choices, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=36, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = pgettext_lazy("plural", "审计事件")
        ordering = ["-time", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.user_name}"


class NotificationQuerySet(ScopedQuerySet):
    """A user's in-app inbox: everyone reads only their own messages; jobs and services write them."""

    write_roles = frozenset()

    def restrict(self, user, action: str = "view"):
        return super().restrict(user, action).filter(user=user) if action == "view" else self.none()


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField(_("类型"), max_length=30)
    # One message per user and key (e.g. "report-due:2022-06:project-17"), so a daily job that runs
    # twice, or on two servers, does not say the same thing twice.
    key = models.CharField(_("去重键"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = pgettext_lazy("plural", "站内消息")
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key")]

    def __str__(self):
        return self.title
