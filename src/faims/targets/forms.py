from faims.core.forms import ObjectForm

from .choices import KPI_KEYS
from .models import Target


class TargetForm(ObjectForm):
    class Meta:
        model = Target
        fields = ["year", "kpi_key", "scope", "region", "library", "category", "period", "value", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The unit beside each key tells the user how to write the value (万元, a fraction, a count).
        self.fields["kpi_key"].choices = [("", "---------")] + [
            (key, f"{key}（{unit.label}）") for key, unit in KPI_KEYS.items()
        ]
