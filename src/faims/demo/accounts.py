"""The demo accounts: one user of every role, all with the same demo password."""
import os

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from faims.org.choices import Role
from faims.org.models import User

DEFAULT_PASSWORD = "Faims@2022"

# username, role, full name, scope: (field, reference key) resolved by the loader
ACCOUNTS = [
    ("admin", Role.CITY_ADMIN, "市重大办管理员", ("department", "fgw")),
    ("xinwu", Role.REGION_OFFICER, "新吴区重大办经办人", ("region", "320214")),
    ("jiangyin", Role.REGION_OFFICER, "江阴市重大办经办人", ("region", "320281")),
    ("zrzy", Role.DEPARTMENT_OFFICER, "市自然资源规划局经办人", ("department", "zrzy")),
    ("unit", Role.PROJECT_UNIT, "华虹半导体（无锡）有限公司填报员", ("organisation", "huahong")),
    ("leader", Role.LEADER, "", ("person", "leader")),
    ("supervisor", Role.SUPERVISOR, "市政府督查室", ("department", "dcs")),
    ("commissioner", Role.COMMISSIONER, "", ("person", "commissioner")),
]
USERNAMES = [username for username, *_ in ACCOUNTS]


def demo_password() -> str:
    return os.environ.get(settings.FAIMS_DEMO_PASSWORD_ENV) or DEFAULT_PASSWORD


def build_users(scopes: dict) -> list[User]:
    """Unsaved, validated users; `scopes` maps (field, key) to the object the user is scoped to.

    The password is hashed once with the configured hasher and the hash shared: every demo user
    has the same password, and Argon2 is slow by design.
    """
    password_hash = make_password(demo_password())
    users = []
    for username, role, full_name, scope in ACCOUNTS:
        target = scopes[scope]
        user = User(username=username, role=role, full_name=full_name or target.name, password=password_hash)
        setattr(user, scope[0], target)
        user.full_clean(validate_unique=False)
        users.append(user)
    return users


def account_rows() -> list[tuple[str, str, str, str]]:
    """(username, role, scope, password) of every demo account, as `faims demo_accounts` prints them."""
    found = {
        u.username: u
        for u in User.objects.filter(username__in=USERNAMES).select_related("region", "department", "organisation",
                                                                               "person")
    }
    password = demo_password()
    rows = []
    for username, role, *_rest in ACCOUNTS:
        user = found.get(username)
        if user is None:
            rows.append((username, str(Role(role).label), _("（未载入）"), ""))
            continue
        field = User.SCOPE_FIELD.get(user.role)
        scope = str(getattr(user, field)) if field else _("全市")
        rows.append((username, user.get_role_display(), scope, password))
    return rows


def format_table(rows) -> str:
    header = (_("用户名"), _("角色"), _("范围"), _("密码"))
    table = [header, *rows]

    def width(text):
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    widths = [max(width(str(row[i])) for row in table) for i in range(len(header))]

    def line(row):
        return "  ".join(str(cell) + " " * (widths[i] - width(str(cell))) for i, cell in enumerate(row)).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)])
