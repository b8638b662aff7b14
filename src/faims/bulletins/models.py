"""Published bulletins: the document as issued, with what it was computed from (period, scope, lock, KPI version)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.permissions import VIEW, ScopedQuerySet
from faims.org.choices import Role
from faims.org.models import Region

from .choices import BuildStatus, BulletinFormat, BulletinKind

READERS = frozenset({Role.CITY_ADMIN, Role.SUPERVISOR, Role.REGION_OFFICER})


class BulletinQuerySet(ScopedQuerySet):
    project_path = None
    read_roles = READERS
    write_roles = frozenset({Role.CITY_ADMIN})
    # Who may generate a bulletin (download without publishing): whoever may read them.
    action_roles = {"generate": READERS}

    def restrict(self, user, action: str = VIEW):
        qs = super().restrict(user, action)
        if user is not None and user.is_authenticated and user.role == Role.REGION_OFFICER:
            # A region officer sees the bulletins of its region (and the regions below it), not the city's.
            if not user.region_id:
                return qs.none()
            return qs.filter(region__in=Region.objects.subtree_ids(user.region_id))
        return qs


class Bulletin(models.Model):
    kind = models.CharField(_("类型"), max_length=20, choices=BulletinKind.choices, default=BulletinKind.MONTHLY)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulletins",
        help_text=_("空为全市。"),
    )
    title = models.CharField(_("标题"), max_length=200)
    version_number = models.PositiveIntegerField(_("指标口径版本"))
    data_locked = models.BooleanField(_("数据已锁定"), default=False)
    figures = models.JSONField(_("通报数据"), default=dict)
    docx = models.BinaryField(_("Word 文档"))
    xlsx = models.BinaryField(_("Excel 表格"))
    pdf = models.BinaryField(_("PDF 文件"), default=b"")
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )

    # The files are kept, not compared in the change log.
    audit_exclude = ("docx", "xlsx", "pdf")

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = pgettext_lazy("plural", "通报")
        ordering = ["-year", "-month", "region", "-published_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bulletins:bulletin_list")

    @property
    def period_label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def scope_label(self) -> str:
        return self.region.name if self.region_id else str(_("全市"))


class BulletinBuildQuerySet(ScopedQuerySet):
    """A build is its requester's own: nobody else sees its progress or downloads its file."""

    project_path = None
    read_roles = READERS
    write_roles = READERS

    def restrict(self, user, action: str = VIEW):
        qs = super().restrict(user, action)
        if user is None or not user.is_authenticated:
            return qs.none()
        return qs.filter(user=user)


class BulletinBuild(models.Model):
    """A bulletin being written by the job worker, with its progress; the file once done (not published)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=BulletinKind.choices, default=BulletinKind.MONTHLY)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    file_format = models.CharField(_("格式"), max_length=10, choices=BulletinFormat.choices)
    status = models.CharField(_("状态"), max_length=20, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("已完成步骤"), default=0)
    progress_total = models.PositiveSmallIntegerField(_("步骤总数"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    content = models.BinaryField(_("文件"), default=b"")
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    audit_exclude = ("content",)

    objects = BulletinBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报生成任务")
        verbose_name_plural = pgettext_lazy("plural", "通报生成任务")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.year}-{self.month:02d}"

    def get_absolute_url(self):
        return reverse("bulletins:build", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in (BuildStatus.QUEUED, BuildStatus.RUNNING)

    @property
    def file_name(self) -> str:
        return f"{self.title}.{self.file_format}"
