from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningLevel(models.TextChoices):
    RED = "red", _("红色")
    YELLOW = "yellow", _("黄色")
