from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "faims.metrics"
    verbose_name = _("指标")

    def ready(self):
        from faims.core.services import on_write

        from .facts import written

        # Every write through the services keeps the stored per-period facts current.
        on_write(written)
