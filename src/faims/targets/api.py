"""Targets and quantitative tasks through the API: the targets pages' forms, filters, services and scope.

Every role reads targets and tasks; the city admin writes them. A target's `attainment` at a month (actual from
the KPI engine, gap, on track) is the one its page shows; a task's monthly progress is recorded by the admin or an
officer of the owning department through `progress`, as on the task's page.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from faims.api.bodies import ERROR, REFUSED, FormActionsMixin, bound_form, form_fields
from faims.api.resources import ResourceViewSet
from faims.core.permissions import VIEW
from faims.dashboard.views import BadRequest, period_of

from . import services
from .attainment import attainments_at
from .filtersets import QuantitativeTaskFilterSet, TargetFilterSet
from .forms import QuantitativeTaskForm, TargetForm, TaskProgressForm
from .models import PROGRESS, QuantitativeTask, Target, TaskProgress
from .progress import status_of


class TargetSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(read_only=True, help_text="目标值的单位：wanyuan 万元、rate 比率（小数）、count 个")

    class Meta:
        model = Target
        fields = ["id", *form_fields(TargetForm), "unit"]
        read_only_fields = ["unit"]


class AttainmentSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4)
    actual = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    expected = serializers.DecimalField(max_digits=20, decimal_places=4)
    gap = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    on_track = serializers.BooleanField(allow_null=True)
    reason = serializers.CharField(allow_blank=True, help_text="没有实际值时的原因")


PERIOD_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认：有报送的最近月份）"),
    OpenApiParameter("month", OpenApiTypes.INT, description="月份 1–12（默认：有报送的最近月份）"),
]


class TargetViewSet(ResourceViewSet):
    """目标任务：a KPI key, a scope (全市/地区/项目库/项目类别), a year, a period and a value; one per identity."""

    model, form_class, filterset_class = Target, TargetForm, TargetFilterSet
    serializer_class = TargetSerializer
    select_related = ("region", "library")
    save_service = staticmethod(services.save_target)
    delete_service = staticmethod(services.delete_target)
    # The pages enter targets one at a time; a batch would skip save_target's check of city-wide duplicates.
    bulk = None

    @extend_schema(
        summary="目标完成情况",
        description="与目标页面相同：实际值来自指标引擎（调用者管辖范围内的项目），与目标值、时序要求比较。",
        parameters=PERIOD_PARAMETERS,
        responses={200: AttainmentSerializer, 400: ERROR, 404: ERROR},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def attainment(self, request, pk=None):
        target = self.get_object()
        try:
            year, month = period_of(request)
        except BadRequest as exc:
            raise exceptions.ValidationError({"month": [str(exc) or _("年度或月份无效。")]}) from exc
        result = attainments_at([target], request.user, year, month).get(target.pk)
        if result is None:
            raise exceptions.ValidationError(
                {"month": [_("该月份没有可比较的数据：尚无报送，或目标年度晚于所选年度。")]}
            )
        return Response(
            AttainmentSerializer(
                {
                    "target": target.pk, "year": result.year, "month": result.month, "value": result.value,
                    "actual": result.actual, "expected": result.expected, "gap": result.gap,
                    "on_track": result.on_track, "reason": str(result.reason or ""),
                }
            ).data
        )


class TaskProgressSerializer(serializers.ModelSerializer):
    completion = serializers.SerializerMethodField(help_text="累计完成 / 目标量（小数）")
    on_track = serializers.SerializerMethodField(help_text="累计完成率是否不低于时序进度")

    class Meta:
        model = TaskProgress
        fields = ["id", "task", "month", "cumulative", "note", "completion", "on_track"]
        read_only_fields = fields

    def get_completion(self, row) -> str:
        return str(status_of(row.task, row.month).completion)

    def get_on_track(self, row) -> bool | None:
        return status_of(row.task, row.month).on_track


class TaskStatusSerializer(serializers.Serializer):
    month = serializers.IntegerField(allow_null=True)
    actual = serializers.DecimalField(max_digits=30, decimal_places=2)
    completion = serializers.DecimalField(max_digits=30, decimal_places=4)
    time_progress = serializers.DecimalField(max_digits=30, decimal_places=4)
    remaining = serializers.DecimalField(max_digits=30, decimal_places=2)
    gap = serializers.DecimalField(max_digits=30, decimal_places=4)
    on_track = serializers.BooleanField(allow_null=True)


class QuantitativeTaskSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(help_text="最近填报月份的完成情况")

    class Meta:
        model = QuantitativeTask
        fields = ["id", *form_fields(QuantitativeTaskForm), "status"]
        read_only_fields = ["status"]

    @extend_schema_field(TaskStatusSerializer)
    def get_status(self, task) -> dict:
        return TaskStatusSerializer(status_of(task)).data


class ProgressRequest(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    cumulative = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    change_reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class QuantitativeTaskViewSet(FormActionsMixin, ResourceViewSet):
    """量化任务：the policy's countable tasks, each owned by a department; `progress` lists and records the
    cumulative actual of each month (saving a month already reported corrects it)."""

    model, form_class, filterset_class = QuantitativeTask, QuantitativeTaskForm, QuantitativeTaskFilterSet
    serializer_class = QuantitativeTaskSerializer
    select_related = ("owner",)
    prefetch_related = ("progress",)
    save_service = staticmethod(services.save_task)
    delete_service = staticmethod(services.delete_task)
    bulk = None
    action_forms = {"progress": TaskProgressForm}

    @extend_schema(methods=["GET"], summary="逐月进度", responses={200: TaskProgressSerializer(many=True), 404: ERROR})
    @extend_schema(
        methods=["POST"], summary="填报进度", request=ProgressRequest,
        responses={201: TaskProgressSerializer, **REFUSED},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def progress(self, request, pk=None):
        if request.method == "GET":
            task = get_object_or_404(QuantitativeTask.objects.restrict(request.user, VIEW), pk=pk)
            rows = task.progress.select_related("task").order_by("month")
            return Response(TaskProgressSerializer(rows, many=True).data)
        task = get_object_or_404(QuantitativeTask.objects.restrict(request.user, PROGRESS), pk=pk)
        data = bound_form(TaskProgressForm, request).cleaned_data
        row = services.record_progress(
            task, month=data["month"], cumulative=data["cumulative"], note=data["note"],
            acting_user=request.user, reason=data["change_reason"],
        )
        return Response(TaskProgressSerializer(row).data, status=status.HTTP_201_CREATED)


ROUTES = [
    ("targets", TargetViewSet),
    ("quantitative-tasks", QuantitativeTaskViewSet),
]
