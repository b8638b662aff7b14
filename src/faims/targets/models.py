"""The year's targets (a KPI key, a scope, a period and a value) and the policy's quantitative tasks."""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.formatting import format_wan
from faims.core.permissions import VIEW, ScopedQuerySet
from faims.org.choices import Role
from faims.org.models import Department, Region
from faims.projects.choices import Category
from faims.projects.models import Library

from .choices import KPI_KEY_CHOICES, KPI_KEYS, TargetPeriod, TargetScope, TargetUnit, TaskUnit

# The action of recording a task's monthly progress (distinct from changing the task itself).
PROGRESS = "progress"


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


class QuantitativeTaskQuerySet(ScopedQuerySet):
    """Everyone reads the ledger; the city admin writes it; a department officer records the
    progress of the tasks its department owns (the "progress" action)."""

    action_roles = {PROGRESS: frozenset({Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER})}

    def restrict(self, user, action: str = VIEW):
        queryset = super().restrict(user, action)
        if action != VIEW and getattr(user, "role", None) == Role.DEPARTMENT_OFFICER:
            return queryset.filter(owner=user.department_id)
        return queryset


class QuantitativeTask(models.Model):
    """A countable task of the year's policy (13900套 of shanty-town renovation), owned by a department."""

    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("任务"), max_length=100)
    quantity = models.DecimalField(_("目标量"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=10, choices=TaskUnit.choices)
    owner = models.ForeignKey(
        Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="quantitative_tasks"
    )
    clause = models.CharField(_("政策条款"), max_length=20, blank=True, help_text=_("例如：（十一）"))
    description = models.CharField(_("说明"), max_length=300, blank=True)

    objects = QuantitativeTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("量化任务")
        verbose_name_plural = pgettext_lazy("plural", "量化任务")
        ordering = ["-year", "clause", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name", "unit"], name="quantitativetask_unique"),
        ]

    def __str__(self):
        return f"{self.year}年 {self.name}（{format_wan(self.quantity)}{self.unit}）"

    def get_absolute_url(self):
        return reverse("targets:quantitativetask", args=[self.pk])

    def clean(self):
        if self.quantity is not None and self.quantity <= 0:
            raise ValidationError({"quantity": _("目标量必须大于零。")})


class TaskProgressQuerySet(ScopedQuerySet):
    """Progress is written by whoever may record it on the task: the admin, or the owning department."""

    write_roles = frozenset({Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER})

    def restrict(self, user, action: str = VIEW):
        queryset = super().restrict(user, action)
        if action != VIEW and getattr(user, "role", None) == Role.DEPARTMENT_OFFICER:
            return queryset.filter(task__owner=user.department_id)
        return queryset


class TaskProgress(models.Model):
    task = models.ForeignKey(QuantitativeTask, verbose_name=_("量化任务"), on_delete=models.CASCADE,
                             related_name="progress")
    month = models.PositiveSmallIntegerField(
        _("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    cumulative = models.DecimalField(
        _("累计完成"), max_digits=14, decimal_places=2, help_text=_("年初至该月末累计完成量，单位同任务。")
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = TaskProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务进度")
        verbose_name_plural = pgettext_lazy("plural", "任务进度")
        ordering = ["task", "month"]
        constraints = [models.UniqueConstraint(fields=["task", "month"], name="taskprogress_unique_month")]

    def __str__(self):
        return f"{self.task.name} {self.month}月 {format_wan(self.cumulative)}{self.task.unit}"

    def get_absolute_url(self):
        return self.task.get_absolute_url()

    @property
    def audit_parent(self):
        return self.task

    def clean(self):
        if self.cumulative is None or self.task_id is None or self.month is None:
            return
        if self.cumulative < 0:
            raise ValidationError({"cumulative": _("累计完成量不能为负数。")})
        earlier = (TaskProgress.objects.filter(task_id=self.task_id, month__lt=self.month)
                   .exclude(pk=self.pk).order_by("-month").first())
        if earlier and self.cumulative < earlier.cumulative and not self.note.strip():
            raise ValidationError({"note": _(
                "%(month)s月累计完成 %(value)s 低于%(earlier)s月的 %(previous)s；累计数一般不会减少，"
                "如确需调减（如核减、更正），请在“说明”中写明原因。"
            ) % {"month": self.month, "value": format_wan(self.cumulative), "earlier": earlier.month,
                 "previous": format_wan(earlier.cumulative)}})
