from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from faims.core.forms import ObjectForm

from .models import Department, Organisation, Person, Region, User
from .services import check_credit_code_free


class RegionForm(ObjectForm):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort_order"].required = False
        if self.instance.pk:
            # A region cannot hang below itself; offering its own subtree would only invite the error.
            subtree = Region.objects.subtree_ids(self.instance.pk)
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk__in=subtree)

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class DepartmentForm(ObjectForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "kind", "region"]


class OrganisationForm(ObjectForm):
    class Meta:
        model = Organisation
        fields = ["credit_code", "name", "region"]
        widgets = {"credit_code": forms.TextInput(attrs={"style": "text-transform: uppercase", "maxlength": 18})}

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").strip().upper()
        try:
            check_credit_code_free(code, exclude_pk=self.instance.pk)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["credit_code"]) from exc
        return code


class PersonForm(ObjectForm):
    class Meta:
        model = Person
        fields = ["name", "title", "department", "organisation", "phone", "is_leader"]


class UserForm(ObjectForm):
    password = forms.CharField(
        label=_("密码"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "role", "region", "department", "organisation", "person",
                  "is_active"]

    field_order = [*Meta.fields, "password", "change_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        self.fields["password"].required = creating
        self.fields["password"].help_text = (
            _("新用户的初始密码，至少 8 位，不能全为数字。") if creating else _("留空表示不修改密码。")
        )
        self.fields["role"].help_text = _(
            "地区经办人填所辖地区，部门经办人填所属部门，项目单位填所属项目单位，挂钩市领导和服务专员填对应人员；其余留空。"
        )
