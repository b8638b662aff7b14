from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_non_negative


class MoneyField(models.DecimalField):
    """An amount in 万元, exact to the hundredth (offices report whole 万元; one yuan is 0.0001万)."""

    default_validators = [validate_non_negative]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.error_messages["invalid"] = _("请填写数字金额（万元），例如 52000 或 52000.5。")
        return field

