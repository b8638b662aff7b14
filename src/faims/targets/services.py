"""Writing targets; every caller (pages, imports, commands) goes through these."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from faims.core.services import delete_object, save_object

from .models import Target

IDENTITY_FIELDS = ("kpi_key", "scope", "region", "library", "category", "year", "period")


def check_unique(target: Target) -> None:
    """One value per KPI, scope, year and period.

    The database constraint cannot see duplicates whose region or library is empty (NULL never
    equals NULL), which is exactly the city-wide case, so the rule is checked here.
    """
    identity = {name: getattr(target, name) for name in IDENTITY_FIELDS if name not in ("region", "library")}
    identity.update(region_id=target.region_id, library_id=target.library_id)
    if Target.objects.filter(**identity).exclude(pk=target.pk).exists():
        raise ValidationError(_("该年度、该范围、该时点的这一指标已有目标任务，请修改原有目标而不要重复录入。"))


def save_target(target: Target, *, acting_user, reason: str = "", m2m: dict | None = None) -> Target:
    check_unique(target)
    return save_object(target, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_target(target: Target, *, acting_user, reason: str = "") -> None:
    delete_object(target, acting_user=acting_user, reason=reason)
