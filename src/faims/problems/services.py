"""Writing problems: raise, assign (交办), answer (反馈), confirm (销号) or reject, remind, supervise, escalate.

Views, commands, the job and the demo's tests call these and nothing else. Each is atomic, takes a
keyword-only `acting_user`, writes through `core.services.save_object`/`save_objects` (so every
change has its change-log row) and records its ProblemAction in the same transaction.

The flow: 待交办 —交办→ 已交办 —反馈→ 已反馈 —确认销号→ 已销号; 已反馈 —退回重办→ 已交办.
A problem assigned or answered may be reassigned (重新交办), reminded (提醒) and supervised (督办);
an answered one may be answered again (more progress notes). A closed problem takes no step.

Refusals: a problem outside the user's scope raises PermissionDenied (pages answer 404); a step the
flow or the user's role does not allow, or bad input, raises ValidationError whose every message
ends with "当前状态为“…”，可执行的操作：…" (`allowed_actions`), so the user always learns what can
be done instead.

Escalation (`escalate_due`): an open problem more than level 1's `wait_days` past its deadline
rises to level 1; a problem that has waited the next level's `wait_days` since it reached its
level rises one more. One level per run, so a run that is repeated, or a job that missed days,
never skips a meeting. Reassignment keeps the level: it is about how late the problem already is.
"""

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from faims.core.permissions import ADD, CHANGE, VIEW, can
from faims.core.services import notify, save_object, save_objects
from faims.org.choices import Role
from faims.org.models import Department, Region, User
from faims.projects.models import Project
from faims.reporting.models import MonthlyReport
from faims.reporting.services import check_upload

from .choices import ActionKind, ProblemStatus, Rating, Source
from .models import EscalationLevel, Problem, ProblemAction, ProblemAttachment

# The steps a user may take, in the order pages show them.
STEPS = (
    ActionKind.ASSIGN,
    ActionKind.REASSIGN,
    ActionKind.ANSWER,
    ActionKind.CONFIRM,
    ActionKind.REJECT,
    ActionKind.REMIND,
    ActionKind.SUPERVISE,
    ActionKind.ATTACH,
)
# Which steps each state of the flow allows (whoever takes them).
FLOW = {
    ProblemStatus.RAISED: {ActionKind.ASSIGN, ActionKind.ATTACH},
    ProblemStatus.ASSIGNED: {
        ActionKind.REASSIGN,
        ActionKind.ANSWER,
        ActionKind.REMIND,
        ActionKind.SUPERVISE,
        ActionKind.ATTACH,
    },
    ProblemStatus.ANSWERED: {
        ActionKind.REASSIGN,
        ActionKind.ANSWER,
        ActionKind.CONFIRM,
        ActionKind.REJECT,
        ActionKind.REMIND,
        ActionKind.SUPERVISE,
        ActionKind.ATTACH,
    },
    ProblemStatus.CLOSED: set(),
}
NOTIFY_KIND = "problem"


# ---------------------------------------------------------------------------------------------
# Who may do what


def _is_admin(user) -> bool:
    return getattr(user, "role", None) == Role.CITY_ADMIN


def is_coordinator(user, problem) -> bool:
    """The city admin, or a region officer whose region holds the problem's project."""
    if _is_admin(user):
        return True
    if getattr(user, "role", None) != Role.REGION_OFFICER or not user.region_id:
        return False
    return problem.project.region_id in Region.objects.subtree_ids(user.region_id)


def is_responsible(user, problem) -> bool:
    """An officer of the lead or a co-department."""
    if getattr(user, "role", None) != Role.DEPARTMENT_OFFICER or not user.department_id:
        return False
    if problem.lead_department_id == user.department_id:
        return True
    return problem.pk is not None and problem.co_departments.filter(pk=user.department_id).exists()


def is_raiser(user, problem) -> bool:
    """The user who raised the problem, or the city admin (who confirms on anyone's behalf)."""
    return _is_admin(user) or (getattr(user, "pk", None) is not None and problem.raised_by_id == user.pk)


def allowed_actions(problem: Problem, user=None) -> list[str]:
    """The next steps from the problem's state; with a user, only those the user may take on it."""
    steps = FLOW[ProblemStatus(problem.status)]
    if user is not None:
        may = {
            ActionKind.ASSIGN: is_coordinator,
            ActionKind.REASSIGN: is_coordinator,
            ActionKind.REMIND: is_coordinator,
            ActionKind.SUPERVISE: is_coordinator,
            ActionKind.ANSWER: is_responsible,
            ActionKind.CONFIRM: is_raiser,
            ActionKind.REJECT: is_raiser,
            ActionKind.ATTACH: lambda u, p: is_coordinator(u, p) or is_responsible(u, p) or is_raiser(u, p),
        }
        steps = {step for step in steps if may[step](user, problem)}
    return [step.value for step in STEPS if step in steps]


def steps_text(problem: Problem, user=None) -> str:
    """ "当前状态为“已交办”，可执行的操作：反馈、上传附件" — the ending of every refusal."""
    steps = allowed_actions(problem, user)
    names = "、".join(str(ActionKind(step).label) for step in steps) if steps else gettext("无")
    return gettext("当前状态为“%(status)s”，可执行的操作：%(steps)s") % {
        "status": ProblemStatus(problem.status).label,
        "steps": names,
    }


def refusal(problem: Problem, user, message=None, *, field=NON_FIELD_ERRORS) -> ValidationError:
    """A ValidationError whose message names the steps that are possible."""
    text = steps_text(problem, user)
    if message:
        text = gettext("%(message)s；%(steps)s") % {"message": message, "steps": text}
    return ValidationError({field: [text]})


def _require_step(problem: Problem, user, step: str) -> None:
    if step not in allowed_actions(problem, user):
        if step not in allowed_actions(problem):
            raise refusal(problem, user, gettext("当前状态不能执行“%(step)s”") % {"step": ActionKind(step).label})
        raise refusal(problem, user, gettext("您不能对该问题执行“%(step)s”") % {"step": ActionKind(step).label})


def _stored(problem: Problem, user, action=CHANGE) -> Problem:
    """The stored problem within the user's scope, its row locked until the transaction ends."""
    found = (
        Problem.objects.restrict(user, action).select_for_update().filter(pk=problem.pk).first()
        if problem.pk is not None
        else None
    )
    if found is None:
        raise PermissionDenied(_("您无权对该问题执行此操作。"))
    return Problem.objects.select_related("project", "lead_department", "raised_by").get(pk=found.pk)


def _record(problem, kind, *, actor, at, note="", data=None, check_scope=True) -> ProblemAction:
    action = ProblemAction(problem=problem, kind=kind, actor=actor, at=at, note=note or "", data=data or {})
    return save_object(action, acting_user=actor, check_scope=check_scope)


def _copy_into(problem: Problem, stored: Problem) -> None:
    for field in Problem._meta.concrete_fields:
        setattr(problem, field.attname, getattr(stored, field.attname))


def _note(text: str, *, field: str, problem, user, required_message) -> str:
    text = (text or "").strip()
    if not text:
        raise refusal(problem, user, required_message, field=field)
    return text


# ---------------------------------------------------------------------------------------------
# The flow


@transaction.atomic
def raise_problem(
    *,
    acting_user,
    project: Project,
    category: str,
    title: str,
    description: str,
    source: str = Source.DIRECT,
    report: MonthlyReport | None = None,
) -> Problem:
    """Raise a problem on a project the user sees (roles: city admin, region officer, project unit,
    commissioner). From a monthly report, the report must be the project's and visible to the user."""
    if not can(acting_user, Problem, ADD):
        raise PermissionDenied(_("您的角色不能提出问题。"))
    if project is None or not Project.objects.restrict(acting_user, VIEW).filter(pk=project.pk).exists():
        raise PermissionDenied(_("您无权对该项目提出问题。"))
    if report is not None:
        if (
            report.project_id != project.pk
            or not MonthlyReport.objects.restrict(acting_user, VIEW).filter(pk=report.pk).exists()
        ):
            raise ValidationError({"report": [_("来源月报须为本项目的月报。")]})
        source = Source.REPORT
    now = timezone.now()
    problem = Problem(
        project=project,
        source=source,
        report=report,
        category=category,
        title=(title or "").strip(),
        description=(description or "").strip(),
        raised_by=acting_user,
        raised_at=now,
        status=ProblemStatus.RAISED,
    )
    save_object(problem, acting_user=acting_user)
    _record(
        problem,
        ActionKind.RAISE,
        actor=acting_user,
        at=now,
        note=problem.description,
        data={"category": category, "source": source, "report": report.pk if report else None},
    )
    return problem


@transaction.atomic
def assign_problem(
    problem: Problem,
    *,
    acting_user,
    lead_department: Department | None,
    deadline: dt.date | None,
    co_departments=(),
    note: str = "",
) -> Problem:
    """交办 (or 重新交办): one lead department, optional co-departments, a deadline not in the past.

    The region officer of the project's region or the city admin; 已反馈 goes back to 已交办 on a
    reassignment (the new lead department has not answered yet).
    """
    stored = _stored(problem, acting_user)
    step = ActionKind.ASSIGN if stored.status == ProblemStatus.RAISED else ActionKind.REASSIGN
    _require_step(stored, acting_user, step)
    co = [d for d in co_departments if d is not None]
    errors = {}
    if lead_department is None:
        errors["lead_department"] = gettext("请选择牵头部门")
    elif lead_department.pk in {d.pk for d in co}:
        errors["co_departments"] = gettext("牵头部门不能同时作为配合部门")
    today = timezone.localdate()
    if deadline is None:
        errors["deadline"] = gettext("请填写办理期限")
    elif deadline < today:
        errors["deadline"] = gettext("办理期限（%(date)s）不能早于今天（%(today)s）") % {
            "date": deadline.isoformat(),
            "today": today.isoformat(),
        }
    if errors:
        raise ValidationError(
            {field: [refusal(stored, acting_user, message).messages[0]] for field, message in errors.items()}
        )
    now = timezone.now()
    previous = {
        "lead_department": stored.lead_department_id,
        "deadline": stored.deadline.isoformat() if stored.deadline else None,
    }
    stored.lead_department, stored.deadline = lead_department, deadline
    stored.status = ProblemStatus.ASSIGNED
    stored.assigned_at = now
    save_object(stored, acting_user=acting_user, m2m={"co_departments": co}, reason=str(ActionKind(step).label))
    data = {
        "lead_department": lead_department.pk,
        "co_departments": sorted(d.pk for d in co),
        "deadline": deadline.isoformat(),
    }
    if step == ActionKind.REASSIGN:
        data["previous"] = previous
    _record(stored, step, actor=acting_user, at=now, note=note, data=data)
    _notify_departments(stored, step, note=note)
    _copy_into(problem, stored)
    return problem


@transaction.atomic
def answer_problem(problem: Problem, *, acting_user, note: str) -> Problem:
    """反馈: an officer of the lead or a co-department reports progress; never after closure."""
    stored = _stored(problem, acting_user)
    _require_step(stored, acting_user, ActionKind.ANSWER)
    text = _note(note, field="note", problem=stored, user=acting_user, required_message=gettext("请填写反馈内容"))
    now = timezone.now()
    stored.status = ProblemStatus.ANSWERED
    stored.first_answered_at = stored.first_answered_at or now
    save_object(stored, acting_user=acting_user, reason=str(ActionKind.ANSWER.label))
    _record(
        stored, ActionKind.ANSWER, actor=acting_user, at=now, note=text, data={"department": acting_user.department_id}
    )
    _copy_into(problem, stored)
    return problem


@transaction.atomic
def confirm_problem(problem: Problem, *, acting_user, rating: str, note: str = "") -> Problem:
    """确认销号: the raiser (or the city admin) confirms the solution and rates it; the problem closes."""
    stored = _stored(problem, acting_user)
    _require_step(stored, acting_user, ActionKind.CONFIRM)
    if rating not in Rating.values:
        raise refusal(stored, acting_user, gettext("请选择满意度"), field="rating")
    now = timezone.now()
    stored.status = ProblemStatus.CLOSED
    stored.rating = rating
    stored.closed_at = now
    save_object(stored, acting_user=acting_user, reason=str(ActionKind.CONFIRM.label))
    _record(stored, ActionKind.CONFIRM, actor=acting_user, at=now, note=(note or "").strip(), data={"rating": rating})
    _copy_into(problem, stored)
    return problem


@transaction.atomic
def reject_problem(problem: Problem, *, acting_user, reason: str) -> Problem:
    """退回重办: the raiser (or the city admin) is not satisfied with the answer; back to 已交办."""
    stored = _stored(problem, acting_user)
    _require_step(stored, acting_user, ActionKind.REJECT)
    text = _note(reason, field="note", problem=stored, user=acting_user, required_message=gettext("请填写退回原因"))
    now = timezone.now()
    stored.status = ProblemStatus.ASSIGNED
    save_object(stored, acting_user=acting_user, reason=text)
    _record(stored, ActionKind.REJECT, actor=acting_user, at=now, note=text)
    _notify_departments(stored, ActionKind.REJECT, note=text)
    _copy_into(problem, stored)
    return problem


def _notice(problem: Problem, *, acting_user, kind: str, note: str) -> ProblemAction:
    stored = _stored(problem, acting_user)
    _require_step(stored, acting_user, kind)
    now = timezone.now()
    action = _record(stored, kind, actor=acting_user, at=now, note=(note or "").strip())
    _notify_departments(stored, kind, note=note, key=f"problem-{stored.pk}:{kind}:{action.pk}")
    return action


@transaction.atomic
def remind_problem(problem: Problem, *, acting_user, note: str = "") -> ProblemAction:
    """提醒: a recorded reminder and an inbox message to the departments' officers."""
    return _notice(problem, acting_user=acting_user, kind=ActionKind.REMIND, note=note)


@transaction.atomic
def supervise_problem(problem: Problem, *, acting_user, note: str = "") -> ProblemAction:
    """督办: a recorded supervision notice and an inbox message to the departments' officers."""
    return _notice(problem, acting_user=acting_user, kind=ActionKind.SUPERVISE, note=note)


def _notify_departments(problem: Problem, kind: str, *, note: str = "", key: str | None = None) -> int:
    """An inbox message to every active officer of the lead and co-departments; returns how many."""
    departments = [problem.lead_department_id, *problem.co_departments.values_list("pk", flat=True)]
    officers = User.objects.filter(role=Role.DEPARTMENT_OFFICER, department__in=departments, is_active=True)
    label = ActionKind(kind).label
    title = gettext("【%(kind)s】%(title)s") % {"kind": label, "title": problem.title}
    body = gettext("项目：%(project)s；办理期限：%(deadline)s。%(note)s") % {
        "project": problem.project.name,
        "deadline": problem.deadline.isoformat() if problem.deadline else "—",
        "note": (note or "").strip(),
    }
    url = reverse("problems:problem", args=[problem.pk])
    key = key or f"problem-{problem.pk}:{kind}:{timezone.now().isoformat()}"
    count = 0
    for officer in officers:
        count += notify(officer, kind=NOTIFY_KIND, key=key, title=title, body=body, url=url)[1]
    return count


# ---------------------------------------------------------------------------------------------
# Attachments: the same file checks as a monthly report's


@transaction.atomic
def add_attachment(
    problem: Problem, *, acting_user, name: str, content: bytes, content_type: str = ""
) -> ProblemAttachment:
    """Attach a photo or PDF (recognised by its content; the browser's `content_type` is not trusted)."""
    stored = _stored(problem, acting_user)
    _require_step(stored, acting_user, ActionKind.ATTACH)
    name, detected = check_upload(name, content)
    attachment = ProblemAttachment(
        problem=stored, name=name, content_type=detected, size=len(content), content=content, uploaded_by=acting_user
    )
    save_object(attachment, acting_user=acting_user)
    _record(
        stored, ActionKind.ATTACH, actor=acting_user, at=timezone.now(), note=name, data={"attachment": attachment.pk}
    )
    return attachment


# ---------------------------------------------------------------------------------------------
# Escalation


def escalation_ladder() -> dict[int, EscalationLevel]:
    return {level.order: level for level in EscalationLevel.objects.order_by("order")}


def next_level_due(problem: Problem, ladder: dict, today: dt.date) -> EscalationLevel | None:
    """The level the problem rises to on `today`, or None (not open, no deadline, not late enough, top)."""
    if problem.status == ProblemStatus.CLOSED or problem.deadline is None:
        return None
    level = ladder.get(problem.escalation_level + 1)
    if level is None:
        return None
    if problem.escalation_level == 0:
        since = problem.deadline
    elif problem.escalated_at is not None:
        since = timezone.localdate(problem.escalated_at)
    else:
        since = problem.deadline
    return level if today > since + dt.timedelta(days=level.wait_days) else None


@transaction.atomic
def escalate_due(now: dt.datetime | None = None) -> int:
    """The daily job: every open problem due for its next level moves one level up; returns how many.

    Run twice on the same day it moves nothing more. The actions have no actor (the scheduled job).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    ladder = escalation_ladder()
    if not ladder:
        return 0
    candidates = (
        Problem.objects.open()
        .filter(deadline__lt=today, escalation_level__lt=max(ladder))
        .select_for_update()
        .order_by("pk")
    )
    moved, actions = [], []
    for problem in candidates:
        level = next_level_due(problem, ladder, today)
        if level is None:
            continue
        problem.escalation_level = level.order
        problem.escalated_at = now
        moved.append(problem)
        actions.append(
            ProblemAction(
                problem=problem,
                kind=ActionKind.ESCALATE,
                actor=None,
                at=now,
                note=level.name,
                data={"level": level.order, "deadline": problem.deadline.isoformat()},
            )
        )
    if moved:
        reason = gettext("逾期未解决，自动升级")
        save_objects(moved, acting_user=None, reason=reason, check_scope=False)
        save_objects(actions, acting_user=None, reason=reason, check_scope=False)
    return len(moved)


def run_escalation() -> str:
    """The scheduled task (django-q2 calls it by name): escalate and say how many moved."""
    return gettext("已升级 %(count)s 个问题。") % {"count": escalate_due()}


def problems_for_agenda(level: int):
    """The open problems at escalation `level`: the agenda of that level's next meeting."""
    return (
        Problem.objects.open()
        .filter(escalation_level=level)
        .select_related("project", "project__region", "lead_department")
        .order_by("deadline", "pk")
    )
