from django import forms
from django.utils.translation import gettext_lazy as _

from faims.core.forms import ObjectForm, bootstrap_class

from .choices import KPI_KEYS
from .models import QuantitativeTask, Target, TaskProgress


class TargetForm(ObjectForm):
    class Meta:
        model = Target
        fields = ["year", "kpi_key", "scope", "region", "library", "category", "period", "value", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The unit beside each key tells the user how to write the value (万元, a fraction, a count).
        self.fields["kpi_key"].choices = [("", "---------")] + [
            (key, f"{key}（{unit.label}）") for key, unit in KPI_KEYS.items()
        ]


class QuantitativeTaskForm(ObjectForm):
    class Meta:
        model = QuantitativeTask
        fields = ["year", "name", "quantity", "unit", "owner", "clause", "description"]


class TaskProgressForm(forms.Form):
    """One month's cumulative actual; saving a month already reported corrects it."""

    month = forms.TypedChoiceField(label=_("月份"), coerce=int,
                                   choices=[(m, _("%(m)s月") % {"m": m}) for m in range(1, 13)])
    cumulative = forms.DecimalField(label=TaskProgress._meta.get_field("cumulative").verbose_name,
                                    max_digits=14, decimal_places=2,
                                    help_text=TaskProgress._meta.get_field("cumulative").help_text)
    note = forms.CharField(label=_("说明"), required=False, max_length=300,
                           help_text=_("累计数比上月减少时必须写明原因。"))
    change_reason = forms.CharField(label=_("变更原因（可选）"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", bootstrap_class(field.widget))
