"""Personal API tokens: created by their user, shown once, kept only as a hash, with an expiry; revocable."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.permissions import VIEW, ScopedQuerySet
from faims.org.choices import Role

TOKEN_PREFIX = "faims_"


def hash_key(key: str) -> str:
    """The stored form of a token: a token is 256 random bits, so a plain SHA-256 cannot be searched back."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(ScopedQuerySet):
    """A token is its user's own: nobody else lists, sees or revokes it."""

    project_path = None
    write_roles = frozenset(Role.values)

    def restrict(self, user, action: str = VIEW):
        qs = super().restrict(user, action)
        if user is None or not user.is_authenticated:
            return qs.none()
        return qs.filter(user=user)

    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("用途，例如“省平台同步”。"))
    prefix = models.CharField(_("令牌开头"), max_length=16, help_text=_("令牌的前几个字符，便于辨认。"))
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    # The hash is no secret to log, but nothing reads it back; the use time changes on every call.
    audit_exclude = ("key_hash", "last_used_at")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = pgettext_lazy("plural", "接口令牌")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    def get_absolute_url(self):
        return reverse("api_tokens")

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return str(_("已撤销"))
        if self.expires_at <= timezone.now():
            return str(_("已过期"))
        return str(_("有效"))
