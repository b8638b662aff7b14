from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "faims.opendata"
    label = "opendata"
    verbose_name = _("开放数据")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system check)
