from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from faims.core.permissions import VIEW
from faims.core.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView

from . import filtersets, forms, services, tables
from .attainment import attainments_at, month_of
from .models import PROGRESS, QuantitativeTask, Target
from .progress import status_of


class TargetListView(ObjectListView):
    model, filterset_class, table_class = Target, filtersets.TargetFilterSet, tables.TargetTable

    def get_queryset(self):
        return super().get_queryset().select_related("region", "library")


class TargetView(ObjectView):
    model = Target
    template_name = "targets/target.html"

    def get_extra_context(self, target):
        year, month = month_of(self.request)
        result = attainments_at([target], self.request.user, year, month).get(target.pk)
        return {
            "value_text": tables.target_value_text(target), "attainment": result,
            "actual_text": tables.amount_text(target, result.actual) if result else "—",
            "gap_text": tables.amount_text(target, result.gap, signed=True) if result else "—",
            "expected_text": tables.amount_text(target, result.expected) if result else "—",
            "on_track_text": tables.attainment_on_track_text(result),
        }


class TargetEditView(ObjectEditView):
    model, form_class = Target, forms.TargetForm
    save_service = staticmethod(services.save_target)


class TargetDeleteView(ObjectDeleteView):
    model = Target
    delete_service = staticmethod(services.delete_target)


class QuantitativeTaskListView(ObjectListView):
    model, filterset_class, table_class = (
        QuantitativeTask, filtersets.QuantitativeTaskFilterSet, tables.QuantitativeTaskTable)

    def get_queryset(self):
        return super().get_queryset().select_related("owner").prefetch_related("progress")


class QuantitativeTaskView(ObjectView):
    model = QuantitativeTask
    template_name = "targets/quantitativetask.html"

    def get_object(self, pk, action=VIEW):
        return get_object_or_404(
            self.model.objects.restrict(self.request.user, action).select_related("owner")
            .prefetch_related("progress"), pk=pk)

    def get_extra_context(self, task):
        status = status_of(task)
        rows = []
        for row in task.progress.all():
            month_status = status_of(task, row.month)
            rows.append({"row": row, "status": month_status})
        return {
            "status": status, "on_track_text": tables.on_track_text(status), "rows": rows,
            "can_record": QuantitativeTask.objects.restrict(self.request.user, PROGRESS).filter(pk=task.pk).exists(),
        }


class QuantitativeTaskEditView(ObjectEditView):
    model, form_class = QuantitativeTask, forms.QuantitativeTaskForm
    save_service = staticmethod(services.save_task)


class QuantitativeTaskDeleteView(ObjectDeleteView):
    model = QuantitativeTask
    delete_service = staticmethod(services.delete_task)


class TaskProgressView(View):
    """Record (or correct) one month's cumulative actual of a task; out of scope is 404."""

    template_name = "generic/object_edit.html"

    def get_task(self, pk):
        return get_object_or_404(QuantitativeTask.objects.restrict(self.request.user, PROGRESS), pk=pk)

    def render_form(self, form, task):
        return render(self.request, self.template_name, {
            "form": form, "object": task, "model": QuantitativeTask,
            "title": _("填报进度：%(task)s") % {"task": task}, "cancel_url": task.get_absolute_url(),
        })

    def get(self, request, pk):
        task = self.get_task(pk)
        month = request.GET.get("month", "")
        existing = task.progress.filter(month=int(month)).first() if month.isdigit() else None
        if existing:
            initial = {"month": existing.month, "cumulative": existing.cumulative, "note": existing.note}
        else:
            # Offices report the month after the last one they reported.
            latest = task.progress.order_by("-month").first()
            initial = {"month": min(latest.month + 1, 12) if latest else 1}
        return self.render_form(forms.TaskProgressForm(initial=initial), task)

    def post(self, request, pk):
        task = self.get_task(pk)
        form = forms.TaskProgressForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_progress(
                    task, month=data["month"], cumulative=data["cumulative"], note=data["note"],
                    acting_user=request.user, reason=data["change_reason"],
                )
            except ValidationError as exc:
                errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
                for field, messages_ in errors.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(request, _("已保存 %(month)s月进度。") % {"month": data["month"]})
                return redirect(task.get_absolute_url())
        return self.render_form(form, task)
