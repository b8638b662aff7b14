"""Project warnings: one row per project, rule and period while the rule fires; cleared rows are kept."""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.permissions import ScopedQuerySet
from faims.metrics.models import KpiDefinitionVersion
from faims.projects.models import Project

from .choices import WarningLevel


class ProjectWarningQuerySet(ScopedQuerySet):
    project_path = "project__"
    # Only `refresh_warnings` writes warnings.
    write_roles = frozenset()

    def active(self):
        return self.filter(cleared_at__isnull=True)


class ProjectWarning(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="warnings")
    rule = models.CharField(_("预警规则"), max_length=10, db_index=True)
    level = models.CharField(_("预警等级"), max_length=10, choices=WarningLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    message = models.CharField(_("预警内容"), max_length=500)
    data = models.JSONField(_("触发数据"), default=dict, blank=True)
    version = models.ForeignKey(KpiDefinitionVersion, verbose_name=_("阈值版本"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("预警时间"))
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    objects = ProjectWarningQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目预警")
        verbose_name_plural = pgettext_lazy("plural", "项目预警")
        ordering = ["-year", "-month", "level", "rule", "project"]
        indexes = [models.Index(fields=["year", "month", "cleared_at"]),
                   # The KPI engine's look-up of a project's active warnings of a level in a period.
                   models.Index(fields=["project", "year", "month", "level"], name="warning_project_period")]
        constraints = [models.UniqueConstraint(
            fields=["project", "rule", "year", "month"], condition=models.Q(cleared_at__isnull=True),
            name="project_warning_one_active", violation_error_message=_("该项目本期已有这一规则的有效预警。"))]

    def __str__(self):
        return f"{self.rule} · {self.project} · {self.period_label}"

    def get_absolute_url(self):
        return reverse("alerts:projectwarning", args=[self.pk])

    @property
    def period_label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def rule_title(self) -> str:
        from .rules import RULES

        rule = RULES.get(self.rule)
        return str(rule.title) if rule else self.rule
