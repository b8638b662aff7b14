from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faims.org.models import Region

from . import services
from .choices import BulletinFormat, BulletinKind


class BulletinForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=BulletinKind.choices, initial=BulletinKind.MONTHLY, required=False
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    region = forms.ModelChoiceField(
        label=_("地区"), queryset=Region.objects.all(), required=False, empty_label=_("全市")
    )
    format = forms.ChoiceField(label=_("格式"), choices=BulletinFormat.choices, initial=BulletinFormat.DOCX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month

    def clean_kind(self):
        # A link without a kind asks for the monthly bulletin, as it always has.
        return self.cleaned_data["kind"] or BulletinKind.MONTHLY

    def clean(self):
        data = super().clean()
        if "kind" in data and "month" in data:
            try:
                services.check_request(data["kind"], data["month"])
            except ValidationError as exc:
                self.add_error(None, exc)
        return data
