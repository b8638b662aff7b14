"""Regions, departments, project units, people and the users who sign in."""
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.permissions import ScopedQuerySet
from faims.core.validators import validate_credit_code

from .choices import DepartmentKind, RegionLevel, Role


class RegionQuerySet(ScopedQuerySet):
    def subtree_ids(self, region_id) -> list[int]:
        """The region and every region below it (a 市 and its 区, a 区 and its 功能区)."""
        ids, frontier = [region_id], [region_id]
        while frontier:
            frontier = list(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class Region(models.Model):
    code = models.CharField(
        _("区划代码"), max_length=12, unique=True,
        help_text=_("GB/T 2260 六位代码；无国标代码的功能区使用本地代码。"),
    )
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=20, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = pgettext_lazy("plural", "地区")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:region", args=[self.pk])

    def clean(self):
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级区划不能是本区划或其下级。")})
            node = node.parent


class Department(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.INDUSTRY)
    region = models.ForeignKey(Region, verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="departments")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = pgettext_lazy("plural", "部门")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="department_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:department", args=[self.pk])


class Organisation(models.Model):
    """A project unit (建设单位/项目单位): an enterprise or an agency."""

    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("单位名称"), max_length=200, db_index=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所在地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_synthetic = models.BooleanField(_("演示合成数据"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目单位")
        verbose_name_plural = pgettext_lazy("plural", "项目单位")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:organisation", args=[self.pk])


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("所在部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="people",
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_leader = models.BooleanField(_("市领导"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = pgettext_lazy("plural", "人员")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name

    def get_absolute_url(self):
        return reverse("org:person", args=[self.pk])


class UserQuerySet(ScopedQuerySet):
    read_roles = frozenset({Role.CITY_ADMIN})


class FaimsUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A signed-in user; the role and one scope field decide what it sees."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.PROJECT_UNIT)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所辖地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属项目单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("对应人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("挂钩市领导与服务专员须关联人员档案。"),
    )

    objects = FaimsUserManager()
    audit_exclude = ("password", "last_login")

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = pgettext_lazy("plural", "用户")
        ordering = ["username"]

    def __str__(self):
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def get_absolute_url(self):
        return reverse("org:user", args=[self.pk])

    # The scope field each role needs; a user without it would see nothing.
    SCOPE_FIELD = {
        Role.REGION_OFFICER: "region",
        Role.DEPARTMENT_OFFICER: "department",
        Role.PROJECT_UNIT: "organisation",
        Role.LEADER: "person",
        Role.COMMISSIONER: "person",
    }

    def clean(self):
        super().clean()
        needed = self.SCOPE_FIELD.get(self.role)
        if needed and not getattr(self, f"{needed}_id"):
            raise ValidationError({needed: _("角色“%(role)s”必须填写此项。") % {"role": self.get_role_display()}})

    @property
    def display_name(self):
        return self.full_name or self.username

    @property
    def scope_label(self):
        field = self.SCOPE_FIELD.get(self.role)
        target = getattr(self, field) if field else None
        return f"{self.get_role_display()} · {target}" if target else self.get_role_display()
