"""Scores of regions and departments from the KPI engine: each indicator's value against its goal, the weighted
points, the total out of 100, the rank and the rewards and penalties that follow.

- "higher": points = weight × min(1, value / goal) (a goal of 0 gives full marks to any value ≥ 0);
- "lower": full marks at or below the goal, falling linearly to 0 at twice the goal (a goal of 0: full marks at
  0, none above);
- the city-level region (its own projects) is not a region to assess: regions are the ones below it;
- an indicator without a value for a subject (a rate whose denominator is 0, or no goal at all) is 不涉及: it is
  left out and the subject's points are rescaled to 100 over the weights that apply;
- a subject whose applicable indicators weigh less than half of the scheme's weights (a department with no
  problem to handle) gets its total but no rank and no measures;
- ranks follow the total as printed (one decimal); equal totals share a rank (1, 1, 3);
- a rank condition (top N, bottom N) applies only when more than N subjects are ranked.

One `evaluate` call gives every figure; the goals come from the indicator, from the subject's Target row for the
period, or from the engine's own time progress.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from faims.core.formatting import format_rate, format_yi
from faims.core.permissions import SEE_EVERYTHING, VIEW
from faims.dashboard.views import PROBLEM_CARDS, drilldown_url, overview_url
from faims.metrics.engine import PARTS, evaluate
from faims.metrics.registry import COUNT, DIFFERENCE, RATE, REGISTRY
from faims.org.choices import RegionLevel, Role
from faims.org.models import Region
from faims.projects.models import Project
from faims.targets.choices import TargetPeriod, TargetScope
from faims.targets.models import Target

from .choices import FlagCondition, GoalSource, Method, SchemeKind, Subject
from .models import AssessmentQuerySet, goal_text

ASSESS_ROLES = AssessmentQuerySet.read_roles
QUARTER_MONTHS = (3, 6, 9, 12)
NUMERALS = "一二三四"
# The target that applies at the end of each quarter: 一季度末, 半年, 三季度末, then the year's.
QUARTER_TARGET = {3: TargetPeriod.Q1, 6: TargetPeriod.H1, 9: TargetPeriod.Q3, 12: TargetPeriod.YEAR}
ONE_DECIMAL = Decimal("0.1")
HUNDRED = Fraction(100)
# The least share of a scheme's weights that must apply to a subject for it to be ranked.
MIN_APPLICABLE_SHARE = Fraction(1, 2)


@dataclass
class IndicatorScore:
    key: str
    label: str
    weight: Decimal
    value: object
    goal: object
    goal_label: str
    points: Decimal | None
    explanation: str
    url: str | None = None
    denominator_url: str | None = None

    @property
    def applicable(self) -> bool:
        return self.points is not None

    @property
    def value_text(self) -> str:
        return value_text(self.key, self.value)


@dataclass
class FiredFlag:
    kind: str
    label: str
    reason: str


@dataclass
class SubjectScore:
    key: object
    label: str
    scores: list
    total: Decimal | None
    explanation: list = field(default_factory=list)
    rank: int | None = None
    flags: list = field(default_factory=list)
    url: str | None = None
    ranked: bool = True

    @property
    def summary(self) -> list:
        """The explanation beyond the indicators' own sentences: the total, rescaling, whether ranked."""
        return self.explanation[len(self.scores):]

    def score(self, key: str) -> IndicatorScore | None:
        return next((s for s in self.scores if s.key == key), None)


@dataclass
class Assessment:
    scheme: object
    year: int
    month: int
    period_label: str
    version: int
    indicators: list
    subjects: list

    @property
    def figures(self) -> dict:
        """Every number of the assessment, JSON-safe (rates as "n/d", money and points as strings)."""
        return {
            "scheme_id": self.scheme.pk,
            "scheme": self.scheme.name,
            "kind": self.scheme.kind,
            "subject": self.scheme.subject,
            "year": self.year,
            "month": self.month,
            "version": self.version,
            "weights": {i.kpi_key: str(i.weight) for i in self.indicators},
            "subjects": [
                {
                    "key": s.key,
                    "label": s.label,
                    "total": _json(s.total),
                    "rank": s.rank,
                    "flags": [{"kind": f.kind, "label": f.label, "reason": f.reason} for f in s.flags],
                    "indicators": {
                        score.key: {"value": _json(score.value), "goal": _json(score.goal),
                                    "points": _json(score.points), "weight": str(score.weight)}
                        for score in s.scores
                    },
                }
                for s in self.subjects
            ],
        }


def _json(value):
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return str(value)
    return value


def one_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def number(value: Decimal) -> str:
    """30.00 → "30", 29.50 → "29.5"."""
    return format(Decimal(value).normalize(), "f")


def value_text(key: str, value) -> str:
    if value is None:
        return "—"
    definition = REGISTRY[key]
    if definition.kind == RATE:
        return format_rate(value)
    if definition.kind == DIFFERENCE:
        return _("%(points)s个百分点") % {"points": one_decimal(Fraction(value) * 100)}
    if definition.unit == "wanyuan":
        return _("%(amount)s亿元") % {"amount": format_yi(value)}
    if definition.kind == COUNT:
        return _("%(n)s个") % {"n": value}
    return str(value)


def score(method: str, weight, value, goal) -> Fraction:
    """The exact points of one indicator (see the module's rules)."""
    weight, value, goal = Fraction(weight), Fraction(value), Fraction(goal)
    if method == Method.LOWER:
        if value <= goal:
            share = Fraction(1)
        elif goal <= 0:
            share = Fraction(0)
        else:
            share = max(Fraction(0), (2 * goal - value) / goal)
    elif goal <= 0:
        share = Fraction(1 if value >= goal else 0)
    else:
        share = min(Fraction(1), max(Fraction(0), value / goal))
    return weight * share


def period_label(kind: str, year: int, month: int) -> str:
    if kind == SchemeKind.QUARTERLY:
        return _("%(year)s年第%(q)s季度") % {"year": year, "q": NUMERALS[month // 3 - 1]}
    if month < 12:
        return _("%(year)s年度（截至%(month)s月预评估）") % {"year": year, "month": month}
    return _("%(year)s年度") % {"year": year}


def target_period(kind: str, month: int) -> str:
    return QUARTER_TARGET.get(month, TargetPeriod.YEAR) if kind == SchemeKind.QUARTERLY else TargetPeriod.YEAR


# ---------------------------------------------------------------------------------------------
# Scope


def subject_projects(user, subject: str, region: Region | None = None):
    """The projects the assessment covers: the user's scope, narrowed to the region (and the regions below it).

    A region officer assesses regions and a department officer departments; the city admin and the supervision
    office both."""
    if user is None or not user.is_authenticated or user.role not in ASSESS_ROLES:
        raise PermissionDenied(_("您无权查看考核结果。"))
    if (user.role == Role.REGION_OFFICER and subject != Subject.REGION) or (
            user.role == Role.DEPARTMENT_OFFICER and subject != Subject.DEPARTMENT):
        raise PermissionDenied(_("您无权查看该类考核对象的考核结果。"))
    projects = Project.objects.restrict(user, VIEW)
    if region is not None:
        if user.role not in SEE_EVERYTHING and (
                user.role != Role.REGION_OFFICER or region.pk not in Region.objects.subtree_ids(user.region_id)):
            raise PermissionDenied(_("您无权查看该地区的考核结果。"))
        projects = projects.filter(region__in=Region.objects.subtree_ids(region.pk))
    return projects


def _target_goals(indicators, scheme, year, month, keys) -> dict:
    """(kpi key, region id) → the region's Target value for the period, for the indicators that take it."""
    wanted = [i.kpi_key for i in indicators if i.goal_source == GoalSource.TARGET]
    if not wanted or scheme.subject != Subject.REGION:
        return {}
    rows = Target.objects.filter(kpi_key__in=wanted, year=year, period=target_period(scheme.kind, month),
                                 scope=TargetScope.REGION, region__in=keys)
    return {(kpi, region): value for kpi, region, value in rows.values_list("kpi_key", "region_id", "value")}


def _links(key: str, subject: str, group, year: int, month: int) -> tuple[str | None, str | None]:
    """The projects (or problems) behind an indicator's figure and its denominator for one subject."""
    if key in PROBLEM_CARDS:
        if subject == Subject.REGION:
            base = reverse("problems:problem_list")
            figure, denominator = PROBLEM_CARDS[key]

            def url(name):
                return f"{base}?{urlencode({'figure': name, 'period': f'{year}-{month:02d}', 'region': group})}"

            return url(figure), url(denominator) if denominator else None
        # Problems are counted over the department's projects: those projects.
        return drilldown_url("project_count", year, month, by=subject, group=group), None
    if key in PARTS:
        denominator = drilldown_url(key, year, month, part="denominator", by=subject, group=group) \
            if PARTS[key][1] else None
        return drilldown_url(key, year, month, by=subject, group=group), denominator
    return None, None


# ---------------------------------------------------------------------------------------------
# Scoring


def _indicator(indicator, row, targets, scheme, year, month) -> IndicatorScore:
    key = indicator.kpi_key
    label = indicator.label
    value = row.values[key]
    url, denominator_url = _links(key, scheme.subject, row.key, year, month)
    weight = indicator.weight
    goal, goal_words = indicator.goal, _("目标")
    if indicator.goal_source == GoalSource.TIME_PROGRESS:
        goal, goal_words = row.values["time_progress"], _("时序进度")
    elif indicator.goal_source == GoalSource.TARGET and (key, row.key) in targets:
        goal, goal_words = targets[(key, row.key)], _("目标任务")
    goal_shown = value_text(key, goal) if indicator.goal_source == GoalSource.TIME_PROGRESS else goal_text(key, goal)
    common = {"label": label, "weight": number(weight)}
    if value is None:
        explanation = _("%(label)s不涉及（无统计对象），不计分（权重%(weight)s）") % common
        points = None
    elif goal is None:
        explanation = _("%(label)s%(value)s，未设定目标，不计分（权重%(weight)s）") % {
            **common, "value": value_text(key, value)}
        points = None
    else:
        points = one_decimal(score(indicator.method, weight, value, goal))
        explanation = _("%(label)s%(value)s，%(goal_words)s%(goal)s，得%(points)s分（权重%(weight)s）") % {
            **common, "value": value_text(key, value), "goal_words": goal_words, "goal": goal_shown,
            "points": points}
    return IndicatorScore(key=key, label=label, weight=weight, value=value, goal=goal,
                          goal_label=f"{goal_words}{goal_shown}" if goal is not None else "—", points=points,
                          explanation=explanation, url=url, denominator_url=denominator_url)


def _subject(row, indicators, targets, scheme, year, month) -> SubjectScore:
    scores = [_indicator(i, row, targets, scheme, year, month) for i in indicators]
    applied = [(s, i) for s, i in zip(scores, indicators, strict=True) if s.applicable]
    explanation = [s.explanation for s in scores]
    total = None
    if applied:
        weights = sum((Fraction(i.weight) for _s, i in applied), Fraction(0))
        exact = sum((score(i.method, i.weight, s.value, s.goal) for s, i in applied), Fraction(0))
        total = one_decimal(exact * HUNDRED / weights)
        left_out = [s.label for s in scores if not s.applicable]
        if left_out:
            explanation.append(
                _("%(left)s不计分，按其余指标（权重合计%(weights)s分）得分%(points)s分折算为百分制，总分%(total)s分。")
                % {"left": "、".join(left_out), "weights": number(one_decimal(weights)),
                   "points": one_decimal(exact), "total": total})
        else:
            explanation.append(_("总分%(total)s分。") % {"total": total})
        scheme_weights = sum((Fraction(i.weight) for i in indicators), Fraction(0))
        if weights < scheme_weights * MIN_APPLICABLE_SHARE:
            explanation.append(_("适用指标的权重不足方案总权重的一半，不参加排名。"))
    else:
        explanation.append(_("各项指标均不涉及，不参加排名。"))
    url = overview_url(year, month, region=row.key) if scheme.subject == Subject.REGION else \
        drilldown_url("project_count", year, month, by=scheme.subject, group=row.key)
    ranked = bool(applied) and sum((Fraction(i.weight) for _s, i in applied), Fraction(0)) >= sum(
        (Fraction(i.weight) for i in indicators), Fraction(0)) * MIN_APPLICABLE_SHARE
    return SubjectScore(key=row.key, label=row.label, scores=scores, total=total, explanation=explanation, url=url,
                        ranked=ranked)


def _rank(subjects: list) -> list:
    ranked = sorted((s for s in subjects if s.ranked), key=lambda s: -s.total)
    for s in ranked:
        s.rank = 1 + sum(1 for other in ranked if other.total > s.total)
    others = sorted((s for s in subjects if not s.ranked), key=lambda s: (s.total is None, -(s.total or 0)))
    return ranked + others


def _flags(flags, subjects: list) -> None:
    ranked = [s for s in subjects if s.rank is not None]
    for s in ranked:
        from_bottom = 1 + sum(1 for other in ranked if other.total < s.total)
        for flag in flags:
            n = flag.threshold
            values = {"rank": s.rank, "from_bottom": from_bottom, "n": number(n), "total": s.total}
            reason = None
            if flag.condition == FlagCondition.TOP and len(ranked) > n and s.rank <= n:
                reason = _("排名第%(rank)s位（前%(n)s名）") % values
            elif flag.condition == FlagCondition.BOTTOM and len(ranked) > n and from_bottom <= n:
                reason = _("排名倒数第%(from_bottom)s位（后%(n)s名）") % values
            elif flag.condition == FlagCondition.BELOW and s.total < n:
                reason = _("总分%(total)s分，低于%(n)s分") % values
            elif flag.condition == FlagCondition.AT_LEAST and s.total >= n:
                reason = _("总分%(total)s分，不低于%(n)s分") % values
            if reason:
                s.flags.append(FiredFlag(kind=flag.kind, label=flag.label, reason=reason))


def assess(user, scheme, year: int, month: int, *, region: Region | None = None, version=None) -> Assessment:
    """Score every region or department of the user's scope (those without projects left out) by the scheme.

    Raises PermissionDenied for a user who may not see the scheme's subjects, ValueError for a quarterly scheme
    asked for a month that does not end a quarter."""
    if scheme.kind == SchemeKind.QUARTERLY and month not in QUARTER_MONTHS:
        raise ValueError(_("季度考核的月份须为 3、6、9 或 12 月"))
    if not 1 <= month <= 12:
        raise ValueError(_("月份须在 1 至 12 之间"))
    projects = subject_projects(user, scheme.subject, region)
    indicators = list(scheme.indicators.all())
    keys = list(dict.fromkeys(["project_count", "time_progress", *(i.kpi_key for i in indicators)]))
    result = evaluate(projects, year, month, keys=keys, by=scheme.subject, version=version)
    rows = [row for row in result.rows if row.key is not None and row.values["project_count"]]
    if scheme.subject == Subject.REGION:
        city = set(Region.objects.filter(level=RegionLevel.CITY).values_list("pk", flat=True))
        rows = [row for row in rows if row.key not in city]
    if user.role == Role.DEPARTMENT_OFFICER:
        rows = [row for row in rows if row.key == user.department_id]
    targets = _target_goals(indicators, scheme, year, month, [row.key for row in rows])
    subjects = _rank([_subject(row, indicators, targets, scheme, year, month) for row in rows])
    _flags(list(scheme.flags.all()), subjects)
    return Assessment(scheme=scheme, year=year, month=month, period_label=period_label(scheme.kind, year, month),
                      version=result.version.number, indicators=indicators, subjects=subjects)
