from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from faims.core.audit import history_for
from faims.core.views import ObjectListView, ObjectView
from faims.metrics.registry import THRESHOLDS
from faims.metrics.services import current_version, thresholds_of

from . import filtersets, tables
from .models import ProjectWarning
from .rules import RULES
from .tables import BADGE


class ProjectWarningListView(ObjectListView):
    model, filterset_class, table_class = (
        ProjectWarning, filtersets.ProjectWarningFilterSet, tables.ProjectWarningTable)
    template_name = "alerts/projectwarning_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "project__region")


class ProjectWarningView(ObjectView):
    model = ProjectWarning
    template_name = "alerts/projectwarning.html"

    def get(self, request, pk):
        warning = self.get_object(pk)
        return render(request, self.template_name, {
            "object": warning, "model": self.model, "list_url": reverse("alerts:projectwarning_list"),
            "history": history_for(warning)[:200], **self.get_extra_context(warning),
        })

    def get_extra_context(self, warning):
        rule = RULES.get(warning.rule)
        version = warning.version or current_version()
        values = thresholds_of(version)
        keys = rule.thresholds if rule else ()
        # Every period this rule fired for the project, raised and cleared: the warning's history.
        timeline = (ProjectWarning.objects.restrict(self.request.user).filter(project=warning.project_id,
                                                                              rule=warning.rule)
                    .order_by("-year", "-month", "-raised_at"))
        return {
            "title": f"{warning.rule} {warning.rule_title} · {warning.project}",
            "rule": rule, "badge": BADGE.get(warning.level, ""), "version": version,
            "thresholds": [(THRESHOLDS[key].label, values[key], THRESHOLDS[key].unit) for key in keys],
            "data_rows": sorted(warning.data.items()),
            "timeline": timeline,
            "state": _("已解除") if warning.cleared_at else _("有效"),
        }
