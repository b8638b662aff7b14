from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    REPORT = "report", _("月报")
    VISIT = "visit", _("走访")
    MEETING = "meeting", _("会议")
    DIRECT = "direct", _("直接提出")


class ProblemCategory(models.TextChoices):
    LAND = "land", _("用地")
    PLANNING = "planning", _("规划")
    ENVIRONMENT = "environment", _("环评")
    ENERGY = "energy", _("能耗")
    FUNDING = "funding", _("资金")
    RELOCATION = "relocation", _("拆迁")
    APPROVAL = "approval", _("审批")
    UTILITIES = "utilities", _("水电气")
    OTHER = "other", pgettext_lazy("问题类别", "其他")


class ProblemStatus(models.TextChoices):
    RAISED = "raised", _("待交办")
    ASSIGNED = "assigned", _("已交办")
    ANSWERED = "answered", _("已反馈")
    CLOSED = "closed", _("已销号")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIRLY = "fairly", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class ActionKind(models.TextChoices):
    RAISE = "raise", _("提出")
    ASSIGN = "assign", _("交办")
    REASSIGN = "reassign", _("重新交办")
    ANSWER = "answer", _("反馈")
    REMIND = "remind", _("提醒")
    SUPERVISE = "supervise", _("督办")
    CONFIRM = "confirm", _("确认销号")
    REJECT = "reject", _("退回重办")
    ESCALATE = "escalate", _("升级")
    ATTACH = "attach", _("上传附件")


class VisitKind(models.TextChoices):
    LEADER = "leader", _("挂钩市领导走访")
    COMMISSIONER = "commissioner", _("服务专员走访")


class MeetingKind(models.TextChoices):
    PROMOTION = "promotion", _("推进会")
    DISPATCH = "dispatch", _("调度会")
    COORDINATION = "coordination", _("专题协调会")
    ON_SITE = "on_site", _("现场办公")


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    DONE = "done", _("已完成")
