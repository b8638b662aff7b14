from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faims.org.models import Region

from .choices import BulletinFormat


class BulletinForm(forms.Form):
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
