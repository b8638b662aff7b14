"""The year's targets: a KPI key, a scope, a period and a value."""
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.permissions import ScopedQuerySet
from faims.org.models import Region
from faims.projects.choices import Category
from faims.projects.models import Library

from .choices import KPI_KEY_CHOICES, KPI_KEYS, TargetPeriod, TargetScope, TargetUnit


class Target(models.Model):
    kpi_key = models.CharField(_("指标"), max_length=40, choices=KPI_KEY_CHOICES)
    scope = models.CharField(_("范围"), max_length=20, choices=TargetScope.choices, default=TargetScope.CITY)
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    library = models.ForeignKey(
        Library, verbose_name=_("项目库"), null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    category = models.CharField(_("项目类别"), max_length=20, choices=Category.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("时点"), max_length=10, choices=TargetPeriod.choices, default=TargetPeriod.YEAR)
    value = models.DecimalField(
        _("目标值"), max_digits=16, decimal_places=4,
        help_text=_("金额以万元计；比率以小数计（75% 填 0.75）；数量以个计。"),
    )
    description = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("目标任务")
        verbose_name_plural = pgettext_lazy("plural", "目标任务")
        ordering = ["-year", "scope", "kpi_key", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi_key", "scope", "region", "library", "category", "year", "period"],
                name="target_unique",
            )
        ]

    def __str__(self):
        return f"{self.year}年 {self.scope_label} {self.description or self.kpi_key}（{self.get_period_display()}）"

    def get_absolute_url(self):
        return reverse("targets:target", args=[self.pk])

    @property
    def unit(self):
        return KPI_KEYS.get(self.kpi_key, TargetUnit.COUNT)

    @property
    def scope_label(self):
        if self.scope == TargetScope.REGION:
            return str(self.region)
        if self.scope == TargetScope.LIBRARY:
            return str(self.library)
        if self.scope == TargetScope.CATEGORY:
            return self.get_category_display()
        return self.get_scope_display()

    def clean(self):
        errors = {}
        needed = {TargetScope.REGION: "region", TargetScope.LIBRARY: "library", TargetScope.CATEGORY: "category"}
        for scope, field in needed.items():
            value = getattr(self, f"{field}_id" if field != "category" else field)
            if self.scope == scope and not value:
                errors[field] = _("范围为“%(scope)s”时必须填写此项。") % {"scope": TargetScope(scope).label}
            if self.scope != scope and value:
                errors[field] = _("范围不是“%(scope)s”时此项应留空。") % {"scope": TargetScope(scope).label}
        if self.value is not None and self.value < 0:
            errors["value"] = _("目标值不能为负数。")
        if self.value is not None and self.unit == TargetUnit.RATE and self.value > 1:
            errors["value"] = _("比率以小数填写，应在 0 至 1 之间（75% 填 0.75）。")
        if errors:
            raise ValidationError(errors)
