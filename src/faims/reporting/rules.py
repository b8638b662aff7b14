"""The validation rules of a monthly report, in one place, readable by users as a table (`RULES`).

`check()` is pure: it reads the report, the project and the earlier reports it is given and returns
findings; the services decide what an ERROR blocks and what a WARNING asks for (a confirming note).

Amount conventions: the year-to-date figure (本年累计, 1–M月) is the sum of the year's monthly
amounts and restarts in January; the cumulative figure (自开工累计) never restarts.

Status order for the "backwards" rules (R09, R10): 谋划 < 储备 < 前期 < 在建 < 竣工 < 投产 < 达效 and
未投产 < 部分投产 < 全部投产. 停缓建 and 退库 stand outside that order; because either stops a
project's reporting figures from meaning what they usually mean, a move *into* 停缓建 or 退库, and a
move *out of* 退库, needs the same explanation as a backwards move. Resuming from 停缓建 does not.
"""
import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faims.core.formatting import format_wan
from faims.projects.choices import LifecycleStatus

from .choices import ProductionStatus, RuleLevel, StartStatus, StatsStatus

LIFECYCLE_ORDER = [
    LifecycleStatus.PLANNING,
    LifecycleStatus.RESERVE,
    LifecycleStatus.PREPARATION,
    LifecycleStatus.CONSTRUCTION,
    LifecycleStatus.COMPLETED,
    LifecycleStatus.PRODUCTION,
    LifecycleStatus.CAPACITY,
]
PRODUCTION_ORDER = [ProductionStatus.NONE, ProductionStatus.PARTIAL, ProductionStatus.FULL]
# Above this share of the total investment a cumulative figure is taken for a typing error.
CUMULATIVE_ERROR_RATIO = Decimal("1.5")


@dataclass(frozen=True)
class Rule:
    code: str
    level: str
    title: str
    description: str

    def get_level_display(self):
        return RuleLevel(self.level).label


@dataclass(frozen=True)
class Finding:
    code: str
    level: str
    field: str | None
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == RuleLevel.ERROR

    def __str__(self):
        return self.message


RULES = [
    Rule("R01", RuleLevel.ERROR, _("本年累计与本月数相符"),
         _("本年累计完成投资是当年各月完成投资之和，每年1月重新起算：1月的本月数等于本年累计；"
           "其他月份的本年累计等于上月本年累计加本月数，且不能小于上期本年累计。"
           "只填本年累计时，本月数由上月报送推算；系统中没有上月报送时本月数记为未知。")),
    Rule("R02", RuleLevel.ERROR, _("自开工累计不减少"),
         _("自开工累计完成投资不能小于该项目上一次报送的累计数（跨年度也一样）。")),
    Rule("R03", RuleLevel.ERROR, _("当年开工项目累计不小于本年累计"),
         _("当年开工的项目，自开工累计完成投资不能小于本年累计完成投资。")),
    Rule("R04", RuleLevel.WARNING, _("累计超过总投资"),
         _("自开工累计完成投资超过项目总投资时为预警，报送前须填写说明。")),
    Rule("R05", RuleLevel.ERROR, _("累计远超总投资"),
         _("自开工累计完成投资超过项目总投资的150%，多为单位（万元/元/亿元）填错，不能报送。")),
    Rule("R06", RuleLevel.ERROR, _("有投资须已开工"),
         _("填报了完成投资的项目，开工情况须为“已开工”并填写实际开工日期；"
           "开工情况为“已开工”时也须填写实际开工日期。")),
    Rule("R07", RuleLevel.ERROR, _("开工日期不晚于报送期"),
         _("实际开工日期不能晚于报送期的最后一天；入库（申报）日期同样不能晚于报送期。")),
    Rule("R08", RuleLevel.ERROR, _("不能报送未来月份"),
         _("报送期尚未开始的月份不能填报。")),
    Rule("R09", RuleLevel.ERROR, _("建设状态倒退须说明"),
         _("建设状态按 谋划、储备、前期、在建、竣工、投产、达效 的顺序推进；比上一次报送倒退（如投产→在建），"
           "或转为停缓建、退库，或从退库恢复，须填写状态变化说明。")),
    Rule("R10", RuleLevel.ERROR, _("投产情况倒退须说明"),
         _("投产情况按 未投产、部分投产、全部投产 的顺序推进；比上一次报送倒退须填写状态变化说明。")),
    Rule("R11", RuleLevel.WARNING, _("已入库须填写入库日期"),
         _("入库申报情况为“已入库”而未填写入库日期时为预警，报送前须填写说明。")),
]
RULES_BY_CODE = {rule.code: rule for rule in RULES}


def wan(value) -> str:
    """An amount as a message names it: "8,000万元"."""
    return f"{format_wan(value)}万元"


def period_bounds(period) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(period.year, period.month)[1]
    return dt.date(period.year, period.month, 1), dt.date(period.year, period.month, last)


def is_immediately_before(earlier, period) -> bool:
    """Whether `earlier` (a report) is of the month just before `period` within the same year."""
    return (earlier is not None and earlier.period.year == period.year
            and earlier.period.month == period.month - 1)


def _finding(code, field, message) -> Finding:
    return Finding(code, RULES_BY_CODE[code].level, field, f"{code} {message}")


def check(report, *, previous, project, earlier=None, today: dt.date | None = None) -> list[Finding]:
    """The findings of `report`.

    previous: the latest report of the same year before the report's period (None if none);
    earlier: the latest report of any year before the period (defaults to `previous`), which the
    rules that do not restart in January (cumulative, statuses) compare with;
    today: the local date the "future period" rule measures against.
    """
    earlier = earlier if earlier is not None else previous
    today = today or timezone.localdate()
    period = report.period
    first_day, last_day = period_bounds(period)
    findings = []
    month, ytd, cumulative = report.month_investment, report.ytd_investment, report.cumulative_investment

    # R01 — the year-to-date figure is the sum of the year's months.
    if period.month == 1:
        if month is not None and ytd is not None and month != ytd:
            findings.append(_finding("R01", "month_investment", _(
                "1月的本月完成投资（%(month)s）应等于本年累计完成投资（%(ytd)s）。"
            ) % {"month": wan(month), "ytd": wan(ytd)}))
    elif previous is not None and previous.ytd_investment is not None and ytd is not None:
        prev_ytd = previous.ytd_investment
        if ytd < prev_ytd:
            findings.append(_finding("R01", "ytd_investment", _(
                "本年累计完成投资（%(ytd)s）小于上期（%(prev)s，%(period)s），本年累计不能减少。"
            ) % {"ytd": wan(ytd), "prev": wan(prev_ytd), "period": previous.period}))
        elif month is not None and is_immediately_before(previous, period) and prev_ytd + month != ytd:
            findings.append(_finding("R01", "month_investment", _(
                "本年累计完成投资（%(ytd)s）应等于上月本年累计（%(prev)s）加本月完成投资（%(month)s），"
                "即 %(expected)s。"
            ) % {"ytd": wan(ytd), "prev": wan(prev_ytd), "month": wan(month), "expected": wan(prev_ytd + month)}))
        elif month is not None and prev_ytd + month > ytd:
            findings.append(_finding("R01", "month_investment", _(
                "本年累计完成投资（%(ytd)s）小于上期本年累计（%(prev)s，%(period)s）加本月完成投资（%(month)s）。"
            ) % {"ytd": wan(ytd), "prev": wan(prev_ytd), "period": previous.period, "month": wan(month)}))

    # R02 — the cumulative figure never decreases, across years too.
    if cumulative is not None and earlier is not None and earlier.cumulative_investment is not None:
        if cumulative < earlier.cumulative_investment:
            findings.append(_finding("R02", "cumulative_investment", _(
                "自开工累计完成投资（%(cum)s）小于上期（%(prev)s，%(period)s），累计数不能减少。"
            ) % {"cum": wan(cumulative), "prev": wan(earlier.cumulative_investment), "period": earlier.period}))

    start_date = report.actual_start_date or project.actual_start_date
    # R03 — a project started this year cannot have spent less since its start than this year.
    if (cumulative is not None and ytd is not None and start_date is not None
            and start_date.year == period.year and cumulative < ytd):
        findings.append(_finding("R03", "cumulative_investment", _(
            "项目于%(year)s年开工，自开工累计完成投资（%(cum)s）不能小于本年累计完成投资（%(ytd)s）。"
        ) % {"year": period.year, "cum": wan(cumulative), "ytd": wan(ytd)}))

    # R04 / R05 — cumulative against the total investment.
    total = project.total_investment
    if cumulative is not None and total:
        if cumulative > total * CUMULATIVE_ERROR_RATIO:
            findings.append(_finding("R05", "cumulative_investment", _(
                "自开工累计完成投资（%(cum)s）超过总投资（%(total)s）的150%%，请核对金额和单位（万元）。"
            ) % {"cum": wan(cumulative), "total": wan(total)}))
        elif cumulative > total:
            findings.append(_finding("R04", "cumulative_investment", _(
                "自开工累计完成投资（%(cum)s）超过总投资（%(total)s），请说明原因（如总投资已调整）。"
            ) % {"cum": wan(cumulative), "total": wan(total)}))

    # R06 — investment means the project has started, on a known date.
    invested = max((v for v in (month, ytd, cumulative) if v is not None), default=Decimal(0))
    if invested > 0 and report.start_status != StartStatus.STARTED:
        findings.append(_finding("R06", "start_status", _(
            "已填报完成投资（%(amount)s），开工情况却为“未开工”；请改为“已开工”并填写实际开工日期。"
        ) % {"amount": wan(invested)}))
    elif report.start_status == StartStatus.STARTED and start_date is None:
        findings.append(_finding("R06", "actual_start_date", _("开工情况为“已开工”，请填写实际开工日期。")))

    # R07 — dates cannot lie after the period reported.
    if report.actual_start_date and report.actual_start_date > last_day:
        findings.append(_finding("R07", "actual_start_date", _(
            "实际开工日期（%(date)s）晚于报送期（%(period)s），请核对。"
        ) % {"date": report.actual_start_date.isoformat(), "period": period}))
    if report.stats_date and report.stats_date > last_day:
        findings.append(_finding("R07", "stats_date", _(
            "入库（申报）日期（%(date)s）晚于报送期（%(period)s），请核对。"
        ) % {"date": report.stats_date.isoformat(), "period": period}))

    # R08 — nothing is reported for a month that has not begun.
    if first_day > today:
        findings.append(_finding("R08", None, _("报送期%(period)s尚未开始，不能填报。") % {"period": period}))

    # R09 / R10 — statuses that go backwards need a reason. Only against the earlier report: the
    # registry's status is today's, while the first report FAIMS holds may describe an earlier month.
    if earlier is not None and not (report.status_change_reason or "").strip():
        before = earlier.construction_status
        if lifecycle_moves_back(before, report.construction_status):
            findings.append(_finding("R09", "status_change_reason", _(
                "建设状态由“%(before)s”变为“%(after)s”，请填写状态变化说明。"
            ) % {"before": LifecycleStatus(before).label,
                 "after": LifecycleStatus(report.construction_status).label}))
        if production_moves_back(earlier.production_status, report.production_status):
            findings.append(_finding("R10", "status_change_reason", _(
                "投产情况由“%(before)s”变为“%(after)s”，请填写状态变化说明。"
            ) % {"before": ProductionStatus(earlier.production_status).label,
                 "after": ProductionStatus(report.production_status).label}))

    # R11 — an entry into the statistics database has a date.
    if report.stats_status == StatsStatus.ENTERED and report.stats_date is None:
        findings.append(_finding("R11", "stats_date", _("入库申报情况为“已入库”，请填写入库日期。")))
    return findings


def lifecycle_moves_back(before, after) -> bool:
    """Whether a change of construction status needs an explanation (see the module docstring)."""
    if before == after or before is None:
        return False
    outside = {LifecycleStatus.SUSPENDED, LifecycleStatus.WITHDRAWN}
    if after in outside or before == LifecycleStatus.WITHDRAWN:
        return True
    if before == LifecycleStatus.SUSPENDED:
        return False
    return LIFECYCLE_ORDER.index(after) < LIFECYCLE_ORDER.index(before)


def production_moves_back(before, after) -> bool:
    return PRODUCTION_ORDER.index(after) < PRODUCTION_ORDER.index(before)


def errors(findings) -> list[Finding]:
    return [f for f in findings if f.level == RuleLevel.ERROR]


def warnings(findings) -> list[Finding]:
    return [f for f in findings if f.level == RuleLevel.WARNING]
