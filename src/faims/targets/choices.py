from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetScope(models.TextChoices):
    CITY = "city", _("全市")
    REGION = "region", _("地区")
    LIBRARY = "library", _("项目库")
    CATEGORY = "category", _("项目类别")


class TargetPeriod(models.TextChoices):
    YEAR = "year", _("全年")
    Q1 = "q1", _("一季度末")
    H1 = "h1", _("二季度末（半年）")
    Q3 = "q3", _("三季度末")


class TargetUnit(models.TextChoices):
    WANYUAN = "wanyuan", _("万元")
    RATE = "rate", _("比率")
    COUNT = "count", _("个")


# The KPI keys of the catalogue a target may name, with the unit of their value.
KPI_KEYS = {
    "annual_target": TargetUnit.WANYUAN,
    "ytd_investment": TargetUnit.WANYUAN,
    "new_start_rate": TargetUnit.RATE,
    "started_rate": TargetUnit.RATE,
    "completion_rate": TargetUnit.RATE,
    "progress_gap": TargetUnit.RATE,
    "project_count": TargetUnit.COUNT,
    "new_started_count": TargetUnit.COUNT,
    "filed_10yi_count": TargetUnit.COUNT,
    "filed_50yi_count": TargetUnit.COUNT,
    "filed_100yi_count": TargetUnit.COUNT,
    "stats_entry_rate": TargetUnit.RATE,
    "on_time_report_rate": TargetUnit.RATE,
    "problem_feedback_rate": TargetUnit.RATE,
    "problem_closure_rate": TargetUnit.RATE,
    "filing_rate": TargetUnit.RATE,
    "filed_start_rate": TargetUnit.RATE,
    "started_investment_rate": TargetUnit.RATE,
    "production_rate": TargetUnit.RATE,
    "capacity_rate": TargetUnit.RATE,
}
KPI_KEY_CHOICES = [(key, key) for key in KPI_KEYS]


class TaskUnit(models.TextChoices):
    """Units of the policy's quantitative tasks, stored as written so that a value reads “13900套”."""

    SET = "套", _("套")
    PIECE = "个", _("个")
    SQM_WAN = "万平方米", _("万平方米")
    STRIP = "条", _("条")
    SEAT = "座", _("座")
    KM = "公里", _("公里")
    CUBIC = "立方米", _("立方米")
    CUBIC_WAN = "万立方米", _("万立方米")
    SCHOOL = "所", _("所")
    ITEM = "项", _("项")
    PERCENT = "%", _("%")
