"""The city overview and its drill-down lists; every figure comes from the KPI engine over the user's scope."""

from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_tables2 import RequestConfig

from faims.alerts.choices import WarningLevel
from faims.core.formatting import to_yi
from faims.core.permissions import SEE_EVERYTHING, VIEW
from faims.metrics.engine import (
    GROUPINGS,
    PARTS,
    SUBMITTED,
    evaluate,
    project_figures,
    projects_behind,
    rate,
)
from faims.metrics.output import as_decimal, display
from faims.metrics.registry import REGISTRY
from faims.org.choices import Role
from faims.org.models import Department, Person, Region
from faims.projects.choices import Category, Tier
from faims.projects.filtersets import current_members
from faims.projects.models import Library, Project
from faims.projects.tables import ProjectTable
from faims.projects.views import current_memberships
from faims.reporting.models import MonthlyReport, ReportingPeriod
from faims.targets.choices import TargetPeriod, TargetScope
from faims.targets.models import Target

CARD_KEYS = [
    "ytd_investment",
    "annual_plan",
    "annual_target",
    "target_completion_rate",
    "completion_rate",
    "time_progress",
    "progress_gap",
    "new_start_rate",
    "not_started_count",
    "stats_entry_rate",
    "missing_report_count",
    "on_time_report_rate",
    "behind_schedule_count",
]
# The five rates (五率), in the order of a project's life: signed → filed → started → completed → producing.
FIVE_RATES = ["filing_rate", "filed_start_rate", "started_investment_rate", "production_rate", "capacity_rate"]
# The KPIs that can colour the district map; the first is the one it opens with.
MAP_KEYS = [
    "completion_rate",
    "new_start_rate",
    "started_rate",
    "stats_entry_rate",
    "on_time_report_rate",
    "ytd_investment",
]
# The districts that the outline (static/vendor/echarts-maps/jiang1_su1_wu2_xi2.js, map "无锡") draws, as it
# spells them; a region of another name (经开区, 无锡市 itself) is listed beside the map instead.
MAP_NAME = "无锡"
MAP_DISTRICTS = frozenset({"梁溪区", "锡山区", "惠山区", "滨湖区", "新吴区", "江阴市", "宜兴市"})
FORECAST = "forecast_year_end"
WARNING_KEYS = ("warning_red_count", "warning_yellow_count")
TOP_BEHIND = 10
# The policy's start-rate milestones, used where the year's targets do not name one for the scope.
START_RATE_POLICY = {TargetPeriod.H1: Decimal("0.75"), TargetPeriod.Q3: Decimal("1")}
PARTS_OF_DRILLDOWN = ("numerator", "denominator")
GROUP_BY = [g for g in GROUPINGS if g != "month"]
TEXT_GROUPS = {"category": Category, "tier": Tier}
GROUP_MODELS = {"region": Region, "library": Library, "department": Department, "leader": Person}


SLICE_PARAMS = ("region", "library", "leader")


class BadRequest(Exception):
    """A parameter users can correct; the page says which one."""


class Slice:
    """The part of the user's projects a dashboard page covers: all of them, or one region, library or leader."""

    def __init__(self, user, kind=None, target=None):
        self.user, self.kind, self.target = user, kind, target
        self.projects = Project.objects.restrict(user, VIEW)
        if kind == "region":
            self.projects = self.projects.filter(region__in=Region.objects.subtree_ids(target.pk))
        elif kind == "library":
            self.projects = self.projects.filter(pk__in=current_members(library=target))
        elif kind == "leader":
            self.projects = self.projects.filter(leader=target)

    @property
    def query(self) -> dict:
        return {} if self.kind is None else {self.kind: self.target.pk}

    @property
    def title(self):
        if self.kind == "region":
            return _("%(name)s总览") % {"name": self.target.name}
        if self.kind == "library":
            return _("%(name)s总览") % {"name": str(self.target)}
        if self.kind == "leader":
            return _("%(name)s挂钩项目总览") % {"name": self.target.name}
        return _("全市总览")

    @property
    def target_scope(self):
        return slice_target_scope(self.user, self.kind, self.target)

    def in_scope(self) -> bool:
        """A slice outside the user's scope is not an empty page but a missing one."""
        if self.kind is None or self.user.role in SEE_EVERYTHING:
            return True
        if self.kind == "region" and self.user.role == Role.REGION_OFFICER:
            return self.user.region_id is not None and self.target.pk in Region.objects.subtree_ids(self.user.region_id)
        return self.projects.exists()


def slice_target_scope(user, kind=None, target=None):
    """The target a slice answers to: the user's own for their whole scope; a region's for a region the user may
    see whole; a library's or a category's (targets of the whole library or category) only for a city-wide user;
    none for any other slice."""
    role = user.role
    if kind is None:
        return target_scope_of(user)
    if kind == "region" and (
        role in SEE_EVERYTHING
        or role == Role.REGION_OFFICER and user.region_id and target.pk in Region.objects.subtree_ids(user.region_id)
    ):
        return (TargetScope.REGION, target.pk)
    if kind == "library" and role in SEE_EVERYTHING:
        return (TargetScope.LIBRARY, target.pk)
    if kind == "category" and role in SEE_EVERYTHING:
        return (TargetScope.CATEGORY, target)
    return None


SLICE_MODELS = {
    "region": Region.objects.all,
    "library": Library.objects.all,
    "leader": lambda: Person.objects.filter(is_leader=True),
}


def slice_of(request) -> Slice:
    """The slice named by ?region= / ?library= / ?leader= (one at a time); 404 outside the user's scope."""
    given = [name for name in SLICE_PARAMS if request.GET.get(name, "") != ""]
    if len(given) > 1:
        raise BadRequest(_("参数“region”“library”“leader”只能指定其中一个。"))
    if not given:
        return Slice(request.user)
    kind = given[0]
    raw = request.GET[kind]
    # Ids beyond a 32-bit key cannot exist, and SQLite refuses to compare with them.
    if not raw.isdigit() or int(raw) >= 2**31:
        raise BadRequest(_("参数“%(name)s”应为整数。") % {"name": kind})
    target = SLICE_MODELS[kind]().restrict(request.user, VIEW).filter(pk=int(raw)).first()
    if target is None:
        raise Http404
    sliced = Slice(request.user, kind, target)
    if not sliced.in_scope():
        raise Http404
    return sliced


def _int(request, name, low, high, default=None):
    raw = request.GET.get(name, "")
    if raw == "" and default is not None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(_("参数“%(name)s”应为整数。") % {"name": name}) from None
    if not low <= value <= high:
        raise BadRequest(_("参数“%(name)s”应在 %(low)s 至 %(high)s 之间。") % {"name": name, "low": low, "high": high})
    return value


def latest_period():
    """The latest period with filed reports (drafts give no figures), or None before the first."""
    # EXISTS per period, newest first: the database stops at the first period with a filed report.
    filed = MonthlyReport.objects.filter(period=OuterRef("pk"), status__in=SUBMITTED)
    periods = ReportingPeriod.objects.filter(Exists(filed)).order_by("-year", "-month")
    return periods.values_list("year", "month").first()


def period_of(request):
    latest = latest_period()
    if "year" not in request.GET and "month" not in request.GET:
        return latest or (None, None)
    year = _int(request, "year", 2000, 2100, default=latest[0] if latest else None)
    month = _int(request, "month", 1, 12, default=latest[1] if latest else None)
    return year, month


def target_scope_of(user):
    """The target the user's scope answers to: the city's, its region's, or none."""
    if user.role in SEE_EVERYTHING:
        return "city"
    if user.role == Role.REGION_OFFICER and user.region_id:
        return (TargetScope.REGION, user.region_id)
    return None


def drilldown_url(key, year, month, part="numerator", by=None, group=None, sliced=None):
    query = {"key": key, "part": part, "year": year, "month": month}
    if by is not None:
        query.update(group_by=by, group=group)
    if sliced is not None:
        query.update(sliced.query)
    return f"{reverse('dashboard:drilldown')}?{urlencode(query)}"


def overview_url(year=None, month=None, **slice_query):
    query = {name: value for name, value in {"year": year, "month": month, **slice_query}.items() if value is not None}
    return f"{reverse('dashboard:overview')}?{urlencode(query)}" if query else reverse("dashboard:overview")


def _float(value):
    if value is None:
        return None
    return float(value)


def _percent(value):
    """A rate as a percentage with one decimal, for charts."""
    return None if value is None else round(float(value) * 100, 1)


def _gap_points(gap: Fraction | None):
    return None if gap is None else (as_decimal(gap) * 100).quantize(Decimal("0.1"))


def start_rate_targets(user, year, scope):
    """The Q2 and Q3 start-rate targets of the scope, with the policy's where none is set."""
    targets = Target.objects.restrict(user, VIEW).filter(
        kpi_key="new_start_rate", year=year, period__in=list(START_RATE_POLICY)
    )
    if scope == "city":
        targets = targets.filter(scope=TargetScope.CITY)
    elif scope is not None and scope[0] == TargetScope.LIBRARY:
        targets = targets.filter(scope=TargetScope.LIBRARY, library_id=scope[1])
    elif scope is not None:
        targets = targets.filter(scope=scope[0], region_id=scope[1])
    else:
        targets = targets.none()
    stored = dict(targets.values_list("period", "value"))
    return [
        (TargetPeriod(period).label, stored.get(period, default), period not in stored)
        for period, default in START_RATE_POLICY.items()
    ]


def library_start_targets(user, year):
    rows = Target.objects.restrict(user, VIEW).filter(
        kpi_key="new_start_rate", year=year, scope=TargetScope.LIBRARY, period__in=list(START_RATE_POLICY)
    )
    targets = {}
    for library_id, period, value in rows.values_list("library_id", "period", "value"):
        targets.setdefault(library_id, {})[period] = _percent(value)
    return targets


def _card(key, values, year, month, sliced):
    return {
        "key": key,
        "label": REGISTRY[key].label,
        "value": values[key],
        "display": display(key, values[key]),
        "url": drilldown_url(key, year, month, sliced=sliced) if key in PARTS else None,
    }


def overview_keys():
    """The one list of KPIs the overview asks the engine for, by region and in total."""
    return list(dict.fromkeys(CARD_KEYS + MAP_KEYS + FIVE_RATES + [FORECAST, *WARNING_KEYS, *PROBLEM_CARDS,
                                                                     *VISIT_CARDS]))


def five_rates(projects, year, month, result, sliced):
    """The five rates of the slice with how many projects stand behind each numerator and denominator.
    started_investment_rate is a ratio of money over one set of projects, so it gives that set's size once."""
    values = result.total.values
    counts = result.total.parts
    rows = []
    for key in FIVE_RATES:
        definition = REGISTRY[key]
        numerator, denominator = counts[key]
        rows.append(
            {
                "key": key,
                "label": str(definition.label),
                "rate": _percent(values[key]),
                "display": display(key, values[key]) if values[key] is not None else str(_("无数据")),
                "numerator_label": str(definition.numerator),
                "denominator_label": str(definition.denominator),
                "numerator": numerator,
                "denominator": denominator,
                "cohort_label": str(REGISTRY["started_rate"].numerator) if key == "started_investment_rate" else None,
                "url": drilldown_url(key, year, month, sliced=sliced),
                "denominator_url": drilldown_url(key, year, month, part="denominator", sliced=sliced),
            }
        )
    return rows


def _map_value(key, value):
    """A figure as the map colours it: rates in percent, money in 亿元."""
    if REGISTRY[key].unit == "wanyuan":
        return _float(to_yi(value))
    return _percent(value)


def district_map(result, year, month, sliced):
    """Each region's map figures; regions the outline does not draw go beside the map, so no figure is hidden."""
    inside, outside = [], []
    for row in result.rows:
        if row.key is None:
            continue
        entry = {
            "name": row.label,
            "region": row.key,
            "url": overview_url(year, month, region=row.key),
            "values": {key: _map_value(key, row.values[key]) for key in MAP_KEYS},
            "displays": {key: display(key, row.values[key]) for key in MAP_KEYS},
            "drilldowns": {
                key: drilldown_url(key, year, month, by="region", group=row.key, sliced=sliced) for key in MAP_KEYS
            },
        }
        (inside if row.label in MAP_DISTRICTS else outside).append(entry)
    return {
        "name": MAP_NAME,
        "keys": [
            {
                "key": key,
                "label": str(REGISTRY[key].label),
                "unit": str(_("亿元")) if REGISTRY[key].unit == "wanyuan" else "%",
            }
            for key in MAP_KEYS
        ],
        "inside": inside,
        "outside": outside,
    }


def forecast_card(values, year, month, sliced):
    """预计全年完成 against the year's target and plan."""
    value = values[FORECAST]
    target, plan = values["annual_target"], values["annual_plan"]
    key = FORECAST if FORECAST in PARTS else "ytd_investment"
    return {
        "key": FORECAST,
        "label": REGISTRY[FORECAST].label,
        "value": value,
        "url": drilldown_url(key, year, month, sliced=sliced),
        "of_target": display("target_completion_rate", None if value is None else rate(value, target)),
        "of_plan": display("completion_rate", None if value is None else rate(value, plan)),
        "target": target,
        "plan": plan,
    }


# Problem KPIs and the sets of problems (faims.problems FIGURES) behind their figure and their denominator.
PROBLEM_CARDS = {
    "problem_open_count": ("open", None), "problem_overdue_count": ("overdue", None),
    "problem_feedback_rate": ("answered", "due"), "problem_closure_rate": ("closed", "raised"),
}


VISIT_CARDS = ("leader_visit_compliance_rate", "commissioner_visit_compliance_rate")


def problem_cards(values, year, month, sliced):
    """The problem KPIs, each linking to the problem list filtered to the problems it counts, and visit compliance."""
    base = reverse("problems:problem_list")

    def url(figure):
        return f"{base}?{urlencode({'figure': figure, 'period': f'{year}-{month:02d}', **sliced.query})}"

    cards = [
        {"key": key, "label": REGISTRY[key].label, "value": values[key], "display": display(key, values[key]),
         "url": url(figure), "denominator_url": url(denominator) if denominator else None}
        for key, (figure, denominator) in PROBLEM_CARDS.items()
    ]
    # Visit compliance of the quarter (leaders) and the month (commissioners), linking to each person's visits.
    for key, kind, period in (("leader_visit_compliance_rate", "leader", (month - 1) // 3 + 1),
                              ("commissioner_visit_compliance_rate", "commissioner", month)):
        compliance = reverse("problems:visit_compliance", args=[kind])
        cards.append({"key": key, "label": REGISTRY[key].label, "value": values[key],
                      "display": display(key, values[key]), "denominator_url": None,
                      "url": f"{compliance}?{urlencode({'year': year, 'period': period})}"})
    return cards


def warnings_of(projects, year, month, values, sliced):
    """The slice's projects with an active red or yellow warning for the period, each count linking to the
    warning list filtered the same way."""
    counts = {key: values[key] for key in WARNING_KEYS}
    filters = {"period": f"{year}-{month:02d}", "state": "active", **sliced.query}
    base = reverse("alerts:projectwarning_list")
    return [
        {
            "level": level.value,
            "label": level.label,
            "count": counts[f"warning_{level.value}_count"],
            "url": f"{base}?{urlencode({**filters, 'level': level.value})}",
        }
        for level in (WarningLevel.RED, WarningLevel.YELLOW)
    ]


def most_behind(projects, year, month, version):
    """The slice's projects furthest behind the time progress (lowest own completion rate first)."""
    behind = projects_behind(projects, year, month, "behind_schedule_count", version=version)
    # Only the two facts the order needs: selecting the others would cost a subquery a project.
    figures = project_figures(behind, year, month)
    # Behind projects all have a plan (> 0); exact fractions order them alike on both databases.
    ranked = sorted(figures, key=lambda row: (Fraction(row[1]) / Fraction(row[2]), row[0]))[:TOP_BEHIND]
    found = Project.objects.select_related("region").in_bulk([pk for pk, _ytd, _plan in ranked])
    return [
        {"project": found[pk], "plan": plan, "ytd": ytd, "rate": display("completion_rate", rate(ytd, plan))}
        for pk, ytd, plan in ranked
    ]


def projects_list_url(sliced):
    return f"{reverse('projects:project_list')}?{urlencode(sliced.query)}"


class OverviewView(View):
    template_name = "dashboard/overview.html"

    def get(self, request):
        try:
            sliced = slice_of(request)
            year, month = period_of(request)
        except BadRequest as exc:
            return bad_request(request, exc)
        if year is None:
            return render(request, self.template_name, {"title": sliced.title, "empty": True})
        user = request.user
        projects = sliced.projects
        scope = sliced.target_scope
        regions = evaluate(projects, year, month, keys=overview_keys(), by="region", target_scope=scope)
        months = evaluate(projects, year, month, keys=["ytd_investment", "annual_plan"], by="month", target_scope=scope)
        libraries = evaluate(
            projects, year, month, keys=["new_start_rate", "new_count", "new_started_count"], by="library"
        )
        values = regions.total.values
        cards = {key: _card(key, values, year, month, sliced) for key in CARD_KEYS}
        forecast = forecast_card(values, year, month, sliced)
        gap = _gap_points(values["progress_gap"])
        context = {
            "title": sliced.title,
            "slice": sliced.query,
            "city_url": overview_url(year, month) if sliced.kind else None,
            "year": year,
            "month": month,
            "version": regions.version,
            "months": range(1, 13),
            "cards": cards,
            "forecast": forecast,
            "problem_cards": problem_cards(values, year, month, sliced),
            "gap": gap,
            "gap_abs": None if gap is None else abs(gap),
            "start_targets": start_rate_targets(user, year, scope),
            "current_start_period": TargetPeriod.H1.label if month <= 6 else TargetPeriod.Q3.label,
            "chart_data": self.chart_data(user, year, month, regions, months, libraries, sliced, forecast),
        }
        context["chart_data"]["funnel"] = five_rates(projects, year, month, regions, sliced)
        context["chart_data"]["map"] = district_map(regions, year, month, sliced)
        if sliced.kind:
            context.update(
                warnings=warnings_of(projects, year, month, values, sliced),
                behind=most_behind(projects, year, month, regions.version),
                behind_count=values["behind_schedule_count"],
                behind_url=cards["behind_schedule_count"]["url"],
                projects_url=projects_list_url(sliced),
            )
        return render(request, self.template_name, context)

    def chart_data(self, user, year, month, regions, months, libraries, sliced, forecast=None):
        plan = regions.total.values["annual_plan"]
        monthly = [
            {
                "label": row.label,
                "ytd": _float(to_yi(row.values["ytd_investment"])),
                "plan": _float(to_yi(plan * row.key / 12)),
                "url": drilldown_url("ytd_investment", year, row.key, sliced=sliced),
            }
            for row in months.rows
        ]
        projected = None
        if forecast is not None and forecast["value"] is not None:
            # The axis runs to December so that the projection has its place; months to come have no bar.
            monthly += [
                {
                    "label": str(_("%(month)s月") % {"month": m}),
                    "ytd": None,
                    "plan": _float(to_yi(plan * m / 12)),
                    "url": None,
                }
                for m in range(month + 1, 13)
            ]
            projected = {
                "value": _float(to_yi(forecast["value"])),
                "url": forecast["url"],
                "from": monthly[month - 1]["ytd"] if month <= len(monthly) else None,
            }
        ranked = sorted(
            regions.rows, key=lambda row: (row.values["completion_rate"] is None, -(row.values["completion_rate"] or 0))
        )
        # A bar opens that region's (library's) own overview; its drill-down stays at hand for the figure itself.
        region_rows = [
            {
                "label": row.label,
                "rate": _percent(row.values["completion_rate"]),
                "url": None if row.key is None else overview_url(year, month, region=row.key),
                "drilldown": drilldown_url("completion_rate", year, month, by="region", group=row.key, sliced=sliced),
            }
            for row in ranked
        ]
        targets = library_start_targets(user, year)
        library_rows = [
            {
                "label": row.label,
                "rate": _percent(row.values["new_start_rate"]),
                "started": row.values["new_started_count"],
                "planned": row.values["new_count"],
                "h1": targets.get(row.key, {}).get(TargetPeriod.H1),
                "q3": targets.get(row.key, {}).get(TargetPeriod.Q3),
                "url": None if row.key is None else overview_url(year, month, library=row.key),
                "drilldown": None
                if row.key is None
                else drilldown_url(
                    "new_start_rate", year, month, part="denominator", by="library", group=row.key, sliced=sliced
                ),
            }
            for row in libraries.rows
        ]
        return {
            "time_progress": _percent(Fraction(month, 12)),
            "labels": {
                "ytd": str(_("1–M月完成投资（亿元）")),
                "plan": str(_("按时序应完成（亿元）")),
                "rate": str(REGISTRY["completion_rate"].label),
                "time": str(REGISTRY["time_progress"].label),
                "start": str(REGISTRY["new_start_rate"].label),
                "h1": str(_("二季度末目标")),
                "q3": str(_("三季度末目标")),
                "forecast": str(_("预计全年完成（亿元）")),
                "none": str(_("无数据")),
                "yi": str(_("亿元")),
                "projects": str(_("个项目")),
                "outside": str(_("不在地图轮廓内的地区")),
                "no_value": str(_("无数据")),
            },
            "monthly": monthly,
            "forecast": projected,
            "regions": region_rows,
            "libraries": library_rows,
        }


def bad_request(request, exc):
    return render(
        request, "dashboard/bad_request.html", {"title": _("参数有误"), "message": str(exc.args[0])}, status=400
    )


def _group_of(request, by):
    raw = request.GET.get("group", "")
    if by in TEXT_GROUPS:
        if raw not in TEXT_GROUPS[by].values:
            raise BadRequest(_("分组“%(group)s”不存在。") % {"group": raw})
        return raw
    # Ids beyond a 32-bit key cannot exist, and SQLite refuses to compare with them.
    if not raw.isdigit() or int(raw) >= 2**31:
        raise BadRequest(_("分组“%(group)s”不存在。") % {"group": raw})
    return int(raw)


def group_label(user, by, group):
    """The name of a drill-down's group, as the overview's charts show it."""
    if by in TEXT_GROUPS:
        return TEXT_GROUPS[by](group).label
    found = GROUP_MODELS[by].objects.restrict(user, VIEW).filter(pk=group).first()
    return str(found) if found else str(group)


class DrilldownView(View):
    """The projects behind one figure of the overview: a KPI's numerator or denominator, optionally in a group."""

    template_name = "dashboard/drilldown.html"

    def parse(self, request):
        key = request.GET.get("key", "")
        if key not in PARTS:
            raise BadRequest(_("指标“%(key)s”不存在或没有项目清单。") % {"key": key})
        part = request.GET.get("part", "numerator")
        if part not in PARTS_OF_DRILLDOWN:
            raise BadRequest(_("参数“part”应为 numerator（分子）或 denominator（分母）。"))
        year, month = period_of(request)
        if year is None:
            raise BadRequest(_("尚无月报，请指定年度和月份。"))
        by = request.GET.get("group_by") or None
        if by is not None and by not in GROUP_BY:
            raise BadRequest(_("分组维度“%(by)s”不存在。") % {"by": by})
        group = _group_of(request, by) if by else None
        return key, part, year, month, by, group

    def get(self, request):
        try:
            sliced = slice_of(request)
            key, part, year, month, by, group = self.parse(request)
        except BadRequest as exc:
            return bad_request(request, exc)
        scoped = sliced.projects
        projects = projects_behind(scoped, year, month, key, part, group, by=by)
        projects = projects.select_related("region", "unit", "leader").prefetch_related(current_memberships())
        table = ProjectTable(projects.order_by("region__sort_order", "region__code", "name", "pk"))
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        definition = REGISTRY[key]
        numerator, denominator = PARTS[key]
        described = definition.denominator if part == "denominator" and denominator else definition.numerator
        return render(
            request,
            self.template_name,
            {
                "title": _("项目清单"),
                "definition": definition,
                "part": part,
                "described": described,
                "part_label": _("分母") if part == "denominator" and denominator else _("分子"),
                "year": year,
                "month": month,
                "table": table,
                "group_label": group_label(request.user, by, group) if by else None,
                "slice_title": sliced.title if sliced.kind else None,
                "back": overview_url(year, month, **sliced.query),
            },
        )
