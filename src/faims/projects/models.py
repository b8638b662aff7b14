"""The project registry: projects, libraries, memberships, annual plans and the people on a project."""
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.fields import MoneyField
from faims.core.permissions import ScopedQuerySet
from faims.core.validators import validate_project_code
from faims.org.choices import Role
from faims.org.models import Department, Organisation, Person, Region

from .choices import (
    AFTER_START_NODES,
    ApprovalMode,
    Category,
    InvestmentType,
    LibraryKind,
    LibraryLevel,
    LifecycleStatus,
    MembershipStatus,
    Nature,
    NodeChangeReason,
    NodeKind,
    PersonRole,
    StartKind,
)


class ProjectQuerySet(ScopedQuerySet):
    project_path = ""


# The milestones a project carries as planned_<stage>_date and actual_<stage>_date.
MILESTONES = [
    ("sign", _("签约")),
    ("filing", _("备案/核准")),
    ("start", _("开工")),
    ("completion", _("竣工")),
    ("production", _("投产")),
    ("capacity", _("达效")),
]


class Project(models.Model):
    code = models.CharField(
        _("投资项目统一代码"), max_length=24, unique=True, null=True, blank=True,
        validators=[validate_project_code], help_text=_("格式 YYYY-RRRRRR-NN-NN-NNNNNN；赋码前可为空。"),
        error_messages={"unique": _("该投资项目统一代码已被另一个项目使用，请核对后重新填写。")},
    )
    name = models.CharField(_("项目名称"), max_length=200, db_index=True)
    unit = models.ForeignKey(
        Organisation, verbose_name=_("项目单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="projects",
    )
    region = models.ForeignKey(Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="projects")
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    scale = models.TextField(_("建设内容及规模"), blank=True)
    category = models.CharField(_("项目类别"), max_length=20, choices=Category.choices)
    industry_chain = models.CharField(_("产业链"), max_length=50, blank=True)
    nature = models.CharField(_("建设性质"), max_length=20, choices=Nature.choices, default=Nature.NEW)
    investment_type = models.CharField(_("投资类型"), max_length=20, choices=InvestmentType.choices)
    approval_mode = models.CharField(_("审批方式"), max_length=20, choices=ApprovalMode.choices, blank=True)
    total_investment = MoneyField(_("总投资（万元）"))
    planned_sign_date = models.DateField(_("计划签约日期"), null=True, blank=True)
    actual_sign_date = models.DateField(_("实际签约日期"), null=True, blank=True)
    planned_filing_date = models.DateField(_("计划备案/核准日期"), null=True, blank=True)
    actual_filing_date = models.DateField(_("实际备案/核准日期"), null=True, blank=True)
    planned_start_date = models.DateField(_("计划开工日期"), null=True, blank=True)
    actual_start_date = models.DateField(_("实际开工日期"), null=True, blank=True)
    planned_completion_date = models.DateField(_("计划竣工日期"), null=True, blank=True)
    actual_completion_date = models.DateField(_("实际竣工日期"), null=True, blank=True)
    planned_production_date = models.DateField(_("计划投产日期"), null=True, blank=True)
    actual_production_date = models.DateField(_("实际投产日期"), null=True, blank=True)
    planned_capacity_date = models.DateField(_("计划达效日期"), null=True, blank=True)
    actual_capacity_date = models.DateField(_("实际达效日期"), null=True, blank=True)
    status = models.CharField(
        _("项目状态"), max_length=20, choices=LifecycleStatus.choices, default=LifecycleStatus.PREPARATION,
        db_index=True,
    )
    in_statistics = models.BooleanField(_("已纳统"), default=False)
    statistics_date = models.DateField(_("纳统日期"), null=True, blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("责任部门"), blank=True, related_name="projects"
    )
    leader = models.ForeignKey(
        Person, verbose_name=_("挂钩市领导"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="led_projects", limit_choices_to={"is_leader": True},
    )
    is_synthetic = models.BooleanField(
        _("演示合成数据"), default=False, help_text=_("演示数据生成器补足数量时合成的项目，并非真实项目。")
    )
    is_public = models.BooleanField(
        _("公开"), default=False, help_text=_("公开的项目通过开放数据接口（OC4IDS）对外发布")
    )
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()
    audit_exclude = ("created", "updated")

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = pgettext_lazy("plural", "项目")
        ordering = ["-total_investment", "pk"]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["total_investment"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project", args=[self.pk])

    def clean(self):
        errors = {}
        if self.code == "":
            self.code = None
        pairs = [
            ("planned_start_date", "planned_completion_date", _("计划竣工日期不能早于计划开工日期。")),
            ("actual_start_date", "actual_completion_date", _("实际竣工日期不能早于实际开工日期。")),
            ("planned_completion_date", "planned_production_date", _("计划投产日期不能早于计划竣工日期。")),
            ("actual_completion_date", "actual_production_date", _("实际投产日期不能早于实际竣工日期。")),
            ("planned_production_date", "planned_capacity_date", _("计划达效日期不能早于计划投产日期。")),
            ("actual_production_date", "actual_capacity_date", _("实际达效日期不能早于实际投产日期。")),
            ("planned_sign_date", "planned_filing_date", _("计划备案日期不能早于计划签约日期。")),
        ]
        for first, second, message in pairs:
            a, b = getattr(self, first), getattr(self, second)
            if a and b and b < a:
                errors[second] = message
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude"] = _("经度和纬度须同时填写或同时留空。")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("经度应在 -180 至 180 之间。")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("纬度应在 -90 至 90 之间。")
        if self.statistics_date and not self.in_statistics:
            errors["in_statistics"] = _("已填写纳统日期的项目须勾选“已纳统”。")
        if self.is_public and not self.code:
            # The open-data identifier is built from the project code.
            errors["is_public"] = _("公开的项目须填写投资项目统一代码。")
        if errors:
            raise ValidationError(errors)

    @property
    def tier(self):
        """The highest "15151" tier the project reaches, or None below 1亿."""
        from .choices import TIER_MIN_WANYUAN

        reached = [t for t, floor in TIER_MIN_WANYUAN.items() if self.total_investment >= floor]
        return reached[-1] if reached else None

    def milestone_rows(self):
        return [
            (label, getattr(self, f"planned_{stage}_date"), getattr(self, f"actual_{stage}_date"))
            for stage, label in MILESTONES
        ]


class LibraryQuerySet(ScopedQuerySet):
    pass


class Library(models.Model):
    """A project library (项目库): 省重大项目, 市级重大产业项目, 中央预算内投资项目库 …"""

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=20, choices=LibraryLevel.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=LibraryKind.choices, default=LibraryKind.IMPLEMENTATION)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, help_text=_("滚动库可留空。"))
    description = models.TextField(_("说明"), blank=True)
    projects = models.ManyToManyField(Project, through="Membership", related_name="libraries", verbose_name=_("项目"))

    objects = LibraryQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目库")
        verbose_name_plural = pgettext_lazy("plural", "项目库")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="library_unique_name_year",
                                    violation_error_message=_("同一年度已有同名的项目库。"))]

    def __str__(self):
        return f"{self.year}年{self.name}" if self.year else self.name

    def get_absolute_url(self):
        return reverse("projects:library", args=[self.pk])


class MembershipQuerySet(ScopedQuerySet):
    project_path = "project__"


class Membership(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="memberships")
    library = models.ForeignKey(Library, verbose_name=_("项目库"), on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(
        _("入库状态"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.IN_LIBRARY
    )
    proposed_date = models.DateField(_("申报日期"), null=True, blank=True)
    admitted_date = models.DateField(_("入库日期"), null=True, blank=True)
    withdrawn_date = models.DateField(_("退库日期"), null=True, blank=True)
    reason = models.CharField(_("说明"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("入库记录")
        verbose_name_plural = pgettext_lazy("plural", "入库记录")
        ordering = ["library", "project"]
        constraints = [models.UniqueConstraint(fields=["project", "library"], name="membership_unique",
                                    violation_error_message=_("该项目已在这个项目库中，不能重复入库。"))]

    def __str__(self):
        return f"{self.project} · {self.library}"

    def get_absolute_url(self):
        return reverse("projects:membership", args=[self.pk])

    def clean(self):
        errors = {}
        if self.status == MembershipStatus.WITHDRAWN and not self.reason:
            errors["reason"] = _("退库须说明原因。")
        if self.admitted_date and self.withdrawn_date and self.withdrawn_date < self.admitted_date:
            errors["withdrawn_date"] = _("退库日期不能早于入库日期。")
        if self.proposed_date and self.admitted_date and self.admitted_date < self.proposed_date:
            errors["admitted_date"] = _("入库日期不能早于申报日期。")
        if errors:
            raise ValidationError(errors)


class AnnualPlanQuerySet(ScopedQuerySet):
    project_path = "project__"


class AnnualPlan(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="annual_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    planned_investment = MoneyField(_("年度计划投资（万元）"))
    start_kind = models.CharField(_("新开工/续建"), max_length=20, choices=StartKind.choices)
    planned_start_quarter = models.PositiveSmallIntegerField(
        _("计划开工季度"), null=True, blank=True, choices=[(q, f"{q}季度") for q in range(1, 5)]
    )
    planned_completion = models.DateField(_("计划竣工日期"), null=True, blank=True)

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = pgettext_lazy("plural", "年度计划")
        ordering = ["-year", "project"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="annual_plan_unique",
                                    violation_error_message=_("该项目已有这一年度的年度计划，请修改原计划。"))]

    def __str__(self):
        return f"{self.project} · {self.year}年"

    def get_absolute_url(self):
        return reverse("projects:annualplan", args=[self.pk])

    def clean(self):
        if self.year is not None and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("年度应在 2000 至 2100 之间。")})
        if self.start_kind == StartKind.CONTINUING and self.planned_start_quarter:
            raise ValidationError({"planned_start_quarter": _("续建项目无需填写计划开工季度。")})


class ProjectPersonQuerySet(ScopedQuerySet):
    project_path = "project__"


class ProjectPerson(models.Model):
    """A person's role on a project: 责任人, 联络人, 服务专员 (the linked leader is `Project.leader`)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="project_roles")
    role = models.CharField(_("角色"), max_length=20, choices=PersonRole.choices)

    objects = ProjectPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目人员")
        verbose_name_plural = pgettext_lazy("plural", "项目人员")
        ordering = ["project", "role"]
        constraints = [models.UniqueConstraint(fields=["project", "person", "role"], name="project_person_unique",
                                    violation_error_message=_("该人员已在此项目中担任这一角色。"))]

    def __str__(self):
        return f"{self.project} · {self.get_role_display()} · {self.person.name}"

    def get_absolute_url(self):
        return reverse("projects:projectperson", args=[self.pk])

    def clean(self):
        if self.role == PersonRole.LEADER:
            raise ValidationError({"role": _("挂钩市领导请在项目信息中填写。")})


# Who writes node plans: the city office, the project's region officer and its project unit (as for monthly reports).
NODE_WRITERS = frozenset({Role.CITY_ADMIN, Role.REGION_OFFICER, Role.PROJECT_UNIT})


class NodePlanQuerySet(ScopedQuerySet):
    project_path = "project__"
    write_roles = NODE_WRITERS
    # Deleting a node also deletes the record of its moves: only the city office may.
    action_roles = {"delete": frozenset({Role.CITY_ADMIN})}

    def overdue(self, on_date: dt.date):
        """Nodes whose planned date lies before `on_date` and that have no actual date."""
        return self.filter(planned_date__lt=on_date, actual_date__isnull=True)


class NodePlan(models.Model):
    """One planned key node of a project (项目节点计划): planned and actual date. A planned date is only
    moved through `projects.nodes.move_planned_date`, which keeps the old date in a NodePlanChange."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="nodes")
    kind = models.CharField(_("节点"), max_length=30, choices=NodeKind.choices)
    planned_date = models.DateField(_("计划日期"))
    actual_date = models.DateField(_("实际日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = NodePlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("节点计划")
        verbose_name_plural = pgettext_lazy("plural", "节点计划")
        ordering = ["project", "planned_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="node_plan_unique",
                                               violation_error_message=_("该项目已有这一节点的计划，请修改原计划。"))]
        indexes = [models.Index(fields=["planned_date", "actual_date"])]

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("projects:nodeplan", args=[self.pk])

    def is_overdue(self, on_date: dt.date | None = None) -> bool:
        return self.actual_date is None and self.planned_date < (on_date or timezone.localdate())

    def clean(self):
        errors = {}
        if self.planned_date and not 2000 <= self.planned_date.year <= 2100:
            errors["planned_date"] = _("计划日期应在 2000 年至 2100 年之间。")
        elif self.pk is not None and not getattr(self, "_moving_planned_date", False):
            stored = NodePlan._base_manager.filter(pk=self.pk).values_list("planned_date", flat=True).first()
            if stored is not None and self.planned_date != stored:
                errors["planned_date"] = _(
                    "计划日期不能直接修改：请使用“调整计划日期”并选择调整原因，原计划日期会被保留。"
                )
        if self.actual_date:
            if self.actual_date > timezone.localdate():
                errors["actual_date"] = _("实际日期不能晚于今天。")
            elif self.actual_date.year < 2000:
                errors["actual_date"] = _("实际日期不能早于 2000 年。")
            elif self.kind in AFTER_START_NODES and self.project_id:
                started = Project.objects.filter(pk=self.project_id).values_list("actual_start_date", flat=True).first()
                if started and self.actual_date < started:
                    errors["actual_date"] = _("%(node)s的实际日期不能早于项目实际开工日期（%(date)s）。") % {
                        "node": self.get_kind_display(), "date": started.isoformat()}
        if errors:
            raise ValidationError(errors)


class NodePlanChangeQuerySet(ScopedQuerySet):
    project_path = "node__project__"
    write_roles = NODE_WRITERS


class NodePlanChange(models.Model):
    """A move of a node's planned date, with its coded reason: the old date is kept here."""

    node = models.ForeignKey(NodePlan, verbose_name=_("节点计划"), on_delete=models.CASCADE, related_name="changes")
    old_date = models.DateField(_("原计划日期"))
    new_date = models.DateField(_("新计划日期"))
    reason_code = models.CharField(_("调整原因"), max_length=30, choices=NodeChangeReason.choices)
    reason = models.TextField(_("原因说明"), blank=True, help_text=_("调整原因为“其他”时必填。"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调整人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("调整时间"), default=timezone.now)

    objects = NodePlanChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("节点计划调整")
        verbose_name_plural = pgettext_lazy("plural", "节点计划调整")
        ordering = ["node", "changed_at", "pk"]

    def __str__(self):
        return f"{self.node} · {self.old_date} → {self.new_date}"

    @property
    def audit_parent(self):
        return self.node.project

    def clean(self):
        errors = {}
        if self.old_date and self.new_date and self.old_date == self.new_date:
            errors["new_date"] = _("新计划日期与原计划日期相同，无需调整。")
        elif self.new_date and not 2000 <= self.new_date.year <= 2100:
            errors["new_date"] = _("计划日期应在 2000 年至 2100 年之间。")
        if self.reason_code == NodeChangeReason.OTHER and not self.reason.strip():
            errors["reason"] = _("调整原因为“其他”时须填写原因说明。")
        if errors:
            raise ValidationError(errors)
