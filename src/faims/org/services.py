"""Writing regions, departments, project units, people and users; every caller goes through these."""
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.services import delete_object, save_object

from .choices import Role
from .models import Department, Organisation, Person, Region, User

# The fields that decide what a user may see and do; a change of any of them is a permission change.
PERMISSION_FIELDS = ("role", "region", "department", "organisation", "person", "is_active")
SCOPE_FIELDS = ("region", "department", "organisation", "person")


def save_region(region: Region, *, acting_user, reason: str = "", m2m: dict | None = None) -> Region:
    return save_object(region, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_region(region: Region, *, acting_user, reason: str = "") -> None:
    delete_object(region, acting_user=acting_user, reason=reason)


def save_department(department: Department, *, acting_user, reason: str = "", m2m: dict | None = None) -> Department:
    return save_object(department, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_department(department: Department, *, acting_user, reason: str = "") -> None:
    delete_object(department, acting_user=acting_user, reason=reason)


def check_credit_code_free(credit_code: str, *, exclude_pk=None) -> None:
    """Raise a field error naming the unit that already holds the code (the database would only refuse)."""
    holder = Organisation.objects.filter(credit_code=credit_code).exclude(pk=exclude_pk).first()
    if holder is not None:
        raise ValidationError({"credit_code": _("统一社会信用代码 %(code)s 已登记为“%(name)s”，不能重复登记。") % {
            "code": credit_code, "name": holder.name}})


def save_organisation(
    organisation: Organisation, *, acting_user, reason: str = "", m2m: dict | None = None
) -> Organisation:
    # Codes are printed in upper case on licences but often typed in lower case.
    organisation.credit_code = (organisation.credit_code or "").strip().upper()
    if organisation.credit_code:
        check_credit_code_free(organisation.credit_code, exclude_pk=organisation.pk)
    return save_object(organisation, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_organisation(organisation: Organisation, *, acting_user, reason: str = "") -> None:
    delete_object(organisation, acting_user=acting_user, reason=reason)


def save_person(person: Person, *, acting_user, reason: str = "", m2m: dict | None = None) -> Person:
    return save_object(person, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_person(person: Person, *, acting_user, reason: str = "") -> None:
    delete_object(person, acting_user=acting_user, reason=reason)


def _permissions(user: User) -> dict:
    return {name: getattr(user, f"{name}_id" if name in SCOPE_FIELDS else name) for name in PERMISSION_FIELDS}


def _check_scope_fields(user: User) -> None:
    """A user carries only the scope field its role reads, so that its scope label tells the whole truth."""
    needed = User.SCOPE_FIELD.get(user.role)
    errors = {
        name: _("角色“%(role)s”不使用此项，请留空。") % {"role": user.get_role_display()}
        for name in SCOPE_FIELDS
        if name != needed and getattr(user, f"{name}_id")
    }
    if errors:
        raise ValidationError(errors)


def _check_not_locking_out(user: User, acting_user) -> None:
    if user.pk is not None and user.pk == getattr(acting_user, "pk", None):
        if user.role != Role.CITY_ADMIN:
            raise ValidationError({"role": _("不能取消自己的管理员角色，请由另一位管理员操作。")})
        if not user.is_active:
            raise ValidationError({"is_active": _("不能停用自己的账号，请由另一位管理员操作。")})


@transaction.atomic
def save_user(
    user: User, *, acting_user, password: str | None = None, reason: str = "", m2m: dict | None = None
) -> User:
    """Create or update a user; a new password is validated and stored hashed, never logged.

    A change of role, scope or active state is also recorded as a permission-change audit event.
    """
    creating = user.pk is None
    before = None if creating else _permissions(User.objects.get(pk=user.pk))
    _check_scope_fields(user)
    _check_not_locking_out(user, acting_user)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    elif creating:
        # Without a password the account exists but nobody can sign in to it until one is set.
        user.set_unusable_password()
    save_object(user, acting_user=acting_user, reason=reason, m2m=m2m)
    after = _permissions(user)
    if before != after or password:
        record_event(
            AuditKind.PERMISSION_CHANGE, user=acting_user, account=user.username, account_id=user.pk,
            before=before, after=after, password_set=bool(password), reason=reason,
        )
    return user


def delete_user(user: User, *, acting_user, reason: str = "") -> None:
    if user.pk == getattr(acting_user, "pk", None):
        raise ValidationError(_("不能删除自己的账号。"))
    with transaction.atomic():
        before = _permissions(user)
        username, pk = user.username, user.pk
        delete_object(user, acting_user=acting_user, reason=reason)
        record_event(
            AuditKind.PERMISSION_CHANGE, user=acting_user, account=username, account_id=pk,
            before=before, after=None, password_set=False, reason=reason,
        )
