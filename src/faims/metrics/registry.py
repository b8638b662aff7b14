"""The KPI catalogue as data: every key of KPIS.md with its label, kind, unit and definition.

Labels and keys never change; thresholds live in `KpiDefinitionVersion` so that a city admin can
adjust them and every result names the version it used.
"""
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

COUNT, SUM, RATE, DIFFERENCE, VALUE = "count", "sum", "rate", "difference", "value"
KIND_LABELS = {COUNT: _("计数"), SUM: _("金额合计"), RATE: _("比率"), DIFFERENCE: _("差值"), VALUE: _("取值")}
UNIT_LABELS = {"project": _("个"), "wanyuan": _("万元"), "rate": _("比率"), "points": _("百分点"),
               "problem": _("个"), "visit": _("次"), "person": _("人")}


@dataclass(frozen=True)
class Threshold:
    key: str
    label: str
    default: Decimal
    unit: str


THRESHOLDS = {
    t.key: t for t in [
        Threshold("behind_schedule_points", _("低于时序进度的幅度（百分点）"), Decimal("10"), _("百分点")),
        Threshold("over_half_percent", _("年度计划过半的比例（%）"), Decimal("50"), "%"),
        Threshold("stats_entry_min_wanyuan", _("应入库项目的总投资下限（万元）"), Decimal("500"), _("万元")),
        # The project warnings (faims.alerts): the level each rule raises at.
        Threshold("warn_not_started_yellow_months", _("预警：逾期未开工黄色阈值（月）"), Decimal("1"), _("个月")),
        Threshold("warn_not_started_red_months", _("预警：逾期未开工红色阈值（月）"), Decimal("3"), _("个月")),
        Threshold("warn_behind_yellow_points", _("预警：投资进度低于时序进度黄色阈值（百分点）"), Decimal("10"),
                  _("百分点")),
        Threshold("warn_behind_red_points", _("预警：投资进度低于时序进度红色阈值（超过，百分点）"), Decimal("30"),
                  _("百分点")),
        Threshold("warn_stats_yellow_months", _("预警：开工未入统计库黄色阈值（月）"), Decimal("1"), _("个月")),
        Threshold("warn_stats_red_months", _("预警：开工未入统计库红色阈值（月）"), Decimal("2"), _("个月")),
        Threshold("warn_flat_months", _("预警：累计投资停滞（月）"), Decimal("3"), _("个月")),
        Threshold("warn_problem_yellow_days", _("预警：问题逾期未办结黄色阈值（天）"), Decimal("1"), _("天")),
        Threshold("warn_problem_red_days", _("预警：问题逾期未办结红色阈值（天）"), Decimal("30"), _("天")),
        Threshold("warn_node_yellow_days", _("预警：节点计划逾期黄色阈值（天）"), Decimal("1"), _("天")),
        Threshold("warn_node_red_days", _("预警：节点计划逾期红色阈值（天）"), Decimal("60"), _("天")),
    ]
}
DEFAULT_THRESHOLDS = {key: str(t.default) for key, t in THRESHOLDS.items()}
# The usual share of a year's fixed-asset investment done in each month (January … December): slow around the
# Spring Festival, a push at each quarter's end, the most in December. The forecast spreads the run rate with it.
SEASONAL_PROFILE = tuple(Decimal(share) for share in (
    "0.050", "0.045", "0.085", "0.080", "0.090", "0.105", "0.080", "0.085", "0.095", "0.085", "0.090", "0.110"))


@dataclass(frozen=True)
class KpiDefinition:
    key: str
    label: str
    kind: str
    unit: str
    description: str
    numerator: str = ""
    denominator: str = ""
    thresholds: tuple = ()
    implemented: bool = True

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def unit_label(self):
        return UNIT_LABELS[self.unit]


def _d(key, label, kind, unit, description, numerator="", denominator="", thresholds=(), implemented=True):
    return KpiDefinition(key, label, kind, unit, description, numerator, denominator, tuple(thresholds),
                         implemented)


DEFINITIONS = [
    _d("project_count", _("项目数"), COUNT, "project", _("范围内的项目数（在多个项目库的项目只计一次）。")),
    _d("new_count", _("新建项目数"), COUNT, "project", _("当年年度计划为“计划新开工”的项目数。")),
    _d("continuing_count", _("续建项目数"), COUNT, "project", _("当年年度计划为“续建”的项目数。")),
    _d("total_investment", _("总投资"), SUM, "wanyuan", _("项目总投资之和（万元）。")),
    _d("annual_plan", _("年度计划投资"), SUM, "wanyuan", _("当年年度计划投资之和（万元）。")),
    _d("annual_target", _("年度目标任务"), VALUE, "wanyuan",
       _("下达给该范围（全市、地区、项目库或项目类别）的当年年度投资目标（万元）；无对应目标时无值。")),
    _d("ytd_investment", _("1–M月完成投资"), SUM, "wanyuan",
       _("本期月报的本年累计完成投资之和（万元）；未报送的项目计0，不借用其他月份的数据。")),
    _d("completion_rate", _("年度计划完成率"), RATE, "rate", _("本年累计完成投资占年度计划投资的比例。"),
       _("1–M月完成投资"), _("年度计划投资")),
    _d("target_completion_rate", _("年度目标完成率"), RATE, "rate", _("本年累计完成投资占年度目标任务的比例。"),
       _("1–M月完成投资"), _("年度目标任务")),
    _d("time_progress", _("时序进度"), RATE, "rate", _("M/12。"), _("月份M"), "12"),
    _d("progress_gap", _("超时序（百分点）"), DIFFERENCE, "points", _("年度计划完成率减时序进度。")),
    _d("new_started_count", _("新建已开工"), COUNT, "project", _("计划新开工项目中实际开工日期不晚于期末的项目数。")),
    _d("new_start_rate", _("新开工率"), RATE, "rate", _("新建已开工项目占计划新开工项目的比例。"),
       _("新建已开工项目"), _("计划新开工项目")),
    _d("continuing_not_started_count", _("续建未开工"), COUNT, "project", _("续建项目中到期末仍未开工的项目数。")),
    _d("not_started_count", _("未开工项目数"), COUNT, "project", _("到期末仍未开工的项目数。")),
    _d("started_rate", _("开复工率"), RATE, "rate", _("到期末已开工项目占全部项目的比例。"),
       _("已开工项目"), _("全部项目")),
    _d("behind_schedule_count", _("低于时序进度项目数"), COUNT, "project",
       _("已开工且有年度计划的项目中，自身年度计划完成率低于时序进度减阈值的项目数。"),
       thresholds=["behind_schedule_points"]),
    _d("over_half_count", _("年度计划过半项目数"), COUNT, "project",
       _("有年度计划的项目中，本年累计完成投资不低于年度计划投资一定比例的项目数。"),
       thresholds=["over_half_percent"]),
    _d("stats_entry_rate", _("入库率"), RATE, "rate", _("已开工且总投资达到下限的项目中已纳入统计库的比例。"),
       _("其中已纳统的项目"), _("到期末已开工且总投资达到下限的项目"), thresholds=["stats_entry_min_wanyuan"]),
    _d("missing_report_count", _("未报送"), COUNT, "project", _("本期应报送而尚未报送月报的项目数。")),
    _d("on_time_report_rate", _("按时报送率"), RATE, "rate",
       _("本期应报送的项目中在截止日（默认次月20日）前首次报送的比例。"), _("按时报送的项目"), _("本期应报送的项目")),
    _d("completed_count", _("竣工项目数"), COUNT, "project", _("实际竣工日期不晚于期末的项目数。")),
    _d("in_production_count", _("投产项目数"), COUNT, "project",
       _("实际投产日期不晚于期末的项目数（部分或全部投产）。")),
    _d("forecast_year_end", _("预计全年完成"), SUM, "wanyuan",
       _("1–M月完成投资，加上按近三个月完成投资（剔除季节因素）的月度进度和季节规律推算的其余月份投资；"
         "三个月前尚未报送的项目按本年累计完成投资推算。12月即为1–12月完成投资。")),
    _d("filing_rate", _("签约项目备案率"), RATE, "rate", _("当年签约的项目中已取得投资项目统一代码的比例。"),
       _("已赋码的签约项目"), _("当年签约项目")),
    _d("filed_start_rate", _("备案项目开工率"), RATE, "rate", _("当年备案的项目中到期末已开工的比例。"),
       _("已开工的备案项目"), _("当年备案项目")),
    _d("started_investment_rate", _("开工项目投资完成率"), RATE, "rate",
       _("已开工项目本年累计完成投资占其年度计划投资的比例。"),
       _("已开工项目1–M月完成投资"), _("已开工项目年度计划投资")),
    _d("production_rate", _("竣工项目投产率"), RATE, "rate", _("当年竣工的项目中已投产的比例。"),
       _("已投产的竣工项目"), _("当年竣工项目")),
    _d("capacity_rate", _("最终产能达效率"), RATE, "rate", _("当年投产的项目中已达效的比例。"),
       _("已达效的投产项目"), _("当年投产项目")),
    _d("filed_10yi_count", _("新招引备案10亿元以上项目"), COUNT, "project", _("当年备案且总投资10亿元以上的项目数。")),
    _d("filed_50yi_count", _("新招引备案50亿元以上项目"), COUNT, "project", _("当年备案且总投资50亿元以上的项目数。")),
    _d("filed_100yi_count", _("新招引备案100亿元以上项目"), COUNT, "project",
       _("当年备案且总投资100亿元以上的项目数。")),
    _d("warning_red_count", _("红色预警项目数"), COUNT, "project",
       _("本期有有效红色预警的项目数（一个项目多条只计一次）。")),
    _d("warning_yellow_count", _("黄色预警项目数"), COUNT, "project",
       _("本期有有效黄色预警的项目数（一个项目多条只计一次）。")),
    _d("warning_project_count", _("预警项目数"), COUNT, "project", _("本期有任一有效预警的项目数。")),
    _d("problem_open_count", _("未办结问题"), COUNT, "problem", _("到期末已提出、尚未办结（销号）的问题数。")),
    _d("problem_overdue_count", _("逾期问题"), COUNT, "problem", _("到期末超过办理期限仍未办结的问题数。")),
    _d("problem_feedback_rate", _("问题反馈率"), RATE, "rate",
       _("办理期限在当年1月1日至期末之间的问题中，在期限当日或之前首次反馈的比例。"),
       _("按期反馈的问题"), _("期内到期的问题")),
    _d("problem_closure_rate", _("问题办结率"), RATE, "rate", _("当年1月1日至期末提出的问题中，到期末已办结的比例。"),
       _("已办结的问题"), _("期内提出的问题")),
    _d("leader_visit_compliance_rate", _("挂钩市领导走访履职率"), RATE, "rate",
       _("范围内项目的挂钩市领导中，本季度初至期末走访不少于1次的比例（每季度走访1–2次）。"),
       _("履职的挂钩市领导"), _("范围内项目的挂钩市领导")),
    _d("commissioner_visit_compliance_rate", _("服务专员走访履职率"), RATE, "rate",
       _("服务范围内项目的政府服务专员中，本月走访不少于1次的比例（每月走访1–2次）。"),
       _("履职的服务专员"), _("服务范围内项目的服务专员")),
    _d("leader_visit_count", _("挂钩市领导走访次数"), COUNT, "visit",
       _("本月挂钩市领导走访范围内项目的次数（一次走访多个项目只计一次）。")),
    _d("leader_visitor_count", _("走访的挂钩市领导人数"), COUNT, "person",
       _("本月走访过范围内项目的挂钩市领导人数。")),
]
REGISTRY = {d.key: d for d in DEFINITIONS}
IMPLEMENTED = [d.key for d in DEFINITIONS if d.implemented]
MONEY_KEYS = frozenset(d.key for d in DEFINITIONS if d.unit == "wanyuan")
