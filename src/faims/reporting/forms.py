"""Forms of the reporting pages; saving goes through reporting.services."""
import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from faims.core.forms import ObjectForm, bootstrap_class
from faims.projects.choices import LifecycleStatus

from .models import MonthlyReport

PERIOD_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")

# The figures and statuses a report carries; the web form, the amendment form and the check use them.
REPORT_FIELDS = [
    "month_investment", "ytd_investment", "cumulative_investment",
    "start_status", "actual_start_date", "stats_status", "stats_date", "construction_status",
    "progress_text", "production_status", "capacity_reached", "problems_text", "status_change_reason",
]
TEXT_WIDGETS = {
    "progress_text": forms.Textarea(attrs={"rows": 3}),
    "problems_text": forms.Textarea(attrs={"rows": 3}),
}


class Basis:
    """Which amount the filer types in; the other is derived from the previous report."""

    MONTH = "month"
    YTD = "ytd"
    CHOICES = [(MONTH, _("填本月完成投资")), (YTD, _("填本年累计完成投资（1–N月）"))]


def parse_period(text: str) -> tuple[int, int] | None:
    match = PERIOD_RE.match(text or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return (year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


def last_month(today: dt.date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if not isinstance(widget, forms.RadioSelect):
            widget.attrs.setdefault("class", bootstrap_class(widget))


class MonthlyReportForm(ObjectForm):
    """The web report: a project and a period, this month's amount OR the year-to-date figure, the statuses."""

    period = forms.CharField(
        label=_("报送期"), max_length=10, help_text=_("年-月，例如 2022-06。"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2022-06"}),
    )
    basis = forms.ChoiceField(
        label=_("填报方式"), choices=Basis.CHOICES, initial=Basis.MONTH,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_("另一个数由系统根据上期报送推算。"),
    )
    submit_now = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = MonthlyReport
        fields = ["project", *REPORT_FIELDS, "warning_note"]
        widgets = {**TEXT_WIDGETS, "warning_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The month's report has no use for the generic change reason; a filer may still say why.
        self.fields["change_reason"].label = _("修改说明（可选）")
        self.fields["project"].queryset = self.fields["project"].queryset.exclude(
            status=LifecycleStatus.WITHDRAWN
        ).select_related("region").order_by("region__sort_order", "name")
        self.fields["project"].empty_label = _("请选择项目")
        if self.instance.pk:
            self.fields["project"].disabled = True
            self.fields["period"].disabled = True
            self.fields["period"].initial = self.instance.period.label
            self.fields["basis"].initial = Basis.MONTH if self.instance.month_investment is not None else Basis.YTD
        styled(self)

    def clean_period(self):
        if self.instance.pk:
            return (self.instance.period.year, self.instance.period.month)
        parsed = parse_period(self.cleaned_data["period"])
        if parsed is None:
            raise forms.ValidationError(_("报送期应写成“年-月”，例如 2022-06。"))
        return parsed

    def clean(self):
        cleaned = super().clean()
        # A new report leaves the amount not typed in to the service to derive, so the two never
        # disagree; an edited one keeps both and the service re-derives the one the user did not touch.
        if self.instance.pk:
            return cleaned
        if cleaned.get("basis") == Basis.YTD:
            cleaned["month_investment"] = None
        elif cleaned.get("basis") == Basis.MONTH:
            cleaned["ytd_investment"] = None
        return cleaned


class ReportingPeriodForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("月份"), coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("报送截止日期"))
    reason = forms.CharField(label=_("调整原因"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("例如：国庆假期顺延")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class SubmitForm(forms.Form):
    warning_note = forms.CharField(
        label=_("预警说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("存在预警时必须填写，说明数据属实的原因。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class AmendmentForm(forms.ModelForm):
    """A change to a report of a locked period; only the fields that differ become the amendment."""

    reason = forms.CharField(label=_("更正原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = MonthlyReport
        fields = REPORT_FIELDS
        widgets = TEXT_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)

    def changes(self, original) -> dict:
        return {
            name: self.cleaned_data[name] for name in REPORT_FIELDS
            if self.cleaned_data.get(name) != getattr(original, name)
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("附件"), help_text=_("照片（JPG、PNG、GIF、WebP）或 PDF 文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
