"""Versions of the KPI thresholds: the current version is the one with the highest number."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.permissions import ScopedQuerySet


class KpiDefinitionVersionQuerySet(ScopedQuerySet):
    def current(self):
        return self.order_by("-number").first()


class KpiDefinitionVersion(models.Model):
    number = models.PositiveIntegerField(_("版本号"), unique=True)
    thresholds = models.JSONField(_("阈值"), default=dict)
    note = models.CharField(_("调整原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("调整人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = KpiDefinitionVersionQuerySet.as_manager()
    audit_exclude = ("created",)

    class Meta:
        verbose_name = _("指标口径版本")
        verbose_name_plural = pgettext_lazy("plural", "指标口径版本")
        ordering = ["-number"]

    def __str__(self):
        return _("第%(number)s版") % {"number": self.number}
