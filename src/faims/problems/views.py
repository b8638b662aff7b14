"""Pages of the problem list: the list, a problem with its timeline and the forms of its next steps,
raising a problem, the attachments, the escalation levels."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View

from faims.core.audit import history_for
from faims.core.permissions import ADD, CHANGE, VIEW, can
from faims.core.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView, _add_errors
from faims.dashboard.views import latest_period
from faims.org.models import Person
from faims.projects.models import Project
from faims.reporting.models import MonthlyReport

from . import services
from .choices import ActionKind, DecisionStatus, VisitKind
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
from .tables import EscalationLevelTable, MeetingTable, ProblemTable, VisitTable

INLINE_IMAGES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
SERVED_TYPES = INLINE_IMAGES | {"application/pdf"}
# step → (form class, submit label, button style)
STEP_FORMS = {
    ActionKind.ASSIGN: (AssignForm, _("交办"), "btn-primary"),
    ActionKind.REASSIGN: (AssignForm, _("重新交办"), "btn-outline-primary"),
    ActionKind.ANSWER: (AnswerForm, _("提交反馈"), "btn-primary"),
    ActionKind.CONFIRM: (ConfirmForm, _("确认销号"), "btn-success"),
    ActionKind.REJECT: (RejectForm, _("退回重办"), "btn-outline-danger"),
    ActionKind.REMIND: (NoticeForm, _("发送提醒"), "btn-outline-warning"),
    ActionKind.SUPERVISE: (NoticeForm, _("发出督办"), "btn-warning"),
    ActionKind.ATTACH: (AttachmentForm, _("上传"), "btn-outline-secondary"),
}


def problem_queryset(user, action=VIEW):
    return Problem.objects.restrict(user, action).select_related(
        "project", "project__region", "lead_department", "raised_by", "report", "report__period"
    )


class ProblemListView(ObjectListView):
    model, filterset_class, table_class = Problem, ProblemFilterSet, ProblemTable
    template_name = "problems/problem_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "project__region", "lead_department")


def _initial(problem, step):
    if step in (ActionKind.ASSIGN, ActionKind.REASSIGN) and problem.lead_department_id:
        return {
            "lead_department": problem.lead_department_id,
            "deadline": problem.deadline,
            "co_departments": list(problem.co_departments.values_list("pk", flat=True)),
        }
    if step == ActionKind.ASSIGN:
        # The project's responsible department is the usual lead department.
        first = problem.project.departments.order_by("pk").first()
        return {"lead_department": first.pk} if first else {}
    return {}


def render_problem(request, problem, *, bound=None, status=200):
    """The problem page; `bound` is (step, form) of a POST that failed, shown with its errors."""
    user = request.user
    steps = services.allowed_actions(problem, user)
    forms = []
    for step in steps:
        form_class, label, style = STEP_FORMS[ActionKind(step)]
        if bound is not None and bound[0] == step:
            form = bound[1]
        else:
            form = form_class(initial=_initial(problem, step), prefix=step)
        forms.append(
            {
                "step": step,
                "label": label,
                "style": style,
                "form": form,
                "title": ActionKind(step).label,
                "open": bound is not None and bound[0] == step,
                "url": reverse("problems:problem_act", args=[problem.pk, step]),
            }
        )
    # A refused step the user is not offered (an answer after closure): its errors go above the page.
    refused = []
    if bound is not None and bound[0] not in steps:
        refused = [str(m) for errors in bound[1].errors.values() for m in errors]
    actions = (
        ProblemAction.objects.restrict(user, VIEW).filter(problem=problem).select_related("actor").order_by("at", "pk")
    )
    attachments = (
        ProblemAttachment.objects.restrict(user, VIEW)
        .filter(problem=problem)
        .without_content()
        .select_related("uploaded_by")
    )
    level = EscalationLevel.objects.filter(order=problem.escalation_level).first() if problem.escalation_level else None
    return render(
        request,
        "problems/problem.html",
        {
            "object": problem,
            "title": problem.title,
            "step_forms": forms,
            "refused": refused,
            "steps_text": services.steps_text(problem, user),
            "actions": actions,
            "level": level,
            "attachments": [(a, a.content_type in INLINE_IMAGES) for a in attachments],
            "co_departments": problem.co_departments.all(),
            "overdue": problem.is_overdue(timezone.localdate()),
            "history": history_for(problem)[:200],
        },
        status=status,
    )


class ProblemView(View):
    def get(self, request, pk):
        return render_problem(request, get_object_or_404(problem_queryset(request.user), pk=pk))


class ProblemActView(View):
    """POST one step of the flow; the service decides, a refusal re-renders the page with the reason."""

    def post(self, request, pk, step):
        problem = get_object_or_404(problem_queryset(request.user), pk=pk)
        try:
            step = ActionKind(step)
            form_class = STEP_FORMS[step][0]
        except (ValueError, KeyError) as exc:
            raise Http404 from exc
        form = form_class(request.POST, request.FILES, prefix=step)
        if form.is_valid():
            try:
                self.take(step, problem, form.cleaned_data, request.user)
            except ValidationError as exc:
                _add_errors(form, exc)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(request, _("已%(step)s：%(obj)s") % {"step": step.label, "obj": problem.title})
                return redirect(problem.get_absolute_url())
        problem = get_object_or_404(problem_queryset(request.user), pk=pk)
        return render_problem(request, problem, bound=(step.value, form), status=400)

    def take(self, step, problem, data, user):
        note = data.get("note", "")
        if step in (ActionKind.ASSIGN, ActionKind.REASSIGN):
            services.assign_problem(
                problem,
                acting_user=user,
                lead_department=data["lead_department"],
                co_departments=data["co_departments"],
                deadline=data["deadline"],
                note=note,
            )
        elif step == ActionKind.ANSWER:
            services.answer_problem(problem, acting_user=user, note=note)
        elif step == ActionKind.CONFIRM:
            services.confirm_problem(problem, acting_user=user, rating=data["rating"], note=note)
        elif step == ActionKind.REJECT:
            services.reject_problem(problem, acting_user=user, reason=note)
        elif step == ActionKind.REMIND:
            services.remind_problem(problem, acting_user=user, note=note)
        elif step == ActionKind.SUPERVISE:
            services.supervise_problem(problem, acting_user=user, note=note)
        else:
            upload = data["file"]
            services.add_attachment(
                problem,
                acting_user=user,
                name=upload.name,
                content=upload.read(),
                content_type=upload.content_type or "",
            )


class ProblemRaiseView(View):
    """Raise a problem: from the list, from a project's page (?project=), a monthly report's (?report=),
    a visit's (?visit=, on one of its projects) or a meeting's (?meeting=)."""

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, Problem, ADD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _origin(self, name, queryset):
        pk = self.request.GET.get(name) or self.request.POST.get(name)
        if pk and str(pk).isdigit():
            return get_object_or_404(queryset.restrict(self.request.user, VIEW), pk=pk)
        return None

    def get_origins(self) -> dict:
        return {
            "report": self._origin("report", MonthlyReport.objects.select_related("project", "period")),
            "visit": self._origin("visit", Visit.objects.select_related("person")),
            "meeting": self._origin("meeting", Meeting.objects.all()),
        }

    def render_form(self, form, origins):
        origin = next((o for o in origins.values() if o is not None), None)
        return render(
            self.request,
            "problems/raise.html",
            {
                "form": form,
                "report": origins["report"],
                "origin": origin,
                "origins": {name: o for name, o in origins.items() if o is not None},
                "title": _("提出问题"),
                "cancel_url": origin.get_absolute_url() if origin else reverse("problems:problem_list"),
            },
        )

    def get(self, request):
        origins = self.get_origins()
        report = origins["report"]
        initial = {}
        if report is None and request.GET.get("project", "").isdigit():
            initial["project"] = int(request.GET["project"])
        if report is not None and report.problems_text:
            initial["description"] = report.problems_text
        return self.render_form(RaiseForm(initial=initial, user=request.user, **origins), origins)

    def post(self, request):
        origins = self.get_origins()
        form = RaiseForm(request.POST, request.FILES, user=request.user, **origins)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    problem = services.raise_problem(
                        acting_user=request.user,
                        project=data["project"],
                        category=data["category"],
                        title=data["title"],
                        description=data["description"],
                        source=data.get("source") or "direct",
                        **origins,
                    )
                    if data.get("file"):
                        upload = data["file"]
                        services.add_attachment(
                            problem,
                            acting_user=request.user,
                            name=upload.name,
                            content=upload.read(),
                            content_type=upload.content_type or "",
                        )
            except ValidationError as exc:
                if "content" in getattr(exc, "error_dict", {}):
                    form.add_error("file", exc.error_dict["content"])
                else:
                    _add_errors(form, exc)
            except PermissionDenied:
                form.add_error(None, _("您无权对该项目提出问题。"))
            else:
                messages.success(request, _("已提出问题：%(obj)s") % {"obj": problem.title})
                return redirect(problem.get_absolute_url())
        return self.render_form(form, origins)


class AttachmentView(View):
    """The file itself, to whoever may see its problem; images and PDF inline."""

    def get(self, request, pk):
        attachment = get_object_or_404(ProblemAttachment.objects.restrict(request.user, VIEW), pk=pk)
        inline = attachment.content_type in SERVED_TYPES and "download" not in request.GET
        response = HttpResponse(
            bytes(attachment.content),
            content_type=attachment.content_type
            if attachment.content_type in SERVED_TYPES
            else "application/octet-stream",
        )
        response["Content-Disposition"] = content_disposition_header(not inline, attachment.name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
        return response


class AgendaView(View):
    """The open problems at one escalation level: the agenda of that level's next meeting."""

    def get(self, request, order):
        if not can(request.user, Problem, VIEW):
            raise Http404
        level = get_object_or_404(EscalationLevel, order=order)
        visible = Problem.objects.restrict(request.user, VIEW).values("pk")
        problems = services.problems_for_agenda(order).filter(pk__in=visible)
        return render(
            request,
            "problems/agenda.html",
            {
                "title": _("会议议题：%(level)s") % {"level": level.name},
                "level": level,
                "problems": problems,
                "today": timezone.localdate(),
            },
        )


# Escalation levels -----------------------------------------------------------------------------


class EscalationLevelListView(ObjectListView):
    model, filterset_class, table_class = EscalationLevel, EscalationLevelFilterSet, EscalationLevelTable


class EscalationLevelView(ObjectView):
    model = EscalationLevel
    template_name = "problems/escalationlevel.html"

    def get_extra_context(self, obj):
        visible = Problem.objects.restrict(self.request.user, VIEW).values("pk")
        return {"open_count": services.problems_for_agenda(obj.order).filter(pk__in=visible).count()}


class EscalationLevelEditView(ObjectEditView):
    model, form_class = EscalationLevel, EscalationLevelForm


class EscalationLevelDeleteView(ObjectDeleteView):
    model = EscalationLevel


# Visits ----------------------------------------------------------------------------------------


def visit_queryset(user, action=VIEW):
    return Visit.objects.restrict(user, action).select_related("person", "created_by")


class VisitListView(ObjectListView):
    model, filterset_class, table_class = Visit, VisitFilterSet, VisitTable

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person")
            .prefetch_related("projects")
            .annotate(problem_count=Count("problems"))
        )


class VisitAddView(View):
    """Record a visit on site, from a phone: one column, the problem found on the same form."""

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, Visit, ADD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form):
        return render(self.request, "problems/visit_form.html", {"form": form, "title": _("记录走访")})

    def get(self, request):
        initial = {"date": timezone.localdate()}
        if request.GET.get("project", "").isdigit():
            initial["projects"] = [int(request.GET["project"])]
        return self.render_form(VisitForm(initial=initial, user=request.user))

    def post(self, request):
        form = VisitForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
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
                if "content" in getattr(exc, "error_dict", {}):
                    form.add_error("photos", exc.error_dict["content"])
                else:
                    _add_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("您无权记录该走访。"))
            else:
                messages.success(request, _("已记录走访：%(obj)s") % {"obj": visit})
                return redirect(visit.get_absolute_url())
        return self.render_form(form)


class VisitView(View):
    def get(self, request, pk):
        visit = get_object_or_404(visit_queryset(request.user), pk=pk)
        visible = Problem.objects.restrict(request.user, VIEW)
        return render(
            request,
            "problems/visit.html",
            {
                "object": visit,
                "title": str(visit),
                "projects": visit.projects.select_related("region").order_by("name"),
                "problems": visible.filter(visit=visit).select_related("project"),
                "photos": VisitPhoto.objects.restrict(request.user, VIEW).filter(visit=visit).without_content(),
                "history": history_for(visit)[:200],
                "can_raise": can(request.user, Problem, ADD),
            },
        )


class VisitPhotoView(View):
    def get(self, request, pk):
        photo = get_object_or_404(VisitPhoto.objects.restrict(request.user, VIEW), pk=pk)
        response = HttpResponse(
            bytes(photo.content),
            content_type=photo.content_type if photo.content_type in INLINE_IMAGES else "application/octet-stream",
        )
        response["Content-Disposition"] = content_disposition_header("download" in request.GET, photo.name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
        return response


def _int_param(request, name, low, high, default):
    value = request.GET.get(name, "")
    if value.isdigit() and low <= int(value) <= high:
        return int(value)
    return default


class VisitComplianceView(View):
    """Visits done against the duty, per leader (a quarter) or commissioner (a month)."""

    def get(self, request, kind):
        if kind not in VisitKind.values or not can(request.user, Visit, VIEW):
            raise Http404
        duty = services.VISIT_DUTY[VisitKind(kind)]
        today = timezone.localdate()
        last = Visit.objects.restrict(request.user, VIEW).order_by("-date").values_list("date", flat=True).first()
        ref = last or today
        year = _int_param(request, "year", 2000, 2100, ref.year)
        count = 4 if duty["unit"] == "quarter" else 12
        default = (ref.month - 1) // 3 + 1 if duty["unit"] == "quarter" else ref.month
        period = _int_param(request, "period", 1, count, default)
        rows = services.visit_compliance(kind, year, period, user=request.user)
        start, end = services.period_dates(duty["unit"], year, period)
        label = _("第%(n)s季度") if duty["unit"] == "quarter" else _("%(n)s月")
        return render(
            request,
            "problems/visit_compliance.html",
            {
                "title": _("走访履职情况：%(kind)s") % {"kind": VisitKind(kind).label},
                "kind": kind,
                "kinds": VisitKind.choices,
                "rows": rows,
                "year": year,
                "period": period,
                "periods": [(n, label % {"n": n}) for n in range(1, count + 1)],
                "start": start,
                "end": end,
                "duty": duty,
                "compliant": sum(1 for row in rows if row.compliant),
                "summaries": [
                    (_("按地区"), services.compliance_by(rows, "region"), "compliance-by-region"),
                    (_("按部门"), services.compliance_by(rows, "department"), "compliance-by-department"),
                ],
                "is_leader": kind == VisitKind.LEADER,
            },
        )


# Meetings --------------------------------------------------------------------------------------


class MeetingListView(ObjectListView):
    model, filterset_class, table_class = Meeting, MeetingFilterSet, MeetingTable

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("chair")
            .annotate(open_decisions=Count("decisions", filter=Q(decisions__status=DecisionStatus.OPEN)))
        )


class MeetingAddView(View):
    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, Meeting, ADD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form):
        return render(
            self.request,
            "problems/meeting_form.html",
            {"form": form, "title": _("记录会议"), "cancel_url": reverse("problems:meeting_list")},
        )

    def get(self, request):
        return self.render_form(MeetingForm(initial={"date": timezone.localdate()}))

    def post(self, request):
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.record_meeting(acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已记录会议：%(obj)s") % {"obj": meeting})
                return redirect(meeting.get_absolute_url())
        return self.render_form(form)


def render_meeting(request, meeting, *, decision_form=None, status=200):
    user = request.user
    decisions = MeetingDecision.objects.restrict(user, VIEW).filter(meeting=meeting).select_related("owner_department")
    completable = set(
        MeetingDecision.objects.restrict(user, "complete").open().filter(meeting=meeting).values_list("pk", flat=True)
    )
    can_change = Meeting.objects.restrict(user, CHANGE).filter(pk=meeting.pk).exists()
    return render(
        request,
        "problems/meeting.html",
        {
            "object": meeting,
            "title": meeting.title,
            "agenda": services.meeting_agenda(meeting, user),
            "decisions": [(d, d.pk in completable) for d in decisions],
            "decision_form": decision_form or (DecisionForm() if can_change else None),
            "complete_form": CompleteDecisionForm(),
            "problems": Problem.objects.restrict(user, VIEW).filter(meeting=meeting).select_related("project"),
            "today": timezone.localdate(),
            "can_raise": can(user, Problem, ADD),
            "history": history_for(meeting)[:200],
        },
        status=status,
    )


class MeetingView(View):
    def get(self, request, pk):
        return render_meeting(request, get_object_or_404(Meeting.objects.restrict(request.user, VIEW), pk=pk))


class DecisionAddView(View):
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.restrict(request.user, CHANGE), pk=pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.add_decision(meeting, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已添加议定事项。"))
                return redirect(meeting.get_absolute_url())
        return render_meeting(request, meeting, decision_form=form, status=400)


class DecisionCompleteView(View):
    def post(self, request, pk):
        decision = get_object_or_404(MeetingDecision.objects.restrict(request.user, "complete"), pk=pk)
        form = CompleteDecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            services.complete_decision(decision, acting_user=request.user, note=note)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("议定事项已完成。"))
        return redirect(decision.meeting.get_absolute_url())


# A linked leader's briefing pack ---------------------------------------------------------------


class LeaderBriefingView(View):
    """A printable A4 pack for the leader's next visit; 404 unless the user sees one of its projects."""

    def get(self, request, pk):
        person = get_object_or_404(Person, pk=pk, is_leader=True)
        if not Project.objects.restrict(request.user, VIEW).filter(leader=person).exists():
            raise Http404
        latest = latest_period() or (timezone.localdate().year, timezone.localdate().month)
        year = _int_param(request, "year", 2000, 2100, latest[0])
        month = _int_param(request, "month", 1, 12, latest[1])
        pack = services.leader_briefing(person, request.user, year, month)
        return render(
            request,
            "problems/briefing.html",
            {
                **pack,
                "title": _("挂钩市领导走访工作资料：%(name)s") % {"name": person.name},
                "year": year,
                "month": month,
                "today": timezone.localdate(),
            },
        )
