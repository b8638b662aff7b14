from faims.core.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView

from . import filtersets, forms, services, tables
from .models import Target


class TargetListView(ObjectListView):
    model, filterset_class, table_class = Target, filtersets.TargetFilterSet, tables.TargetTable

    def get_queryset(self):
        return super().get_queryset().select_related("region", "library")


class TargetView(ObjectView):
    model = Target
    template_name = "targets/target.html"

    def get_extra_context(self, target):
        return {"value_text": tables.target_value_text(target)}


class TargetEditView(ObjectEditView):
    model, form_class = Target, forms.TargetForm
    save_service = staticmethod(services.save_target)


class TargetDeleteView(ObjectDeleteView):
    model = Target
    delete_service = staticmethod(services.delete_target)
