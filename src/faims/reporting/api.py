"""Monthly reporting through the API: periods (deadline, lock), reports and their workflow, amendments, attachments.

The same forms, services and scope as the reporting pages. A report is filed as on the web form (a period "2022-06",
`basis` saying which amount was typed in, the other derived; `submit_now` saves and submits at once), then moved
along by actions (submit, return, accept; amend once the period is locked), each validated with the page's form and
taken by the page's service, whose refusals (400) name the steps that are possible. `bulk` files many reports in one
call, naming an existing report by its id or by (project, period), all or nothing, with an error per item.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from faims.api.bodies import ERROR, REFUSED, FormActionsMixin, bound_form, file_response, form_errors, plain_body
from faims.api.resources import MAX_BULK, ResourceViewSet, model_serializer
from faims.core.permissions import ADD, CHANGE, VIEW, can
from faims.core.services import BatchError
from faims.projects.models import Project

from . import deadlines, rules, services
from .filtersets import MonthlyReportFilterSet, ReportingPeriodFilterSet
from .forms import (
    REPORT_FIELDS,
    AmendmentForm,
    AttachmentForm,
    Basis,
    DeadlineForm,
    MonthlyReportForm,
    ReportingPeriodForm,
    ReturnForm,
    SubmitForm,
    last_month,
    parse_period,
)
from .models import MonthlyReport, ReportAmendment, ReportAttachment, ReportingPeriod
from .views import SERVED_TYPES, dry_run, period_summary

# -- periods -----------------------------------------------------------------------------------

PERIOD_FIELDS = ["year", "month", "deadline", "deadline_reason", "locked_at", "locked_by"]
ReportingPeriodSerializer = model_serializer(ReportingPeriod, [], read_only=PERIOD_FIELDS)


class PeriodRequest(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)


class DeadlineRequest(serializers.Serializer):
    deadline = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class StatusCount(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class PeriodSummarySerializer(serializers.Serializer):
    status_counts = StatusCount(many=True)
    report_count = serializers.IntegerField()
    missing_count = serializers.IntegerField()
    late_count = serializers.IntegerField()
    due_count = serializers.IntegerField()
    on_time_rate = serializers.CharField(allow_null=True, help_text="按时报送率（小数，保留四位）；无应报项目时为空。")


class DueProjectSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name")
    unit_name = serializers.CharField(source="unit.name", default="")

    class Meta:
        model = Project
        fields = ["id", "code", "name", "region", "region_name", "unit", "unit_name"]
        read_only_fields = fields


class ReportingPeriodViewSet(FormActionsMixin, ResourceViewSet):
    """报送期：opened by the city admin (or by the first report), its deadline moved with a reason (节假日顺延),
    locked for good (later changes are amendments). `summary`, `missing` and `late` count within the caller's
    scope, as on the period's page."""

    model, form_class, filterset_class = ReportingPeriod, ReportingPeriodForm, ReportingPeriodFilterSet
    serializer_class = ReportingPeriodSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_forms = {"deadline": DeadlineForm}
    bulk = None

    def _period(self, pk, action_name=VIEW) -> ReportingPeriod:
        return get_object_or_404(ReportingPeriod.objects.restrict(self.request.user, action_name), pk=pk)

    @extend_schema(summary="新增报送期", request=PeriodRequest, responses={201: ReportingPeriodSerializer, **REFUSED})
    def create(self, request, *args, **kwargs):
        if not can(request.user, ReportingPeriod, ADD):
            raise exceptions.PermissionDenied(_("只有市重大办管理员可以新增报送期。"))
        form = bound_form(ReportingPeriodForm, request)
        period = services.get_period(form.cleaned_data["year"], form.cleaned_data["month"])
        return Response(ReportingPeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="调整截止日期", request=DeadlineRequest, responses={200: ReportingPeriodSerializer, **REFUSED}
    )
    @action(detail=True, methods=["post"])
    def deadline(self, request, pk=None):
        period = self._period(pk, CHANGE)
        form = bound_form(DeadlineForm, request)
        services.set_deadline(
            period, form.cleaned_data["deadline"], acting_user=request.user, reason=form.cleaned_data["reason"]
        )
        return Response(ReportingPeriodSerializer(period).data)

    @extend_schema(
        summary="锁定报送期",
        description="锁定后不能解锁；其报送只能以更正方式修改。",
        request=None,
        responses={200: ReportingPeriodSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        period = self._period(pk, "lock")
        services.lock_period(period, acting_user=request.user)
        return Response(ReportingPeriodSerializer(period).data)

    @extend_schema(summary="本期报送统计（调用者管辖范围内）", responses={200: PeriodSummarySerializer, 404: ERROR})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request, pk=None):
        figures = period_summary(self._period(pk), request.user)
        rate = figures["on_time_rate"]
        return Response(
            {
                "status_counts": [
                    {"status": value, "label": str(label), "count": count}
                    for label, value, count in figures["status_counts"]
                ],
                **{key: figures[key] for key in ("report_count", "missing_count", "late_count", "due_count")},
                "on_time_rate": None if rate is None else f"{float(rate):.4f}",
            }
        )

    def _projects(self, pk, which) -> Response:
        period = self._period(pk)
        scoped = Project.objects.restrict(self.request.user, VIEW)
        found = which(period, scoped)
        projects = (
            Project.objects.filter(pk__in=found.values("pk"))
            .select_related("region", "unit")
            .order_by("region__sort_order", "name")
        )
        return Response(DueProjectSerializer(projects, many=True).data)

    @extend_schema(summary="未报送项目", responses={200: DueProjectSerializer(many=True), 404: ERROR})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def missing(self, request, pk=None):
        return self._projects(pk, deadlines.missing)

    @extend_schema(summary="逾期报送项目", responses={200: DueProjectSerializer(many=True), 404: ERROR})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def late(self, request, pk=None):
        return self._projects(pk, deadlines.late)


# -- reports -----------------------------------------------------------------------------------

WORKFLOW_FIELDS = [
    "status",
    "return_reason",
    "submitted_at",
    "submitted_by",
    "first_submitted_at",
    "reviewed_at",
    "reviewed_by",
    "created",
    "updated",
]


class MonthlyReportSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.label", help_text="报送期（年-月），例如 2022-06；创建后不能修改。")
    basis = serializers.ChoiceField(
        choices=Basis.CHOICES,
        write_only=True,
        required=False,
        help_text=(
            "填报方式：month 填本月完成投资、ytd 填本年累计，另一个数由上期报送推算。新建时省略则按所填金额判断。"
        ),
    )
    submit_now = serializers.BooleanField(write_only=True, required=False, help_text="保存后立即报送。")
    change_reason = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "project",
            "period",
            *REPORT_FIELDS,
            "warning_note",
            *WORKFLOW_FIELDS,
            "basis",
            "submit_now",
            "change_reason",
        ]
        read_only_fields = WORKFLOW_FIELDS


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.CharField()
    field = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class MonthlyReportDetailSerializer(MonthlyReportSerializer):
    allowed_actions = serializers.SerializerMethodField(help_text="调用者当前可执行的操作。")
    findings = serializers.SerializerMethodField(help_text="校验规则的结果（错误与预警）。")

    class Meta(MonthlyReportSerializer.Meta):
        fields = [*MonthlyReportSerializer.Meta.fields, "allowed_actions", "findings"]
        read_only_fields = [*WORKFLOW_FIELDS, "allowed_actions", "findings"]

    def get_allowed_actions(self, report) -> list[str]:
        user = self.context["request"].user
        needs = {"save": CHANGE, "submit": CHANGE, "return": "review", "accept": "review", "amend": "amend"}
        steps = services.allowed_actions(report, user)
        return [s for s in steps if MonthlyReport.objects.restrict(user, needs[s]).filter(pk=report.pk).exists()]

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, report) -> list[dict]:
        return FindingSerializer(
            [
                {"code": f.code, "level": str(f.level), "field": f.field or "", "message": str(f.message)}
                for f in services.check_report(report)
            ],
            many=True,
        ).data


class SubmitRequest(serializers.Serializer):
    warning_note = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="存在预警时必须填写，说明数据属实的原因。"
    )


class ReturnRequest(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


def _amendment_request():
    """The fields a correction may change (each optional: only those to correct) and its reason."""
    fields = {name: field for name, field in MonthlyReportSerializer().get_fields().items() if name in REPORT_FIELDS}
    for field in fields.values():
        field.required = False
    return type(
        "AmendmentRequest", (serializers.Serializer,), {"reason": serializers.CharField(max_length=500), **fields}
    )


AmendmentRequest = _amendment_request()

ReportAmendmentSerializer = model_serializer(
    ReportAmendment, [], read_only=["report", "time", "user", "reason", "before", "after"]
)
ATTACHMENT_FIELDS = ["report", "name", "content_type", "size", "uploaded_at", "uploaded_by"]
ReportAttachmentSerializer = model_serializer(ReportAttachment, [], read_only=ATTACHMENT_FIELDS)


class ReportFileUpload(serializers.Serializer):
    file = serializers.FileField(help_text="照片（JPG、PNG、GIF、WebP）或 PDF 文件")


class ReportBulkRequest(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.DictField(),
        max_length=MAX_BULK,
        help_text=(
            "每一项同新增报送的请求体；带 id 或已有报送的 (project, period) 的修改该报送，其余新增。每个项目一项。"
        ),
    )
    submit = serializers.BooleanField(
        required=False, help_text="全部保存后一并报送（每项的 warning_note 为预警说明）。"
    )


class CheckErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_blank=True, help_text="字段名称（中文标签）；空为整体")
    message = serializers.CharField()


class CheckWarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class DerivedSerializer(serializers.Serializer):
    month = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)
    ytd = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)
    cumulative = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)
    suggested_cumulative = serializers.DecimalField(max_digits=30, decimal_places=2, required=False)
    earlier_cumulative = serializers.DecimalField(max_digits=30, decimal_places=2, required=False)


class CheckResultSerializer(serializers.Serializer):
    errors = CheckErrorSerializer(many=True)
    warnings = CheckWarningSerializer(many=True)
    derived = DerivedSerializer()


class DueRowSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    code = serializers.CharField(allow_null=True, allow_blank=True)
    name = serializers.CharField()
    region_name = serializers.CharField()
    period = serializers.CharField()
    report = serializers.IntegerField(allow_null=True, help_text="已有的草稿或退回的报送")
    report_status = serializers.CharField(allow_null=True)


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()


class ReportBulkResult(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())
    warnings = serializers.DictField(child=FindingSerializer(many=True), help_text="按序号：保存时的预警。")


def _finding_rows(findings) -> list[dict]:
    return [
        {"code": f.code, "level": str(f.level), "field": f.field or "", "message": str(f.message)} for f in findings
    ]


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _item_error(error) -> dict:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return {("non_field_errors" if k == "__all__" else k): v for k, v in error.message_dict.items()}
        return {"non_field_errors": list(error.messages)}
    return {"non_field_errors": [str(error) or _("您无权对该对象执行此操作。")]}


class MonthlyReportViewSet(FormActionsMixin, ResourceViewSet):
    """月度报送：one per project and period. 草稿/已退回 —submit→ 已报送 —return→ 已退回, 已报送 —accept→ 已审核;
    once the city admin locks the period, a report changes only through `amend` (before and after kept).
    A region officer reviews its region's reports; a project unit files its own. Reports are not deleted."""

    model, form_class, filterset_class = MonthlyReport, MonthlyReportForm, MonthlyReportFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    select_related = ("period", "project")
    action_forms = {
        "submit": SubmitForm,
        "return_report": ReturnForm,
        "amend": AmendmentForm,
        "attachments": AttachmentForm,
    }
    multipart_actions = ("attachments",)

    def get_serializer_class(self):
        return MonthlyReportSerializer if self.action == "list" else MonthlyReportDetailSerializer

    def _report(self, pk, action_name=VIEW) -> MonthlyReport:
        queryset = MonthlyReport.objects.restrict(self.request.user, action_name).select_related("period", "project")
        return get_object_or_404(queryset, pk=pk)

    def _detail(self, report) -> Response:
        report = MonthlyReport.objects.select_related("period", "project").get(pk=report.pk)
        return Response(MonthlyReportDetailSerializer(report, context=self.get_serializer_context()).data)

    # -- filing: the web form ----------------------------------------------------------------

    def _form(self, data, instance, *, partial: bool):
        if isinstance(data, dict) and data.get("basis") in (None, ""):
            # Which amount was typed in: the one given (a new report), or the one the report holds.
            month = data["month_investment"] if "month_investment" in data else instance.month_investment
            ytd = data["ytd_investment"] if "ytd_investment" in data else instance.ytd_investment
            data = {**data, "basis": Basis.YTD if month in (None, "") and ytd not in (None, "") else Basis.MONTH}
        return super()._form(data, instance, partial=partial)

    def _file(self, form, *, submit: bool) -> None:
        """save_report (after opening the period of a new report), then submit_report when asked; the warnings
        of the save are in the answer's `findings`."""
        report, cleaned = form.instance, form.cleaned_data
        if report.pk is None:
            report.period = services.get_period(*cleaned["period"])
        services.save_report(report, acting_user=self.request.user, reason=cleaned.get("change_reason", ""))
        if submit:
            services.submit_report(report, acting_user=self.request.user, warning_note=cleaned.get("warning_note", ""))

    def _save(self, instance, data, *, partial: bool):
        form = self._form(data, instance, partial=partial)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            with transaction.atomic():
                self._file(form, submit=bool(form.cleaned_data.get("submit_now")))
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(_("您无权填报该项目：它超出了您的管辖范围。")) from exc
        return form.instance

    @extend_schema(summary="填报月度报送", responses={201: MonthlyReportDetailSerializer, **REFUSED})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    # -- the workflow --------------------------------------------------------------------------

    @extend_schema(summary="报送", request=SubmitRequest, responses={200: MonthlyReportDetailSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self._report(pk, CHANGE)
        form = bound_form(SubmitForm, request)
        services.submit_report(report, acting_user=request.user, warning_note=form.cleaned_data["warning_note"])
        return self._detail(report)

    @extend_schema(summary="退回", request=ReturnRequest, responses={200: MonthlyReportDetailSerializer, **REFUSED})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        report = self._report(pk, "review")
        form = bound_form(ReturnForm, request)
        services.return_report(report, acting_user=request.user, reason=form.cleaned_data["reason"])
        return self._detail(report)

    @extend_schema(summary="审核通过", request=None, responses={200: MonthlyReportDetailSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = self._report(pk, "review")
        services.accept_report(report, acting_user=request.user)
        return self._detail(report)

    @extend_schema(
        summary="更正（已锁定报送期）",
        description="只需给出要更正的字段和更正原因；原数据与更正后数据一并保留。",
        request=AmendmentRequest,
        responses={201: ReportAmendmentSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        report = self._report(pk, "amend")
        original = MonthlyReport.objects.get(pk=report.pk)
        start = {
            name: value for name, value in model_to_dict(original, fields=REPORT_FIELDS).items() if value is not None
        }
        # The form works on a copy, so that the report itself changes only through the service.
        form = bound_form(AmendmentForm, request, start=start, instance=original)
        changes = form.changes(report)
        if not changes:
            raise exceptions.ValidationError({"non_field_errors": [_("没有任何数据变化，无需更正。")]})
        amendment = services.amend_report(
            report, acting_user=request.user, reason=form.cleaned_data["reason"], changes=changes
        )
        return Response(ReportAmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="更正记录", responses={200: ReportAmendmentSerializer(many=True), 404: ERROR})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def amendments(self, request, pk=None):
        report = self._report(pk)
        rows = ReportAmendment.objects.restrict(request.user, VIEW).filter(report=report)
        return Response(ReportAmendmentSerializer(rows, many=True).data)

    @extend_schema(
        methods=["GET"], summary="附件列表", responses={200: ReportAttachmentSerializer(many=True), 404: ERROR}
    )
    @extend_schema(
        methods=["POST"],
        summary="上传附件",
        request={"multipart/form-data": ReportFileUpload},
        responses={201: ReportAttachmentSerializer, **REFUSED},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def attachments(self, request, pk=None):
        if request.method == "GET":
            report = self._report(pk)
            rows = ReportAttachment.objects.restrict(request.user, VIEW).filter(report=report).without_content()
            return Response(ReportAttachmentSerializer(rows, many=True).data)
        report = self._report(pk, CHANGE)
        upload = bound_form(AttachmentForm, request).cleaned_data["file"]
        try:
            attachment = services.add_attachment(
                report,
                acting_user=request.user,
                name=upload.name,
                content_type=upload.content_type or "",
                content=upload.read(),
            )
        except ValidationError as exc:
            raise exceptions.ValidationError({"file": exc.messages}) from exc
        return Response(ReportAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    # -- the form's live check, the filer's due list, the rules -------------------------------------

    @extend_schema(
        summary="校验（不保存）",
        description=(
            "与填报页面的即时校验相同：推算金额、运行全部校验规则，什么也不保存。带 id 时校验对已有报送的修改。"
        ),
        request=MonthlyReportSerializer,
        responses={200: CheckResultSerializer, **REFUSED},
    )
    @action(detail=False, methods=["post"])
    def check(self, request):
        if not can(request.user, MonthlyReport, ADD):
            raise exceptions.NotFound()
        data = plain_body(request.data)
        report = MonthlyReport()
        if "id" in data:
            if not _is_int(data["id"]):
                raise exceptions.ValidationError({"id": [_("对象不存在或超出您的管辖范围。")]})
            report = self._report(data["id"], CHANGE)
        form = self._form(data, report, partial=report.pk is not None)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        errors, warnings, derived = dry_run(report, form, request.user)
        return Response(
            CheckResultSerializer(
                {
                    "errors": [{"field": str(label), "message": str(message)} for label, message in errors],
                    "warnings": [{"code": code, "message": str(message)} for code, message in warnings],
                    "derived": derived,
                }
            ).data
        )

    @extend_schema(
        summary="我的待报项目",
        description="报送期内应报而尚未报送的项目（调用者管辖范围内），及其草稿或退回的报送。",
        parameters=[OpenApiParameter("period", OpenApiTypes.STR, description="年-月，例如 2022-06（默认上月）")],
        responses={200: DueRowSerializer(many=True), 400: ERROR, 404: ERROR},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def due(self, request):
        user = request.user
        if not can(user, MonthlyReport, ADD):
            raise exceptions.NotFound()
        text = request.query_params.get("period", "")
        parsed = parse_period(text) if text else last_month(timezone.localdate())
        if parsed is None:
            raise exceptions.ValidationError({"period": [_("报送期应写成“年-月”，例如 2022-06。")]})
        year, month = parsed
        period = services.get_period(year, month, create=False)
        scoped = Project.objects.restrict(user, VIEW)
        reports = {}
        if period is not None:
            missing = deadlines.missing(period, scoped)
            reports = {
                r.project_id: r
                for r in MonthlyReport.objects.restrict(user, VIEW).filter(
                    period=period, project__in=missing.values("pk")
                )
            }
            projects = Project.objects.filter(pk__in=missing.values("pk"))
        else:
            projects = deadlines.due_projects(ReportingPeriod(year=year, month=month)).filter(
                pk__in=scoped.values("pk")
            )
        rows = []
        for project in projects.select_related("region", "unit").order_by("region__sort_order", "name"):
            report = reports.get(project.pk)
            rows.append(
                {
                    "project": project.pk,
                    "code": project.code,
                    "name": project.name,
                    "region_name": project.region.name,
                    "period": f"{year}-{month:02d}",
                    "report": report.pk if report else None,
                    "report_status": report.status if report else None,
                }
            )
        return Response(DueRowSerializer(rows, many=True).data)

    @extend_schema(summary="校验规则", responses={200: RuleSerializer(many=True)})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def rules(self, request):
        return Response(
            RuleSerializer(
                [
                    {"code": r.code, "level": r.level, "title": str(r.title), "description": str(r.description)}
                    for r in rules.RULES
                ],
                many=True,
            ).data
        )

    # -- many at once ----------------------------------------------------------------------------

    def _existing(self, items) -> dict:
        """The reports the items name, changeable by the caller: by id and by (project id, "YYYY-MM")."""
        queryset = MonthlyReport.objects.restrict(self.request.user, CHANGE).select_related("period")
        dicts = [item for item in items if isinstance(item, dict)]
        ids = {item["id"] for item in dicts if _is_int(item.get("id"))}
        projects = {item["project"] for item in dicts if "id" not in item and _is_int(item.get("project"))}
        found = {("id", r.pk): r for r in queryset.filter(pk__in=ids)}
        for report in queryset.filter(project__in=projects):
            found[("key", report.project_id, report.period.label)] = report
        return found

    def _bulk_instance(self, item, existing) -> MonthlyReport:
        if not isinstance(item, dict):
            raise exceptions.ValidationError({"non_field_errors": [_("每一项应为 JSON 对象。")]})
        if "id" in item:
            if _is_int(item["id"]) and ("id", item["id"]) in existing:
                return existing[("id", item["id"])]
            raise exceptions.ValidationError({"id": [_("对象不存在或超出您的管辖范围。")]})
        project, period = item.get("project"), item.get("period")
        if _is_int(project) and isinstance(period, str) and ("key", project, period.strip()) in existing:
            return existing[("key", project, period.strip())]
        if not can(self.request.user, MonthlyReport, ADD):
            raise exceptions.ValidationError({"non_field_errors": [_("您的角色无权新增月度报送。")]})
        return MonthlyReport()

    @extend_schema(
        summary="批量填报",
        description=(
            "items 中每一项同新增报送的请求体：带 id，或项目与报送期已有报送的，修改该报送；其余新增。每个项目一项。"
            "全部通过校验（含校验规则）才保存，否则一项也不保存，并按序号返回每一项的错误。"
        ),
        request=ReportBulkRequest,
        responses={200: ReportBulkResult, 400: OpenApiResponse(ERROR, description="errors 为 {序号: {字段: [错误]}}")},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        body = plain_body(request.data)
        unknown = sorted(set(body) - {"items", "submit"})
        if unknown:
            raise exceptions.ValidationError({name: [_("未知字段。")] for name in unknown})
        items, submit = body.get("items"), body.get("submit", False)
        if not isinstance(submit, bool):
            raise exceptions.ValidationError({"submit": [_("应为 true 或 false。")]})
        forms_, errors = self.bulk_forms(items)
        projects = set()
        for index, form in list(forms_.items()):
            if form.instance.project_id in projects:
                errors[str(index)] = {"project": [_("同一项目在一次批量中只能有一项。")]}
                del forms_[index]
            projects.add(form.instance.project_id)
        if errors:
            raise exceptions.ValidationError(errors)
        positions = list(forms_)
        reports = [forms_[i].instance for i in positions]
        created = sum(report.pk is None for report in reports)
        try:
            with transaction.atomic():
                for i in positions:
                    if forms_[i].instance.pk is None:
                        forms_[i].instance.period = services.get_period(*forms_[i].cleaned_data["period"])
                warnings = services.save_reports(reports, acting_user=request.user, reason=_("接口批量写入"))
                if submit:
                    self._submit_all(forms_, positions)
        except BatchError as failure:
            raise exceptions.ValidationError(
                {str(positions[n]): _item_error(error) for n, error in failure.errors.items()}
            ) from failure
        return Response(
            {
                "created": created,
                "updated": len(reports) - created,
                "ids": [report.pk for report in reports],
                "warnings": {str(positions[n]): _finding_rows(found) for n, found in enumerate(warnings) if found},
            }
        )

    def _submit_all(self, forms_, positions):
        """submit_reports for the saved reports, grouped by their warning note (one note per call)."""
        by_note = {}
        for n, i in enumerate(positions):
            by_note.setdefault(forms_[i].cleaned_data.get("warning_note", ""), []).append(n)
        errors = {}
        for note, members in by_note.items():
            try:
                services.submit_reports(
                    [forms_[positions[n]].instance for n in members], acting_user=self.request.user, warning_note=note
                )
            except BatchError as failure:
                errors.update({members[k]: error for k, error in failure.errors.items()})
        if errors:
            raise BatchError(errors)


class ReportAttachmentViewSet(ResourceViewSet):
    """报送附件：read and deleted here (uploaded through a report's `attachments`); `download` returns the bytes."""

    model, form_class = ReportAttachment, AttachmentForm
    serializer_class = ReportAttachmentSerializer
    http_method_names = ["get", "delete", "head", "options"]
    bulk = None

    def get_queryset(self):
        return super().get_queryset().without_content().select_related("report")

    def delete_service(self, attachment, *, acting_user, reason=""):
        services.delete_attachment(attachment, acting_user=acting_user)

    @extend_schema(
        summary="下载附件",
        responses={(200, content_type): OpenApiTypes.BINARY for content_type in sorted(SERVED_TYPES)} | {404: ERROR},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request, pk=None):
        return file_response(
            get_object_or_404(ReportAttachment.objects.restrict(request.user, VIEW), pk=pk), SERVED_TYPES
        )


ROUTES = [
    ("reporting-periods", ReportingPeriodViewSet),
    ("reports", MonthlyReportViewSet),
    ("report-attachments", ReportAttachmentViewSet),
]
