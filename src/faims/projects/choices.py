from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    INDUSTRY = "industry", _("产业")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    LIVELIHOOD = "livelihood", _("民生")
    ECOLOGY = "ecology", _("生态环保")
    INNOVATION = "innovation", _("创新载体")


class Nature(models.TextChoices):
    NEW = "new", _("新建")
    EXPANSION = "expansion", _("扩建")
    RENOVATION = "renovation", _("改建和技术改造")
    RELOCATION = "relocation", _("迁建")
    RESTORATION = "restoration", _("恢复")
    OTHER = "other", _("其他")


class InvestmentType(models.TextChoices):
    GOVERNMENT = "government", _("政府投资")
    ENTERPRISE = "enterprise", _("企业投资")


class ApprovalMode(models.TextChoices):
    APPROVAL = "approval", _("审批")
    VERIFICATION = "verification", _("核准")
    FILING = "filing", _("备案")


class LifecycleStatus(models.TextChoices):
    PLANNING = "planning", _("谋划")
    RESERVE = "reserve", _("储备")
    PREPARATION = "preparation", _("前期")
    CONSTRUCTION = "construction", _("在建")
    COMPLETED = "completed", _("竣工")
    PRODUCTION = "production", _("投产")
    CAPACITY = "capacity", _("达效")
    SUSPENDED = "suspended", _("停缓建")
    WITHDRAWN = "withdrawn", _("退库")


class LibraryLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    COUNTY = "county", _("县区级")


class LibraryKind(models.TextChoices):
    IMPLEMENTATION = "implementation", _("实施库")
    RESERVE = "reserve", _("储备库")


class MembershipStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟入库")
    IN_LIBRARY = "in_library", _("在库")
    WITHDRAWN = "withdrawn", _("已退库")


class StartKind(models.TextChoices):
    NEW = "new", _("计划新开工")
    CONTINUING = "continuing", _("续建")


class PersonRole(models.TextChoices):
    LEADER = "leader", _("挂钩市领导")
    RESPONSIBLE = "responsible", _("责任人")
    CONTACT = "contact", _("联络人")
    COMMISSIONER = "commissioner", _("服务专员")


class Tier(models.TextChoices):
    """The policy's "15151" investment tiers, by total investment."""

    YI_1 = "1", _("1亿元以上")
    YI_10 = "10", _("10亿元以上")
    YI_50 = "50", _("50亿元以上")
    YI_100 = "100", _("100亿元以上")


# Lower bound of each tier in 万元 (1亿 = 10,000万).
TIER_MIN_WANYUAN = {tier: Decimal(int(tier.value) * 10_000) for tier in Tier}


class NodeKind(models.TextChoices):
    """The key nodes of a project's node plan (项目节点计划), in the order they are reached."""

    PROPOSAL = "proposal", _("项目建议书")
    FEASIBILITY = "feasibility", _("可研批复")
    PRELIMINARY_DESIGN = "preliminary_design", _("初步设计及概算")
    LAND_PREVIEW = "land_preview", _("用地预审与选址")
    EIA = "eia", _("环评批复")
    ENERGY = "energy", _("节能审查")
    LAND_PLANNING = "land_planning", _("用地规划许可")
    WORKS_PLANNING = "works_planning", _("工程规划许可")
    CONSTRUCTION_PERMIT = "construction_permit", _("施工许可")
    SIGN = "sign", _("签约")
    FILING = "filing", _("备案/核准")
    START = "start", _("开工")
    TOPPING_OUT = "topping_out", _("主体封顶")
    COMPLETION = "completion", _("竣工")
    PRODUCTION = "production", _("投产")
    CAPACITY = "capacity", _("达产")


# The approvals among the nodes (审批节点), the first nine.
APPROVAL_NODES = tuple(NodeKind)[:9]
# Nodes that come after the start of works: their actual date cannot precede the project's actual start.
AFTER_START_NODES = (NodeKind.TOPPING_OUT, NodeKind.COMPLETION, NodeKind.PRODUCTION, NodeKind.CAPACITY)


class NodeChangeReason(models.TextChoices):
    APPROVAL_DELAY = "approval_delay", _("审批滞后")
    FUNDING = "funding", _("资金未到位")
    LAND = "land", _("征地拆迁")
    DESIGN_CHANGE = "design_change", _("设计变更")
    SITE_CONDITIONS = "site_conditions", _("施工条件")
    POLICY = "policy", _("政策调整")
    OTHER = "other", _("其他")
