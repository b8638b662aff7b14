"""Forms of the problem pages; saving goes through problems.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from faims.core.forms import bootstrap_class
from faims.core.permissions import VIEW
from faims.org.models import Department
from faims.projects.models import Project

from .choices import ProblemCategory, Rating, Source
from .models import EscalationLevel

ACCEPT = "image/jpeg,image/png,image/gif,image/webp,application/pdf"


def styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        widget.attrs.setdefault("class", bootstrap_class(widget))


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


def departments():
    return Department.objects.select_related("region").order_by("region__sort_order", "name")


class RaiseForm(StyledForm):
    project = forms.ModelChoiceField(label=_("项目"), queryset=Project.objects.none())
    source = forms.ChoiceField(
        label=_("问题来源"), choices=[c for c in Source.choices if c[0] != Source.REPORT], initial=Source.DIRECT
    )
    category = forms.ChoiceField(label=_("问题类别"), choices=[("", "—")] + ProblemCategory.choices)
    title = forms.CharField(label=_("问题标题"), max_length=200)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(
        label=_("附件（可选）"),
        required=False,
        help_text=_("照片（JPG、PNG、GIF、WebP）或 PDF 文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, user=None, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["project"].queryset = Project.objects.restrict(user, VIEW).order_by("name")
        if report is not None:
            # Raised from a monthly report: its project and source are fixed.
            del self.fields["source"]
            self.fields["project"].queryset = self.fields["project"].queryset.filter(pk=report.project_id)
            self.fields["project"].initial = report.project_id


class AssignForm(StyledForm):
    lead_department = forms.ModelChoiceField(label=_("牵头部门"), queryset=Department.objects.none())
    co_departments = forms.ModelMultipleChoiceField(
        label=_("配合部门（可选）"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    deadline = forms.DateField(label=_("办理期限"), widget=forms.DateInput())
    note = forms.CharField(label=_("交办意见（可选）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = departments()
        self.fields["co_departments"].queryset = departments()


class AnswerForm(StyledForm):
    note = forms.CharField(label=_("反馈内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(StyledForm):
    rating = forms.ChoiceField(label=_("满意度"), choices=Rating.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("意见（可选）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(StyledForm):
    note = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(StyledForm):
    note = forms.CharField(label=_("内容（可选）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(StyledForm):
    file = forms.FileField(
        label=_("附件"),
        help_text=_("照片（JPG、PNG、GIF、WebP）或 PDF 文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class EscalationLevelForm(forms.ModelForm):
    change_reason = forms.CharField(label=_("变更原因（可选）"), required=False, max_length=500)

    class Meta:
        model = EscalationLevel
        fields = ["order", "name", "wait_days"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)

    def many_to_many(self) -> dict:
        return {}
