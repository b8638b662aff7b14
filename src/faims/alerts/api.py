"""Project warnings through the API: read-only, as on the warning pages.

Warnings are written only by `refresh_warnings` (the scheduled job and the command); the pages offer a list with
its filters and a detail with the rule, its thresholds and the warning's timeline, and so does the API.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from faims.api.resources import ResourceViewSet
from faims.metrics.registry import THRESHOLDS
from faims.metrics.services import current_version, thresholds_of

from .filtersets import ProjectWarningFilterSet
from .models import ProjectWarning
from .rules import RULES

WARNING_FIELDS = ["project", "rule", "level", "year", "month", "message", "data", "version", "raised_at",
                  "cleared_at"]


class WarningSerializer(serializers.ModelSerializer):
    rule_title = serializers.CharField(read_only=True, help_text="预警规则名称")
    period = serializers.CharField(source="period_label", read_only=True, help_text="报送期（年-月）")
    project_name = serializers.CharField(source="project.name", read_only=True)
    active = serializers.SerializerMethodField(help_text="是否有效（未解除）")

    class Meta:
        model = ProjectWarning
        fields = ["id", *WARNING_FIELDS, "rule_title", "period", "project_name", "active"]
        read_only_fields = fields

    def get_active(self, warning) -> bool:
        return warning.cleared_at is None


class WarningThresholdSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)


class WarningDetailSerializer(WarningSerializer):
    rule_description = serializers.SerializerMethodField(help_text="规则说明")
    thresholds = serializers.SerializerMethodField(help_text="触发时使用的阈值")
    timeline = serializers.SerializerMethodField(help_text="该项目该规则历次预警（含已解除），最近的在前")

    class Meta(WarningSerializer.Meta):
        fields = [*WarningSerializer.Meta.fields, "rule_description", "thresholds", "timeline"]
        read_only_fields = fields

    def get_rule_description(self, warning) -> str:
        rule = RULES.get(warning.rule)
        return str(rule.description) if rule else ""

    @extend_schema_field(WarningThresholdSerializer(many=True))
    def get_thresholds(self, warning):
        rule = RULES.get(warning.rule)
        values = thresholds_of(warning.version or current_version())
        return [
            {"key": key, "label": str(THRESHOLDS[key].label), "value": str(values[key]),
             "unit": str(THRESHOLDS[key].unit or "")}
            for key in (rule.thresholds if rule else ())
        ]

    @extend_schema_field(WarningSerializer(many=True))
    def get_timeline(self, warning):
        rows = (
            ProjectWarning.objects.restrict(self.context["request"].user)
            .filter(project=warning.project_id, rule=warning.rule)
            .select_related("project")
            .order_by("-year", "-month", "-raised_at")
        )
        return WarningSerializer(rows, many=True).data


class ProjectWarningViewSet(ResourceViewSet):
    """项目预警：one per project, rule and period while the rule fires; cleared warnings are kept (`state`)."""

    model, filterset_class = ProjectWarning, ProjectWarningFilterSet
    serializer_class = WarningSerializer
    http_method_names = ["get", "head", "options"]
    select_related = ("project",)
    bulk = None

    def get_serializer_class(self):
        return WarningSerializer if self.action == "list" else WarningDetailSerializer

    def field_labels(self) -> dict:
        return {name: str(f.label) for name, f in ProjectWarningFilterSet.base_filters.items()}


ROUTES = [("warnings", ProjectWarningViewSet)]
