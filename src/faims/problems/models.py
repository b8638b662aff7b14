"""The problem list (问题清单): problems raised on projects, assigned to departments, answered, closed.

A problem's whole life is its actions (ProblemAction): who did what, when, with what note. The
escalation levels (EscalationLevel) are data the city admin edits; the daily job moves overdue
problems up them (services.escalate_due).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.permissions import SEE_EVERYTHING, VIEW, ScopedQuerySet
from faims.org.choices import Role
from faims.org.models import Department, Person, Region
from faims.projects.models import Project
from faims.reporting.models import MonthlyReport

from .choices import ActionKind, DecisionStatus, MeetingKind, ProblemCategory, ProblemStatus, Rating, Source, VisitKind

# Roles that may raise a problem.
RAISERS = frozenset({Role.CITY_ADMIN, Role.REGION_OFFICER, Role.PROJECT_UNIT, Role.COMMISSIONER, Role.LEADER})
# Roles that take some step of the flow (the services decide which step, and for which problem).
# A linked leader raises the problems found on its visits and otherwise only reads.
ACTORS = (RAISERS - {Role.LEADER}) | {Role.DEPARTMENT_OFFICER}
# Roles that assign, remind and supervise.
COORDINATORS = frozenset({Role.CITY_ADMIN, Role.REGION_OFFICER})


def problem_scope(queryset, user, path: str = ""):
    """`queryset` filtered to the problems (reached through `path`) the user's role may see.

    A department officer sees the problems assigned to its department (lead or co-department),
    not every problem of the projects its department is responsible for; every other scoped role
    sees the problems of the projects it sees.
    """
    if user.role in SEE_EVERYTHING:
        return queryset
    if user.role == Role.DEPARTMENT_OFFICER:
        if not user.department_id:
            return queryset.none()
        co = Problem.co_departments.through.objects.filter(department=user.department_id).values("problem")
        return queryset.filter(
            models.Q(**{f"{path}lead_department": user.department_id}) | models.Q(**{f"{path}pk__in": co})
        )
    return queryset.filter(**{f"{path}project__in": Project.objects.restrict(user, VIEW).values("pk")})


class ProblemQuerySet(ScopedQuerySet):
    project_path = "project__"
    write_roles = ACTORS
    action_roles = {"add": RAISERS, "delete": frozenset()}

    def restrict(self, user, action: str = VIEW):
        allowed = super().restrict(user, action)
        if not allowed.query.is_empty() and user.role not in SEE_EVERYTHING:
            # super() filtered by the project scope; the department officer's scope is narrower.
            allowed = problem_scope(self, user)
        return allowed

    def open(self):
        return self.exclude(status=ProblemStatus.CLOSED)

    def overdue(self, today=None):
        return self.open().filter(deadline__lt=today or timezone.localdate())


class Problem(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="problems")
    source = models.CharField(_("问题来源"), max_length=20, choices=Source.choices, default=Source.DIRECT)
    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("来源月报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    category = models.CharField(_("问题类别"), max_length=20, choices=ProblemCategory.choices, db_index=True)
    title = models.CharField(_("问题标题"), max_length=200)
    description = models.TextField(_("问题描述"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("提出时间"))
    status = models.CharField(
        _("办理状态"), max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.RAISED, db_index=True
    )
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_departments = models.ManyToManyField(Department, verbose_name=_("配合部门"), blank=True, related_name="+")
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("首次反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    rating = models.CharField(_("满意度"), max_length=20, choices=Rating.choices, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("升级层级"), default=0, db_index=True, help_text=_("0 表示未升级。")
    )
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    visit = models.ForeignKey(
        "Visit", verbose_name=_("来源走访"), null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )
    meeting = models.ForeignKey(
        "Meeting", verbose_name=_("来源会议"), null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = pgettext_lazy("plural", "问题清单")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.title}（{self.project.name}）" if self.project_id else self.title

    def get_absolute_url(self):
        return reverse("problems:problem", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != ProblemStatus.CLOSED

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < (today or timezone.localdate())


class ScopedByProblem(ScopedQuerySet):
    """Rows of a problem: seen by whoever sees the problem."""

    project_path = "problem__project__"
    write_roles = ACTORS
    # A raiser records the problem's first action.
    action_roles = {"add": ACTORS | RAISERS, "delete": frozenset()}

    def restrict(self, user, action: str = VIEW):
        allowed = super().restrict(user, action)
        if not allowed.query.is_empty() and user.role not in SEE_EVERYTHING:
            allowed = problem_scope(self, user, "problem__")
        return allowed


class ProblemAction(models.Model):
    """One step of a problem's life: raised, assigned, answered, reminded, escalated …"""

    problem = models.ForeignKey(Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("操作"), max_length=20, choices=ActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空表示系统定时任务。"),
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    objects = ScopedByProblem.as_manager()

    class Meta:
        verbose_name = _("问题办理记录")
        verbose_name_plural = pgettext_lazy("plural", "问题办理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.problem_id} · {self.get_kind_display()}"

    @property
    def audit_parent(self):
        return self.problem


class ProblemAttachmentQuerySet(ScopedByProblem):
    def without_content(self):
        return self.defer("content")


class StoredFile(models.Model):
    """A photo or PDF kept in the database, like a report's attachments: a problem's attachments, a visit's photos."""

    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content = models.BinaryField(_("内容"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )

    audit_exclude = ("content",)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class ProblemAttachment(StoredFile):
    problem = models.ForeignKey(Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="attachments")

    objects = ProblemAttachmentQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = _("问题附件")
        verbose_name_plural = pgettext_lazy("plural", "问题附件")

    @property
    def audit_parent(self):
        return self.problem


class EscalationLevelQuerySet(ScopedQuerySet):
    action_roles = {"delete": frozenset()}


class EscalationLevel(models.Model):
    """A rung of the escalation ladder (市重大项目推进机制): the meeting an overdue problem goes to.

    A problem reaches level 1 once it is more than `wait_days` past its deadline, and each further
    level once it has waited `wait_days` at the level below.
    """

    order = models.PositiveSmallIntegerField(_("层级"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    wait_days = models.PositiveSmallIntegerField(
        _("等待天数"),
        help_text=_("第1级：超过办理期限的天数；其余：在上一级停留的天数。"),
    )

    objects = EscalationLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("升级层级")
        verbose_name_plural = pgettext_lazy("plural", "升级层级")
        ordering = ["order"]

    def __str__(self):
        return f"{self.order}. {self.name}"

    def get_absolute_url(self):
        return reverse("problems:escalationlevel", args=[self.pk])


# ---------------------------------------------------------------------------------------------
# Visits (走访): linked leaders (挂钩市领导) and service commissioners (政府服务专员) on site.

VISIT_READERS = frozenset({Role.CITY_ADMIN, Role.SUPERVISOR, Role.REGION_OFFICER, Role.LEADER, Role.COMMISSIONER})
VISIT_RECORDERS = frozenset({Role.CITY_ADMIN, Role.LEADER, Role.COMMISSIONER})
# The kind of visit each recording role records (the city admin records either, for anyone).
KIND_OF_ROLE = {Role.LEADER: VisitKind.LEADER, Role.COMMISSIONER: VisitKind.COMMISSIONER}


def visit_scope(queryset, user, path: str = ""):
    """The visits (reached through `path`) a user of a role below the city sees: a leader's and a
    commissioner's own; a region officer's, those touching a project of its region."""
    if user.role in (Role.LEADER, Role.COMMISSIONER):
        return queryset.filter(**{f"{path}person": user.person_id}) if user.person_id else queryset.none()
    if user.role == Role.REGION_OFFICER and user.region_id:
        touching = Visit.projects.through.objects.filter(
            project__region__in=Region.objects.subtree_ids(user.region_id)
        ).values("visit")
        return queryset.filter(**{f"{path}pk__in": touching})
    return queryset.none()


class VisitQuerySet(ScopedQuerySet):
    read_roles = VISIT_READERS
    write_roles = VISIT_RECORDERS
    action_roles = {"delete": frozenset({Role.CITY_ADMIN})}

    def restrict(self, user, action: str = VIEW):
        allowed = super().restrict(user, action)
        if allowed.query.is_empty() or user.role in SEE_EVERYTHING:
            return allowed
        return visit_scope(allowed, user)


class Visit(models.Model):
    kind = models.CharField(_("走访类型"), max_length=20, choices=VisitKind.choices, db_index=True)
    person = models.ForeignKey(Person, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("走访日期"), db_index=True)
    projects = models.ManyToManyField(Project, verbose_name=_("走访项目"), related_name="visits")
    findings = models.TextField(_("走访情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = pgettext_lazy("plural", "走访记录")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} · {self.person.name} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("problems:visit", args=[self.pk])


class VisitPhotoQuerySet(ScopedQuerySet):
    read_roles = VISIT_READERS
    write_roles = VISIT_RECORDERS
    action_roles = {"delete": frozenset()}

    def restrict(self, user, action: str = VIEW):
        allowed = super().restrict(user, action)
        if allowed.query.is_empty() or user.role in SEE_EVERYTHING:
            return allowed
        return visit_scope(allowed, user, "visit__")

    def without_content(self):
        return self.defer("content")


class VisitPhoto(StoredFile):
    """A photo taken on a visit."""

    visit = models.ForeignKey(Visit, verbose_name=_("走访记录"), on_delete=models.CASCADE, related_name="photos")

    objects = VisitPhotoQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = _("走访照片")
        verbose_name_plural = pgettext_lazy("plural", "走访照片")

    @property
    def audit_parent(self):
        return self.visit


# ---------------------------------------------------------------------------------------------
# Meetings (推进会/调度会/专题协调会/现场办公) and their decisions.

MEETING_READERS = frozenset(
    {Role.CITY_ADMIN, Role.SUPERVISOR, Role.REGION_OFFICER, Role.DEPARTMENT_OFFICER, Role.LEADER}
)


class MeetingQuerySet(ScopedQuerySet):
    """Meetings are the city's: every reader role sees them all; the city admin records them."""

    read_roles = MEETING_READERS
    action_roles = {"delete": frozenset()}


class Meeting(models.Model):
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    date = models.DateField(_("会议日期"), db_index=True)
    title = models.CharField(_("会议名称"), max_length=200)
    chair = models.ForeignKey(Person, verbose_name=_("主持人"), on_delete=models.PROTECT, related_name="+")
    attendees = models.TextField(_("参会人员"), blank=True)
    level = models.ForeignKey(
        EscalationLevel,
        verbose_name=_("议题层级"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        help_text=_("该层级的升级问题列为会议议题。"),
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = pgettext_lazy("plural", "会议")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("problems:meeting", args=[self.pk])


class MeetingDecisionQuerySet(ScopedQuerySet):
    """A department officer sees its own department's decisions; it completes them (and the city admin)."""

    read_roles = MEETING_READERS
    action_roles = {"complete": frozenset({Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER}), "delete": frozenset()}

    def restrict(self, user, action: str = VIEW):
        allowed = super().restrict(user, action)
        if not allowed.query.is_empty() and user.role == Role.DEPARTMENT_OFFICER:
            allowed = allowed.filter(owner_department=user.department_id) if user.department_id else allowed.none()
        return allowed

    def open(self):
        return self.filter(status=DecisionStatus.OPEN)


class MeetingDecision(models.Model):
    """A decision of a meeting: an owned, dated item tracked to its completion like a problem."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("议定事项"))
    owner_department = models.ForeignKey(
        Department, verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("完成期限"))
    status = models.CharField(
        _("办理状态"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN, db_index=True
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    note = models.TextField(_("办理情况"), blank=True)

    objects = MeetingDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议议定事项")
        verbose_name_plural = pgettext_lazy("plural", "会议议定事项")
        ordering = ["deadline", "id"]

    def __str__(self):
        return self.text[:40]

    @property
    def audit_parent(self):
        return self.meeting

    def is_overdue(self, today=None) -> bool:
        return self.status == DecisionStatus.OPEN and self.deadline < (today or timezone.localdate())
