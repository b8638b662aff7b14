from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "faims.alerts"
    verbose_name = _("项目预警")
