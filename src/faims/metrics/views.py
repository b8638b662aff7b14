from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from faims.core.permissions import ADD, VIEW, can

from . import services
from .forms import ThresholdForm
from .models import KpiDefinitionVersion
from .registry import DEFINITIONS, SEASONAL_PROFILE, THRESHOLDS


class DefinitionsView(View):
    """The KPI catalogue with the current thresholds and their history; the city admin may adjust them."""

    template_name = "metrics/definitions.html"

    def context(self, request, form=None):
        version = services.current_version()
        values = services.thresholds_of(version)
        may_change = can(request.user, KpiDefinitionVersion, ADD)
        if may_change and form is None:
            form = ThresholdForm(current=values)
        return {
            "title": _("指标口径"),
            "version": version,
            "definitions": [(d, [THRESHOLDS[key].label for key in d.thresholds]) for d in DEFINITIONS],
            "thresholds": [(t, values[t.key]) for t in THRESHOLDS.values()],
            "seasonal_profile": [(m, f"{share * 100:.1f}%") for m, share in enumerate(SEASONAL_PROFILE, start=1)],
            "versions": [
                (v, [(THRESHOLDS[key].label, value) for key, value in v.thresholds.items() if key in THRESHOLDS])
                for v in KpiDefinitionVersion.objects.restrict(request.user, VIEW).select_related("created_by")
            ],
            "form": form if may_change else None,
        }

    def get(self, request):
        return render(request, self.template_name, self.context(request))

    def post(self, request):
        if not can(request.user, KpiDefinitionVersion, ADD):
            raise PermissionDenied
        current = services.thresholds_of(services.current_version())
        form = ThresholdForm(request.POST, current=current)
        if form.is_valid():
            try:
                version = services.change_thresholds(form.thresholds(), acting_user=request.user,
                                                     note=form.cleaned_data["note"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("已生成指标口径第%(number)s版。") % {"number": version.number})
                return redirect("metrics:definitions")
        return render(request, self.template_name, self.context(request, form), status=400)
