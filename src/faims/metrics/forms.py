from django import forms
from django.utils.translation import gettext_lazy as _

from faims.core.forms import bootstrap_class

from .registry import THRESHOLDS


class ThresholdForm(forms.Form):
    """The thresholds of a new definition version, with the reason for the change."""

    note = forms.CharField(label=_("调整原因"), max_length=300)

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for key, threshold in THRESHOLDS.items():
            self.fields[key] = forms.DecimalField(
                label=threshold.label, min_value=0, max_digits=12, decimal_places=2, initial=current[key],
                required=False)
        self.order_fields([*THRESHOLDS, "note"])
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", bootstrap_class(field.widget))

    def thresholds(self) -> dict:
        # A blank field keeps the current value (a threshold added to the catalogue after the form was built).
        return {key: self.cleaned_data[key] for key in THRESHOLDS if self.cleaned_data.get(key) is not None}
