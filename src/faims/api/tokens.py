"""Creating and revoking personal API tokens, through the services so that both are in the change log."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from faims.core.services import save_object

from .models import ApiToken, hash_key, new_key

DEFAULT_DAYS = 90
MAX_DAYS = 365
MAX_ACTIVE = 20


def create_token(*, user, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token of the user's, valid for `days`; returns it with the key, which is never shown again."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("请填写令牌名称。")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        errors["days"] = _("有效天数须为 1 至 %(max)s 之间的整数。") % {"max": MAX_DAYS}
    if ApiToken.objects.filter(user=user).usable().count() >= MAX_ACTIVE:
        errors["name"] = _("有效令牌已达 %(max)s 个，请先撤销不用的令牌。") % {"max": MAX_ACTIVE}
    if errors:
        raise ValidationError(errors)
    key = new_key()
    token = ApiToken(
        user=user,
        name=name[:100],
        prefix=key[:12],
        key_hash=hash_key(key),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    save_object(token, acting_user=user, reason=_("创建接口令牌"))
    return token, key


def revoke_token(token: ApiToken, *, user) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        save_object(token, acting_user=user, reason=_("撤销接口令牌"))
    return token


def find_token(key: str) -> ApiToken | None:
    """The usable token of the key, or None (unknown, revoked, expired or of an inactive user)."""
    if not key:
        return None
    return ApiToken.objects.usable().select_related("user").filter(key_hash=hash_key(key)).first()
