"""The warning rules: for a period, which projects of a slice fire and at what level, and why.

Each rule reads its thresholds from the metrics registry's current definition version and evaluates
the whole slice in one or two queries; it returns {project id: Hit}, the hit naming the threshold it
used and the data that fired it, in words and as JSON.
"""
import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faims.core.formatting import format_rate, format_wan
from faims.metrics.engine import SUBMITTED, Period, facts
from faims.projects.choices import LifecycleStatus
from faims.reporting import deadlines
from faims.reporting.models import MonthlyReport, ReportingPeriod

from .choices import WarningLevel

RED, YELLOW = WarningLevel.RED, WarningLevel.YELLOW


@dataclass(frozen=True)
class Hit:
    level: str
    message: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """What every rule evaluates against: the slice, the period, the thresholds and the time of evaluation."""

    projects: QuerySet
    year: int
    month: int
    thresholds: dict
    now: dt.datetime

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    description: str
    thresholds: tuple = ()
    evaluate: Callable[[Context], dict] | None = None

    @property
    def evaluable(self) -> bool:
        return self.evaluate is not None


def number(value: Decimal) -> str:
    """A threshold as people write it: 3, not 3.00."""
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _one_decimal(value: Fraction) -> str:
    return str(_decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (03-15 → 06-30 is 3; 03-31 → 06-30 is 3, June having no 31st)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and end.day != calendar.monthrange(end.year, end.month)[1]:
        months -= 1
    return months


def _months_level(months: int, yellow: Decimal, red: Decimal):
    """(level, threshold) for a lateness in months: red from `red` months, yellow from `yellow`."""
    if months >= red:
        return RED, red
    if months >= yellow:
        return YELLOW, yellow
    return None, None


def _level_name(level) -> str:
    return _("红色") if level == RED else _("黄色")


def _not_started(ctx: Context) -> dict:
    yellow, red = ctx.thresholds["warn_not_started_yellow_months"], ctx.thresholds["warn_not_started_red_months"]
    rows = (ctx.projects.filter(planned_start_date__lte=ctx.end)
            .filter(Q(actual_start_date__isnull=True) | Q(actual_start_date__gt=ctx.end))
            .exclude(status=LifecycleStatus.WITHDRAWN).values_list("pk", "planned_start_date"))
    hits = {}
    for pk, planned in rows:
        months = months_between(planned, ctx.end)
        level, threshold = _months_level(months, yellow, red)
        if level is None:
            continue
        message = _("计划开工 %(planned)s，截至 %(end)s 未开工，已逾期 %(months)s 个月"
                    "（%(level)s阈值 %(threshold)s 个月）") % {
            "planned": planned.isoformat(), "end": ctx.end.isoformat(), "months": months,
            "level": _level_name(level), "threshold": number(threshold)}
        hits[pk] = Hit(level, message, {"planned_start_date": planned.isoformat(), "as_of": ctx.end.isoformat(),
                                        "months_late": months, "threshold_months": number(threshold)})
    return hits


def _behind(ctx: Context) -> dict:
    yellow, red = ctx.thresholds["warn_behind_yellow_points"], ctx.thresholds["warn_behind_red_points"]
    rows = (facts(ctx.projects, Period(ctx.year, ctx.month), statuses=SUBMITTED)
            .filter(actual_start_date__lte=ctx.end, f_plan__gt=0).values_list("pk", "f_plan", "f_ytd"))
    time_progress = Fraction(ctx.month, 12)
    hits = {}
    for pk, plan, ytd in rows:
        completion = Fraction(Decimal(ytd)) / Fraction(Decimal(plan))
        points = (time_progress - completion) * 100
        if points > red:
            level, threshold, word = RED, red, _("超过")
        elif points >= yellow:
            level, threshold, word = YELLOW, yellow, _("达到")
        else:
            continue
        shown_points = _one_decimal(points)
        message = _("年度计划投资 %(plan)s万元，1–%(month)s月完成 %(ytd)s万元（完成率 %(completion)s），"
                    "时序进度 %(time)s，低于时序进度 %(points)s 个百分点"
                    "（%(level)s阈值 %(word)s%(threshold)s 个百分点）") % {
            "plan": format_wan(plan), "month": ctx.month, "ytd": format_wan(ytd),
            "completion": format_rate(_decimal(completion)), "time": format_rate(_decimal(time_progress)),
            "points": shown_points,
            "level": _level_name(level), "word": word, "threshold": number(threshold)}
        hits[pk] = Hit(level, message, {
            "annual_plan": str(plan), "ytd_investment": str(ytd), "completion_rate": format_rate(_decimal(completion)),
            "time_progress": format_rate(_decimal(time_progress)), "points_behind": shown_points,
            "threshold_points": number(threshold)})
    return hits


def _not_in_statistics(ctx: Context) -> dict:
    yellow, red = ctx.thresholds["warn_stats_yellow_months"], ctx.thresholds["warn_stats_red_months"]
    floor = ctx.thresholds["stats_entry_min_wanyuan"]
    in_statistics = Q(in_statistics=True) & (Q(statistics_date__isnull=True) | Q(statistics_date__lte=ctx.end))
    rows = (ctx.projects.filter(actual_start_date__lte=ctx.end, total_investment__gte=floor)
            .exclude(in_statistics).values_list("pk", "actual_start_date"))
    hits = {}
    for pk, started in rows:
        months = months_between(started, ctx.end)
        level, threshold = _months_level(months, yellow, red)
        if level is None:
            continue
        message = _("实际开工 %(started)s，截至 %(end)s 未纳入统计库，已开工 %(months)s 个月"
                    "（%(level)s阈值 %(threshold)s 个月）") % {
            "started": started.isoformat(), "end": ctx.end.isoformat(), "months": months,
            "level": _level_name(level), "threshold": number(threshold)}
        hits[pk] = Hit(level, message, {"actual_start_date": started.isoformat(), "as_of": ctx.end.isoformat(),
                                        "months_since_start": months, "threshold_months": number(threshold),
                                        "stats_entry_min_wanyuan": number(floor)})
    return hits


def _no_report(ctx: Context) -> dict:
    """Due and not filed: yellow until the deadline, red after it. A period not yet opened has nothing due."""
    period = ReportingPeriod.objects.filter(year=ctx.year, month=ctx.month).first()
    if period is None:
        return {}
    passed = deadlines.is_overdue(period, ctx.now)
    level = RED if passed else YELLOW
    if passed:
        message = _("%(period)s应报送月报，截至报送截止日期 %(deadline)s 仍未报送") % {
            "period": period, "deadline": period.deadline.isoformat()}
    else:
        message = _("%(period)s应报送月报，尚未报送（报送截止日期 %(deadline)s）") % {
            "period": period, "deadline": period.deadline.isoformat()}
    data = {"period": period.label, "deadline": period.deadline.isoformat(), "deadline_passed": passed}
    missing = deadlines.missing(period, ctx.projects).values_list("pk", flat=True)
    return {pk: Hit(level, message, data) for pk in missing}


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 - months
    return index // 12, index % 12 + 1


def _flat(ctx: Context) -> dict:
    months = int(ctx.thresholds["warn_flat_months"])
    if months < 1:
        return {}
    before = _shift(ctx.year, ctx.month, months)
    # Only projects under construction: completed ones stop investing by design, and one not yet
    # started is the not-started rule's business.
    live = ctx.projects.filter(actual_start_date__lte=ctx.end).exclude(actual_completion_date__lte=ctx.end).values("pk")
    reports = (MonthlyReport.objects.filter(project__in=live, status__in=SUBMITTED, cumulative_investment__isnull=False)
               .filter(Q(period__year=ctx.year, period__month=ctx.month)
                       | Q(period__year=before[0], period__month=before[1]))
               .values_list("project", "period__year", "period__month", "cumulative_investment"))
    figures: dict = {}
    for pk, year, month, cumulative in reports:
        figures.setdefault(pk, {})[(year, month)] = cumulative
    hits = {}
    then_label, now_label = f"{before[0]}-{before[1]:02d}", f"{ctx.year}-{ctx.month:02d}"
    for pk, values in figures.items():
        then, now = values.get(before), values.get((ctx.year, ctx.month))
        if then is None or now is None or now > then:
            continue
        message = _("自开工累计完成投资 %(then_label)s 为 %(then)s万元，%(now_label)s 为 %(now)s万元，"
                    "连续 %(months)s 个月未增加（阈值 %(months)s 个月）") % {
            "then_label": then_label, "then": format_wan(then), "now_label": now_label, "now": format_wan(now),
            "months": months}
        hits[pk] = Hit(YELLOW, message, {"from_period": then_label, "from_cumulative": str(then),
                                         "to_period": now_label, "to_cumulative": str(now),
                                         "threshold_months": number(months)})
    return hits


def _overdue(ctx: Context, rows, yellow: Decimal, red: Decimal, describe) -> dict:
    """Hits for (project, item, date) rows of things past their date at the end of the period, oldest first per
    project: the oldest decides the level (red from `red` days overdue, yellow from `yellow`)."""
    by_project: dict = {}
    for project, item, date in rows:
        by_project.setdefault(project, []).append((item, date))
    hits = {}
    for project, items in by_project.items():
        oldest_item, oldest = items[0]
        days = (ctx.end - oldest).days
        if days >= red:
            level, threshold = RED, red
        elif days >= yellow:
            level, threshold = YELLOW, yellow
        else:
            continue
        late = _("，截至 %(end)s 已逾期 %(days)s 天（%(level)s阈值 %(threshold)s 天）") % {
            "end": ctx.end.isoformat(), "days": days, "level": _level_name(level), "threshold": number(threshold)}
        message = describe(len(items), oldest_item, oldest) + late
        hits[project] = Hit(level, message, {
            "items": [str(item) for item, _date in items], "oldest_date": oldest.isoformat(),
            "as_of": ctx.end.isoformat(), "days_overdue": days, "threshold_days": number(threshold)})
    return hits


def _overdue_problems(ctx: Context) -> dict:
    """Projects with a problem open at the end of the period and past its deadline."""
    from faims.problems.models import Problem

    after_end = timezone.make_aware(dt.datetime.combine(ctx.end + dt.timedelta(days=1), dt.time.min))
    rows = (Problem.objects.filter(project__in=ctx.projects.values("pk"), raised_at__lt=after_end,
                                   deadline__lt=ctx.end)
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=after_end))
            .order_by("project", "deadline", "pk").values_list("project", "pk", "deadline"))

    def describe(count, _pk, deadline):
        return _("有 %(count)s 个问题超过办理期限仍未办结，最早的办理期限 %(deadline)s") % {
            "count": count, "deadline": deadline.isoformat()}

    return _overdue(ctx, rows, ctx.thresholds["warn_problem_yellow_days"], ctx.thresholds["warn_problem_red_days"],
                    describe)


def _overdue_nodes(ctx: Context) -> dict:
    """Projects with a node planned before the end of the period and not reached by then."""
    from faims.projects.choices import NodeKind
    from faims.projects.models import NodePlan

    rows = (NodePlan.objects.filter(project__in=ctx.projects.values("pk"), planned_date__lt=ctx.end)
            .filter(Q(actual_date__isnull=True) | Q(actual_date__gt=ctx.end))
            .order_by("project", "planned_date", "pk").values_list("project", "kind", "planned_date"))

    def describe(count, kind, planned):
        return _("有 %(count)s 个节点计划逾期未完成，最早为“%(node)s”（计划 %(planned)s）") % {
            "count": count, "node": NodeKind(kind).label, "planned": planned.isoformat()}

    return _overdue(ctx, rows, ctx.thresholds["warn_node_yellow_days"], ctx.thresholds["warn_node_red_days"], describe)


RULES = {rule.code: rule for rule in [
    Rule("W01", gettext_lazy("逾期未开工"),
         gettext_lazy("计划开工日期已过、到期末仍未开工：逾期满黄色阈值月数为黄色，满红色阈值月数为红色。"),
         ("warn_not_started_yellow_months", "warn_not_started_red_months"), _not_started),
    Rule("W02", gettext_lazy("投资进度滞后"),
         gettext_lazy("已开工且有年度计划的项目，年度计划完成率低于时序进度：差距在黄色阈值至红色阈值之间（含）为黄色，"
                      "超过红色阈值为红色。"),
         ("warn_behind_yellow_points", "warn_behind_red_points"), _behind),
    Rule("W03", gettext_lazy("开工未入统计库"),
         gettext_lazy("总投资达到应纳统下限、已开工但到期末未纳入统计库：开工满黄色阈值月数为黄色，满红色阈值月数为红色。"),
         ("warn_stats_yellow_months", "warn_stats_red_months", "stats_entry_min_wanyuan"), _not_in_statistics),
    Rule("W04", gettext_lazy("本期未报送"),
         gettext_lazy("本期应报送而尚未报送月报：报送截止日期前为黄色，过截止日期为红色。"), (), _no_report),
    Rule("W05", gettext_lazy("累计投资停滞"),
         gettext_lazy("已开工未竣工项目的自开工累计完成投资在阈值月数内未增加（以两期已报送的月报为准），为黄色。"),
         ("warn_flat_months",), _flat),
    Rule("W06", gettext_lazy("问题逾期未办结"),
         gettext_lazy("项目有到期末超过办理期限仍未办结的问题：最早的期限逾期满黄色阈值天数为黄色，满红色阈值天数为红色。"),
         ("warn_problem_yellow_days", "warn_problem_red_days"), _overdue_problems),
    Rule("W07", gettext_lazy("节点计划逾期"),
         gettext_lazy("项目有计划日期早于期末、到期末仍未完成的节点：最早的节点逾期满黄色阈值天数为黄色，满红色阈值天数为红色。"),
         ("warn_node_yellow_days", "warn_node_red_days"), _overdue_nodes),
]}
EVALUABLE = [code for code, rule in RULES.items() if rule.evaluable]


def evaluate(projects: QuerySet, year: int, month: int, thresholds: dict, *, codes=None,
             now: dt.datetime | None = None) -> dict[str, dict]:
    """{rule code: {project id: Hit}} of the evaluable rules over `projects` for the period."""
    ctx = Context(projects, year, month, thresholds, now or timezone.now())
    return {code: RULES[code].evaluate(ctx) for code in (codes or EVALUABLE)}
