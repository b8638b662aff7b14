"""Forms of the registry pages; saving goes through projects.services."""
from django import forms
from django.utils.translation import gettext_lazy as _

from faims.core.forms import ObjectForm

from .choices import NodeChangeReason, PersonRole
from .models import MILESTONES, AnnualPlan, Library, Membership, NodePlan, NodePlanChange, Project, ProjectPerson

MILESTONE_FIELDS = [f"{kind}_{stage}_date" for stage, _label in MILESTONES for kind in ("planned", "actual")]


class ProjectForm(ObjectForm):
    class Meta:
        model = Project
        fields = [
            "code", "name", "unit", "region", "location", "longitude", "latitude", "scale",
            "category", "industry_chain", "nature", "investment_type", "approval_mode", "total_investment",
            "status", *MILESTONE_FIELDS, "in_statistics", "statistics_date", "departments", "leader",
            "is_public",
        ]
        widgets = {
            "scale": forms.Textarea(attrs={"rows": 3}),
            "departments": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = self.fields["leader"].queryset.filter(is_leader=True)
        self.fields["departments"].help_text = _("可多选：按住 Ctrl（Mac 上为 Command）点选。")


class LibraryForm(ObjectForm):
    class Meta:
        model = Library
        fields = ["name", "year", "level", "kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class MembershipForm(ObjectForm):
    class Meta:
        model = Membership
        fields = ["project", "library", "status", "proposed_date", "admitted_date", "withdrawn_date", "reason"]


class AnnualPlanForm(ObjectForm):
    class Meta:
        model = AnnualPlan
        fields = ["project", "year", "planned_investment", "start_kind", "planned_start_quarter", "planned_completion"]


class ProjectPersonForm(ObjectForm):
    class Meta:
        model = ProjectPerson
        fields = ["project", "person", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The linked leader is a field of the project itself, not a row here.
        self.fields["role"].choices = [c for c in self.fields["role"].choices if c[0] != PersonRole.LEADER]


class NodePlanForm(ObjectForm):
    """Adding a node, or recording its actual date and note; the planned date moves through NodePlanMoveForm."""

    class Meta:
        model = NodePlan
        fields = ["project", "kind", "planned_date", "actual_date", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("project", "kind", "planned_date"):
                self.fields[name].disabled = True
            self.fields["planned_date"].help_text = _("调整计划日期请使用“调整计划日期”，并选择调整原因。")


class NodePlanMoveForm(forms.Form):
    new_date = forms.DateField(label=NodePlanChange._meta.get_field("new_date").verbose_name,
                               widget=forms.DateInput(attrs={"type": "date", "class": "form-control"},
                                                      format="%Y-%m-%d"))
    reason_code = forms.ChoiceField(label=NodePlanChange._meta.get_field("reason_code").verbose_name,
                                    choices=NodeChangeReason.choices,
                                    widget=forms.Select(attrs={"class": "form-select"}))
    reason = forms.CharField(label=NodePlanChange._meta.get_field("reason").verbose_name, required=False,
                             help_text=NodePlanChange._meta.get_field("reason").help_text,
                             widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
