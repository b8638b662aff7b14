"""Writing the registry: the functions the pages, the Excel import and the API all call.

Each is a thin layer over `core.services.save_object` / `delete_object` (validated, scoped, atomic,
in the change log); here live only the registry's own rules and messages.
"""
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from faims.core.services import delete_object, save_object

from .models import AnnualPlan, Library, Membership, Project, ProjectPerson

# Django's generic "… already exists" messages, replaced by ones that say what is duplicated and
# where; the forms use the same messages (their Meta.error_messages).
DUPLICATE_MESSAGES = {
    Project: ("code", "unique", _("该投资项目统一代码已被另一个项目使用，请核对后重新填写。")),
    Library: (NON_FIELD_ERRORS, "unique_together", _("同一年度已有同名的项目库。")),
    Membership: (NON_FIELD_ERRORS, "unique_together", _("该项目已在这个项目库中，不能重复入库。")),
    AnnualPlan: (NON_FIELD_ERRORS, "unique_together", _("该项目已有这一年度的年度计划，请修改原计划。")),
    ProjectPerson: (NON_FIELD_ERRORS, "unique_together", _("该人员已在此项目中担任这一角色。")),
}


def duplicate_error_messages(model) -> dict:
    """The model's duplicate message in the shape of a ModelForm's Meta.error_messages."""
    field, code, message = DUPLICATE_MESSAGES[model]
    return {field: {code: message}}


def _clearer(exc: ValidationError, model) -> ValidationError:
    field, code, message = DUPLICATE_MESSAGES[model]
    if not hasattr(exc, "error_dict") or field not in exc.error_dict:
        return exc
    errors = dict(exc.error_dict)
    errors[field] = [ValidationError(message, code=code) if e.code == code else e for e in errors[field]]
    return ValidationError(errors)


def _save(instance, *, acting_user, reason, m2m=None):
    try:
        return save_object(instance, acting_user=acting_user, reason=reason, m2m=m2m)
    except ValidationError as exc:
        raise _clearer(exc, type(instance)) from exc


def save_project(project: Project, *, acting_user, reason: str = "", m2m: dict | None = None) -> Project:
    """Create or update a project; `m2m` sets its departments ({"departments": [...]})."""
    return _save(project, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_project(project: Project, *, acting_user, reason: str = "") -> None:
    delete_object(project, acting_user=acting_user, reason=reason)


def save_library(library: Library, *, acting_user, reason: str = "", m2m: dict | None = None) -> Library:
    return _save(library, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_library(library: Library, *, acting_user, reason: str = "") -> None:
    delete_object(library, acting_user=acting_user, reason=reason)


def save_membership(membership: Membership, *, acting_user, reason: str = "", m2m: dict | None = None) -> Membership:
    return _save(membership, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_membership(membership: Membership, *, acting_user, reason: str = "") -> None:
    delete_object(membership, acting_user=acting_user, reason=reason)


def save_annual_plan(plan: AnnualPlan, *, acting_user, reason: str = "", m2m: dict | None = None) -> AnnualPlan:
    return _save(plan, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_annual_plan(plan: AnnualPlan, *, acting_user, reason: str = "") -> None:
    delete_object(plan, acting_user=acting_user, reason=reason)


def save_project_person(person: ProjectPerson, *, acting_user, reason: str = "",
                        m2m: dict | None = None) -> ProjectPerson:
    return _save(person, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_project_person(person: ProjectPerson, *, acting_user, reason: str = "") -> None:
    delete_object(person, acting_user=acting_user, reason=reason)
