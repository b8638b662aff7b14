"""Node plans (项目节点计划) through the API: the node pages' forms, filters, services and scope.

A node is added with its planned date, later given its actual date and note; its planned date moves only through
`move` (a coded reason, the old date kept as a plan change), exactly as on the node's page. Plan changes are read
only. `monthly` is the 逐项逐月 grid of a library: the nodes each project plans in each month of the year.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from faims.api.bodies import ERROR, REFUSED, FormActionsMixin, bound_form, form_fields
from faims.api.resources import ResourceViewSet, model_serializer
from faims.core.filtersets import FaimsFilterSet, choice_filter, model_choice_filter
from faims.core.permissions import CHANGE, VIEW

from . import nodes
from .choices import NodeChangeReason
from .filtersets import NodePlanFilterSet
from .forms import NodePlanForm, NodePlanMoveForm
from .models import Library, NodePlan, NodePlanChange, Project

NodePlanChangeSerializer = model_serializer(
    NodePlanChange, [], read_only=["node", "old_date", "new_date", "reason_code", "reason", "changed_by", "changed_at"]
)


class NodePlanSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField(help_text="done 已完成、overdue 已逾期、upcoming 未到期（按今天）")
    old_dates = serializers.SerializerMethodField(help_text="历次调整前的计划日期，最早的在前")

    class Meta:
        model = NodePlan
        fields = ["id", *form_fields(NodePlanForm), "state", "old_dates"]
        read_only_fields = ["state", "old_dates"]

    def get_state(self, node) -> str:
        return nodes.node_state(node, timezone.localdate())

    def get_old_dates(self, node) -> list[dt.date]:
        return [change.old_date for change in node.changes.all()]


class MoveRequest(serializers.Serializer):
    new_date = serializers.DateField()
    reason_code = serializers.ChoiceField(choices=NodeChangeReason.choices)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="调整原因为“其他”时必填。")


class GridCellSerializer(serializers.Serializer):
    node = serializers.IntegerField()
    kind = serializers.CharField()
    planned_date = serializers.DateField()
    state = serializers.CharField()


class GridRowSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    code = serializers.CharField(allow_blank=True, allow_null=True)
    name = serializers.CharField()
    months = serializers.ListField(child=GridCellSerializer(many=True), help_text="12 个月，一月在前")


class NodePlanViewSet(FormActionsMixin, ResourceViewSet):
    """节点计划：one per project and node kind. Changing `planned_date` by PUT/PATCH is refused (use `move`);
    deleting a node (and its plan changes) is for the city admin."""

    model, form_class, filterset_class = NodePlan, NodePlanForm, NodePlanFilterSet
    serializer_class = NodePlanSerializer
    save_service = staticmethod(nodes.save_node_plan)
    delete_service = staticmethod(nodes.delete_node_plan)
    select_related = ("project",)
    action_forms = {"move": NodePlanMoveForm}

    def get_queryset(self):
        return nodes.with_changes(super().get_queryset())

    def _bulk_instance(self, item, existing):
        # An id that is not a number names no node (and could not be looked up).
        if isinstance(item, dict) and "id" in item and (type(item["id"]) is not int):
            raise exceptions.ValidationError({"id": [_("对象不存在或超出您的管辖范围。")]})
        return super()._bulk_instance(item, existing)

    def save_many_service(self, node_plans, *, acting_user, reason="", m2m=None):
        return nodes.save_node_plans(node_plans, acting_user=acting_user, reason=reason)

    def _form(self, data, instance, *, partial: bool):
        form = super()._form(data, instance, partial=partial)
        planned = data.get("planned_date") if isinstance(data, dict) else None
        if instance.pk is not None and planned not in (None, "") and str(planned) != instance.planned_date.isoformat():
            # The edit form shows the planned date disabled; a body that changes it is told where to go.
            raise exceptions.ValidationError(
                {"planned_date": [
                    _("计划日期不能直接修改：请使用“调整计划日期”（move）并选择调整原因，原计划日期会被保留。")
                ]}
            )
        return form

    @extend_schema(
        summary="调整计划日期",
        description="选择调整原因（“其他”须说明）；原计划日期保留在调整记录中。已完成的节点不能调整。",
        request=MoveRequest,
        responses={200: NodePlanSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        node = get_object_or_404(NodePlan.objects.restrict(request.user, CHANGE).select_related("project"), pk=pk)
        data = bound_form(NodePlanMoveForm, request).cleaned_data
        nodes.move_planned_date(
            node, data["new_date"], reason_code=data["reason_code"], reason=data["reason"], acting_user=request.user
        )
        node = nodes.with_changes(NodePlan.objects.filter(pk=node.pk)).get()
        return Response(NodePlanSerializer(node).data)

    @extend_schema(
        summary="逐项逐月",
        description="一个项目库（默认：该年度的省重大项目库）的项目，每月计划的节点及其状态。",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认今年）"),
            OpenApiParameter("library", OpenApiTypes.INT, description="项目库 id"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="判断逾期的日期（默认今天）"),
        ],
        responses={200: GridRowSerializer(many=True), 400: ERROR, 404: ERROR},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def monthly(self, request):
        params = request.query_params
        year, on_date, library_id, errors = timezone.localdate().year, timezone.localdate(), None, {}
        if params.get("year"):
            year = _integer(params["year"], 2000, 2100)
            if year is None:
                errors["year"] = [_("年度应为 2000 至 2100 之间的整数。")]
        if params.get("as_of"):
            try:
                on_date = dt.date.fromisoformat(params["as_of"])
            except ValueError:
                errors["as_of"] = [_("日期格式应为 YYYY-MM-DD。")]
        if params.get("library"):
            library_id = _integer(params["library"], 1, 2**31 - 1)
            if library_id is None:
                errors["library"] = [_("应为项目库 id（整数）。")]
        if errors:
            raise exceptions.ValidationError(errors)
        if library_id is not None:
            library = get_object_or_404(Library.objects.restrict(request.user, VIEW), pk=library_id)
        else:
            library = nodes.default_library(year)
        projects = nodes.library_projects(library, request.user).order_by("-total_investment", "pk") if library else []
        rows = nodes.monthly_grid(projects, year, on_date)
        data = [
            {
                "project": row.project.pk, "code": row.project.code, "name": row.project.name,
                "months": [
                    [{"node": node.pk, "kind": node.kind, "planned_date": node.planned_date, "state": state}
                     for node, state in cell]
                    for cell in row.months
                ],
            }
            for row in rows
        ]
        return Response(GridRowSerializer(data, many=True).data)


def _integer(text: str, low: int, high: int) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


class NodePlanChangeFilterSet(FaimsFilterSet):
    """The plan changes of a node or of a project."""

    search_fields = ("node__project__name", "node__project__code", "reason")
    node = model_choice_filter(gettext_lazy("节点计划"), NodePlan)
    project = model_choice_filter(gettext_lazy("项目"), Project, field_name="node__project")
    reason_code = choice_filter(gettext_lazy("调整原因"), NodeChangeReason.choices)

    class Meta:
        model = NodePlanChange
        fields = []


class NodePlanChangeViewSet(ResourceViewSet):
    """节点计划调整：the record of each move of a planned date (read only; written by `move`)."""

    model, form_class, filterset_class = NodePlanChange, NodePlanMoveForm, NodePlanChangeFilterSet
    serializer_class = NodePlanChangeSerializer
    http_method_names = ["get", "head", "options"]
    select_related = ("node",)
    bulk = None


ROUTES = [
    ("nodes", NodePlanViewSet),
    ("node-changes", NodePlanChangeViewSet),
]
