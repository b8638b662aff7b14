from django import forms
from django.utils.translation import gettext_lazy as _

from faims.core.forms import ObjectForm
from faims.metrics.registry import REGISTRY

from .models import AssessmentFlag, AssessmentIndicator, AssessmentScheme, scorable_keys


class AssessmentSchemeForm(ObjectForm):
    class Meta:
        model = AssessmentScheme
        fields = ["name", "kind", "subject", "year", "active", "notes"]


class AssessmentIndicatorForm(ObjectForm):
    kpi_key = forms.ChoiceField(label=_("指标"))

    class Meta:
        model = AssessmentIndicator
        fields = ["scheme", "kpi_key", "weight", "method", "goal_source", "goal", "sort_order", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi_key"].choices = [("", "---------")] + [
            (key, f"{REGISTRY[key].label}（{key}）") for key in scorable_keys()]
        self.fields["kpi_key"].widget.attrs["class"] = "form-select"


class AssessmentFlagForm(ObjectForm):
    class Meta:
        model = AssessmentFlag
        fields = ["scheme", "kind", "label", "condition", "threshold", "sort_order"]


class RankingForm(forms.Form):
    """What the ranking page shows: a year, a quarter or the year end, and the kind of subject."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("考核期"), choices=[
        ("1", _("第一季度")), ("2", _("第二季度")), ("3", _("第三季度")), ("4", _("第四季度")),
        ("year", _("年度考核"))])
    month = forms.IntegerField(label=_("截至月份（年度预评估）"), min_value=1, max_value=12, required=False)
    subject = forms.ChoiceField(label=_("考核对象"))

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = list(subjects)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm" if isinstance(
                field.widget, forms.Select) else "form-control form-control-sm"
