"""The KPIs through the API: any KPI, any slice of the caller's projects, any grouping; the projects behind a figure;
the catalogue with the thresholds of each definition version.

A slice is what `faims metrics` and the dashboard take: the caller's projects (`restrict`) filtered by the project
list's FilterSet, `year` naming both the period and the slice's year (projects with a plan or a library of that
year). The project list's `status` filter is `project_status` here, since `status` chooses the reports that count
(`submitted`: accepted or submitted, the default; `accepted`: accepted only). Every figure comes from the engine.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import SimpleNamespace

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from faims.api.errors import django_errors
from faims.core.permissions import ADD, VIEW, can
from faims.dashboard.views import latest_period, slice_target_scope
from faims.projects.api import ProjectViewSet
from faims.projects.choices import Category, Tier
from faims.projects.filtersets import ProjectFilterSet
from faims.projects.models import Project

from . import engine, services
from .forms import ThresholdForm
from .models import KpiDefinitionVersion
from .output import display
from .registry import DEFINITIONS, REGISTRY, SEASONAL_PROFILE, THRESHOLDS

STATUSES = {"submitted": engine.SUBMITTED, "accepted": engine.ACCEPTED}
PARTS = ("numerator", "denominator")
# The project list's filter that a metrics parameter of the same name hides, and the name it goes by here.
RENAMED = {"project_status": "status"}
SLICE_FILTERS = [name for name in ProjectFilterSet.base_filters if name != "year"]
RATE_PLACES = Decimal("1E-10")
DRILLDOWN_KEYS = [*engine.PARTS]
TEXT_GROUPS = {"category": Category, "tier": Tier}
MAX_ID = 2**31


# -- documentation -----------------------------------------------------------------------------


def _filter_parameter(name: str, flt) -> OpenApiParameter:
    if isinstance(flt, django_filters.ChoiceFilter):
        choices = [value for value, _label in flt.extra.get("choices", []) if value != ""]
        return OpenApiParameter(name, OpenApiTypes.STR, enum=choices, description=str(flt.label))
    if isinstance(flt, django_filters.ModelChoiceFilter):
        return OpenApiParameter(name, OpenApiTypes.INT, description=str(flt.label))
    if isinstance(flt, django_filters.BooleanFilter):
        return OpenApiParameter(name, OpenApiTypes.BOOL, description=str(flt.label))
    return OpenApiParameter(name, OpenApiTypes.STR, description=str(flt.label))


SLICE_PARAMETERS = [
    _filter_parameter({v: k for k, v in RENAMED.items()}.get(name, name), ProjectFilterSet.base_filters[name])
    for name in SLICE_FILTERS
]
PERIOD_PARAMETERS = [
    OpenApiParameter("year", {"type": "integer", "minimum": 2000, "maximum": 2100},
                     description="年度（2000–2100），默认为最近一个有已报送月报的期间"),
    OpenApiParameter("month", {"type": "integer", "minimum": 1, "maximum": 12}, description="月份（1–12），截至该月末"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=list(STATUSES),
                     description="计入哪些月报：submitted（已报送及已审核，默认）或 accepted（仅已审核）"),
]
ERROR = inline_serializer(
    "MetricsError",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False),
    },
)
BAD_PARAMETER = OpenApiResponse(ERROR, description="参数有误：errors 指明是哪一个参数。")


class KpiValueSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="数值（比率为小数，金额为万元）；无值为 null")
    decimal = serializers.CharField(allow_null=True, help_text="精确小数（金额到分；比率保留10位小数，四舍五入）")
    fraction = serializers.CharField(allow_null=True, help_text="比率的精确分数“分子/分母”；其他指标为 null")
    display = serializers.CharField(help_text="页面上的写法（百分比保留一位小数）")
    numerator_count = serializers.IntegerField(allow_null=True, help_text="分子背后的项目数（可下钻）")
    denominator_count = serializers.IntegerField(allow_null=True, help_text="分母背后的项目数（可下钻）")


class MetricRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="分组的键（地区、项目库等的编号，类别或规模的代码，月份）")
    label = serializers.CharField()
    values = serializers.DictField(child=KpiValueSerializer(), help_text="指标键 → 值")


class KpiHeadSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    unit_label = serializers.CharField()


class MetricsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    period = serializers.CharField()
    version = serializers.IntegerField(help_text="所用指标口径的版本号")
    status = serializers.ChoiceField(choices=list(STATUSES))
    by = serializers.CharField(allow_null=True)
    kpis = KpiHeadSerializer(many=True)
    total = MetricRowSerializer()
    rows = MetricRowSerializer(many=True)


class ThresholdSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class KpiDefinitionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    unit = serializers.CharField()
    unit_label = serializers.CharField()
    description = serializers.CharField()
    numerator = serializers.CharField()
    denominator = serializers.CharField()
    thresholds = serializers.ListField(child=serializers.CharField())
    drilldown = serializers.BooleanField(help_text="可否列出分子、分母背后的项目")


class VersionSerializer(serializers.ModelSerializer):
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = KpiDefinitionVersion
        fields = ["id", "number", "thresholds", "note", "created_by", "created_by_name", "created"]
        read_only_fields = fields

    def get_created_by_name(self, version) -> str:
        return version.created_by.display_name if version.created_by_id else ""


class DefinitionsSerializer(serializers.Serializer):
    version = VersionSerializer()
    thresholds = ThresholdSerializer(many=True)
    seasonal_profile = serializers.ListField(child=serializers.DecimalField(max_digits=5, decimal_places=3))
    kpis = KpiDefinitionSerializer(many=True)


ThresholdRequest = inline_serializer(
    "ThresholdRequest",
    {
        "note": serializers.CharField(max_length=300, help_text="调整原因"),
        **{
            key: serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False,
                                          help_text=str(threshold.label))
            for key, threshold in THRESHOLDS.items()
        },
    },
)


# -- values ------------------------------------------------------------------------------------


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def kpi_value(key: str, value, parts) -> dict:
    """One KPI's value as the API gives it: number, exact decimal, exact fraction (rates), display, counts."""
    numerator, denominator = parts if parts is not None else (None, None)
    body = {"value": None, "decimal": None, "fraction": None, "display": display(key, value),
            "numerator_count": numerator, "denominator_count": denominator}
    if value is None:
        return body
    if isinstance(value, Fraction):
        exact = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(RATE_PLACES, ROUND_HALF_UP)
        body.update(value=float(value), decimal=_decimal_text(exact), fraction=f"{value.numerator}/{value.denominator}")
    elif isinstance(value, Decimal):
        body.update(value=float(value), decimal=format(value, "f"))
    else:
        body.update(value=value, decimal=str(value))
    return body


def _row(row, keys) -> dict:
    return {
        "key": None if row.key is None else str(row.key),
        "label": str(row.label),
        "values": {key: kpi_value(key, row.values[key], row.parts.get(key)) for key in keys},
    }


def _definition(d) -> dict:
    return {"key": d.key, "label": str(d.label), "kind": d.kind, "kind_label": str(d.kind_label), "unit": d.unit,
            "unit_label": str(d.unit_label), "description": str(d.description), "numerator": str(d.numerator),
            "denominator": str(d.denominator), "thresholds": list(d.thresholds), "drilldown": d.key in engine.PARTS}


# -- parameters --------------------------------------------------------------------------------


def _bad(name: str, message: str):
    return exceptions.ValidationError({name: [message]})


def _integer(params, name, low, high):
    raw = params.get(name, "")
    try:
        value = int(raw)
    except ValueError:
        raise _bad(name, _("应为整数。")) from None
    if not low <= value <= high:
        raise _bad(name, _("应在 %(low)s 至 %(high)s 之间。") % {"low": low, "high": high})
    return value


def period_of(params) -> tuple[int, int]:
    """The period asked for; the latest with filed reports for what the query leaves out."""
    latest = latest_period()
    if latest is None and ("year" not in params or "month" not in params):
        raise _bad("year" if "year" not in params else "month", _("尚无月报，请指定年度和月份。"))
    year = _integer(params, "year", 2000, 2100) if "year" in params else latest[0]
    month = _integer(params, "month", 1, 12) if "month" in params else latest[1]
    return year, month


def statuses_of(params):
    name = params.get("status", "submitted")
    if name not in STATUSES:
        raise _bad("status", _("应为 submitted（已报送及已审核）或 accepted（仅已审核）。"))
    return STATUSES[name]


def grouping_of(params, choices=engine.GROUPINGS, name="by"):
    by = params.get(name, "") or None
    if by is not None and by not in choices:
        raise _bad(name, _("分组方式应为以下之一：%(choices)s。") % {"choices": "、".join(choices)})
    return by


class Slice:
    """The caller's projects filtered by the project list's FilterSet, and the target the slice answers to."""

    def __init__(self, request, year: int):
        params = request.query_params
        data = {name: params[name] for name in SLICE_FILTERS if name not in RENAMED.values() and params.get(name)}
        data.update({inner: params[outer] for outer, inner in RENAMED.items() if params.get(outer)})
        self.given = set(data)
        data["year"] = year
        self.user = request.user
        filterset = ProjectFilterSet(data, queryset=Project.objects.restrict(self.user, VIEW),
                                     request=SimpleNamespace(user=self.user))
        if not filterset.is_valid():
            renamed = {inner: outer for outer, inner in RENAMED.items()}
            raise exceptions.ValidationError(
                {renamed.get(name, name): [str(m) for m in messages] for name, messages in filterset.errors.items()})
        self.projects = filterset.qs
        self.cleaned = filterset.form.cleaned_data

    @property
    def target_scope(self):
        """As on the dashboard: a slice that is exactly one region, library or category answers to its target."""
        if not self.given:
            return slice_target_scope(self.user)
        if len(self.given) == 1 and self.given <= {"region", "library", "category"}:
            (kind,) = self.given
            return slice_target_scope(self.user, kind, self.cleaned[kind])
        return None


def keys_of(params) -> list[str]:
    raw = params.get("keys", "")
    keys = list(dict.fromkeys(k.strip() for k in raw.split(",") if k.strip()))
    unknown = [k for k in keys if k not in REGISTRY or not REGISTRY[k].implemented]
    if unknown:
        raise _bad("keys", _("指标不存在：%(keys)s。") % {"keys": "、".join(unknown)})
    return keys or list(engine.IMPLEMENTED)


def group_of(params, by):
    raw = params.get("group", "")
    if by in TEXT_GROUPS:
        if raw not in TEXT_GROUPS[by].values:
            raise _bad("group", _("分组“%(group)s”不存在。") % {"group": raw})
        return raw
    if not raw.isdigit() or int(raw) >= MAX_ID:
        raise _bad("group", _("分组“%(group)s”不存在。") % {"group": raw})
    return int(raw)


# -- the view set ------------------------------------------------------------------------------


class MetricsViewSet(viewsets.GenericViewSet):
    """指标：the KPIs of a slice of the caller's projects for a period, in total and by group; the projects behind a
    figure; the catalogue and its definition versions (a new version: city admin)."""

    model = KpiDefinitionVersion
    queryset = KpiDefinitionVersion.objects.none()
    serializer_class = MetricsSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return KpiDefinitionVersion.objects.restrict(self.request.user, VIEW)

    def field_labels(self) -> dict:
        return {"year": _("年度"), "month": _("月份"), "keys": _("指标"), "by": _("分组方式"), "group": _("分组"),
                "status": _("月报状态"), "key": _("指标"), "part": _("分子或分母"), "note": _("调整原因")}

    @extend_schema(
        summary="指标",
        description=(
            "截至某年某月末，调用者权限范围内一组项目（项目列表的筛选条件）的指标合计，及按 by 分组的各行。"
            "keys 为逗号分隔的指标键（默认全部）；比率同时给出精确分数与小数。"
        ),
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("keys", OpenApiTypes.STR,
                             description="逗号分隔的指标键，例如 completion_rate,ytd_investment"),
            OpenApiParameter("by", OpenApiTypes.STR, enum=[*engine.GROUPINGS], description="分组方式"),
            *SLICE_PARAMETERS,
        ],
        responses={200: MetricsSerializer, 400: BAD_PARAMETER},
    )
    def list(self, request):
        params = request.query_params
        year, month = period_of(params)
        statuses = statuses_of(params)
        by = grouping_of(params)
        keys = keys_of(params)
        sliced = Slice(request, year)
        result = engine.evaluate(sliced.projects, year, month, keys=keys, by=by, statuses=statuses,
                                 target_scope=sliced.target_scope)
        return Response({
            "year": year, "month": month, "period": result.period.label, "version": result.version.number,
            "status": "accepted" if statuses == engine.ACCEPTED else "submitted", "by": by,
            "kpis": [{"key": key, "label": str(REGISTRY[key].label), "unit": REGISTRY[key].unit,
                      "unit_label": str(REGISTRY[key].unit_label)} for key in keys],
            "total": _row(result.total, keys),
            "rows": [_row(row, keys) for row in result.rows],
        })

    @extend_schema(
        summary="指标背后的项目",
        description=(
            "一个指标的分子（或分母）背后的项目，可限于 group_by 的一个分组 group；与指标相同的范围、期间和筛选条件。"
        ),
        parameters=[
            OpenApiParameter("key", OpenApiTypes.STR, required=True, enum=DRILLDOWN_KEYS, description="指标键"),
            OpenApiParameter("part", OpenApiTypes.STR, enum=[*PARTS], description="numerator（默认）或 denominator"),
            *PERIOD_PARAMETERS,
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=[g for g in engine.GROUPINGS if g != "month"],
                             description="分组方式"),
            OpenApiParameter("group", OpenApiTypes.STR, description="分组的键（编号，或类别、规模的代码）"),
            *SLICE_PARAMETERS,
        ],
        responses={200: ProjectViewSet.serializer_class(many=True), 400: BAD_PARAMETER},
    )
    @action(detail=False, methods=["get"], url_path="projects", pagination_class=ProjectViewSet.pagination_class)
    def projects(self, request):
        params = request.query_params
        key = params.get("key", "")
        if key not in engine.PARTS:
            raise _bad("key", _("指标“%(key)s”不存在或没有项目清单。") % {"key": key})
        part = params.get("part", "numerator") or "numerator"
        if part not in PARTS:
            raise _bad("part", _("应为 numerator（分子）或 denominator（分母）。"))
        year, month = period_of(params)
        statuses = statuses_of(params)
        by = grouping_of(params, [g for g in engine.GROUPINGS if g != "month"], name="group_by")
        group = group_of(params, by) if by else None
        sliced = Slice(request, year)
        projects = engine.projects_behind(sliced.projects, year, month, key, part, group, by=by, statuses=statuses)
        projects = projects.prefetch_related("departments").order_by("region__sort_order", "region__code", "name", "pk")
        page = self.paginate_queryset(projects)
        return self.get_paginated_response(ProjectViewSet.serializer_class(page, many=True).data)

    @extend_schema(summary="指标口径", responses={200: DefinitionsSerializer})
    @action(detail=False, methods=["get"], pagination_class=None)
    def definitions(self, request):
        version = services.current_version()
        values = services.thresholds_of(version)
        return Response(DefinitionsSerializer({
            "version": version,
            "thresholds": [{"key": t.key, "label": str(t.label), "unit": str(t.unit), "value": values[t.key]}
                           for t in THRESHOLDS.values()],
            "seasonal_profile": list(SEASONAL_PROFILE),
            "kpis": [_definition(d) for d in DEFINITIONS if d.implemented],
        }).data)

    @extend_schema(methods=["GET"], summary="指标口径的各版本", responses={200: VersionSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        summary="调整阈值（生成新版本）",
        description="只有市重大办管理员可以调整；未填写的阈值沿用当前版本。",
        request=ThresholdRequest,
        responses={201: VersionSerializer, 400: BAD_PARAMETER, 403: OpenApiResponse(ERROR)},
    )
    @action(detail=False, methods=["get", "post"], pagination_class=None)
    def versions(self, request):
        if request.method == "GET":
            versions = self.get_queryset().select_related("created_by")
            return Response(VersionSerializer(versions, many=True).data)
        if not can(request.user, KpiDefinitionVersion, ADD):
            raise exceptions.PermissionDenied(_("只有市重大办管理员可以调整指标阈值。"))
        if not isinstance(request.data, dict):
            raise _bad("non_field_errors", _("请求体应为 JSON 对象。"))
        form = ThresholdForm(data={key: "" if value is None else value for key, value in request.data.items()},
                             current=services.thresholds_of(services.current_version()))
        unknown = sorted(set(request.data) - set(form.fields))
        if unknown:
            raise exceptions.ValidationError({name: [_("未知字段。")] for name in unknown})
        if not form.is_valid():
            raise exceptions.ValidationError({name: [e["message"] for e in errors]
                                              for name, errors in form.errors.get_json_data().items()})
        try:
            version = services.change_thresholds(form.thresholds(), acting_user=request.user,
                                                 note=form.cleaned_data["note"])
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(django_errors(exc)) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


ROUTES = [("metrics", MetricsViewSet)]
