"""How far a target stands at a month: the actual from the KPI engine, the gap and whether it is on track.

A year target is judged against the share of the year gone by (value × month / 12) for money and
counts; a rate, and any target set for the end of a quarter, applies at its end month: before it,
counts and money should be at value × month / end month, rates at the value itself.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from faims.core.permissions import VIEW
from faims.dashboard.views import BadRequest, period_of
from faims.metrics.engine import PARTS, evaluate
from faims.metrics.registry import REGISTRY
from faims.org.models import Region
from faims.projects.choices import MembershipStatus
from faims.projects.models import Membership, Project

from .choices import TargetPeriod, TargetScope, TargetUnit

END_MONTH = {TargetPeriod.YEAR: 12, TargetPeriod.Q1: 3, TargetPeriod.H1: 6, TargetPeriod.Q3: 9}
# The investment target is met by the year's investment: its actual is the year-to-date figure.
ACTUAL_KEY = {"annual_target": "ytd_investment"}
PLACES = {TargetUnit.WANYUAN: Decimal("0.01"), TargetUnit.RATE: Decimal("0.0001"), TargetUnit.COUNT: Decimal("0.01")}


@dataclass(frozen=True)
class Attainment:
    target: object
    year: int
    month: int
    actual: Decimal | None      # 万元, a fraction for rates, or a count; None when there is no value
    value: Decimal
    gap: Decimal | None         # actual − value (rates: a fraction, shown in points)
    expected: Decimal           # what the target asks for by the end of `month`
    on_track: bool | None
    reason: str = ""            # why there is no actual
    url: str | None = None      # the projects behind the actual


def actual_key(target) -> str:
    return ACTUAL_KEY.get(target.kpi_key, target.kpi_key)


def expected_value(target, month: int) -> Decimal:
    end = END_MONTH[TargetPeriod(target.period)]
    value = Decimal(target.value)
    if target.unit == TargetUnit.RATE or month >= end:
        return value
    return (value * month / end).quantize(PLACES[target.unit], ROUND_HALF_UP)


def slice_of(target, user):
    """The target's projects within what the user may see."""
    projects = Project.objects.restrict(user, VIEW)
    if target.scope == TargetScope.REGION:
        return projects.filter(region__in=Region.objects.subtree_ids(target.region_id))
    if target.scope == TargetScope.LIBRARY:
        members = Membership.objects.filter(library_id=target.library_id).exclude(status=MembershipStatus.WITHDRAWN)
        return projects.filter(pk__in=members.values("project_id"))
    if target.scope == TargetScope.CATEGORY:
        return projects.filter(category=target.category)
    return projects


def slice_key(target):
    return (target.scope, target.region_id, target.library_id, target.category)


def _target_scope(target):
    if target.scope == TargetScope.CITY:
        return "city"
    field = {TargetScope.REGION: "region_id", TargetScope.LIBRARY: "library_id", TargetScope.CATEGORY: "category"}
    return (target.scope, getattr(target, field[target.scope]))


def drilldown_link(target, year, month) -> str | None:
    """The dashboard's drill-down where it can express the slice, else the project list with its filter."""
    key = actual_key(target)
    if key not in PARTS:
        return None
    query = {"key": key, "part": "numerator", "year": year, "month": month}
    if target.scope == TargetScope.LIBRARY:
        query.update(group_by="library", group=target.library_id)
    elif target.scope == TargetScope.CATEGORY:
        query.update(group_by="category", group=target.category)
    elif target.scope == TargetScope.REGION:
        if Region.objects.subtree_ids(target.region_id) != [target.region_id]:
            # The drill-down groups by a project's own region; a 市 with its 区 needs the list's filter.
            return f"{reverse('projects:project_list')}?{urlencode({'region': target.region_id})}"
        query.update(group_by="region", group=target.region_id)
    return f"{reverse('dashboard:drilldown')}?{urlencode(query)}"


def _judge(target, values: dict | None, year: int, month: int) -> Attainment:
    value = Decimal(target.value)
    expected = expected_value(target, month)
    key = actual_key(target)
    definition = REGISTRY.get(key)
    if values is None or definition is None or not definition.implemented:
        return Attainment(target, year, month, None, value, None, expected, None,
                          reason=str(_("该指标尚未纳入计算，暂无实际值。")))
    raw = values[key]
    if raw is None:
        return Attainment(target, year, month, None, value, None, expected, None,
                          reason=str(_("该范围内没有可计算的项目（分母为零），暂无实际值。")),
                          url=drilldown_link(target, year, month))
    actual = (Decimal(raw.numerator) / Decimal(raw.denominator) if hasattr(raw, "denominator")
              else Decimal(raw)).quantize(PLACES[target.unit], ROUND_HALF_UP)
    return Attainment(target, year, month, actual, value, actual - value, expected, actual >= expected,
                      url=drilldown_link(target, year, month))


def _computable(targets) -> list[str]:
    keys = {actual_key(t) for t in targets}
    return sorted(k for k in keys if k in REGISTRY and REGISTRY[k].implemented)


def attainments(targets, user, month: int, year: int | None = None) -> dict:
    """target pk → Attainment at the end of `month` (of `year`, default each target's own year);
    each distinct slice is evaluated once."""
    targets = list(targets)
    groups = {}
    for target in targets:
        groups.setdefault((year or target.year, slice_key(target)), []).append(target)
    result = {}
    for (slice_year, _key), members in groups.items():
        keys = _computable(members)
        values = None
        if keys:
            first = members[0]
            values = evaluate(slice_of(first, user), slice_year, month, keys=keys,
                              target_scope=_target_scope(first)).total.values
        for target in members:
            result[target.pk] = _judge(target, values, slice_year, month)
    return result


def attainment(target, user, *, month: int, year: int | None = None) -> Attainment:
    return attainments([target], user, month, year)[target.pk]


def month_of(request) -> tuple[int | None, int | None]:
    """The year and month a page judges targets at: ?year=&month=, else the latest month with reports."""
    try:
        return period_of(request)
    except BadRequest:
        return None, None


def attainments_at(targets, user, year: int | None, month: int | None) -> dict:
    """Attainments at `month`; a target of an earlier year is judged at its December, of a later one not at all."""
    if month is None:
        return {}
    by_month = {}
    for target in targets:
        if year is None or target.year == year:
            by_month.setdefault(month, []).append(target)
        elif target.year < year:
            by_month.setdefault(12, []).append(target)
    result = {}
    for at_month, members in by_month.items():
        result.update(attainments(members, user, at_month))
    return result
