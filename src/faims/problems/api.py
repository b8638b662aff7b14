"""Problems, visits and meetings through the API: the pages' forms, services and scope.

Problems are raised (POST /problems/) and then moved along by actions, one per step of the page (assign, answer,
confirm, reject, remind, supervise, attachments); each validates its body with the step's form and calls the step's
service, whose refusals (400) name the steps that are possible. A problem outside the caller's scope, or one the
caller may not act on, is 404. Visits are recorded with their problems and photos as on the phone form; meetings
with their decisions; escalation levels are read by everyone and edited by the city admin.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from faims.alerts.models import ProjectWarning
from faims.api.bodies import ERROR, REFUSED, FormActionsMixin, bound_form, file_response, form_fields, plain_body
from faims.api.resources import ResourceViewSet, model_serializer
from faims.core.permissions import ADD, CHANGE, VIEW, can
from faims.dashboard.views import latest_period
from faims.org.models import Person
from faims.projects.models import Project
from faims.reporting.models import MonthlyReport

from . import services
from .choices import ActionKind, MeetingKind, ProblemCategory, Rating, Source, VisitKind
from .filtersets import EscalationLevelFilterSet, MeetingFilterSet, ProblemFilterSet, VisitFilterSet
from .forms import (
    AnswerForm,
    AssignForm,
    AttachmentForm,
    CompleteDecisionForm,
    ConfirmForm,
    DecisionForm,
    EscalationLevelForm,
    MeetingForm,
    NoticeForm,
    RaiseForm,
    RejectForm,
    VisitForm,
)
from .models import (
    EscalationLevel,
    Meeting,
    MeetingDecision,
    Problem,
    ProblemAction,
    ProblemAttachment,
    Visit,
    VisitPhoto,
)
from .views import INLINE_IMAGES, SERVED_TYPES

FILE_TYPES = sorted(SERVED_TYPES | {"application/octet-stream"})


def _renamed(exc: ValidationError, old: str, new: str) -> ValidationError:
    """The service's error on `old` (a file's `content`) reported on the body's field `new`."""
    if hasattr(exc, "error_dict") and old in exc.error_dict:
        return ValidationError({(new if key == old else key): value for key, value in exc.error_dict.items()})
    return exc


def _download_schema(summary):
    return extend_schema(
        summary=summary,
        responses={(200, content_type): OpenApiTypes.BINARY for content_type in FILE_TYPES} | {404: ERROR},
    )


# -- serializers -------------------------------------------------------------------------------

PROBLEM_FIELDS = [
    "project",
    "source",
    "report",
    "visit",
    "meeting",
    "category",
    "title",
    "description",
    "raised_by",
    "raised_at",
    "status",
    "lead_department",
    "co_departments",
    "deadline",
    "assigned_at",
    "first_answered_at",
    "closed_at",
    "rating",
    "escalation_level",
    "escalated_at",
]
ProblemSerializer = model_serializer(
    Problem,
    [],
    read_only=PROBLEM_FIELDS,
    # Blank until the problem is confirmed.
    extra={"rating": serializers.ChoiceField(choices=Rating.choices, allow_blank=True, read_only=True)},
)


class ProblemDetailSerializer(ProblemSerializer):
    allowed_actions = serializers.SerializerMethodField(help_text="调用者当前可执行的操作。")

    class Meta(ProblemSerializer.Meta):
        fields = [*ProblemSerializer.Meta.fields, "allowed_actions"]
        read_only_fields = [*PROBLEM_FIELDS, "allowed_actions"]

    def get_allowed_actions(self, problem) -> list[str]:
        return services.allowed_actions(problem, self.context["request"].user)


class ProblemRaiseRequest(serializers.Serializer):
    project = serializers.IntegerField()
    source = serializers.ChoiceField(choices=[c for c in Source.choices if c[0] != Source.REPORT], required=False)
    category = serializers.ChoiceField(choices=ProblemCategory.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    report = serializers.IntegerField(required=False, help_text="来源月报（可选）")
    visit = serializers.IntegerField(required=False, help_text="来源走访（可选，项目须为该走访的项目）")
    meeting = serializers.IntegerField(required=False, help_text="来源会议（可选）")
    file = serializers.FileField(required=False, help_text="附件（multipart 时可选）：照片或 PDF")


class ProblemAssignRequest(serializers.Serializer):
    lead_department = serializers.IntegerField()
    co_departments = serializers.ListField(child=serializers.IntegerField(), required=False)
    deadline = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True)


class ProblemNoteRequest(serializers.Serializer):
    note = serializers.CharField()


class ProblemOptionalNoteRequest(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class ProblemConfirmRequest(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    note = serializers.CharField(required=False, allow_blank=True)


class ProblemFileUpload(serializers.Serializer):
    file = serializers.FileField(help_text="照片（JPG、PNG、GIF、WebP）或 PDF 文件")


class VisitPhotoUpload(serializers.Serializer):
    photos = serializers.ListField(child=serializers.FileField(), help_text="一张或多张照片（JPG、PNG、GIF、WebP）")


class ProblemActionSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ProblemAction
        fields = ["id", "problem", "kind", "actor", "actor_name", "at", "note", "data"]
        read_only_fields = fields

    def get_actor_name(self, action) -> str:
        return action.actor.display_name if action.actor else _("系统")


ATTACHMENT_FIELDS = ["name", "content_type", "size", "uploaded_at", "uploaded_by"]
ProblemAttachmentSerializer = model_serializer(ProblemAttachment, [], read_only=["problem", *ATTACHMENT_FIELDS])
VisitPhotoSerializer = model_serializer(VisitPhoto, [], read_only=["visit", *ATTACHMENT_FIELDS])
WarningSerializer = model_serializer(
    ProjectWarning, [], read_only=["project", "rule", "level", "year", "month", "message", "raised_at"]
)


# -- problems ----------------------------------------------------------------------------------


def _take(step):
    """The documentation of one step of the flow."""
    request = {
        ActionKind.ASSIGN: ProblemAssignRequest,
        ActionKind.ANSWER: ProblemNoteRequest,
        ActionKind.CONFIRM: ProblemConfirmRequest,
        ActionKind.REJECT: ProblemNoteRequest,
        ActionKind.REMIND: ProblemOptionalNoteRequest,
        ActionKind.SUPERVISE: ProblemOptionalNoteRequest,
    }[step]
    return extend_schema(summary=str(step.label), request=request, responses={200: ProblemDetailSerializer, **REFUSED})


class ProblemViewSet(FormActionsMixin, ResourceViewSet):
    """问题清单：a problem is raised, then assigned (交办, again: 重新交办), answered (反馈), confirmed (确认销号) or
    rejected (退回重办), reminded (提醒) and supervised (督办). A department officer sees the problems assigned to
    its department. `allowed_actions` of a problem lists the steps the caller may take on it now."""

    model, form_class, filterset_class = Problem, RaiseForm, ProblemFilterSet
    serializer_class = ProblemSerializer
    http_method_names = ["get", "post", "head", "options"]
    prefetch_related = ("co_departments",)
    multipart_actions = ("create", "attachments")
    action_forms = {
        "assign": AssignForm,
        "answer": AnswerForm,
        "confirm": ConfirmForm,
        "reject": RejectForm,
        "remind": NoticeForm,
        "supervise": NoticeForm,
        "attachments": AttachmentForm,
    }
    bulk = None

    def get_serializer_class(self):
        return ProblemSerializer if self.action == "list" else ProblemDetailSerializer

    def _problem(self, pk, action_name=VIEW) -> Problem:
        return get_object_or_404(Problem.objects.restrict(self.request.user, action_name), pk=pk)

    def _detail(self, problem) -> Response:
        problem = Problem.objects.prefetch_related("co_departments").get(pk=problem.pk)
        return Response(ProblemDetailSerializer(problem, context=self.get_serializer_context()).data)

    def _origin(self, data, name, queryset):
        value = data.get(name)
        if value in (None, ""):
            return None
        found = queryset.restrict(self.request.user, VIEW).filter(pk=value).first() if str(value).isdigit() else None
        if found is None:
            raise exceptions.ValidationError({name: [_("对象不存在或超出您的管辖范围。")]})
        return found

    @extend_schema(
        summary="提出问题",
        description="可附来源（report 月报 / visit 走访 / meeting 会议）；multipart 时可同时上传一个附件 file。",
        request={"application/json": ProblemRaiseRequest, "multipart/form-data": ProblemRaiseRequest},
        responses={201: ProblemDetailSerializer, **REFUSED},
    )
    def create(self, request, *args, **kwargs):
        if not can(request.user, Problem, ADD):
            raise exceptions.PermissionDenied(_("您的角色不能提出问题。"))
        data = plain_body(request.data, request.FILES, RaiseForm)
        origins = {
            "report": self._origin(data, "report", MonthlyReport.objects),
            "visit": self._origin(data, "visit", Visit.objects),
            "meeting": self._origin(data, "meeting", Meeting.objects),
        }
        form = bound_form(RaiseForm, request, extra=tuple(origins), user=request.user, **origins)
        cleaned = form.cleaned_data
        try:
            with transaction.atomic():
                problem = services.raise_problem(
                    acting_user=request.user,
                    project=cleaned["project"],
                    category=cleaned["category"],
                    title=cleaned["title"],
                    description=cleaned["description"],
                    source=cleaned.get("source") or Source.DIRECT,
                    **origins,
                )
                if cleaned.get("file"):
                    upload = cleaned["file"]
                    services.add_attachment(
                        problem,
                        acting_user=request.user,
                        name=upload.name,
                        content=upload.read(),
                        content_type=upload.content_type or "",
                    )
        except ValidationError as exc:
            raise _renamed(exc, "content", "file") from exc
        response = self._detail(problem)
        response.status_code = status.HTTP_201_CREATED
        return response

    def _step(self, request, pk, form_class, take) -> Response:
        problem = self._problem(pk, CHANGE)
        form = bound_form(form_class, request)
        take(problem, form.cleaned_data)
        return self._detail(problem)

    @_take(ActionKind.ASSIGN)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """交办 a problem not yet assigned, or 重新交办 one assigned or answered (the same body)."""
        return self._step(
            request,
            pk,
            AssignForm,
            lambda problem, data: services.assign_problem(
                problem,
                acting_user=request.user,
                lead_department=data["lead_department"],
                co_departments=data["co_departments"],
                deadline=data["deadline"],
                note=data.get("note", ""),
            ),
        )

    @_take(ActionKind.ANSWER)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._step(
            request,
            pk,
            AnswerForm,
            lambda problem, data: services.answer_problem(problem, acting_user=request.user, note=data["note"]),
        )

    @_take(ActionKind.CONFIRM)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._step(
            request,
            pk,
            ConfirmForm,
            lambda problem, data: services.confirm_problem(
                problem, acting_user=request.user, rating=data["rating"], note=data.get("note", "")
            ),
        )

    @_take(ActionKind.REJECT)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(
            request,
            pk,
            RejectForm,
            lambda problem, data: services.reject_problem(problem, acting_user=request.user, reason=data["note"]),
        )

    @_take(ActionKind.REMIND)
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        return self._step(
            request,
            pk,
            NoticeForm,
            lambda problem, data: services.remind_problem(problem, acting_user=request.user, note=data["note"]),
        )

    @_take(ActionKind.SUPERVISE)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        return self._step(
            request,
            pk,
            NoticeForm,
            lambda problem, data: services.supervise_problem(problem, acting_user=request.user, note=data["note"]),
        )

    @extend_schema(summary="办理记录", responses={200: ProblemActionSerializer(many=True), 404: ERROR})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def timeline(self, request, pk=None):
        problem = self._problem(pk)
        actions = (
            ProblemAction.objects.restrict(request.user, VIEW)
            .filter(problem=problem)
            .select_related("actor")
            .order_by("at", "pk")
        )
        return Response(ProblemActionSerializer(actions, many=True).data)

    @extend_schema(
        methods=["GET"], summary="附件列表", responses={200: ProblemAttachmentSerializer(many=True), 404: ERROR}
    )
    @extend_schema(
        methods=["POST"],
        summary="上传附件",
        request={"multipart/form-data": ProblemFileUpload},
        responses={201: ProblemAttachmentSerializer, **REFUSED},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def attachments(self, request, pk=None):
        if request.method == "GET":
            problem = self._problem(pk)
            attachments = ProblemAttachment.objects.restrict(request.user, VIEW).filter(problem=problem)
            return Response(ProblemAttachmentSerializer(attachments.without_content(), many=True).data)
        problem = self._problem(pk, CHANGE)
        upload = bound_form(AttachmentForm, request).cleaned_data["file"]
        try:
            attachment = services.add_attachment(
                problem,
                acting_user=request.user,
                name=upload.name,
                content=upload.read(),
                content_type=upload.content_type or "",
            )
        except ValidationError as exc:
            raise _renamed(exc, "content", "file") from exc
        return Response(ProblemAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class ProblemAttachmentViewSet(FormActionsMixin, ResourceViewSet):
    """问题附件：read-only; `download` returns the file's bytes with its type."""

    model, form_class = ProblemAttachment, AttachmentForm
    serializer_class = ProblemAttachmentSerializer
    http_method_names = ["get", "head", "options"]
    bulk = None

    def get_queryset(self):
        return super().get_queryset().without_content()

    @_download_schema("下载附件")
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request, pk=None):
        attachment = get_object_or_404(ProblemAttachment.objects.restrict(request.user, VIEW), pk=pk)
        return file_response(attachment, SERVED_TYPES)


# -- escalation levels -------------------------------------------------------------------------


class EscalationLevelViewSet(FormActionsMixin, ResourceViewSet):
    """升级层级：the meetings an overdue problem rises to; every role reads them, the city admin edits them."""

    model, form_class, filterset_class = EscalationLevel, EscalationLevelForm, EscalationLevelFilterSet
    serializer_class = model_serializer(EscalationLevel, form_fields(EscalationLevelForm))
    # Nobody deletes a level (the ladder's meetings refer to it); the page offers no bulk edit.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    bulk = None

    @extend_schema(
        summary="会议议题：该层级未办结的升级问题", responses={200: ProblemSerializer(many=True), 404: ERROR}
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def agenda(self, request, pk=None):
        level = self.get_object()
        visible = Problem.objects.restrict(request.user, VIEW).values("pk")
        problems = services.problems_for_agenda(level.order).filter(pk__in=visible).prefetch_related("co_departments")
        return Response(ProblemSerializer(problems, many=True).data)


# -- visits ------------------------------------------------------------------------------------

VISIT_FIELDS = ["kind", "person", "date", "projects", "findings", "created_by", "created_at"]
VisitSerializer = model_serializer(Visit, [], read_only=VISIT_FIELDS)


class VisitDetailSerializer(VisitSerializer):
    problems = serializers.SerializerMethodField(help_text="走访中提出的问题（您可见的）。")
    photos = serializers.SerializerMethodField()

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "problems", "photos"]
        read_only_fields = [*VISIT_FIELDS, "problems", "photos"]

    def get_problems(self, visit) -> list[int]:
        user = self.context["request"].user
        return list(
            Problem.objects.restrict(user, VIEW).filter(visit=visit).order_by("pk").values_list("pk", flat=True)
        )

    @extend_schema_field(VisitPhotoSerializer(many=True))
    def get_photos(self, visit):
        photos = VisitPhoto.objects.restrict(self.context["request"].user, VIEW).filter(visit=visit)
        return VisitPhotoSerializer(photos.without_content(), many=True).data


class VisitRequest(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=VisitKind.choices, required=False, help_text="市领导、服务专员记录本人走访时不填"
    )
    person = serializers.IntegerField(required=False, help_text="市领导、服务专员记录本人走访时不填")
    date = serializers.DateField()
    projects = serializers.ListField(child=serializers.IntegerField())
    findings = serializers.CharField()
    photos = serializers.ListField(child=serializers.FileField(), required=False, help_text="multipart 时可选")
    problem_project = serializers.IntegerField(required=False)
    problem_category = serializers.ChoiceField(choices=ProblemCategory.choices, required=False)
    problem_title = serializers.CharField(required=False, max_length=200)
    problem_description = serializers.CharField(required=False)


class VisitComplianceRowSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    person_name = serializers.CharField()
    department = serializers.IntegerField(allow_null=True)
    projects = serializers.IntegerField()
    required = serializers.IntegerField()
    done = serializers.IntegerField()
    last_visit = serializers.DateField(allow_null=True)
    compliant = serializers.BooleanField()
    regions = serializers.ListField(child=serializers.IntegerField())


class VisitComplianceGroupSerializer(serializers.Serializer):
    label = serializers.CharField()
    people = serializers.IntegerField()
    compliant = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class VisitComplianceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    unit = serializers.ChoiceField(choices=["quarter", "month"])
    year = serializers.IntegerField()
    period = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    minimum = serializers.IntegerField()
    people = serializers.IntegerField()
    compliant = serializers.IntegerField()
    rows = VisitComplianceRowSerializer(many=True)
    by_region = VisitComplianceGroupSerializer(many=True)
    by_department = VisitComplianceGroupSerializer(many=True)


class VisitComplianceQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=VisitKind.choices, default=VisitKind.LEADER)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    period = serializers.IntegerField(
        min_value=1, max_value=12, required=False, help_text="季度（市领导）或月份（服务专员）"
    )


def _rate(value) -> float | None:
    return None if value is None else round(float(value), 4)


class LeaderBriefingQuery(serializers.Serializer):
    person = serializers.IntegerField(help_text="挂钩市领导（人员 id）")
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    month = serializers.IntegerField(min_value=1, max_value=12, required=False)


class LeaderBriefingRowSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.IntegerField()
    status = serializers.CharField()
    plan = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True, coerce_to_string=True)
    ytd = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True, coerce_to_string=True)


class LeaderBriefingSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    person_name = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    rows = LeaderBriefingRowSerializer(many=True)
    warnings = WarningSerializer(many=True)
    problems = ProblemSerializer(many=True)
    overdue = serializers.ListField(child=serializers.IntegerField(), help_text="逾期未办结问题的 id")
    agenda = serializers.ListField(child=serializers.CharField(), help_text="建议议题")
    last_visit = serializers.DateField(allow_null=True)


class VisitViewSet(FormActionsMixin, ResourceViewSet):
    """走访记录：a linked leader's or a service commissioner's visit, with the problems found on it (problem_*: one,
    as on the phone form; more through POST /problems/ with `visit`) and its photos (multipart)."""

    model, form_class, filterset_class = Visit, VisitForm, VisitFilterSet
    serializer_class = VisitSerializer
    http_method_names = ["get", "post", "head", "options"]
    prefetch_related = ("projects",)
    multipart_actions = ("create", "photos")
    action_forms = {"photos": VisitForm, "compliance": VisitForm}
    bulk = None

    def get_serializer_class(self):
        return VisitSerializer if self.action == "list" else VisitDetailSerializer

    @extend_schema(
        summary="记录走访",
        request={"application/json": VisitRequest, "multipart/form-data": VisitRequest},
        responses={201: VisitDetailSerializer, **REFUSED},
    )
    def create(self, request, *args, **kwargs):
        if not can(request.user, Visit, ADD):
            raise exceptions.PermissionDenied(_("您的角色不能记录走访。"))
        form = bound_form(VisitForm, request, user=request.user)
        data = form.cleaned_data
        try:
            visit = services.record_visit(
                acting_user=request.user,
                date=data["date"],
                projects=list(data["projects"]),
                findings=data["findings"],
                person=data.get("person"),
                kind=data.get("kind"),
                problems=form.problems(),
                photos=[(upload.name, upload.read()) for upload in data["photos"]],
            )
        except ValidationError as exc:
            raise _renamed(exc, "content", "photos") from exc
        visit = Visit.objects.prefetch_related("projects").get(pk=visit.pk)
        return Response(self.get_serializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="走访照片", responses={200: VisitPhotoSerializer(many=True), 404: ERROR})
    @extend_schema(
        methods=["POST"],
        summary="补充走访照片",
        request={"multipart/form-data": VisitPhotoUpload},
        responses={201: VisitPhotoSerializer(many=True), **REFUSED},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def photos(self, request, pk=None):
        if request.method == "GET":
            visit = get_object_or_404(Visit.objects.restrict(request.user, VIEW), pk=pk)
            photos = VisitPhoto.objects.restrict(request.user, VIEW).filter(visit=visit).without_content()
            return Response(VisitPhotoSerializer(photos, many=True).data)
        visit = get_object_or_404(Visit.objects.restrict(request.user, CHANGE), pk=pk)
        data = plain_body(request.data, request.FILES)
        if data:
            raise exceptions.ValidationError({name: [_("未知字段。")] for name in sorted(data)})
        uploads = request.FILES.getlist("photos")
        if not uploads:
            raise exceptions.ValidationError({"photos": [_("请选择至少一张照片。")]})
        try:
            with transaction.atomic():
                added = [
                    services.add_visit_photo(visit, acting_user=request.user, name=upload.name, content=upload.read())
                    for upload in uploads
                ]
        except ValidationError as exc:
            raise _renamed(exc, "content", "photos") from exc
        return Response(VisitPhotoSerializer(added, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="走访履职情况",
        description="市领导按季度、服务专员按月：应走访次数、已走访次数、是否达标，并按地区、部门汇总。",
        parameters=[VisitComplianceQuery],
        responses={200: VisitComplianceSerializer, 400: ERROR},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def compliance(self, request):
        query = VisitComplianceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        kind = query.validated_data["kind"]
        duty = services.VISIT_DUTY[VisitKind(kind)]
        last = Visit.objects.restrict(request.user, VIEW).order_by("-date").values_list("date", flat=True).first()
        ref = last or timezone.localdate()
        year = query.validated_data.get("year", ref.year)
        quarterly = duty["unit"] == "quarter"
        period = query.validated_data.get("period", (ref.month - 1) // 3 + 1 if quarterly else ref.month)
        if quarterly and period > 4:
            raise exceptions.ValidationError({"period": [_("市领导走访按季度统计，period 应为 1–4。")]})
        rows = services.visit_compliance(kind, year, period, user=request.user)
        start, end = services.period_dates(duty["unit"], year, period)
        groups = {
            by: [
                {"label": g.label, "people": g.people, "compliant": g.compliant, "rate": _rate(g.rate)}
                for g in services.compliance_by(rows, by)
            ]
            for by in ("region", "department")
        }
        return Response(
            {
                "kind": kind,
                "unit": duty["unit"],
                "year": year,
                "period": period,
                "start": start,
                "end": end,
                "minimum": duty["minimum"],
                "people": len(rows),
                "compliant": sum(1 for row in rows if row.compliant),
                "rows": [
                    {
                        "person": row.person.pk,
                        "person_name": row.person.name,
                        "department": row.person.department_id,
                        "projects": row.projects,
                        "required": row.required,
                        "done": row.done,
                        "last_visit": row.last_visit,
                        "compliant": row.compliant,
                        "regions": row.regions,
                    }
                    for row in rows
                ],
                "by_region": groups["region"],
                "by_department": groups["department"],
            }
        )

    def initial(self, request, *args, **kwargs):
        if self.action == "briefing":
            # Whoever sees one of the leader's projects reads its briefing, as on the page, visits or not.
            return super(ResourceViewSet, self).initial(request, *args, **kwargs)
        return super().initial(request, *args, **kwargs)

    @extend_schema(
        summary="挂钩市领导走访工作资料",
        description="市领导的项目（本年截至该月的计划与完成投资）、当前预警、未办结问题与建议议题。",
        parameters=[LeaderBriefingQuery],
        responses={200: LeaderBriefingSerializer, 400: ERROR, 404: ERROR},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def briefing(self, request):
        query = LeaderBriefingQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        person = get_object_or_404(Person.objects.filter(is_leader=True), pk=query.validated_data["person"])
        if not Project.objects.restrict(request.user, VIEW).filter(leader=person).exists():
            raise exceptions.NotFound()
        latest = latest_period() or (timezone.localdate().year, timezone.localdate().month)
        year = query.validated_data.get("year", latest[0])
        month = query.validated_data.get("month", latest[1])
        pack = services.leader_briefing(person, request.user, year, month)
        rows = [
            {
                "project": row["project"].pk,
                "name": row["project"].name,
                "region": row["project"].region_id,
                "status": row["project"].status,
                "plan": row["plan"],
                "ytd": row["ytd"],
            }
            for row in pack["rows"]
        ]
        body = {
            "person": person.pk,
            "person_name": person.name,
            "year": year,
            "month": month,
            "rows": rows,
            "warnings": pack["warnings"],
            "problems": pack["problems"].prefetch_related("co_departments"),
            "overdue": [problem.pk for problem in pack["overdue"]],
            "agenda": pack["agenda"],
            "last_visit": pack["last_visit"].date if pack["last_visit"] else None,
        }
        return Response(LeaderBriefingSerializer(body).data)


class VisitPhotoViewSet(FormActionsMixin, ResourceViewSet):
    """走访照片：read-only; `download` returns the photo's bytes."""

    model, form_class = VisitPhoto, AttachmentForm
    serializer_class = VisitPhotoSerializer
    http_method_names = ["get", "head", "options"]
    bulk = None

    def get_queryset(self):
        return super().get_queryset().without_content()

    @_download_schema("下载走访照片")
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request, pk=None):
        photo = get_object_or_404(VisitPhoto.objects.restrict(request.user, VIEW), pk=pk)
        return file_response(photo, INLINE_IMAGES)


# -- meetings ----------------------------------------------------------------------------------

MEETING_FIELDS = ["kind", "date", "title", "chair", "attendees", "level", "minutes", "created_by"]
MeetingSerializer = model_serializer(Meeting, [], read_only=MEETING_FIELDS)
DECISION_FIELDS = ["meeting", "text", "owner_department", "deadline", "status", "done_at", "note"]
DecisionSerializer = model_serializer(MeetingDecision, [], read_only=DECISION_FIELDS)


class MeetingAgendaSerializer(serializers.Serializer):
    problems = ProblemSerializer(many=True)
    warnings = WarningSerializer(many=True)


class MeetingRequest(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    date = serializers.DateField()
    title = serializers.CharField(max_length=200)
    chair = serializers.IntegerField()
    attendees = serializers.CharField(required=False, allow_blank=True)
    level = serializers.IntegerField(required=False, allow_null=True)
    minutes = serializers.CharField(required=False, allow_blank=True)


class MeetingDecisionRequest(serializers.Serializer):
    text = serializers.CharField()
    owner_department = serializers.IntegerField()
    deadline = serializers.DateField()


class MeetingViewSet(FormActionsMixin, ResourceViewSet):
    """会议：推进会、调度会、专题协调会、现场办公, recorded by the city admin, with their decisions (议定事项) and
    agenda (the open problems escalated to the meeting's level, then the red-flag projects)."""

    model, form_class, filterset_class = Meeting, MeetingForm, MeetingFilterSet
    serializer_class = MeetingSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_forms = {"decisions": DecisionForm}
    bulk = None

    @extend_schema(summary="记录会议", request=MeetingRequest, responses={201: MeetingSerializer, **REFUSED})
    def create(self, request, *args, **kwargs):
        if not can(request.user, Meeting, ADD):
            raise exceptions.PermissionDenied(_("您的角色不能记录会议。"))
        form = bound_form(MeetingForm, request)
        meeting = services.record_meeting(acting_user=request.user, **form.cleaned_data)
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="议定事项", responses={200: DecisionSerializer(many=True), 404: ERROR})
    @extend_schema(
        methods=["POST"],
        summary="添加议定事项",
        request=MeetingDecisionRequest,
        responses={201: DecisionSerializer, **REFUSED},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def decisions(self, request, pk=None):
        if request.method == "GET":
            meeting = get_object_or_404(Meeting.objects.restrict(request.user, VIEW), pk=pk)
            decisions = MeetingDecision.objects.restrict(request.user, VIEW).filter(meeting=meeting)
            return Response(DecisionSerializer(decisions, many=True).data)
        meeting = get_object_or_404(Meeting.objects.restrict(request.user, CHANGE), pk=pk)
        form = bound_form(DecisionForm, request)
        decision = services.add_decision(meeting, acting_user=request.user, **form.cleaned_data)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="会议议题", responses={200: MeetingAgendaSerializer, 404: ERROR})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def agenda(self, request, pk=None):
        meeting = get_object_or_404(Meeting.objects.restrict(request.user, VIEW), pk=pk)
        agenda = services.meeting_agenda(meeting, request.user)
        return Response(
            {
                "problems": ProblemSerializer(agenda["problems"].prefetch_related("co_departments"), many=True).data,
                "warnings": WarningSerializer(agenda["warnings"], many=True).data,
            }
        )


class MeetingDecisionViewSet(FormActionsMixin, ResourceViewSet):
    """会议议定事项：read by the meeting's readers (a department officer: its own department's); `complete` is
    taken by an officer of the owner department or the city admin."""

    model, form_class = MeetingDecision, DecisionForm
    serializer_class = DecisionSerializer
    # Decisions are added on their meeting (POST /meetings/{id}/decisions/); here they are read and completed.
    http_method_names = ["get", "head", "options"]
    action_forms = {"complete": CompleteDecisionForm}
    bulk = None

    @extend_schema(
        summary="议定事项办结",
        request=ProblemOptionalNoteRequest,
        responses={200: DecisionSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"], http_method_names=["post", "options"])
    def complete(self, request, pk=None):
        decision = get_object_or_404(MeetingDecision.objects.restrict(request.user, "complete"), pk=pk)
        form = bound_form(CompleteDecisionForm, request)
        services.complete_decision(decision, acting_user=request.user, note=form.cleaned_data["note"])
        return Response(DecisionSerializer(MeetingDecision.objects.get(pk=decision.pk)).data)


ROUTES = [
    ("problems", ProblemViewSet),
    ("problem-attachments", ProblemAttachmentViewSet),
    ("escalation-levels", EscalationLevelViewSet),
    ("visits", VisitViewSet),
    ("visit-photos", VisitPhotoViewSet),
    ("meetings", MeetingViewSet),
    ("meeting-decisions", MeetingDecisionViewSet),
]
