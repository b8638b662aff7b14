"""The quarterly supervision report and the year-end assessment bulletin (policy (二十六), 附件三(二)).

Both are written like the monthly bulletin (`content`): every figure from the KPI engine, the wording following the
data, sections with nothing to say left out; the scores come from the assessment schemes (`faims.assessment`).
"""

from django.utils.translation import gettext as _

from faims.assessment.choices import FlagKind, SchemeKind, Subject
from faims.assessment.models import AssessmentScheme
from faims.assessment.scoring import assess
from faims.core.formatting import format_rate
from faims.core.permissions import SEE_EVERYTHING
from faims.metrics.engine import evaluate
from faims.metrics.registry import REGISTRY
from faims.metrics.services import thresholds_of
from faims.org.models import Region

from . import content
from .content import (
    NUMERALS,
    OVERVIEW_KEYS,
    PROBLEM_KEYS,
    ROW_KEYS,
    Bulletin,
    Chart,
    counted,
    fill,
    new_bulletin,
    scope_projects,
)

QUARTERLY, ANNUAL = "quarterly", "annual"
QUARTER_MONTHS = (3, 6, 9, 12)
FIVE_RATES = ["filing_rate", "filed_start_rate", "started_investment_rate", "production_rate", "capacity_rate"]


def _scope_words(region: Region | None) -> str:
    return region.name if region else ""


def _grouped(projects, year, month, version):
    def grouped(by, keys):
        return evaluate(projects, year, month, keys=keys, by=by, version=version)

    return grouped


# ---------------------------------------------------------------------------------------------
# Sections


def _starts(v, by_library, year, month, region, bulletin) -> list[str]:
    """New starts against the quarter's target, each library against the target set for it."""
    return content._starts(v, by_library, year, month, region, bulletin.figures)


def _investment(v, by_library, month, scope_label, version, bulletin) -> list[str]:
    sentences = content._overview(v, month, scope_label, thresholds_of(version))
    return sentences + content._libraries(by_library, month, bulletin)


def _five_rates(v, parts, bulletin) -> list[str]:
    bulletin.figures["five_rates"] = {key: content._json(v[key]) for key in FIVE_RATES}
    sentences = []
    for key in FIVE_RATES:
        if v[key] is None:
            continue
        text = _("%(label)s%(rate)s") % {"label": REGISTRY[key].label, "rate": format_rate(v[key])}
        numerator, denominator = parts.get(key, (None, None))
        if key != "started_investment_rate" and denominator:
            text += _("（%(n)s/%(d)s个）") % {"n": numerator, "d": denominator}
        sentences.append(text)
    if not sentences:
        return []
    return [_("“五率”完成情况：") + "；".join(sentences) + _("。")]


def _scheme(kind, subject, year):
    return AssessmentScheme.objects.filter(kind=kind, subject=subject, year=year, active=True).prefetch_related(
        "indicators", "flags").first()


def _names(subjects) -> str:
    return "、".join(_("%(name)s（%(total)s分）") % {"name": s.label, "total": s.total} for s in subjects)


def _ranking(user, kind, subject, year, month, region, version, bulletin) -> list[str]:
    """A scheme's ranking: who leads and who lags, the measures that follow, an appendix table and a chart."""
    if subject == Subject.DEPARTMENT and user.role not in SEE_EVERYTHING:
        return []
    scheme = _scheme(kind, subject, year)
    if scheme is None:
        return []
    result = assess(user, scheme, year, month, region=region, version=version)
    bulletin.figures.setdefault("assessment", {})[subject] = result.figures
    ranked = [s for s in result.subjects if s.rank is not None]
    if not ranked:
        return []
    noun = Subject(subject).label
    head = min(3, len(ranked))
    sentences = [_("按《%(scheme)s》（满分100分）评分，%(n)s个%(noun)s参加排名，排名前列的是：%(top)s。") % {
        "scheme": scheme.name, "n": len(ranked), "noun": noun, "top": _names(ranked[:head])}]
    if len(ranked) > head:
        tail = ranked[-min(2, len(ranked) - head):]
        sentences.append(_("排名靠后的是：%(names)s。") % {"names": _names(tail)})
    for flag_kind, verb in ((FlagKind.REWARD, _("建议")), (FlagKind.PENALTY, _("按规定"))):
        measures = {}
        for s in ranked:
            for flag in s.flags:
                if flag.kind == flag_kind:
                    measures.setdefault(flag.label, []).append(s.label)
        for label, names in measures.items():
            sentences.append(counted(len(names), _("%(names)s：%(verb)s%(measure)s。") % {
                "names": "、".join(names), "verb": verb, "measure": label}))
    header = [_("排名"), str(noun), _("总分"), *[f"{i.label}（{i.weight.normalize():f}）" for i in result.indicators],
              _("奖惩")]
    rows = [[str(s.rank or "—"), s.label, str(s.total if s.total is not None else "—"),
             *[str(score.points) if score.applicable else _("不涉及") for score in s.scores],
             "；".join(f"{f.label}（{f.reason}）" for f in s.flags) or "—"] for s in result.subjects]
    bulletin.tables.append((_("各%(noun)s%(period)s得分排名") % {"noun": noun, "period": result.period_label},
                            header, rows))
    explained = [[s.label, score.label, score.value_text, score.goal_label,
                  str(score.points) if score.applicable else _("不涉及"), score.explanation]
                 for s in result.subjects for score in s.scores]
    bulletin.tables.append((_("各%(noun)s得分说明") % {"noun": noun},
                            [str(noun), _("指标"), _("实际"), _("目标"), _("得分"), _("说明")], explained))
    bulletin.charts.append(Chart(title=_("各%(noun)s得分") % {"noun": noun}, categories=[s.label for s in ranked],
                                 series=[(_("总分"), [float(s.total) for s in ranked])], unit=_("分")))
    return [s for s in sentences if s]


# ---------------------------------------------------------------------------------------------
# The documents


def quarterly(user, year: int, month: int, region: Region | None = None, *, version=None,
              progress=None) -> Bulletin:
    """The supervision office's report of the quarter ending in `month` (3, 6, 9 or 12)."""
    if month not in QUARTER_MONTHS:
        raise ValueError(_("季度督查报告的月份须为 3、6、9 或 12 月"))
    projects, region = scope_projects(user, region)
    target_scope = ("region", region.pk) if region else "city"
    total = evaluate(projects, year, month, keys=OVERVIEW_KEYS, target_scope=target_scope, version=version)
    version = total.version
    title = _("关于%(year)s年第%(q)s季度%(scope)s重大项目督查情况的报告") % {
        "year": year, "q": NUMERALS[month // 3 - 1], "scope": _scope_words(region)}
    bulletin = new_bulletin(QUARTERLY, title, year, month, region, version)
    bulletin.figures["total"] = content._values(total.total, OVERVIEW_KEYS)
    v = total.total.values
    scope_label = bulletin.scope_label
    grouped = _grouped(projects, year, month, version)
    by_library = grouped("library", ROW_KEYS)
    return fill(bulletin, [
        (_("项目开工情况"), lambda: _starts(v, by_library, year, month, region, bulletin)),
        (_("投资完成情况"), lambda: _investment(v, by_library, month, scope_label, version, bulletin)),
        (_("问题办理情况"), lambda: content._problems(projects, grouped("department", PROBLEM_KEYS), year, month,
                                                     bulletin)),
        (_("各地区督查评分"), lambda: _ranking(user, SchemeKind.QUARTERLY, Subject.REGION, year, month, region,
                                            version, bulletin)),
        (_("各部门督查评分"), lambda: _ranking(user, SchemeKind.QUARTERLY, Subject.DEPARTMENT, year, month, region,
                                            version, bulletin)),
    ], progress)


def annual(user, year: int, month: int = 12, region: Region | None = None, *, version=None,
           progress=None) -> Bulletin:
    """The year-end assessment bulletin; before December a pre-assessment as of the end of `month`."""
    if not 1 <= month <= 12:
        raise ValueError(_("月份须在 1 至 12 之间"))
    projects, region = scope_projects(user, region)
    target_scope = ("region", region.pk) if region else "city"
    keys = OVERVIEW_KEYS + FIVE_RATES
    total = evaluate(projects, year, month, keys=keys, target_scope=target_scope, version=version)
    version = total.version
    title = _("关于%(year)s年度%(scope)s重大项目建设考核情况的通报") % {"year": year, "scope": _scope_words(region)}
    if month < 12:
        title += _("（截至%(month)s月预评估）") % {"month": month}
    bulletin = new_bulletin(ANNUAL, title, year, month, region, version)
    bulletin.figures["total"] = content._values(total.total, keys)
    v = total.total.values

    def targets():
        return content._overview(v, month, bulletin.scope_label, thresholds_of(version)) + content._recruitment(
            v, year, region, bulletin.figures)

    return fill(bulletin, [
        (_("目标任务完成情况"), targets),
        (_("“五率”完成情况"), lambda: _five_rates(v, total.total.parts, bulletin)),
        (_("各地区考核情况"), lambda: _ranking(user, SchemeKind.ANNUAL, Subject.REGION, year, month, region,
                                            version, bulletin)),
        (_("各部门考核情况"), lambda: _ranking(user, SchemeKind.ANNUAL, Subject.DEPARTMENT, year, month, region,
                                            version, bulletin)),
    ], progress)
