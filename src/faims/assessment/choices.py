from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeKind(models.TextChoices):
    QUARTERLY = "quarterly", _("季度督查")
    ANNUAL = "annual", _("年度考核")


class Subject(models.TextChoices):
    REGION = "region", _("地区")
    DEPARTMENT = "department", _("部门")


class Method(models.TextChoices):
    HIGHER = "higher", _("越高越好：权重×min(1, 实际/目标)")
    LOWER = "lower", _("越低越好：不高于目标得满分，至目标的2倍降为0分")


class GoalSource(models.TextChoices):
    FIXED = "fixed", _("固定目标值")
    TARGET = "target", _("取目标任务（无则用固定目标值）")
    TIME_PROGRESS = "time_progress", _("时序进度")


class FlagKind(models.TextChoices):
    REWARD = "reward", _("激励")
    PENALTY = "penalty", _("问责")


class FlagCondition(models.TextChoices):
    TOP = "top", _("排名前N名")
    BOTTOM = "bottom", _("排名后N名")
    BELOW = "below", _("总分低于X分")
    AT_LEAST = "at_least", _("总分不低于X分")
