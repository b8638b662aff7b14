from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinKind(models.TextChoices):
    MONTHLY = "monthly", _("月度通报")
    QUARTERLY = "quarterly", _("季度督查报告")
    ANNUAL = "annual", _("年度考核通报")


class BulletinFormat(models.TextChoices):
    DOCX = "docx", _("Word 文档（.docx）")
    XLSX = "xlsx", _("Excel 表格（.xlsx）")
    PDF = "pdf", _("PDF 文件（.pdf）")


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("等待生成")
    RUNNING = "running", _("正在生成")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


# Quarterly reports are written at the end of a quarter.
QUARTER_END_MONTHS = (3, 6, 9, 12)
