"""The assessment through the API: the schemes, their indicators and measures (data the city admin edits, as on the
scheme pages), and a scheme's scores for a period with ranks, measures and explanations (the ranking page)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from faims.api.bodies import ERROR, form_fields
from faims.api.resources import ResourceViewSet, model_serializer

from . import services
from .choices import SchemeKind
from .filtersets import AssessmentFlagFilterSet, AssessmentIndicatorFilterSet, AssessmentSchemeFilterSet
from .forms import AssessmentFlagForm, AssessmentIndicatorForm, AssessmentSchemeForm
from .models import AssessmentFlag, AssessmentIndicator, AssessmentScheme
from .scoring import _json, assess


def _text(value):
    """A figure as exact text ("9/20" for a rate, "29.50" for points), or null."""
    value = _json(value)
    return None if value is None else str(value)


class IndicatorScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.CharField()
    value = serializers.CharField(allow_null=True, help_text="实际值（比率为分数“n/d”，金额为万元）；无值为空。")
    value_text = serializers.CharField(help_text="实际值，如页面所示。")
    goal = serializers.CharField(allow_null=True)
    goal_label = serializers.CharField()
    points = serializers.CharField(allow_null=True, help_text="得分；不涉及为空。")
    explanation = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text="计入该指标的项目（或问题）的页面。")


class FlagSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    reason = serializers.CharField()


class SubjectScoreSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    total = serializers.CharField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True, help_text="排名（并列同名次）；不参加排名为空。")
    flags = FlagSerializer(many=True)
    explanation = serializers.ListField(child=serializers.CharField())
    indicators = IndicatorScoreSerializer(many=True)


class ScoresSerializer(serializers.Serializer):
    scheme = serializers.IntegerField()
    scheme_name = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    period_label = serializers.CharField()
    version = serializers.IntegerField(help_text="所用指标口径版本。")
    subjects = SubjectScoreSerializer(many=True)


def _scores(assessment) -> dict:
    return {
        "scheme": assessment.scheme.pk,
        "scheme_name": assessment.scheme.name,
        "year": assessment.year,
        "month": assessment.month,
        "period_label": assessment.period_label,
        "version": assessment.version,
        "subjects": [
            {
                "key": subject.key if isinstance(subject.key, int) else None,
                "label": subject.label,
                "total": _text(subject.total),
                "rank": subject.rank,
                "flags": [{"kind": f.kind, "label": f.label, "reason": f.reason} for f in subject.flags],
                "explanation": [str(line) for line in subject.explanation],
                "indicators": [
                    {
                        "key": score.key,
                        "label": str(score.label),
                        "weight": str(score.weight),
                        "value": _text(score.value),
                        "value_text": score.value_text,
                        "goal": _text(score.goal),
                        "goal_label": str(score.goal_label),
                        "points": _text(score.points),
                        "explanation": str(score.explanation),
                        "url": score.url,
                    }
                    for score in subject.scores
                ],
            }
            for subject in assessment.subjects
        ],
    }


class AssessmentSchemeViewSet(ResourceViewSet):
    """考核方案：a year's quarterly or annual scheme for regions or departments; `scores` assesses with it."""

    model, form_class, filterset_class = AssessmentScheme, AssessmentSchemeForm, AssessmentSchemeFilterSet
    serializer_class = model_serializer(AssessmentScheme, form_fields(AssessmentSchemeForm))
    save_service = staticmethod(services.save_scheme)
    delete_service = staticmethod(services.delete_scheme)

    @extend_schema(
        summary="按方案考核",
        description="方案所属年度内某月末的得分、排名、奖惩措施和说明（季度方案为季末月；年度方案缺省为12月）。",
        parameters=[OpenApiParameter("month", int, description="月份（1–12）")],
        responses={200: ScoresSerializer, 400: ERROR, 404: ERROR},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def scores(self, request, pk=None):
        scheme = self.get_object()
        month = request.query_params.get("month", "12" if scheme.kind == SchemeKind.ANNUAL else "")
        if not month.isdigit() or not 1 <= int(month) <= 12:
            raise exceptions.ValidationError({"month": [_("月份须在 1 至 12 之间")]})
        try:
            assessment = assess(request.user, scheme, scheme.year, int(month))
        except PermissionDenied as exc:
            raise exceptions.NotFound() from exc
        except ValueError as exc:
            raise exceptions.ValidationError({"month": [str(exc)]}) from exc
        return Response(_scores(assessment))


class AssessmentIndicatorViewSet(ResourceViewSet):
    """考核指标：a KPI of the catalogue with its weight, method and goal in a scheme."""

    model, form_class, filterset_class = AssessmentIndicator, AssessmentIndicatorForm, AssessmentIndicatorFilterSet
    serializer_class = model_serializer(AssessmentIndicator, form_fields(AssessmentIndicatorForm))
    save_service = staticmethod(services.save_indicator)
    delete_service = staticmethod(services.delete_indicator)


class AssessmentFlagViewSet(ResourceViewSet):
    """奖惩措施：a reward or penalty of a scheme and when it applies (rank or total)."""

    model, form_class, filterset_class = AssessmentFlag, AssessmentFlagForm, AssessmentFlagFilterSet
    serializer_class = model_serializer(AssessmentFlag, form_fields(AssessmentFlagForm))
    save_service = staticmethod(services.save_flag)
    delete_service = staticmethod(services.delete_flag)


ROUTES = [
    ("assessment-schemes", AssessmentSchemeViewSet),
    ("assessment-indicators", AssessmentIndicatorViewSet),
    ("assessment-flags", AssessmentFlagViewSet),
]
