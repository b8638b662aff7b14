"""The open-data package: the projects flagged 公开 as an OC4IDS 0.9 project package.

Only projects with `is_public` set, a 投资项目统一代码 and a status other than 退库 are published, and of
them only what the public may read: no people (no names, no phone numbers), no problems, no warnings,
no report workflow. Text is written in Chinese whatever the reader's language (`language` "zh").

OC4IDS field                  FAIMS source
----------------------------  ----------------------------------------------------------------------------------
id                            "<FAIMS_OC4IDS_PREFIX>-<project code>"; the prefix is the publisher's registered
                              project identifier prefix ("oc4ids-" and six lower-case letters or digits)
identifiers                   the project code, scheme CN-TZXMDM (投资项目统一代码)
updated                       Project.updated
title, description            name; scale (建设内容及规模), else the name
purpose                       the category, with the industry chain when there is one
status (projectStatus,        谋划/储备 → identification; 前期 → preparation; 在建 → implementation;
  closed)                     停缓建 → implementation once started, else preparation; 竣工 → completion;
                              投产/达效 → maintenance (the asset is in operation); 退库 → cancelled (never published)
type (projectType, closed)    建设性质: 新建 → construction; 扩建 → expansion; 改建和技术改造, 恢复 → rehabilitation;
                              迁建 → replacement; 其他 → no type
sector (projectSector)        public works (基础设施, 民生, 生态环保) by keywords of the name and works, with the
                              parent code (地铁 → transport.urban, 铁路 → transport.rail, 高速/快速化/过江通道 →
                              transport.road, 学院 → education, 医院/卫生 → health, 博物馆/体育 →
                              cultureSportsAndRecreation, 清淤/整治 → naturalResources …); otherwise by category:
                              产业, 创新载体 → economy; 基础设施 → transport; 民生 → governance;
                              生态环保 → naturalResources
budget.amount                 total_investment 万元 × 10,000, currency CNY
locations[0]                  the site (location), the point (longitude, latitude: GeoJSON order), the address
                              (street: location; locality: the region; region: its top region; country 中国)
                              and the region's GB/T 2260 code as gazetteer entry (scheme CN-GBT2260)
parties, publicAuthority      the project unit, its 统一社会信用代码 as identifier (scheme CN-USCC): roles
                              publicAuthority and buyer (政府投资) or funder (企业投资); each 责任部门:
                              administrativeEntity. No people.
period                        planned start and planned completion
milestones                    the node plans (节点计划), completed by the project's own planned/actual stage dates
                              for kinds without a node. Approvals, 签约, 备案/核准 → type approval (code
                              projectApproval for the approvals and 备案/核准); 开工 → delivery, commencement;
                              主体封顶 → delivery; 竣工 → delivery, completion; 投产 → delivery, commissioning;
                              达产 → delivery. Status met (dateMet) with an actual date, notMet once the planned
                              date has passed (dateModified: the day of publication), else scheduled
metrics: financialProgress    each month of the latest reported year in which the project has a submitted or
                              accepted report: the year-to-date investment (CNY) and 年度计划完成率 (percent of the
                              annual plan), from the KPI engine's project_figures
metrics: physicalProgress     the 形象进度 of the latest submitted or accepted report that has one

Package: `uri` (given by the caller), `publishedDate` (the latest change of a published project or of one of
its reports), `publisher.name` (`FAIMS_BULLETIN_OFFICE`, else the site name), `license` (`FAIMS_OC4IDS_LICENSE`),
`version` "0.9". Dates and times are ISO 8601 with the +08:00 offset (Asia/Shanghai).
"""
import datetime as dt
import json
import re
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Prefetch
from django.utils import timezone, translation

from faims.metrics.engine import SUBMITTED, Period, project_figures
from faims.org.models import Region
from faims.projects.choices import (
    APPROVAL_NODES,
    Category,
    InvestmentType,
    LifecycleStatus,
    Nature,
    NodeKind,
)
from faims.projects.models import MILESTONES, NodePlan, Project
from faims.reporting.models import MonthlyReport, ReportingPeriod

VERSION = "0.9"
PACKAGE_LANGUAGE = "zh-hans"
CURRENCY = "CNY"
WANYUAN = Decimal(10_000)
PROJECT_CODE_SCHEME = "CN-TZXMDM"
CREDIT_CODE_SCHEME = "CN-USCC"
REGION_GAZETTEER = "CN-GBT2260"
COUNTRY = "中国"
# The identifier prefix rule of OC4IDS: "oc4ids-" and six lower-case letters or digits.
PREFIX_PATTERN = re.compile(r"^oc4ids-[a-z0-9]{6}$")
PERCENT = {"name": "percent", "scheme": "UNCEFACT", "id": "P1"}

PROJECT_STATUS = {
    LifecycleStatus.PLANNING: "identification",
    LifecycleStatus.RESERVE: "identification",
    LifecycleStatus.PREPARATION: "preparation",
    LifecycleStatus.CONSTRUCTION: "implementation",
    LifecycleStatus.SUSPENDED: "implementation",
    LifecycleStatus.COMPLETED: "completion",
    LifecycleStatus.PRODUCTION: "maintenance",
    LifecycleStatus.CAPACITY: "maintenance",
    LifecycleStatus.WITHDRAWN: "cancelled",
}

PROJECT_TYPE = {
    Nature.NEW: "construction",
    Nature.EXPANSION: "expansion",
    Nature.RENOVATION: "rehabilitation",
    Nature.RESTORATION: "rehabilitation",
    Nature.RELOCATION: "replacement",
}

# First match wins; a sub-sector code comes with its parent.
SECTOR_KEYWORDS = [
    (re.compile(r"地铁|轨道交通|[A-Z]\d+线|有轨电车|公交"), ["transport", "transport.urban"]),
    (re.compile(r"铁路|高铁|城际"), ["transport", "transport.rail"]),
    (re.compile(r"机场|航站楼"), ["transport", "transport.air"]),
    (re.compile(r"港口|码头|航道|船闸"), ["transport", "transport.water"]),
    (re.compile(r"高速|国道|省道|快速化|快速路|过江通道|大桥|隧道|公路|道路|货运通道|中环"),
     ["transport", "transport.road"]),
    (re.compile(r"光伏"), ["energy", "energy.solar"]),
    (re.compile(r"风电"), ["energy", "energy.wind"]),
    (re.compile(r"电厂|电网|变电|燃气|储能"), ["energy"]),
    (re.compile(r"防洪|堤防|排涝"), ["naturalResources", "naturalResources.floodProtection"]),
    (re.compile(r"污水|供水|水厂|垃圾|固废"), ["waterAndWaste"]),
    (re.compile(r"清淤|河道|整治|生态修复|湿地"), ["naturalResources"]),
    (re.compile(r"大学|学院|校区|中学|小学|幼儿园|学校"), ["education"]),
    (re.compile(r"医院|卫生|妇儿|养老|康复"), ["health"]),
    (re.compile(r"保障房|保障性|安置房|棚户区|住房"), ["socialHousing"]),
    (re.compile(r"体育|奥体|文化|艺术|美术馆|博物馆|科技馆|图书馆|古镇|旅游|公园"), ["cultureSportsAndRecreation"]),
    (re.compile(r"5G|数据中心|通信|信息港"), ["communications"]),
    (re.compile(r"运行管理中心|政务|市民中心"), ["governance"]),
]
CATEGORY_SECTOR = {
    Category.INDUSTRY: ["economy"],
    Category.INNOVATION: ["economy"],
    Category.INFRASTRUCTURE: ["transport"],
    Category.LIVELIHOOD: ["governance"],
    Category.ECOLOGY: ["naturalResources"],
}
# Industrial and innovation projects are economy whatever their names say (a park named after a lake, a
# 5G research centre): the keywords only refine public works.
KEYWORD_CATEGORIES = {Category.INFRASTRUCTURE, Category.LIVELIHOOD, Category.ECOLOGY}

APPROVAL_KINDS = {*APPROVAL_NODES, NodeKind.FILING}
MILESTONE_TYPE = {kind: "approval" for kind in (*APPROVAL_NODES, NodeKind.SIGN, NodeKind.FILING)}
MILESTONE_CODE = {
    **{kind: "projectApproval" for kind in APPROVAL_KINDS},
    NodeKind.START: "commencement",
    NodeKind.COMPLETION: "completion",
    NodeKind.PRODUCTION: "commissioning",
}
# The project's own stage dates (planned_<stage>_date / actual_<stage>_date) name the same kinds as the nodes.
STAGE_KINDS = {stage: NodeKind(stage) for stage, _label in MILESTONES}

PARTY_ROLES = {
    InvestmentType.GOVERNMENT: ["publicAuthority", "buyer"],
    InvestmentType.ENTERPRISE: ["publicAuthority", "funder"],
}
DEPARTMENT_ROLES = ["administrativeEntity"]


def published_projects():
    """The projects the package publishes: flagged 公开, coded, not withdrawn."""
    return (Project.objects.filter(is_public=True, code__isnull=False).exclude(code="")
            .exclude(status=LifecycleStatus.WITHDRAWN))


def identifier_prefix() -> str:
    return settings.FAIMS_OC4IDS_PREFIX


def project_id(code: str) -> str:
    return f"{identifier_prefix()}-{code}"


def _moment(value) -> str | None:
    """A date or datetime as ISO 8601 with the local offset; a date is its midnight."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    midnight = dt.datetime.combine(value, dt.time.min, tzinfo=timezone.get_current_timezone())
    return midnight.isoformat(timespec="seconds")


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _yuan(wanyuan: Decimal) -> dict:
    return {"amount": _number(wanyuan * WANYUAN), "currency": CURRENCY}


def _prune(data: dict) -> dict:
    """Drops empty members: OC4IDS forbids empty strings, lists and objects."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def project_status(project) -> str:
    if project.status == LifecycleStatus.SUSPENDED and not project.actual_start_date:
        return "preparation"
    return PROJECT_STATUS[project.status]


def project_sectors(project) -> list:
    if project.category in KEYWORD_CATEGORIES:
        text = f"{project.name} {project.scale}"
        for pattern, sectors in SECTOR_KEYWORDS:
            if pattern.search(text):
                return list(sectors)
    return list(CATEGORY_SECTOR[project.category])


def _regions() -> dict:
    return {pk: (name, parent) for pk, name, parent in Region.objects.values_list("pk", "name", "parent_id")}


def _top_region(regions: dict, pk) -> str:
    name, parent = regions[pk]
    seen = {pk}
    while parent is not None and parent not in seen:
        seen.add(parent)
        name, parent = regions[parent]
    return name


def _location(project, regions: dict) -> dict:
    address = _prune({
        "streetAddress": project.location if project.location != project.region.name else "",
        "locality": project.region.name,
        "region": _top_region(regions, project.region_id),
        "countryName": COUNTRY,
    })
    location = {
        "id": "1",
        "description": project.location or project.region.name,
        "gazetteer": {"scheme": REGION_GAZETTEER, "identifiers": [project.region.code]},
        "address": address,
    }
    if project.longitude is not None and project.latitude is not None:
        location["geometry"] = {"type": "Point",
                                "coordinates": [_number(project.longitude), _number(project.latitude)]}
    return location


def _parties(project) -> tuple[list, dict | None]:
    parties, authority = [], None
    if project.unit is not None:
        unit = project.unit
        party_id = f"{CREDIT_CODE_SCHEME}-{unit.credit_code}"
        parties.append(_prune({
            "id": party_id,
            "name": unit.name,
            "identifier": {"scheme": CREDIT_CODE_SCHEME, "id": unit.credit_code, "legalName": unit.name},
            "roles": PARTY_ROLES[project.investment_type],
        }))
        authority = {"id": party_id, "name": unit.name}
    for department in project.departments.all():
        parties.append({"id": f"department-{department.pk}", "name": department.name, "roles": DEPARTMENT_ROLES})
    return parties, authority


def _milestones(project, today: dt.date) -> list:
    dates = {}
    for stage, kind in STAGE_KINDS.items():
        planned = getattr(project, f"planned_{stage}_date")
        if planned:
            dates[kind] = (planned, getattr(project, f"actual_{stage}_date"))
    for node in project.nodes.all():
        dates[NodeKind(node.kind)] = (node.planned_date, node.actual_date)
    milestones = []
    for kind in sorted(dates, key=lambda k: (dates[k][0], list(NodeKind).index(k))):
        planned, actual = dates[kind]
        milestone = {
            "id": kind.value,
            "title": str(kind.label),
            "type": MILESTONE_TYPE.get(kind, "delivery"),
            "code": MILESTONE_CODE.get(kind),
            "dueDate": _moment(planned),
        }
        if actual:
            milestone.update(status="met", dateMet=_moment(actual))
        elif planned < today:
            milestone.update(status="notMet", dateModified=_moment(today))
        else:
            milestone["status"] = "scheduled"
        milestones.append(_prune(milestone))
    return milestones


def _latest_reported_period(projects) -> ReportingPeriod | None:
    return (ReportingPeriod.objects
            .filter(reports__project__in=projects.values("pk"), reports__status__in=SUBMITTED)
            .order_by("-year", "-month").first())


def _financial_observations(projects, latest: ReportingPeriod | None) -> dict:
    """Project id → the financialProgress observations of the months of the latest reported year in which the
    project has a submitted or accepted report."""
    observations = {}
    if latest is None:
        return observations
    reported = set(MonthlyReport.objects.filter(project__in=projects.values("pk"), status__in=SUBMITTED,
                                                period__year=latest.year)
                   .values_list("project_id", "period__month"))
    start = dt.date(latest.year, 1, 1)
    for month in range(1, latest.month + 1):
        end = Period(latest.year, month).end
        for pk, ytd, plan in project_figures(projects, latest.year, month):
            if (pk, month) not in reported:
                continue
            observation = {
                "id": f"{latest.year}-{month:02d}",
                "period": {"startDate": _moment(start), "endDate": _moment(end)},
                "value": _yuan(ytd),
                "notes": "本年累计完成投资；度量为年度计划完成率（本年累计完成投资 ÷ 年度计划投资）。",
            }
            if plan:
                observation["measure"] = round(float(ytd / plan * 100), 1)
                observation["unit"] = PERCENT
            observations.setdefault(pk, []).append(observation)
    return observations


def _physical_observations(projects) -> dict:
    """Project id → the observation of the latest submitted or accepted report's 形象进度."""
    reports = (MonthlyReport.objects.filter(project__in=projects.values("pk"), status__in=SUBMITTED)
               .exclude(progress_text="").select_related("period")
               .order_by("project_id", "-period__year", "-period__month")
               .values_list("project_id", "period__year", "period__month", "progress_text"))
    observations = {}
    for pk, year, month, text in reports:
        if pk in observations or not text.strip():
            continue
        start, end = dt.date(year, month, 1), Period(year, month).end
        observations[pk] = [{
            "id": f"{year}-{month:02d}",
            "period": {"startDate": _moment(start), "endDate": _moment(end)},
            "measure": text.strip(),
            "notes": "月度报送的形象进度。",
        }]
    return observations


def project_record(project, *, regions: dict, today: dt.date, financial: list, physical: list) -> dict:
    """One project as an OC4IDS project."""
    parties, authority = _parties(project)
    purpose = project.get_category_display()
    if project.industry_chain:
        purpose = f"{purpose}（{project.industry_chain}）"
    metrics = []
    if financial:
        metrics.append({"id": "financialProgress", "title": "年度计划完成率", "observations": financial})
    if physical:
        metrics.append({"id": "physicalProgress", "title": "形象进度", "observations": physical})
    return _prune({
        "id": project_id(project.code),
        "updated": _moment(project.updated),
        "language": "zh",
        "identifiers": [{"id": project.code, "scheme": PROJECT_CODE_SCHEME}],
        "title": project.name,
        "description": project.scale.strip() or project.name,
        "status": project_status(project),
        "type": PROJECT_TYPE.get(project.nature),
        "sector": project_sectors(project),
        "purpose": str(purpose),
        "budget": {"amount": _yuan(project.total_investment)},
        "locations": [_location(project, regions)],
        "publicAuthority": authority,
        "parties": parties,
        "period": _prune({"startDate": _moment(project.planned_start_date),
                          "endDate": _moment(project.planned_completion_date)}),
        "milestones": _milestones(project, today),
        "metrics": metrics,
    })


def published_date(projects) -> dt.datetime:
    """When the published content last changed: the latest change of a published project or of its reports."""
    changed = [projects.aggregate(m=Max("updated"))["m"],
               MonthlyReport.objects.filter(project__in=projects.values("pk"), status__in=SUBMITTED)
               .aggregate(m=Max("updated"))["m"]]
    changed = [c for c in changed if c is not None]
    return max(changed) if changed else timezone.now()


def publisher_name() -> str:
    return getattr(settings, "FAIMS_BULLETIN_OFFICE", "") or str(settings.FAIMS_SITE_NAME)


def build_package(uri: str, *, today: dt.date | None = None) -> dict:
    """The OC4IDS project package of every published project; `uri` identifies the package."""
    today = today or timezone.localdate()
    projects = published_projects()
    rows = (projects.select_related("region", "unit")
            .prefetch_related("departments", Prefetch("nodes", queryset=NodePlan.objects.order_by("planned_date")))
            .order_by("code"))
    with translation.override(PACKAGE_LANGUAGE):
        regions = _regions()
        financial = _financial_observations(projects, _latest_reported_period(projects))
        physical = _physical_observations(projects)
        records = [project_record(p, regions=regions, today=today, financial=financial.get(p.pk, []),
                                  physical=physical.get(p.pk, [])) for p in rows]
        return {
            "uri": uri,
            "publishedDate": _moment(published_date(projects)),
            "publisher": {"name": publisher_name()},
            "license": settings.FAIMS_OC4IDS_LICENSE,
            "version": VERSION,
            "projects": records,
        }


def package_json(package: dict, *, pretty: bool = False) -> str:
    """The package as JSON text (UTF-8 characters as they are)."""
    if pretty:
        return json.dumps(package, ensure_ascii=False, indent=2)
    return json.dumps(package, ensure_ascii=False, separators=(",", ":"))
