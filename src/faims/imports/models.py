"""An uploaded sheet between its dry run and its commit, kept in the database (never on one server's disk)."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from faims.core.permissions import ScopedQuerySet


class ImportKind(models.TextChoices):
    PROJECTS = "projects", _("项目清单")
    REPORTS = "reports", _("月度进度表")


class BatchStatus(models.TextChoices):
    PREVIEWED = "previewed", _("待确认")
    QUEUED = "queued", _("等待导入")
    RUNNING = "running", _("正在导入")
    COMMITTED = "committed", _("已导入")
    FAILED = "failed", _("未导入")


class ImportBatchQuerySet(ScopedQuerySet):
    """Each user sees and commits only the batches it uploaded; writes go through imports.services."""

    write_roles = frozenset()

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)


class ImportBatch(models.Model):
    kind = models.CharField(_("类型"), max_length=20, choices=ImportKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                             related_name="+")
    file_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("校验值"), max_length=64)
    content = models.BinaryField(_("文件内容"))
    # Year of a project list; year and month of a progress sheet.
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    # The uploader's choices: library, default region and category, draft or submit, the warning note.
    options = models.JSONField(_("导入选项"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.PREVIEWED)
    summary = models.JSONField(_("结果摘要"), default=dict, blank=True)
    created = models.DateTimeField(_("上传时间"), auto_now_add=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    # A large commit runs in the job worker; the page polls these.
    progress = models.PositiveIntegerField(_("已写入行数"), default=0)
    progress_total = models.PositiveIntegerField(_("待写入行数"), default=0)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.file_name}"

    def get_absolute_url(self):
        return reverse("imports:batch", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)

    @property
    def period_label(self) -> str:
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年"
