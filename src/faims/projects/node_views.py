"""Pages of the node plans: list, detail, add/edit, move with a reason, and the month-by-month grid."""

import datetime as dt
import io

import xlsxwriter
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.exports import xlsx_response
from faims.core.permissions import CHANGE, VIEW, can
from faims.core.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView, _add_errors, _safe_next

from . import nodes
from .filtersets import NodePlanFilterSet
from .forms import NodePlanForm, NodePlanMoveForm
from .models import Library, NodePlan
from .tables import NODE_STATE_LABELS, NodePlanTable

MONTHS = range(1, 13)
STATE_MARKS = {nodes.DONE: "✓", nodes.OVERDUE: "!", nodes.UPCOMING: ""}


class NodePlanListView(ObjectListView):
    model, filterset_class, table_class = NodePlan, NodePlanFilterSet, NodePlanTable
    template_name = "projects/node_list.html"

    def get_queryset(self):
        return nodes.with_changes(super().get_queryset().select_related("project", "project__region"))


class NodePlanView(ObjectView):
    model = NodePlan
    template_name = "projects/nodeplan.html"

    def get_object(self, pk, action=VIEW):
        queryset = nodes.with_changes(self.model.objects.restrict(self.request.user, action))
        return get_object_or_404(queryset.select_related("project"), pk=pk)

    def get_extra_context(self, node):
        changes = node.changes.select_related("changed_by")
        state = nodes.node_state(node, timezone.localdate())
        return {
            "changes": changes,
            "state": state,
            "state_label": NODE_STATE_LABELS[state],
            "can_move": not node.actual_date
            and NodePlan.objects.restrict(self.request.user, CHANGE).filter(pk=node.pk).exists(),
            "move_url": reverse("projects:nodeplan_move", args=[node.pk]),
        }


class NodePlanEditView(ObjectEditView):
    model, form_class = NodePlan, NodePlanForm
    save_service = staticmethod(nodes.save_node_plan)


class NodePlanDeleteView(ObjectDeleteView):
    model = NodePlan
    delete_service = staticmethod(nodes.delete_node_plan)


class NodePlanMoveView(View):
    """Move a node's planned date: a coded reason is required and the old date is kept."""

    template_name = "projects/nodeplan_move.html"

    def get_object(self, pk):
        return get_object_or_404(NodePlan.objects.restrict(self.request.user, CHANGE).select_related("project"), pk=pk)

    def render_form(self, form, node):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "object": node,
                "model": NodePlan,
                "title": _("调整计划日期：%(obj)s") % {"obj": node},
                "cancel_url": _safe_next(self.request) or node.get_absolute_url(),
                "next": _safe_next(self.request) or "",
            },
        )

    def get(self, request, pk):
        node = self.get_object(pk)
        return self.render_form(NodePlanMoveForm(initial={"new_date": node.planned_date}), node)

    def post(self, request, pk):
        node = self.get_object(pk)
        form = NodePlanMoveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                nodes.move_planned_date(
                    node,
                    data["new_date"],
                    reason_code=data["reason_code"],
                    reason=data["reason"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            except PermissionDenied:
                form.add_error(None, _("您无权保存此对象：它超出了您的管辖范围。"))
            else:
                messages.success(request, _("已调整计划日期：%(obj)s") % {"obj": node})
                return redirect(_safe_next(request) or node.get_absolute_url())
        return self.render_form(form, node)


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _as_of(value) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate()


class NodeMonthlyView(View):
    """逐项逐月: one row per project of a library, the nodes planned in each month of the year."""

    template_name = "projects/node_monthly.html"

    def get(self, request):
        if not can(request.user, NodePlan, VIEW):
            raise Http404
        year = _year(request.GET.get("year"))
        on_date = _as_of(request.GET.get("as_of"))
        libraries = Library.objects.restrict(request.user, VIEW).filter(year=year).order_by("level", "name")
        library = None
        if request.GET.get("library"):
            chosen = request.GET["library"]
            if chosen.isdigit():
                library = Library.objects.restrict(request.user, VIEW).filter(pk=chosen).first()
            if library is None:
                raise Http404
        library = library or nodes.default_library(year)
        projects = nodes.library_projects(library, request.user) if library else []
        rows = nodes.monthly_grid(projects, year, on_date)
        title = _("%(year)s年%(library)s节点计划（逐项逐月）") % {
            "year": year,
            "library": library.name if library else "",
        }
        if request.GET.get("export") == "xlsx":
            record_event(
                AuditKind.EXPORT, user=request.user, what=str(title), rows=len(rows), query=request.GET.urlencode()
            )
            return xlsx_response(_grid_xlsx(rows, title=str(title)), f"{title}.xlsx")
        query = request.GET.copy()
        query["export"] = "xlsx"
        return render(
            request,
            self.template_name,
            {
                "title": title,
                "year": year,
                "library": library,
                "libraries": libraries,
                "rows": rows,
                "months": MONTHS,
                "as_of": on_date,
                "export_query": query.urlencode(),
                "list_url": reverse("projects:nodeplan_list"),
            },
        )


def _grid_xlsx(rows, *, title: str) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(_("逐项逐月")[:31])
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    overdue = workbook.add_format({"text_wrap": True, "valign": "top", "font_color": "#C00000"})
    sheet.write(0, 0, title, workbook.add_format({"bold": True}))
    header = [
        str(_("投资项目统一代码")),
        str(_("项目名称")),
        str(_("所在地区")),
        *[str(_("%(month)s月") % {"month": month}) for month in MONTHS],
    ]
    for column, text in enumerate(header):
        sheet.write(1, column, text, head)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 2, 10)
    sheet.set_column(3, 14, 18)
    for r, row in enumerate(rows, start=2):
        project = row.project
        sheet.write_string(r, 0, project.code or "")
        sheet.write_string(r, 1, project.name)
        sheet.write_string(r, 2, str(project.region))
        for m, cell in enumerate(row.months):
            if not cell:
                continue
            lines = [f"{node.get_kind_display()} {node.planned_date:%m-%d}{STATE_MARKS[state]}" for node, state in cell]
            late = any(state == nodes.OVERDUE for _node, state in cell)
            sheet.write_string(r, 3 + m, "\n".join(lines), overdue if late else wrap)
    sheet.freeze_panes(2, 3)
    workbook.close()
    return buffer.getvalue()
