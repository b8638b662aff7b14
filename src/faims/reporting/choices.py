from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已审核")


class StartStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开工")
    STARTED = "started", _("已开工")


class StatsStatus(models.TextChoices):
    """统计库入库申报 (statistics-database entry)."""

    NOT_APPLIED = "not_applied", _("未申报")
    APPLIED = "applied", _("已申报")
    ENTERED = "entered", _("已入库")
    REJECTED = "rejected", pgettext_lazy("统计入库", "退回")


class ProductionStatus(models.TextChoices):
    NONE = "none", _("未投产")
    PARTIAL = "partial", _("部分投产")
    FULL = "full", _("全部投产")


class RuleLevel(models.TextChoices):
    ERROR = "error", _("错误")
    WARNING = "warning", _("预警")
