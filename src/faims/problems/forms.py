"""Forms of the problem pages; saving goes through problems.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from faims.core.forms import bootstrap_class
from faims.core.permissions import VIEW
from faims.org.models import Department, Person
from faims.projects.models import Project

from .choices import MeetingKind, ProblemCategory, Rating, Source, VisitKind
from .models import KIND_OF_ROLE, EscalationLevel

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

    def __init__(self, *args, user=None, report=None, visit=None, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["project"].queryset = Project.objects.restrict(user, VIEW).order_by("name")
        if report is not None:
            # Raised from a monthly report: its project and source are fixed.
            del self.fields["source"]
            self.fields["project"].queryset = self.fields["project"].queryset.filter(pk=report.project_id)
            self.fields["project"].initial = report.project_id
        elif visit is not None:
            # Raised from a visit: one of its projects, source 走访.
            del self.fields["source"]
            self.fields["project"].queryset = self.fields["project"].queryset.filter(visits=visit)
        elif meeting is not None:
            del self.fields["source"]


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


# Visits and meetings -------------------------------------------------------------------------

PHOTO_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_ACCEPT, "capture": "environment"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class VisitForm(StyledForm):
    """A visit with at most one problem found on it (more are raised from the visit page later)."""

    kind = forms.ChoiceField(label=_("走访类型"), choices=VisitKind.choices)
    person = forms.ModelChoiceField(label=_("走访人"), queryset=Person.objects.none())
    date = forms.DateField(label=_("走访日期"), widget=forms.DateInput())
    projects = forms.ModelMultipleChoiceField(
        label=_("走访项目"), queryset=Project.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(label=_("走访情况"), widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleFileField(
        label=_("现场照片（可选）"), required=False, help_text=_("可多选；JPG、PNG、GIF、WebP。")
    )
    problem_project = forms.ModelChoiceField(label=_("发现问题的项目"), queryset=Project.objects.none(), required=False)
    problem_category = forms.ChoiceField(
        label=_("问题类别"), choices=[("", "—")] + ProblemCategory.choices, required=False
    )
    problem_title = forms.CharField(label=_("问题标题"), max_length=200, required=False)
    problem_description = forms.CharField(label=_("问题描述"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.restrict(user, VIEW).order_by("name")
        self.fields["projects"].queryset = projects
        self.fields["problem_project"].queryset = projects
        self.fields["projects"].widget.attrs["class"] = "form-check-input"
        if user is not None and user.role in KIND_OF_ROLE:
            # A leader or commissioner records its own visits: the visitor and kind follow from the account.
            del self.fields["kind"], self.fields["person"]
        else:
            self.fields["person"].queryset = Person.objects.order_by("-is_leader", "name")

    def clean(self):
        data = super().clean()
        if data.get("problem_title") or data.get("problem_description"):
            for name, message in (
                ("problem_project", _("请选择发现问题的项目")),
                ("problem_category", _("请选择问题类别")),
                ("problem_title", _("请填写问题标题")),
                ("problem_description", _("请填写问题描述")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        return data

    def problems(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("problem_title"):
            return []
        return [
            {
                "project": data["problem_project"],
                "category": data["problem_category"],
                "title": data["problem_title"],
                "description": data["problem_description"],
            }
        ]


class MeetingForm(StyledForm):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    date = forms.DateField(label=_("会议日期"), widget=forms.DateInput())
    title = forms.CharField(label=_("会议名称"), max_length=200)
    chair = forms.ModelChoiceField(label=_("主持人"), queryset=Person.objects.none())
    attendees = forms.CharField(label=_("参会人员"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.ModelChoiceField(label=_("议题层级（可选）"), queryset=EscalationLevel.objects.none(), required=False)
    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Person.objects.order_by("-is_leader", "name")
        self.fields["level"].queryset = EscalationLevel.objects.order_by("order")


class DecisionForm(StyledForm):
    text = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_department = forms.ModelChoiceField(label=_("责任部门"), queryset=Department.objects.none())
    deadline = forms.DateField(label=_("完成期限"), widget=forms.DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_department"].queryset = departments()


class CompleteDecisionForm(StyledForm):
    note = forms.CharField(label=_("办理情况（可选）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
