"""Upload, commit, template and export forms of the Excel pages."""
import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faims.core.forms import bootstrap_class
from faims.core.permissions import VIEW
from faims.org.models import Region
from faims.projects.choices import Category, InvestmentType


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", bootstrap_class(field.widget))


def period_field(**kwargs):
    return forms.CharField(label=_("报送期"), widget=forms.DateInput(attrs={"type": "month"}),
                           help_text=_("格式 YYYY-MM，例如 2022-06。"), **kwargs)


def clean_period(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise forms.ValidationError(_("报送期格式应为 YYYY-MM，例如 2022-06。"))
    return int(match.group(1)), int(match.group(2))


class UploadForm(StyledForm):
    file = forms.FileField(label=_("Excel 或 CSV 文件"), help_text=_("支持 .xlsx 和 .csv（UTF-8 或 GB18030 编码）。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.FAIMS_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(_("文件大小 %(size).1f MB，超过上限 %(limit)s MB，请拆分后分批上传。") % {
                "size": upload.size / 1024 / 1024, "limit": limit})
        return upload


class ProjectImportForm(UploadForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100,
                              help_text=_("表中的年度计划投资属于这一年。"))
    library = forms.CharField(label=_("加入项目库（可选）"), required=False, max_length=100,
                              help_text=_("填写项目库名称；该年度没有此库时新建。"))
    region = forms.ModelChoiceField(label=_("默认地区"), queryset=Region.objects.none(), required=False,
                                    help_text=_("表中没有“所在地区”的新项目归入此地区。"))
    category = forms.ChoiceField(label=_("默认项目类别"), choices=Category.choices, initial=Category.INDUSTRY,
                                 help_text=_("表中没有“项目类别”的新项目按此登记。"))
    investment_type = forms.ChoiceField(label=_("默认投资类型"), choices=InvestmentType.choices,
                                        initial=InvestmentType.ENTERPRISE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.restrict(user, VIEW)
        self.fields["year"].initial = timezone.localdate().year

    def options(self) -> dict:
        data = self.cleaned_data
        return {"library": data["library"].strip(), "region": data["region"].code if data["region"] else "",
                "category": data["category"], "investment_type": data["investment_type"]}


class ReportImportForm(UploadForm):
    period = period_field()
    submit = forms.TypedChoiceField(
        label=_("导入后"), coerce=lambda v: v == "1", initial="0", widget=forms.RadioSelect,
        choices=[("0", _("存为草稿（稍后逐项核对后报送）")), ("1", _("直接报送"))],
    )

    def clean_period(self):
        return clean_period(self.cleaned_data["period"])


class CommitForm(StyledForm):
    warning_note = forms.CharField(
        label=_("预警说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("直接报送且存在预警时必填，适用于本批全部报送。"),
    )


class TemplateForm(StyledForm):
    period = period_field()
    protect = forms.BooleanField(label=_("锁定项目信息列（防止误改）"), required=False)

    def clean_period(self):
        return clean_period(self.cleaned_data["period"])


class ProgressPeriodForm(StyledForm):
    period = period_field()

    def clean_period(self):
        return clean_period(self.cleaned_data["period"])
