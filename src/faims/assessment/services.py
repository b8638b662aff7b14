"""Writing assessment schemes, their indicators and their reward and penalty measures (audited, admin only)."""
from faims.core.services import delete_object, save_object

from .models import AssessmentFlag, AssessmentIndicator, AssessmentScheme


def save_scheme(scheme: AssessmentScheme, *, acting_user, reason: str = "", m2m: dict | None = None):
    return save_object(scheme, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_scheme(scheme: AssessmentScheme, *, acting_user, reason: str = "") -> None:
    delete_object(scheme, acting_user=acting_user, reason=reason)


def save_indicator(indicator: AssessmentIndicator, *, acting_user, reason: str = "", m2m: dict | None = None):
    return save_object(indicator, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_indicator(indicator: AssessmentIndicator, *, acting_user, reason: str = "") -> None:
    delete_object(indicator, acting_user=acting_user, reason=reason)


def save_flag(flag: AssessmentFlag, *, acting_user, reason: str = "", m2m: dict | None = None):
    return save_object(flag, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_flag(flag: AssessmentFlag, *, acting_user, reason: str = "") -> None:
    delete_object(flag, acting_user=acting_user, reason=reason)
