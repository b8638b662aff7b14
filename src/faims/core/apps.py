from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "faims.core"
    label = "core"
    verbose_name = _("系统")

    def ready(self):
        from . import signals  # noqa: F401
