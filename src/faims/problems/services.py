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
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from fractions import Fraction

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from faims.alerts.choices import WarningLevel
from faims.alerts.models import ProjectWarning
from faims.core.permissions import ADD, CHANGE, VIEW, can
from faims.core.services import notify, save_object, save_objects
from faims.metrics.engine import evaluate, project_figures
from faims.org.choices import Role
from faims.org.models import Department, Person, Region, User
from faims.projects.choices import PersonRole
from faims.projects.models import Project, ProjectPerson
from faims.reporting.models import MonthlyReport
from faims.reporting.services import check_upload

from .choices import ActionKind, DecisionStatus, ProblemStatus, Rating, Source, VisitKind
from .models import (
    KIND_OF_ROLE,
    EscalationLevel,
    Meeting,
    MeetingDecision,
    Problem,
    ProblemAction,
    ProblemAttachment,
    Visit,
    VisitPhoto,
)

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
    visit=None,
    meeting=None,
) -> Problem:
    """Raise a problem on a project the user sees (roles: city admin, region officer, project unit,
    commissioner). From a monthly report, the report must be the project's and visible to the user;
    from a visit (source 走访) the project must be one the visit covered; from a meeting, source 会议."""
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
    if visit is not None:
        if not Visit.objects.restrict(acting_user, VIEW).filter(pk=visit.pk).exists():
            raise ValidationError({"visit": [_("来源走访须为您可见的走访记录。")]})
        if not visit.projects.filter(pk=project.pk).exists():
            raise ValidationError({"project": [_("问题所属项目须为本次走访的项目。")]})
        source = Source.VISIT
    if meeting is not None:
        if not Meeting.objects.restrict(acting_user, VIEW).filter(pk=meeting.pk).exists():
            raise ValidationError({"meeting": [_("来源会议须为您可见的会议。")]})
        source = Source.MEETING
    now = timezone.now()
    problem = Problem(
        project=project,
        source=source,
        report=report,
        visit=visit,
        meeting=meeting,
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
        data={
            "category": category,
            "source": source,
            "report": report.pk if report else None,
            "visit": visit.pk if visit else None,
            "meeting": meeting.pk if meeting else None,
        },
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


# ---------------------------------------------------------------------------------------------
# Visits (走访)

# The duty of each kind of visit: at least `minimum` visits in every `unit` (the issue's "1–2 a
# quarter" for linked leaders, "1–2 a month" for service commissioners). The one place it is set.
VISIT_DUTY = {
    VisitKind.LEADER: {"unit": "quarter", "minimum": 1, "usual": 2},
    VisitKind.COMMISSIONER: {"unit": "month", "minimum": 1, "usual": 2},
}


def _visit_person(acting_user, person, kind):
    """The visitor and kind: a leader or commissioner records its own visits; the city admin anyone's."""
    own = KIND_OF_ROLE.get(acting_user.role)
    if own is not None:
        if not acting_user.person_id:
            raise PermissionDenied(_("您的账号未关联人员，不能记录走访。"))
        return acting_user.person, own
    errors = {}
    if person is None:
        errors["person"] = [_("请选择走访人")]
    if kind not in VisitKind.values:
        errors["kind"] = [_("请选择走访类型")]
    elif person is not None and kind == VisitKind.LEADER and not person.is_leader:
        errors["person"] = [_("挂钩市领导走访的走访人须为市领导")]
    if errors:
        raise ValidationError(errors)
    return person, VisitKind(kind)


@transaction.atomic
def record_visit(
    *,
    acting_user,
    date: dt.date,
    projects,
    findings: str,
    person: Person | None = None,
    kind: str | None = None,
    problems=(),
    photos=(),
) -> Visit:
    """Record a visit with the problems found on it and its photos, all or nothing.

    problems: dicts of raise_problem's arguments (project, category, title, description), raised
    with source 走访 and linked to the visit. photos: (file name, bytes) pairs, images only.
    """
    if not can(acting_user, Visit, ADD):
        raise PermissionDenied(_("您的角色不能记录走访。"))
    person, kind = _visit_person(acting_user, person, kind)
    projects = [p for p in projects if p is not None]
    errors = {}
    if date is None:
        errors["date"] = [_("请填写走访日期")]
    elif date > timezone.localdate():
        errors["date"] = [_("走访日期不能晚于今天")]
    if not projects:
        errors["projects"] = [_("请选择至少一个走访项目")]
    elif Project.objects.restrict(acting_user, VIEW).filter(pk__in=[p.pk for p in projects]).count() != len(
        {p.pk for p in projects}
    ):
        errors["projects"] = [_("只能选择您管辖范围内的项目")]
    if not (findings or "").strip():
        errors["findings"] = [_("请填写走访情况")]
    if errors:
        raise ValidationError(errors)
    visit = Visit(kind=kind, person=person, date=date, findings=findings.strip(), created_by=acting_user)
    save_object(visit, acting_user=acting_user, m2m={"projects": projects})
    for name, content in photos:
        add_visit_photo(visit, acting_user=acting_user, name=name, content=content)
    for problem in problems:
        raise_problem(acting_user=acting_user, visit=visit, **problem)
    return visit


@transaction.atomic
def add_visit_photo(visit: Visit, *, acting_user, name: str, content: bytes) -> VisitPhoto:
    """A photo of the visit (recognised by its content: JPEG, PNG, GIF or WebP; no PDF)."""
    if not Visit.objects.restrict(acting_user, CHANGE).filter(pk=visit.pk).exists():
        raise PermissionDenied(_("您无权修改该走访记录。"))
    name, detected = check_upload(name, content)
    if not detected.startswith("image/"):
        raise ValidationError({"content": [_("文件“%(name)s”不是照片。") % {"name": name}]})
    photo = VisitPhoto(
        visit=visit, name=name, content_type=detected, size=len(content), content=content, uploaded_by=acting_user
    )
    return save_object(photo, acting_user=acting_user)


def period_dates(unit: str, year: int, period: int) -> tuple[dt.date, dt.date]:
    """First and last day of quarter or month `period` of `year`."""
    first_month, months = ((period - 1) * 3 + 1, 3) if unit == "quarter" else (period, 1)
    start = dt.date(year, first_month, 1)
    after = dt.date(year + (first_month + months > 12), (first_month + months - 1) % 12 + 1, 1)
    return start, after - dt.timedelta(days=1)


@dataclass
class ComplianceRow:
    person: Person
    projects: int
    required: int
    done: int
    last_visit: dt.date | None
    # The regions of the person's projects (within the scope): a person counts in each.
    regions: list = dataclass_field(default_factory=list)

    @property
    def compliant(self) -> bool:
        return self.done >= self.required


@dataclass
class ComplianceGroup:
    label: str
    people: int = 0
    compliant: int = 0

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.compliant, self.people) if self.people else None


def visit_people(kind: str, projects):
    """The leaders linked to, or the commissioners serving, the `projects`."""
    if kind == VisitKind.LEADER:
        return Person.objects.filter(is_leader=True, led_projects__in=projects).annotate(
            n_projects=Count("led_projects", filter=Q(led_projects__in=projects), distinct=True)
        )
    serving = Q(project_roles__role=PersonRole.COMMISSIONER, project_roles__project__in=projects)
    return Person.objects.filter(serving).annotate(
        n_projects=Count("project_roles__project", filter=serving, distinct=True)
    )


def _person_regions(kind: str, projects) -> dict:
    if kind == VisitKind.LEADER:
        pairs = projects.filter(leader__isnull=False).values_list("leader", "region")
    else:
        pairs = ProjectPerson.objects.filter(role=PersonRole.COMMISSIONER, project__in=projects).values_list(
            "person", "project__region"
        )
    regions = defaultdict(set)
    for person, region in pairs:
        regions[person].add(region)
    return regions


def visit_compliance(kind: str, year: int, period: int, *, user=None) -> list[ComplianceRow]:
    """Per visitor of `kind`: visits required in quarter (leaders) or month (commissioners) `period`,
    visits done, compliant or not. With a user, the people and visits of the user's scope only."""
    duty = VISIT_DUTY[VisitKind(kind)]
    start, end = period_dates(duty["unit"], year, period)
    projects = Project.objects.restrict(user, VIEW) if user is not None else Project.objects.all()
    visits = Visit.objects.restrict(user, VIEW) if user is not None else Visit.objects.all()
    done = {
        row["person"]: row
        for row in visits.filter(kind=kind, date__range=(start, end))
        .values("person")
        .annotate(n=Count("pk"), last=Max("date"))
    }
    regions = _person_regions(kind, projects)
    people = visit_people(kind, projects.values("pk")).select_related("department").order_by("name", "pk")
    return [
        ComplianceRow(
            person=person,
            projects=person.n_projects,
            required=duty["minimum"],
            done=done.get(person.pk, {}).get("n", 0),
            last_visit=done.get(person.pk, {}).get("last"),
            regions=sorted(regions.get(person.pk, ())),
        )
        for person in people.distinct()
    ]


def compliance_by(rows: list[ComplianceRow], by: str) -> list[ComplianceGroup]:
    """The compliance rows summed by "region" (of the person's projects) or "department" (the person's)."""
    groups: dict = {}
    if by == "region":
        names = {r.pk: (r.sort_order, r.code, r.name) for r in Region.objects.all()}
        for row in rows:
            for region in row.regions:
                group = groups.setdefault(names[region], ComplianceGroup(label=names[region][2]))
                group.people += 1
                group.compliant += row.compliant
    elif by == "department":
        for row in rows:
            department = row.person.department
            key = (0, department.name) if department else (1, "")
            group = groups.setdefault(
                key, ComplianceGroup(label=department.name if department else gettext("未设部门"))
            )
            group.people += 1
            group.compliant += row.compliant
    else:
        raise ValueError("by must be region or department")
    return [groups[key] for key in sorted(groups)]


# ---------------------------------------------------------------------------------------------
# Meetings and their decisions


@transaction.atomic
def record_meeting(
    *,
    acting_user,
    kind: str,
    date: dt.date,
    title: str,
    chair: Person,
    attendees: str = "",
    level=None,
    minutes: str = "",
    meeting: Meeting | None = None,
) -> Meeting:
    """Record a meeting (or, given `meeting`, update it: minutes written after it was held)."""
    meeting = meeting or Meeting(created_by=acting_user)
    meeting.kind, meeting.date, meeting.title, meeting.chair = kind, date, (title or "").strip(), chair
    meeting.attendees, meeting.level, meeting.minutes = (attendees or "").strip(), level, (minutes or "").strip()
    if meeting.pk is None and not can(acting_user, Meeting, ADD):
        raise PermissionDenied(_("您的角色不能记录会议。"))
    return save_object(meeting, acting_user=acting_user)


@transaction.atomic
def add_decision(
    meeting: Meeting, *, acting_user, text: str, owner_department: Department, deadline: dt.date
) -> MeetingDecision:
    """A decision of the meeting, owned by one department, due on `deadline`."""
    if not Meeting.objects.restrict(acting_user, CHANGE).filter(pk=meeting.pk).exists():
        raise PermissionDenied(_("您无权修改该会议。"))
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("请填写议定事项")]
    if owner_department is None:
        errors["owner_department"] = [_("请选择责任部门")]
    if deadline is None:
        errors["deadline"] = [_("请填写完成期限")]
    elif deadline < meeting.date:
        errors["deadline"] = [_("完成期限不能早于会议日期")]
    if errors:
        raise ValidationError(errors)
    decision = MeetingDecision(meeting=meeting, text=text.strip(), owner_department=owner_department, deadline=deadline)
    return save_object(decision, acting_user=acting_user)


@transaction.atomic
def complete_decision(decision: MeetingDecision, *, acting_user, note: str = "", at=None) -> MeetingDecision:
    """完成: an officer of the owner department (or the city admin) reports the decision done."""
    stored = (
        MeetingDecision.objects.restrict(acting_user, "complete").select_for_update().filter(pk=decision.pk).first()
    )
    if stored is None:
        raise PermissionDenied(_("您无权办理该议定事项。"))
    if stored.status == DecisionStatus.DONE:
        raise ValidationError({"note": [_("该议定事项已完成。")]})
    stored.status, stored.done_at = DecisionStatus.DONE, at or timezone.now()
    stored.note = (note or "").strip()
    # The scope was checked for the "complete" action; a department officer has no general write.
    save_object(stored, acting_user=acting_user, reason=str(DecisionStatus.DONE.label), check_scope=False)
    decision.status, decision.done_at, decision.note = stored.status, stored.done_at, stored.note
    return decision


def red_warnings(user, projects=None):
    """The active red warnings of the latest period with active warnings, within the user's scope.

    The period is the city's latest (a warning of an older period still active in one region is
    not a current red flag); only the period, never a warning outside the scope, is read unrestricted.
    """
    return current_warnings(user, projects).filter(level=WarningLevel.RED)


def current_warnings(user, projects=None):
    """The active warnings of the city's latest period with active warnings, within the user's scope."""
    warnings = ProjectWarning.objects.restrict(user, VIEW).active()
    if projects is not None:
        warnings = warnings.filter(project__in=projects)
    latest = ProjectWarning.objects.active().order_by("-year", "-month").values_list("year", "month").first()
    if latest is None:
        return warnings.none()
    return warnings.filter(year=latest[0], month=latest[1]).select_related("project", "project__region")


def meeting_agenda(meeting: Meeting, user) -> dict:
    """A meeting's agenda: the open problems escalated to its level, then the red-flag projects."""
    visible = Problem.objects.restrict(user, VIEW).values("pk")
    problems = Problem.objects.none()
    if meeting.level is not None:
        problems = problems_for_agenda(meeting.level.order).filter(pk__in=visible)
    return {"problems": problems, "warnings": red_warnings(user)}


# ---------------------------------------------------------------------------------------------
# A linked leader's briefing pack


def leader_briefing(person: Person, user, year: int, month: int, today: dt.date | None = None) -> dict:
    """The leader's projects (within the user's scope) with their year-to-date figures, the active
    warnings of the latest period, open problems and a suggested agenda: overdue problems first,
    then red warnings."""
    today = today or timezone.localdate()
    projects = Project.objects.restrict(user, VIEW).filter(leader=person)
    figures = {pk: (ytd, plan) for pk, ytd, plan in project_figures(projects, year, month)}
    total = evaluate(projects, year, month).total
    warnings = current_warnings(user, projects).order_by("project__name", "level", "rule")
    problems = (
        Problem.objects.restrict(user, VIEW)
        .open()
        .filter(project__in=projects)
        .select_related("project", "lead_department")
        .order_by("deadline", "pk")
    )
    overdue = [p for p in problems if p.is_overdue(today)]
    reds = [w for w in warnings if w.level == WarningLevel.RED]
    agenda = [
        gettext("督办逾期问题：%(title)s（%(project)s，期限 %(deadline)s）")
        % {"title": p.title, "project": p.project.name, "deadline": p.deadline.isoformat()}
        for p in overdue
    ] + [
        gettext("研究红色预警：%(project)s — %(message)s") % {"project": w.project.name, "message": w.message}
        for w in reds
    ]
    rows = [
        {"project": p, "ytd": figures.get(p.pk, (None, None))[0], "plan": figures.get(p.pk, (None, None))[1]}
        for p in projects.select_related("region").order_by("name")
    ]
    last_visit = Visit.objects.restrict(user, VIEW).filter(person=person).order_by("-date").first()
    return {
        "person": person,
        "rows": rows,
        "total": total,
        "warnings": warnings,
        "problems": problems,
        "overdue": overdue,
        "agenda": agenda,
        "last_visit": last_visit,
    }
