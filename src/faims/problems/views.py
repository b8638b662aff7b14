"""Pages of the problem list: the list, a problem with its timeline and the forms of its next steps,
raising a problem, the attachments, the escalation levels."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View

from faims.core.audit import history_for
from faims.core.permissions import ADD, VIEW, can
from faims.core.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView, _add_errors
from faims.reporting.models import MonthlyReport

from . import services
from .choices import ActionKind
from .filtersets import EscalationLevelFilterSet, ProblemFilterSet
from .forms import (
    AnswerForm,
    AssignForm,
    AttachmentForm,
    ConfirmForm,
    EscalationLevelForm,
    NoticeForm,
    RaiseForm,
    RejectForm,
)
from .models import EscalationLevel, Problem, ProblemAction, ProblemAttachment
from .tables import EscalationLevelTable, ProblemTable

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
    """Raise a problem: from the list, from a project's page (?project=) or a monthly report's (?report=)."""

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, Problem, ADD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_report(self):
        pk = self.request.GET.get("report") or self.request.POST.get("report")
        if pk and str(pk).isdigit():
            return get_object_or_404(
                MonthlyReport.objects.restrict(self.request.user, VIEW).select_related("project", "period"), pk=pk
            )
        return None

    def render_form(self, form, report):
        return render(
            self.request,
            "problems/raise.html",
            {
                "form": form,
                "report": report,
                "title": _("提出问题"),
                "cancel_url": report.get_absolute_url() if report else reverse("problems:problem_list"),
            },
        )

    def get(self, request):
        report = self.get_report()
        initial = {}
        if report is None and request.GET.get("project", "").isdigit():
            initial["project"] = int(request.GET["project"])
        if report is not None and report.problems_text:
            initial["description"] = report.problems_text
        return self.render_form(RaiseForm(initial=initial, user=request.user, report=report), report)

    def post(self, request):
        report = self.get_report()
        form = RaiseForm(request.POST, request.FILES, user=request.user, report=report)
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
                        report=report,
                        source=data.get("source") or "direct",
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
        return self.render_form(form, report)


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
