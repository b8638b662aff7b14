from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinKind(models.TextChoices):
    MONTHLY = "monthly", _("月度通报")


class BulletinFormat(models.TextChoices):
    DOCX = "docx", _("Word 文档（.docx）")
    XLSX = "xlsx", _("Excel 表格（.xlsx）")
