from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")


class AuditKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    LOCK = "lock", _("锁定")
    PUBLISH = "publish", _("发布")
    PERMISSION_CHANGE = "permission_change", _("权限变更")
    DEMO_LOAD = "demo_load", _("载入演示数据")
