"""Monthly reports (附件二(四)): one per project and period, filed by the 20th of the next month."""
import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.fields import MoneyField
from faims.core.permissions import ScopedQuerySet
from faims.org.choices import Role
from faims.projects.choices import LifecycleStatus
from faims.projects.models import Project

from .choices import ProductionStatus, ReportStatus, StartStatus, StatsStatus

ADMIN = frozenset({Role.CITY_ADMIN})
FILERS = frozenset({Role.CITY_ADMIN, Role.REGION_OFFICER, Role.PROJECT_UNIT})
REVIEWERS = frozenset({Role.CITY_ADMIN, Role.REGION_OFFICER})


def default_deadline(year: int, month: int) -> dt.date:
    """The 20th of the month after the period (附件二(四))."""
    return dt.date(year + month // 12, month % 12 + 1, 20)


class ReportingPeriodQuerySet(ScopedQuerySet):
    action_roles = {"lock": ADMIN}


class ReportingPeriod(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), choices=[(m, f"{m}月") for m in range(1, 13)])
    deadline = models.DateField(_("报送截止日期"), help_text=_("默认为次月20日，节假日可调整。"))
    deadline_reason = models.CharField(_("截止日期调整原因"), max_length=200, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("锁定人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("报送期")
        verbose_name_plural = pgettext_lazy("plural", "报送期")
        ordering = ["-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="reporting_period_unique",
                                               violation_error_message=_("该报送期已存在。"))]

    def __str__(self):
        return f"{self.year}年{self.month}月"

    def get_absolute_url(self):
        return reverse("reporting:reportingperiod", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"


class MonthlyReportQuerySet(ScopedQuerySet):
    project_path = "project__"
    write_roles = FILERS
    action_roles = {"review": REVIEWERS, "delete": ADMIN, "amend": FILERS}


class MonthlyReport(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("报送期"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("报送状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    # Amounts in 万元. The month's amount may be unknown when a sheet carries only the year-to-date
    # figure and FAIMS holds no earlier report of that year.
    month_investment = MoneyField(_("本月完成投资（万元）"), null=True, blank=True)
    ytd_investment = MoneyField(_("本年累计完成投资（万元）"), null=True, blank=True)
    cumulative_investment = MoneyField(_("自开工累计完成投资（万元）"), null=True, blank=True)
    start_status = models.CharField(
        _("开工情况"), max_length=20, choices=StartStatus.choices, default=StartStatus.NOT_STARTED
    )
    actual_start_date = models.DateField(_("实际开工日期"), null=True, blank=True)
    stats_status = models.CharField(
        _("入库申报情况"), max_length=20, choices=StatsStatus.choices, default=StatsStatus.NOT_APPLIED
    )
    stats_date = models.DateField(_("入库（申报）日期"), null=True, blank=True)
    construction_status = models.CharField(
        _("建设状态"), max_length=20, choices=LifecycleStatus.choices, default=LifecycleStatus.PREPARATION
    )
    progress_text = models.TextField(_("形象进度"), blank=True)
    production_status = models.CharField(
        _("投产情况"), max_length=20, choices=ProductionStatus.choices, default=ProductionStatus.NONE
    )
    capacity_reached = models.DecimalField(
        _("达产率（%）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    problems_text = models.TextField(_("存在问题"), blank=True)
    status_change_reason = models.CharField(
        _("状态变化说明"), max_length=300, blank=True, help_text=_("建设或投产状态倒退（如投产→在建）时必须说明。")
    )
    warning_note = models.CharField(
        _("预警说明"), max_length=500, blank=True, help_text=_("存在预警时，报送前须填写说明以确认。")
    )
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    first_submitted_at = models.DateTimeField(
        _("首次报送时间"), null=True, blank=True, help_text=_("判断是否按时报送的依据；退回后重报不改变它。")
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MonthlyReportQuerySet.as_manager()
    audit_exclude = ("created", "updated")

    class Meta:
        verbose_name = _("月度报送")
        verbose_name_plural = pgettext_lazy("plural", "月度报送")
        ordering = ["-period__year", "-period__month", "project"]
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="monthly_report_unique",
                                               violation_error_message=_("该项目本期已有报送，请修改原报送。"))]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self):
        return f"{self.project} · {self.period}"

    def get_absolute_url(self):
        return reverse("reporting:monthlyreport", args=[self.pk])


class ReportAmendmentQuerySet(ScopedQuerySet):
    project_path = "report__project__"
    write_roles = frozenset()


class ReportAmendment(models.Model):
    """A change to a report of a locked period: the original figures stay visible beside the new ones."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("月度报送"), on_delete=models.CASCADE, related_name="amendments"
    )
    time = models.DateTimeField(_("更正时间"), auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更正人"), on_delete=models.PROTECT,
                             related_name="+")
    reason = models.CharField(_("更正原因"), max_length=500)
    before = models.JSONField(_("更正前"))
    after = models.JSONField(_("更正后"))

    objects = ReportAmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("报送更正")
        verbose_name_plural = pgettext_lazy("plural", "报送更正")
        ordering = ["-time", "-id"]

    def __str__(self):
        return f"{self.report} · {self.time:%Y-%m-%d}"


class ReportAttachmentQuerySet(ScopedQuerySet):
    project_path = "report__project__"
    write_roles = FILERS

    def without_content(self):
        return self.defer("content")


class ReportAttachment(models.Model):
    """A photo or PDF of a report, kept in the database so that no server holds state of its own."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("月度报送"), on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content = models.BinaryField(_("内容"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")

    objects = ReportAttachmentQuerySet.as_manager()
    audit_exclude = ("content",)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = pgettext_lazy("plural", "附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name

    @property
    def audit_parent(self):
        """Attachments show in their report's history."""
        return self.report
