"""Changing the KPI thresholds: a new definition version, never an edit of an old one."""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from faims.core.services import save_object
from faims.org.choices import Role

from .models import KpiDefinitionVersion
from .registry import DEFAULT_THRESHOLDS, THRESHOLDS


def current_version() -> KpiDefinitionVersion:
    version = KpiDefinitionVersion.objects.current()
    if version is None:
        # Only a database built without the migrations' first version gets here.
        version = KpiDefinitionVersion(number=1, thresholds=dict(DEFAULT_THRESHOLDS))
    return version


def thresholds_of(version: KpiDefinitionVersion) -> dict[str, Decimal]:
    """The version's thresholds, with the catalogue default for any key it does not name."""
    values = {key: Decimal(DEFAULT_THRESHOLDS[key]) for key in THRESHOLDS}
    values.update({key: Decimal(str(value)) for key, value in version.thresholds.items() if key in THRESHOLDS})
    return values


@transaction.atomic
def change_thresholds(thresholds: dict, *, acting_user, note: str) -> KpiDefinitionVersion:
    """A new version with `thresholds` (the others unchanged); city admin only, with a reason."""
    if getattr(acting_user, "role", None) != Role.CITY_ADMIN:
        raise PermissionDenied(_("只有市重大办管理员可以调整指标阈值。"))
    if not note.strip():
        raise ValidationError({"note": _("请填写调整原因。")})
    current = current_version()
    values = {key: str(value) for key, value in thresholds_of(current).items()}
    errors = {}
    for key, value in thresholds.items():
        if key not in THRESHOLDS:
            errors[key] = _("没有这一阈值。")
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            errors[key] = _("阈值应为数字。")
            continue
        if not number.is_finite() or number < 0:
            errors[key] = _("阈值不能为负数。")
            continue
        values[key] = str(int(number)) if number == number.to_integral_value() else str(number)
    if errors:
        raise ValidationError(errors)
    last = KpiDefinitionVersion.objects.select_for_update().order_by("-number").first()
    version = KpiDefinitionVersion(number=(last.number if last else 0) + 1, thresholds=values, note=note.strip(),
                                   created_by=acting_user)
    return save_object(version, acting_user=acting_user, reason=note.strip())
