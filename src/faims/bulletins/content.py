"""What a bulletin says: its sentences and tables, every figure from the KPI engine, the wording following the data.

The wording rules are small functions (`compare`, `points`, `counted`) so that they can be tested on their own:
高于/低于/持平 follow the sign of the gap, 已/尚未 follow whether a target is met, and a sentence whose count is 0
is left out rather than written as "0个".
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from faims.alerts.choices import WarningLevel
from faims.alerts.models import ProjectWarning
from faims.core.formatting import format_rate, format_yi
from faims.core.permissions import SEE_EVERYTHING, VIEW
from faims.metrics import problem_figures
from faims.metrics.engine import Period, evaluate
from faims.metrics.registry import REGISTRY
from faims.metrics.services import thresholds_of
from faims.org.choices import Role
from faims.org.models import Department, Region
from faims.projects.models import Project
from faims.reporting.models import ReportingPeriod
from faims.targets.choices import TargetPeriod, TargetScope
from faims.targets.models import Target

from .choices import BulletinKind

OVERVIEW_KEYS = [
    "project_count",
    "annual_plan",
    "annual_target",
    "ytd_investment",
    "completion_rate",
    "target_completion_rate",
    "time_progress",
    "progress_gap",
    "behind_schedule_count",
    "over_half_count",
    "new_count",
    "new_started_count",
    "new_start_rate",
    "continuing_not_started_count",
    "filed_10yi_count",
    "filed_50yi_count",
    "filed_100yi_count",
    "warning_red_count",
    "problem_open_count",
    "problem_overdue_count",
    "problem_closure_rate",
    "leader_visit_compliance_rate",
    "leader_visit_count",
    "leader_visitor_count",
]
ROW_KEYS = [
    "project_count",
    "annual_plan",
    "ytd_investment",
    "completion_rate",
    "progress_gap",
    "new_count",
    "new_started_count",
    "new_start_rate",
]
PROBLEM_KEYS = ["problem_open_count", "problem_overdue_count", "problem_closure_rate"]
RECRUITMENT_KEYS = ["filed_10yi_count", "filed_50yi_count", "filed_100yi_count"]
# The target that applies at the end of each month: the quarter's (一季度末, 半年, 三季度末), then the year's.
QUARTER_TARGET = {
    1: TargetPeriod.Q1,
    2: TargetPeriod.Q1,
    3: TargetPeriod.Q1,
    4: TargetPeriod.H1,
    5: TargetPeriod.H1,
    6: TargetPeriod.H1,
    7: TargetPeriod.Q3,
    8: TargetPeriod.Q3,
    9: TargetPeriod.Q3,
}
NUMERALS = "一二三四五六七八九十"
BULLETIN_ROLES = frozenset({Role.CITY_ADMIN, Role.SUPERVISOR, Role.REGION_OFFICER})


@dataclass
class Chart:
    """A bar chart of the bulletin: one bar series per (name, values), values as printed (percent for rates).

    `reference` is a horizontal line drawn across the bars, such as the time progress ("时序进度", 50.0)."""

    title: str
    categories: list
    series: list
    unit: str = "%"
    reference: tuple | None = None


@dataclass
class Bulletin:
    kind: str
    title: str
    office: str
    date: dt.date
    year: int
    month: int
    scope_label: str
    region_code: str | None
    version: int
    locked: bool
    # (heading, [sentences]) in reading order.
    paragraphs: list = field(default_factory=list)
    # (title, header, rows): rows of plain strings, as printed.
    tables: list = field(default_factory=list)
    # The exact numbers the text and tables were written from (JSON-safe), kept with a published bulletin.
    figures: dict = field(default_factory=dict)
    # Charts drawn from the same figures as the tables (embedded as images in the Word and PDF files).
    charts: list = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def table(self, title: str):
        return next((t for t in self.tables if t[0] == title), None)


# ---------------------------------------------------------------------------------------------
# Wording


def points(gap: Fraction | None) -> Decimal | None:
    """A gap between two rates in percentage points, one decimal, rounded half up."""
    if gap is None:
        return None
    return (Decimal(gap.numerator) * 100 / Decimal(gap.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def compare(gap: Fraction | None, against: str | None = None) -> str:
    """ "高于时序进度1.3个百分点", "低于时序进度0.5个百分点" or "与时序进度持平" (as printed, to one decimal)."""
    against = against or _("时序进度")
    value = points(gap)
    if value is None:
        return ""
    if value > 0:
        return _("高于%(against)s%(points)s个百分点") % {"against": against, "points": value}
    if value < 0:
        return _("低于%(against)s%(points)s个百分点") % {"against": against, "points": -value}
    return _("与%(against)s持平") % {"against": against}


def counted(count, text: str) -> str | None:
    """The sentence, or None when its count is 0 (or unknown): bulletins never say "0个"."""
    return text if count else None


def months_label(month: int) -> str:
    return _("1月") if month == 1 else _("1–%(month)s月") % {"month": month}


def _sentences(*parts) -> list[str]:
    return [p for p in parts if p]


def _json(value):
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return str(value)
    return value


def _values(row, keys) -> dict:
    return {k: _json(row.values[k]) for k in keys}


# ---------------------------------------------------------------------------------------------
# Scope


def scope_projects(user, region: Region | None):
    """The projects the bulletin covers: the user's scope, narrowed to the region (and the regions below it)."""
    if user is None or not user.is_authenticated or user.role not in BULLETIN_ROLES:
        raise PermissionDenied(_("您无权生成通报。"))
    projects = Project.objects.restrict(user, VIEW)
    if region is None and user.role not in SEE_EVERYTHING:
        region = user.region
    if region is not None:
        if user.role not in SEE_EVERYTHING and region.pk not in Region.objects.subtree_ids(user.region_id):
            raise PermissionDenied(_("您无权生成该地区的通报。"))
        projects = projects.filter(region__in=Region.objects.subtree_ids(region.pk))
    return projects, region


def _target(key: str, year: int, period: str, region: Region | None):
    scope = {"scope": TargetScope.REGION, "region": region} if region else {"scope": TargetScope.CITY}
    found = Target.objects.filter(kpi_key=key, year=year, period=period, **scope).first()
    return None if found is None else found.value


def _locked(year: int, month: int) -> bool:
    period = ReportingPeriod.objects.filter(year=year, month=month).first()
    return bool(period and period.is_locked)


# ---------------------------------------------------------------------------------------------
# The monthly bulletin


def new_bulletin(kind, title: str, year: int, month: int, region: Region | None, version) -> Bulletin:
    """An empty bulletin of the kind with its header facts (office, date, scope, definition version, lock state)."""
    return Bulletin(
        kind=kind,
        title=title,
        office=getattr(settings, "FAIMS_BULLETIN_OFFICE", "") or _("市重大项目建设推进办公室"),
        date=timezone.localdate(),
        year=year,
        month=month,
        scope_label=region.name if region else _("全市"),
        region_code=region.code if region else None,
        version=version.number,
        locked=_locked(year, month),
    )


def fill(bulletin: Bulletin, sections, progress=None) -> Bulletin:
    """Write the sections [(heading, make sentences)] in order, telling `progress(done, total, heading)` as it goes.

    Sections with nothing to say are left out; the rest are numbered 一、二、… in order."""
    kept = []
    for done, (heading, make) in enumerate(sections):
        if progress is not None:
            progress(done, len(sections), heading)
        sentences = make()
        if sentences:
            kept.append((heading, sentences))
    if progress is not None:
        progress(len(sections), len(sections), _("生成文件"))
    bulletin.paragraphs = [(f"{NUMERALS[i]}、{heading}", sentences) for i, (heading, sentences) in enumerate(kept)]
    return bulletin


def monthly(user, year: int, month: int, region: Region | None = None, *, version=None, progress=None) -> Bulletin:
    projects, region = scope_projects(user, region)
    target_scope = ("region", region.pk) if region else "city"
    total = evaluate(projects, year, month, keys=OVERVIEW_KEYS, target_scope=target_scope, version=version)
    version = total.version
    scope_label = region.name if region else _("全市")
    title = _("关于%(year)s年%(months)s%(scope)s重大项目推进情况的通报") % {
        "year": year,
        "months": months_label(month),
        "scope": scope_label,
    }
    bulletin = new_bulletin(BulletinKind.MONTHLY, title, year, month, region, version)
    bulletin.figures["total"] = _values(total.total, OVERVIEW_KEYS)
    v = total.total.values

    def grouped(by, keys):
        return evaluate(projects, year, month, keys=keys, by=by, version=version)

    by_library = grouped("library", ROW_KEYS)

    return fill(
        bulletin,
        [
            (_("总体情况"), lambda: _overview(v, month, scope_label, thresholds_of(version))),
            (_("开工情况"), lambda: _starts(v, by_library, year, month, region, bulletin.figures)),
            (_("各项目库推进情况"), lambda: _libraries(by_library, month, bulletin)),
            (_("项目招引情况"), lambda: _recruitment(v, year, region, bulletin.figures)),
            (_("各地区推进情况"), lambda: _regions(grouped("region", ROW_KEYS), v, month, bulletin)),
            (_("红色预警项目"), lambda: _warnings(user, projects, v, year, month, bulletin)),
            (
                _("问题办理情况"),
                lambda: _problems(projects, grouped("department", PROBLEM_KEYS), year, month, bulletin),
            ),
            (_("市领导挂钩走访情况"), lambda: _visits(v, bulletin)),
        ],
        progress,
    )


def _overview(v, month, scope_label, thresholds) -> list[str]:
    months = months_label(month)
    first = _("%(months)s，%(scope)s%(count)s个重大项目已完成投资%(ytd)s亿元") % {
        "months": months,
        "scope": scope_label,
        "count": v["project_count"],
        "ytd": format_yi(v["ytd_investment"]),
    }
    if v["completion_rate"] is not None:
        first += _("，完成年度计划的%(rate)s，%(compare)s") % {
            "rate": format_rate(v["completion_rate"]),
            "compare": compare(v["progress_gap"]),
        }
    if v["target_completion_rate"] is not None:
        first += _("；完成年度目标任务的%(rate)s") % {"rate": format_rate(v["target_completion_rate"])}
    behind = v["behind_schedule_count"]
    return _sentences(
        first + _("。"),
        counted(v["over_half_count"], _("年度计划投资过半的项目%(n)s个。") % {"n": v["over_half_count"]}),
        counted(
            behind,
            _("投资进度低于时序进度%(points)s个百分点以上的项目%(n)s个，须加快推进。")
            % {"points": format(Decimal(thresholds["behind_schedule_points"]).normalize(), "f"), "n": behind},
        ),
    )


def _against(rate, target, period) -> str:
    """ "，已完成半年目标（75.0%）" or "，尚未完成半年目标（75.0%），低于目标5.0个百分点"."""
    target_rate = Fraction(target)
    values = {
        "period": TargetPeriod(period).label,
        "target": format_rate(target_rate),
        "compare": compare((rate or 0) - target_rate, _("目标")),
    }
    if rate is not None and rate >= target_rate:
        return _("，已完成%(period)s目标（%(target)s）") % values
    return _("，尚未完成%(period)s目标（%(target)s），%(compare)s") % values


def _started(v) -> str:
    if v["new_started_count"] == v["new_count"]:
        return _("计划新开工项目%(n)s个，已全部开工") % {"n": v["new_count"]}
    if v["new_started_count"]:
        return _("计划新开工项目%(n)s个，已开工%(started)s个，新开工率%(rate)s") % {
            "n": v["new_count"],
            "started": v["new_started_count"],
            "rate": format_rate(v["new_start_rate"]),
        }
    return _("计划新开工项目%(n)s个，尚未有项目开工") % {"n": v["new_count"]}


def library_start_targets(year: int, period: str) -> dict:
    """The new-start-rate targets set for project libraries at the period ({library pk: value})."""
    rows = Target.objects.filter(
        kpi_key="new_start_rate", year=year, period=period, scope=TargetScope.LIBRARY, library__isnull=False
    )
    return dict(rows.values_list("library_id", "value"))


def _starts(v, by_library, year, month, region, figures) -> list[str]:
    """New starts in the scope against its own target, then each library against the target set for it."""
    if not v["new_count"]:
        return []
    period = QUARTER_TARGET.get(month, TargetPeriod.YEAR)
    target = _target("new_start_rate", year, period, region)
    figures["new_start_target"] = _json(target)
    first = _started(v)
    if target is not None:
        first += _against(v["new_start_rate"], target, period)
    sentences = [first + _("。")]
    library_targets = library_start_targets(year, period)
    figures["library_start_targets"] = {str(k): _json(value) for k, value in library_targets.items()}
    for row in by_library.rows:
        goal = library_targets.get(row.key)
        if goal is None or not row.values["new_count"]:
            continue
        sentences.append(
            _("%(library)s：%(started)s%(against)s。")
            % {
                "library": row.label,
                "started": _started(row.values),
                "against": _against(row.values["new_start_rate"], goal, period),
            }
        )
    not_started = v["continuing_not_started_count"]
    sentences.append(counted(not_started, _("续建项目中尚有%(n)s个未开工（复工）。") % {"n": not_started}))
    return _sentences(*sentences)


def _recruitment(v, year, region, figures) -> list[str]:
    """New filings of ≥10/50/100亿 this year, each against the year's target where one is set."""
    sentences = []
    figures["recruitment_targets"] = {}
    for key in RECRUITMENT_KEYS:
        count, label = v[key], REGISTRY[key].label
        target = _target(key, year, TargetPeriod.YEAR, region)
        figures["recruitment_targets"][key] = _json(target)
        if target is None:
            sentences.append(counted(count, _("%(label)s%(n)s个。") % {"label": label, "n": count}))
            continue
        goal = int(target)
        if not count:
            text = _("%(label)s尚未实现（年度目标%(goal)s个）。")
        elif count >= goal:
            text = _("%(label)s%(n)s个，已完成年度目标（%(goal)s个）。")
        else:
            text = _("%(label)s%(n)s个，尚未完成年度目标（%(goal)s个），还差%(left)s个。")
        sentences.append(text % {"label": label, "n": count, "goal": goal, "left": goal - count})
    return _sentences(*sentences)


def _row_cells(row, month) -> list[str]:
    v = row.values
    return [
        row.label,
        str(v["project_count"]),
        format_yi(v["annual_plan"]),
        format_yi(v["ytd_investment"]),
        format_rate(v["completion_rate"]),
        str(points(v["progress_gap"]) if v["progress_gap"] is not None else "—"),
        f"{v['new_started_count']}/{v['new_count']}",
        format_rate(v["new_start_rate"]),
    ]


def _header(first: str, month: int) -> list[str]:
    return [
        first,
        _("项目数"),
        _("年度计划（亿元）"),
        _("%(months)s完成（亿元）") % {"months": months_label(month)},
        _("完成率"),
        _("超时序（百分点）"),
        _("新开工（已开工/计划）"),
        _("新开工率"),
    ]


def _libraries(result, month, bulletin) -> list[str]:
    rows = [row for row in result.rows if row.values["project_count"]]
    bulletin.figures["libraries"] = {str(row.key): _values(row, ROW_KEYS) for row in rows}
    if not rows:
        return []
    sentences = []
    for row in rows:
        v = row.values
        text = _("%(library)s：%(n)s个项目，完成投资%(ytd)s亿元") % {
            "library": row.label,
            "n": v["project_count"],
            "ytd": format_yi(v["ytd_investment"]),
        }
        if v["completion_rate"] is not None:
            text += _("，完成年度计划的%(rate)s，%(compare)s") % {
                "rate": format_rate(v["completion_rate"]),
                "compare": compare(v["progress_gap"]),
            }
        sentences.append(text + _("。"))
    bulletin.tables.append((_("各项目库推进情况"), _header(_("项目库"), month), [_row_cells(r, month) for r in rows]))
    return sentences


def ranked(rows) -> list:
    """Regions by completion rate, highest first; those without a plan last (in their usual order)."""
    return sorted(rows, key=lambda r: (r.values["completion_rate"] is None, -(r.values["completion_rate"] or 0)))


def percent(rate: Fraction | None) -> float | None:
    """A rate as a chart's percent value (the tables print it; a chart only needs the height)."""
    return None if rate is None else float(rate * 100)


def _regions(result, v, month, bulletin) -> list[str]:
    rows = ranked([row for row in result.rows if row.values["project_count"]])
    bulletin.figures["regions"] = {str(row.key): _values(row, ROW_KEYS) for row in rows}
    if not rows:
        return []
    bulletin.charts.append(
        Chart(
            title=_("各地区年度计划完成率"),
            categories=[row.label for row in rows],
            series=[(_("年度计划完成率"), [percent(row.values["completion_rate"]) for row in rows])],
            reference=(_("时序进度"), percent(v["time_progress"])),
        )
    )
    ahead = [r.label for r in rows if (points(r.values["progress_gap"]) or 0) > 0]
    behind = [r.label for r in rows if (points(r.values["progress_gap"]) or 0) < 0]
    header = [_("排名"), *_header(_("地区"), month)]
    table = [[str(rank), *_row_cells(row, month)] for rank, row in enumerate(rows, 1)]
    bulletin.tables.append((_("各地区推进情况排名"), header, table))
    return _sentences(
        _("各地区按年度计划完成率排名见附表。"),
        counted(len(ahead), _("高于时序进度的地区%(n)s个：%(names)s。") % {"n": len(ahead), "names": "、".join(ahead)}),
        counted(
            len(behind), _("低于时序进度的地区%(n)s个：%(names)s。") % {"n": len(behind), "names": "、".join(behind)}
        ),
    )


def _warnings(user, projects, v, year, month, bulletin) -> list[str]:
    warnings = (
        ProjectWarning.objects.restrict(user, VIEW)
        .active()
        .filter(project__in=projects, year=year, month=month, level=WarningLevel.RED)
        .select_related("project", "project__region")
        .order_by("project__region__code", "project__name")
    )
    rows = [[w.project.name, w.project.region.name, w.rule_title, w.message] for w in warnings]
    bulletin.figures["red_warnings"] = len(rows)
    if not v["warning_red_count"]:
        return [_("本期无红色预警项目。")]
    bulletin.tables.append((_("红色预警项目"), [_("项目"), _("地区"), _("预警规则"), _("预警原因")], rows))
    return [_("本期红色预警项目%(n)s个（见附表），请相关地区和部门限期整改。") % {"n": v["warning_red_count"]}]


def _problems(projects, result, year, month, bulletin) -> list[str]:
    # Raised and closed are the closure rate's denominator and numerator, counted by the engine's problem module.
    totals, groups = problem_figures.sums(projects, Period(year, month), by="department")
    raised, closed = totals["n_problem_raised"], totals["n_problem_closed"]
    total = result.total.values
    bulletin.figures["problems"] = {"raised": raised, "closed": closed, **_values(result.total, PROBLEM_KEYS)}
    names = dict(Department.objects.filter(pk__in=[r.key for r in result.rows]).values_list("pk", "name"))
    rows = []
    for row in result.rows:
        counts = groups.get(row.key) or {}
        if not (counts.get("n_problem_raised") or row.values["problem_open_count"]):
            continue
        rows.append(
            [
                names.get(row.key, row.label),
                str(counts.get("n_problem_raised", 0)),
                str(counts.get("n_problem_closed", 0)),
                str(row.values["problem_open_count"]),
                str(row.values["problem_overdue_count"]),
                format_rate(row.values["problem_closure_rate"]),
            ]
        )
    if rows:
        bulletin.tables.append(
            (_("各部门问题办理情况"), [_("部门"), _("提出"), _("已办结"), _("未办结"), _("逾期"), _("办结率")], rows)
        )
    first = None
    if raised:
        first = _("%(months)s共提出问题%(raised)s个") % {"months": months_label(month), "raised": raised}
        first += (
            _("，已办结%(closed)s个，办结率%(rate)s")
            % {"closed": closed, "rate": format_rate(total["problem_closure_rate"])}
            if closed
            else _("，尚未办结")
        )
        first += _("。")
    open_count, overdue = total["problem_open_count"], total["problem_overdue_count"]
    second = None
    if open_count:
        second = _("截至期末尚有%(n)s个问题未办结") % {"n": open_count}
        second += _("，其中逾期%(n)s个，请责任部门抓紧办理。") % {"n": overdue} if overdue else _("，均在办理期限内。")
    return _sentences(first, second)


def _visits(v, bulletin) -> list[str]:
    count, leaders, rate = v["leader_visit_count"], v["leader_visitor_count"], v["leader_visit_compliance_rate"]
    bulletin.figures["leader_visits"] = {"visits": count, "leaders": leaders, "compliance_rate": _json(rate)}
    return _sentences(
        counted(count, _("本月%(leaders)s位挂钩市领导走访项目%(n)s次。") % {"leaders": leaders, "n": count}),
        rate is not None and _("本季度挂钩市领导走访履职率%(rate)s。") % {"rate": format_rate(rate)},
    )
