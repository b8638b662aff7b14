"""Assessment schemes as data: which KPIs score a region or a department, with what weight, against what goal,
and which rewards and penalties follow from the ranking (policy (二十六) and 附件三(二))."""
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.formatting import format_rate, format_wan
from faims.core.permissions import ScopedQuerySet
from faims.metrics.registry import RATE, REGISTRY
from faims.org.choices import Role

from .choices import FlagCondition, FlagKind, GoalSource, Method, SchemeKind, Subject


class AssessmentQuerySet(ScopedQuerySet):
    """Schemes and their results are read by the offices that assess or are assessed; the city admin writes."""

    read_roles = frozenset({Role.CITY_ADMIN, Role.SUPERVISOR, Role.REGION_OFFICER, Role.DEPARTMENT_OFFICER})


def scorable_keys() -> list[str]:
    """The KPI keys an indicator may name: every KPI the engine computes."""
    return [key for key, definition in REGISTRY.items() if definition.implemented]


def goal_text(kpi_key: str, value) -> str:
    """A goal as offices write it: a rate as a percent, money in 万元, a count with 个."""
    if value is None:
        return "—"
    definition = REGISTRY.get(kpi_key)
    if definition is not None and definition.kind == RATE:
        return format_rate(value)
    if definition is not None and definition.unit == "wanyuan":
        return _("%(amount)s万元") % {"amount": format_wan(value)}
    return _("%(n)s个") % {"n": format_wan(value)}


class AssessmentScheme(models.Model):
    name = models.CharField(_("方案名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=SchemeKind.choices)
    subject = models.CharField(_("考核对象"), max_length=20, choices=Subject.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    active = models.BooleanField(_("启用"), default=True)
    notes = models.TextField(_("说明"), blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = pgettext_lazy("plural", "考核方案")
        ordering = ["-year", "kind", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "year"], name="assessmentscheme_unique",
                violation_error_message=_("该年度已有同类型、同考核对象的考核方案，请修改原方案而不要重复新增。"),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessment:assessmentscheme", args=[self.pk])

    def clean(self):
        if not (self.name or "").strip():
            raise ValidationError({"name": _("方案名称不能为空。")})


class AssessmentIndicator(models.Model):
    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("考核方案"), on_delete=models.CASCADE,
                               related_name="indicators")
    kpi_key = models.CharField(_("指标"), max_length=40, help_text=_("指标口径中的 KPI 键，例如 new_start_rate。"))
    weight = models.DecimalField(_("权重（分）"), max_digits=6, decimal_places=2)
    method = models.CharField(_("计分方法"), max_length=20, choices=Method.choices, default=Method.HIGHER)
    goal_source = models.CharField(_("目标来源"), max_length=20, choices=GoalSource.choices,
                                   default=GoalSource.FIXED)
    goal = models.DecimalField(
        _("目标值"), max_digits=16, decimal_places=4, null=True, blank=True,
        help_text=_("比率以小数计（90% 填 0.9），金额以万元计，数量以个计；"
                    "目标来源为“取目标任务”时作为没有目标任务时的目标。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = pgettext_lazy("plural", "考核指标")
        ordering = ["scheme", "sort_order", "pk"]

    def __str__(self):
        return f"{self.scheme} · {self.label}"

    def get_absolute_url(self):
        return reverse("assessment:assessmentindicator", args=[self.pk])

    @property
    def audit_parent(self):
        return self.scheme

    @property
    def label(self) -> str:
        definition = REGISTRY.get(self.kpi_key)
        return str(definition.label) if definition else self.kpi_key

    @property
    def goal_label(self) -> str:
        if self.goal_source == GoalSource.TIME_PROGRESS:
            return str(_("时序进度"))
        text = goal_text(self.kpi_key, self.goal)
        if self.goal_source == GoalSource.TARGET:
            return _("目标任务（无则%(goal)s）") % {"goal": text}
        return text

    def clean(self):
        errors = {}
        if self.kpi_key not in scorable_keys():
            errors["kpi_key"] = _("指标“%(key)s”不在指标口径中，或尚不能计算。") % {"key": self.kpi_key}
        elif self.scheme_id and AssessmentIndicator.objects.filter(
                scheme_id=self.scheme_id, kpi_key=self.kpi_key).exclude(pk=self.pk).exists():
            errors["kpi_key"] = _("该方案已有指标“%(label)s”，同一指标不能重复。") % {"label": self.label}
        if self.weight is not None and self.weight <= 0:
            errors["weight"] = _("权重必须大于零。")
        if self.goal is not None and self.goal < 0:
            errors["goal"] = _("目标值不能为负数。")
        elif self.goal_source == GoalSource.FIXED and self.goal is None:
            errors["goal"] = _("目标来源为“固定目标值”时必须填写目标值。")
        elif self.goal_source == GoalSource.TIME_PROGRESS and self.kpi_key != "completion_rate":
            errors["goal_source"] = _("只有年度计划完成率（completion_rate）可以以时序进度为目标。")
        if errors:
            raise ValidationError(errors)


class AssessmentFlag(models.Model):
    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("考核方案"), on_delete=models.CASCADE,
                               related_name="flags")
    kind = models.CharField(_("类别"), max_length=20, choices=FlagKind.choices)
    label = models.CharField(_("措施"), max_length=100, help_text=_("例如：相关要素指标予以收回"))
    condition = models.CharField(_("条件"), max_length=20, choices=FlagCondition.choices)
    threshold = models.DecimalField(_("N 或 X"), max_digits=6, decimal_places=1,
                                    help_text=_("排名条件填名次数 N，总分条件填分数 X。"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("奖惩措施")
        verbose_name_plural = pgettext_lazy("plural", "奖惩措施")
        # Rewards before penalties.
        ordering = ["scheme", "-kind", "sort_order", "pk"]

    def __str__(self):
        return f"{self.scheme} · {self.label}"

    def get_absolute_url(self):
        return reverse("assessment:assessmentflag", args=[self.pk])

    @property
    def audit_parent(self):
        return self.scheme

    @property
    def condition_text(self) -> str:
        n = format(self.threshold.normalize(), "f") if self.threshold is not None else "—"
        return {
            FlagCondition.TOP: _("排名前%(n)s名"), FlagCondition.BOTTOM: _("排名后%(n)s名"),
            FlagCondition.BELOW: _("总分低于%(n)s分"), FlagCondition.AT_LEAST: _("总分不低于%(n)s分"),
        }[FlagCondition(self.condition)] % {"n": n}

    def clean(self):
        if not (self.label or "").strip():
            raise ValidationError({"label": _("措施不能为空。")})
        if self.threshold is None or self.condition not in FlagCondition.values:
            return
        if self.condition in (FlagCondition.TOP, FlagCondition.BOTTOM):
            if self.threshold < 1 or self.threshold != self.threshold.to_integral_value():
                raise ValidationError({"threshold": _("排名条件的名次数 N 应为不小于 1 的整数。")})
        elif not 0 <= self.threshold <= 100:
            raise ValidationError({"threshold": _("总分条件的分数 X 应在 0 至 100 之间。")})
