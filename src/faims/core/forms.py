from django import forms
from django.utils.translation import gettext_lazy as _


def bootstrap_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class ObjectForm(forms.ModelForm):
    """A model form whose save goes through a service; it carries the optional reason of the change."""

    change_reason = forms.CharField(
        label=_("变更原因（可选）"), required=False, max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("例如：根据区里报送材料更正")}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Choices are limited to what the user may see, like every other list.
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if user is not None and hasattr(queryset, "restrict"):
                field.queryset = queryset.restrict(user)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            widget.attrs.setdefault("class", bootstrap_class(widget))

    def many_to_many(self) -> dict:
        return {
            field.name: self.cleaned_data[field.name]
            for field in self._meta.model._meta.many_to_many
            if field.name in self.cleaned_data
        }


class DeleteForm(forms.Form):
    change_reason = forms.CharField(
        label=_("删除原因（可选）"), required=False, max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
