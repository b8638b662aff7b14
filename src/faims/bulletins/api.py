"""Bulletins through the API: the published ones with their files, publishing (city admin), and builds.

A build is how the API generates a bulletin without publishing it: POST /bulletin-builds/ hands it to the job worker
and answers with the build's id at once; GET /bulletin-builds/{id}/ gives its progress; GET .../file/ the document
when it is done. Each is the requester's own, as on the page. The services are the page's.
"""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models.functions import Length
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from faims.api.errors import django_errors
from faims.core.api import ScopedReadOnlyViewSet
from faims.core.permissions import ADD, can

from . import services
from .choices import BuildStatus, BulletinFormat, BulletinKind
from .forms import BulletinForm
from .models import Bulletin, BulletinBuild
from .views import CONTENT_TYPES, _file, published_file

ERROR = inline_serializer(
    "BulletinError",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False),
    },
)
REFUSED = {
    400: OpenApiResponse(ERROR, description="输入有误：errors 指明是哪一个字段。"),
    403: OpenApiResponse(ERROR, description="您的角色不能执行该操作，或该地区超出您的管辖范围。"),
}
NOT_FOUND = {404: OpenApiResponse(ERROR, description="不存在、超出您的管辖范围，或尚未生成。")}
FILE_RESPONSES = {(200, content_type): OpenApiTypes.BINARY for content_type in CONTENT_TYPES.values()}


class BulletinSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField(help_text="可下载的格式")

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "kind",
            "year",
            "month",
            "region",
            "title",
            "version_number",
            "data_locked",
            "figures",
            "published_at",
            "published_by",
            "files",
        ]
        read_only_fields = fields

    def get_files(self, bulletin) -> list[str]:
        # Bulletins published before PDF files were kept have none.
        return [name for name in CONTENT_TYPES if name != "pdf" or getattr(bulletin, "pdf_size", 1)]


class BuildSerializer(serializers.ModelSerializer):
    in_progress = serializers.BooleanField(read_only=True)

    class Meta:
        model = BulletinBuild
        fields = [
            "id",
            "kind",
            "year",
            "month",
            "region",
            "file_format",
            "status",
            "progress",
            "progress_total",
            "step",
            "title",
            "error",
            "created_at",
            "finished_at",
            "in_progress",
        ]
        read_only_fields = fields


class BulletinRequest(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BulletinKind.choices, required=False, help_text="默认为月度通报")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    region = serializers.IntegerField(required=False, allow_null=True, help_text="地区；空为全市")


class BuildRequest(BulletinRequest):
    format = serializers.ChoiceField(choices=BulletinFormat.choices)


class BulletinFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    month = django_filters.NumberFilter(label=_("月份"))
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=BulletinKind.choices)

    class Meta:
        model = Bulletin
        fields = ["year", "month", "kind", "region"]


def _bound(request, *, file_format=None) -> dict:
    """The body validated by the page's form; a publication renders every format, so it names none."""
    data = request.data
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("请求体应为 JSON 对象。")]})
    allowed = set(BulletinForm.base_fields) - ({"format"} if file_format else set())
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise exceptions.ValidationError({name: [_("未知字段。")] for name in unknown})
    values = {name: "" if value is None else value for name, value in data.items()}
    if file_format:
        values["format"] = file_format
    form = BulletinForm(data=values)
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                ("non_field_errors" if name == "__all__" else name): [e["message"] for e in errors]
                for name, errors in form.errors.get_json_data().items()
            }
        )
    return form.cleaned_data


def _labels() -> dict:
    return {name: str(field.label) for name, field in BulletinForm.base_fields.items()}


class BulletinViewSet(ScopedReadOnlyViewSet):
    """通报：the published bulletins the caller may read (a region officer: its region's); each file; publishing."""

    model, filterset_class = Bulletin, BulletinFilterSet
    serializer_class = BulletinSerializer
    select_related = ("region", "published_by")

    def get_queryset(self):
        return super().get_queryset().defer("docx", "xlsx", "pdf").annotate(pdf_size=Length("pdf"))

    @property
    def ordering_fields(self):
        return ["id", "year", "month", "kind", "published_at", "title"]

    def field_labels(self) -> dict:
        return _labels()

    @extend_schema(
        summary="下载通报文件",
        parameters=[OpenApiParameter("file_format", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(CONTENT_TYPES))],
        responses={**FILE_RESPONSES, **NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_format>[a-z]+)")
    def files(self, request, pk=None, file_format=None):
        return published_file(request.user, pk, file_format)

    @extend_schema(
        summary="发布通报",
        description="生成并保存通报（Word、Excel、PDF），记入审计事件；只有市重大办管理员可以发布。",
        request=BulletinRequest,
        responses={201: BulletinSerializer, **REFUSED},
    )
    @action(detail=False, methods=["post"])
    def publish(self, request):
        if not can(request.user, Bulletin, ADD):
            raise exceptions.PermissionDenied(_("只有市重大办管理员可以发布通报。"))
        data = _bound(request, file_format=BulletinFormat.DOCX)
        try:
            bulletin = services.publish_bulletin(
                year=data["year"],
                month=data["month"],
                region=data["region"],
                kind=data["kind"],
                acting_user=request.user,
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(django_errors(exc)) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or None) from exc
        bulletin = self.get_queryset().get(pk=bulletin.pk)
        return Response(BulletinSerializer(bulletin).data, status=status.HTTP_201_CREATED)


class BulletinBuildViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """通报生成任务：the caller's own builds, newest first. POST starts one (202: queued for the job worker)."""

    model = BulletinBuild
    serializer_class = BuildSerializer
    select_related = ("region",)

    def get_queryset(self):
        return super().get_queryset().defer("content")

    @property
    def ordering_fields(self):
        return ["id", "created_at", "finished_at", "status"]

    def field_labels(self) -> dict:
        return _labels()

    @extend_schema(
        summary="生成通报（后台）",
        description="交由后台任务生成，立即返回任务；查询任务的 status、progress，完成（done）后下载 file。",
        request=BuildRequest,
        responses={202: BuildSerializer, **REFUSED},
    )
    def create(self, request, *args, **kwargs):
        if not can(request.user, Bulletin, "generate"):
            raise exceptions.PermissionDenied(_("您无权生成通报。"))
        data = _bound(request)
        try:
            build = services.start_build(
                user=request.user,
                kind=data["kind"],
                year=data["year"],
                month=data["month"],
                region=data["region"],
                file_format=data["format"],
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(django_errors(exc)) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or None) from exc
        return Response(BuildSerializer(build).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="下载生成的通报", responses={**FILE_RESPONSES, **NOT_FOUND})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        build = self.get_object()
        if build.status != BuildStatus.DONE:
            raise exceptions.NotFound(_("通报尚未生成完成。"))
        build = BulletinBuild.objects.get(pk=build.pk)
        return _file(services.download_build(build, request.user), build.file_format, build.title)


ROUTES = [("bulletins", BulletinViewSet), ("bulletin-builds", BulletinBuildViewSet)]
