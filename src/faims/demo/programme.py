"""The demo programme: Wuxi 2022 reference data, the projects the policy names, seeded synthetic projects,
and their monthly reports of 2022 (`reports`).

`load_programme()` is the whole load, in one transaction. Reference data and the named projects
are validated one by one (named projects go through `save_object`, so their history shows who
created them); the synthetic bulk is written with `bulk_create` in batches, which is what lets a
registry of a million projects load in minutes. Everything is drawn from `random.Random` streams
seeded from `--seed`, one stream per purpose, so a seed always gives the same programme.
"""
import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.services import save_object
from faims.core.validators import credit_code_check_char
from faims.metrics.models import FactPeriod, ProjectPeriodFact
from faims.org.choices import DepartmentKind
from faims.org.models import Department, Organisation, Person, Region, User
from faims.problems.models import Meeting, Visit
from faims.projects.choices import (
    ApprovalMode,
    Category,
    InvestmentType,
    LifecycleStatus,
    MembershipStatus,
    Nature,
    PersonRole,
    StartKind,
)
from faims.projects.models import AnnualPlan, Library, Membership, Project, ProjectPerson
from faims.reporting.models import MonthlyReport, ReportingPeriod
from faims.targets.choices import TargetScope
from faims.targets.models import QuantitativeTask, Target

from . import accounts, reference
from .named import NAMED, UNITS, Named
from .reference import AS_OF, YEAR, wan
from .reports import REPORT_MONTHS, ReportWriter
from .tasks import load_tasks

DEFAULT_SEED = 2022
BATCH = 5_000
YEAR_START = dt.date(YEAR, 1, 1).toordinal()
AS_OF_ORD = AS_OF.toordinal()

CHAINS = [  # industrial chain, weight, 国民经济行业 code
    ("集成电路", 12, "39"), ("物联网", 10, "39"), ("生物医药", 12, "27"), ("高端装备", 16, "34"),
    ("新能源", 10, "38"), ("新材料", 9, "30"), ("新能源汽车", 8, "36"), ("“两机”", 4, "37"),
    ("软件和信息技术服务", 7, "65"), ("节能环保", 5, "77"), ("现代服务业", 7, "72"),
]
XJJ_CHAINS = {"集成电路", "物联网", "软件和信息技术服务", "新能源汽车"}
CATEGORY_INDUSTRY_CODE = {
    Category.INFRASTRUCTURE: ["48", "54", "78", "44", "46"], Category.LIVELIHOOD: ["83", "84", "88", "89", "70"],
    Category.ECOLOGY: ["77", "76", "78"], Category.INNOVATION: ["73", "75"],
}
CATEGORY_WORD = {
    Category.INDUSTRY: "产业", Category.INNOVATION: "创新载体", Category.INFRASTRUCTURE: "基础设施",
    Category.LIVELIHOOD: "民生", Category.ECOLOGY: "生态环保",
}
CATEGORY_LEADER = {
    Category.INDUSTRY: "industry", Category.INNOVATION: "innovation", Category.INFRASTRUCTURE: "urban",
    Category.LIVELIHOOD: "social", Category.ECOLOGY: "ecology",
}
CATEGORY_DEPARTMENTS = {  # the primary department of a category, drawn by weight
    Category.INDUSTRY: [("gxj", 8), ("swj", 2)], Category.INNOVATION: [("kjj", 1)],
    Category.INFRASTRUCTURE: [("jtj", 5), ("szyl", 3), ("zjj", 2)],
    Category.LIVELIHOOD: [("zjj", 4), ("jyj", 2), ("wjw", 2), ("wglj", 2), ("mzj", 1)],
    Category.ECOLOGY: [("sthj", 1), ("slj", 1)],
}
# Where projects of a kind lie (region codes and weights); 320200 means a city-level project.
REGION_WEIGHTS = {
    "industry": {"320214": 24, "320281": 20, "320282": 10, "320205": 10, "320206": 12, "320211": 10,
                 "320213": 4, "320271": 10},
    "public": {"320200": 14, "320214": 12, "320281": 14, "320282": 10, "320205": 10, "320206": 10,
               "320211": 10, "320213": 10, "320271": 10},
}
RENEWAL_REGIONS = {"320213", "320211", "320205", "320206"}


@dataclass
class Group:
    """Synthetic projects of one kind: their libraries, categories, sizes and new-start share."""

    key: str
    libraries: tuple
    categories: list  # (category, weight)
    investment_type: str | None  # None: enterprise for industry, government otherwise
    size: tuple  # (median 亿元, sigma, floor 亿元, ceiling 亿元) of the log-normal total investment
    new_share: float
    regions: str
    linked: float  # share of projects with a linked city leader


GROUPS = {
    "szd_cy": Group("szd_cy", ("szd", "cy", "yy"), [(Category.INDUSTRY, 1)], None, (18, 0.6, 8, 300), 0, "industry", 1),
    "szd_zf": Group("szd_zf", ("szd", "zf"), [(Category.INFRASTRUCTURE, 3), (Category.ECOLOGY, 1)],
                    InvestmentType.GOVERNMENT, (20, 0.6, 8, 300), 0, "public", 1),
    "szd_only": Group("szd_only", ("szd",), [(Category.INFRASTRUCTURE, 1)], InvestmentType.ENTERPRISE,
                      (25, 0.5, 10, 300), 0, "public", 1),
    "cy": Group("cy", ("cy",), [(Category.INDUSTRY, 8), (Category.INNOVATION, 2)], None, (9, 0.8, 1, 300), 0.45,
                "industry", 0.9),
    "zf": Group("zf", ("zf",), [(Category.INFRASTRUCTURE, 45), (Category.LIVELIHOOD, 35), (Category.ECOLOGY, 20)],
                InvestmentType.GOVERNMENT, (5, 1.0, 0.3, 150), 0.4, "public", 0.6),
    "yy": Group("yy", ("yy",), [(Category.INDUSTRY, 1)], None, (2.5, 0.7, 1, 60), 0.5, "industry", 0.1),
    "other": Group("other", (), [(Category.INFRASTRUCTURE, 30), (Category.LIVELIHOOD, 40), (Category.ECOLOGY, 15),
                                 (Category.INDUSTRY, 15)], None, (0.6, 1.0, 0.05, 30), 0.45, "public", 0),
}
KEY_GROUPS = ["szd_cy", "szd_zf", "szd_only", "cy", "zf"]
SZD_GROUP_SIZES = {"szd_cy": 6, "szd_zf": 4, "szd_only": 3}
# The default programme: the policy's libraries plus other monitored projects (about 60% industrial).
DEFAULT_PROJECTS = 720
FILL_SHARES = {"yy": 0.55, "other": 0.45}

SURNAMES = (
    "王李张刘陈杨黄吴徐朱胡郭何高林罗梁谢宋唐许韩冯邓曹彭曾"
    "肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金廖贾夏顾毛邵严"
)
GIVEN = "伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚华玉萍红玲芬燕彬鹏辉建国文斌宇浩凯健俊帆旭宁晨欣怡雯婷博"


class DemoError(Exception):
    """The load cannot go ahead (non-empty database, protected data); the message says why."""


def _stream(seed, purpose) -> random.Random:
    return random.Random(f"faims-demo:{seed}:{purpose}")


def _pick(rng, weighted):
    return rng.choices([item for item, _w in weighted], [w for _i, w in weighted])[0]


def _date(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)


def _ord(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


def _person_name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _phone(rng) -> str:
    return f"0510-8{rng.randrange(10**6, 10**7)}"


def credit_code(prefix: str, region_code: str, serial: str) -> str:
    body = f"{prefix}{region_code}{serial}"
    return body + credit_code_check_char(body)


def project_code(year: int, region_code: str, industry: str, approval_mode: str, index: int) -> str:
    """A unique 投资项目统一代码: the serial is a bijection of the index modulo 10^6; the type part
    changes with each million, so no two indexes give the same code."""
    kind = {ApprovalMode.APPROVAL: 1, ApprovalMode.VERIFICATION: 2, ApprovalMode.FILING: 3}[approval_mode]
    serial = (index * 7_919 + 104_729) % 1_000_000
    return f"{year}-{region_code}-{industry}-{kind + 10 * (index // 1_000_000):02d}-{serial:06d}"


def group_sizes(n_synthetic: int, named_counts: Counter) -> dict:
    """How many synthetic projects each group gets: the policy's library sizes first, then the rest."""
    full = dict(SZD_GROUP_SIZES)
    szd_cy, szd_zf = SZD_GROUP_SIZES["szd_cy"], SZD_GROUP_SIZES["szd_zf"]
    full["cy"] = reference.LIBRARY_COUNTS["cy"] - named_counts["cy"] - szd_cy
    full["zf"] = reference.LIBRARY_COUNTS["zf"] - named_counts["zf"] - szd_zf
    key_total = sum(full.values())
    default_synthetic = DEFAULT_PROJECTS - len(NAMED)
    if n_synthetic >= default_synthetic:
        sizes = dict(full)
        rest = n_synthetic - key_total
    else:
        # A small programme keeps the proportions of the default one.
        factor = n_synthetic / default_synthetic
        sizes = {key: round(count * factor) for key, count in full.items()}
        rest = n_synthetic - sum(sizes.values())
        if rest < 0:
            sizes["cy"] += rest
            rest = 0
    sizes["yy"] = round(rest * FILL_SHARES["yy"])
    sizes["other"] = rest - sizes["yy"]
    return sizes


@dataclass
class Spec:
    """One synthetic project before it is written: the fields plus what hangs off it."""

    index: int
    group: str
    region: str
    new: bool
    fields: dict
    share: float
    libraries: set = field(default_factory=set)
    departments: list = field(default_factory=list)
    leader: str | None = None
    commissioner: bool = False
    quarter: int | None = None

    @property
    def total(self) -> Decimal:
        return self.fields["total_investment"]

    @property
    def plan(self) -> Decimal:
        return (self.total * Decimal(self.share)).quantize(Decimal("1"))


class Generator:
    """Draws synthetic project specs; the same seed and index give the same project."""

    def __init__(self, seed: int, regions: dict, width: int):
        self.region_ids = {code: r.pk for code, r in regions.items()}
        self.region_names = {code: r.name for code, r in regions.items()}
        self.centres = {code: (centre, spread) for code, _n, _l, centre, spread in reference.REGIONS}
        self.width = width
        self.rng = _stream(seed, "projects")

    def spec(self, index: int, serial: int, group_key: str, region: str, new: bool, band=None) -> Spec:
        rng, group = self.rng, GROUPS[group_key]
        category = _pick(rng, group.categories)
        industrial = category in (Category.INDUSTRY, Category.INNOVATION)
        investment_type = group.investment_type or (
            InvestmentType.ENTERPRISE if industrial or rng.random() < 0.3 else InvestmentType.GOVERNMENT
        )
        if band:
            total_yi = math.exp(rng.uniform(math.log(band[0]), math.log(band[1])))
        else:
            median, sigma, floor, ceiling = group.size
            if category == Category.INNOVATION:
                median, floor = median / 2.5, 1
            total_yi = min(max(rng.lognormvariate(math.log(median), sigma), floor), ceiling)
        total = Decimal(max(int(total_yi * 1000), 5)) * 10  # whole 10万
        big = total >= 100_000
        chain, industry = "", rng.choice(CATEGORY_INDUSTRY_CODE.get(category, ["48"]))
        if category == Category.INDUSTRY:
            chain, _w, industry = rng.choices(CHAINS, [c[1] for c in CHAINS])[0]
        elif category == Category.INNOVATION:
            chain = "创新载体"
        if investment_type == InvestmentType.GOVERNMENT:
            approval = ApprovalMode.APPROVAL
        elif category == Category.INFRASTRUCTURE and total >= 500_000:
            approval = ApprovalMode.VERIFICATION
        else:
            approval = ApprovalMode.FILING
        f = {
            "name": f"{self.region_names[region]}合成{CATEGORY_WORD[category]}项目{serial:0{self.width}d}",
            "region_id": self.region_ids[region], "category": category, "investment_type": investment_type,
            "approval_mode": approval, "total_investment": total, "industry_chain": chain, "is_synthetic": True,
            "nature": _pick(rng, [(Nature.NEW, 70), (Nature.EXPANSION, 15), (Nature.RENOVATION, 15)]),
            "location": self.region_names[region],
        }
        centre, spread = self.centres[region]
        f["longitude"] = Decimal(f"{centre[0] + rng.uniform(-spread, spread):.6f}")
        f["latitude"] = Decimal(f"{centre[1] + rng.uniform(-spread, spread) * 0.8:.6f}")
        months = min(max(int(10 + 9 * math.log(total_yi + 1) + rng.uniform(-4, 8)), 8), 60)
        quarter = None
        if new:
            if band:
                filing = YEAR_START + rng.randrange(0, _ord("2022-08-31") - YEAR_START)
                quarter = max(_pick(rng, [(1, 25), (2, 45), (3, 30)]), (_date(filing).month - 1) // 3 + 1)
            else:
                # Provincial projects are pushed hardest to start early (附件二(一)).
                quarter = _pick(rng, [(1, 50), (2, 42), (3, 8)] if group_key.startswith("szd")
                                else [(1, 35), (2, 45), (3, 17), (4, 3)])
                filing = _ord("2021-06-01") + rng.randrange(0, 450)
                if big or filing >= YEAR_START + (quarter - 1) * 90:
                    filing = min(filing, YEAR_START - 1 - rng.randrange(0, 60)) if big else \
                        YEAR_START + (quarter - 1) * 90 - rng.randrange(20, 200)
            planned_start = max(YEAR_START + (quarter - 1) * 91 + rng.randrange(0, 88), filing + 10)
            planned_start = min(planned_start, _ord("2022-12-28"))
            start_chance = {1: 0.97, 2: 0.9, 3: 0.7, 4: 0.1}[quarter]
            start = None
            if rng.random() < start_chance:
                start = min(max(planned_start + int(rng.gauss(0, 20)), YEAR_START, filing + 5), AS_OF_ORD)
            if quarter >= 3 and start is None and not band and rng.random() < 0.35:
                filing = None  # not yet approved or filed: no project code yet
            planned_completion = planned_start + months * 30
        else:
            start = _ord("2017-03-01") + rng.randrange(0, _ord("2021-12-20") - _ord("2017-03-01"))
            start = max(start, YEAR_START - months * 30 - 200)
            filing = start - rng.randrange(20, 240)
            planned_start = start - rng.randrange(0, 60)
            planned_completion = max(planned_start + months * 30, _ord("2022-03-01") + rng.randrange(0, 330))
            if rng.random() < 0.04:
                start = None  # carried over from last year's list, still not started
        if filing is not None and _date(filing).year == YEAR and big and not band:
            filing = YEAR_START - rng.randrange(1, 90)  # 2022's ≥10亿 filings are exactly the tier slots
        f["planned_start_date"] = _date(planned_start)
        f["actual_start_date"] = _date(start) if start else None
        f["planned_completion_date"] = _date(planned_completion)
        status = LifecycleStatus.CONSTRUCTION if start else LifecycleStatus.PREPARATION
        completion = production = capacity = None
        if start and planned_completion <= AS_OF_ORD + 20 and rng.random() < 0.8:
            completion = min(max(planned_completion + rng.randrange(-30, 45), start + 180, YEAR_START + 10), AS_OF_ORD)
            status = LifecycleStatus.COMPLETED
        if industrial:
            f["planned_production_date"] = _date(planned_completion + rng.randrange(30, 120))
            f["planned_capacity_date"] = _date(planned_completion + rng.randrange(300, 720))
            if completion and rng.random() < 0.7:
                production = completion + rng.randrange(5, 90)
                if production <= AS_OF_ORD:
                    status = LifecycleStatus.PRODUCTION
                    if rng.random() < 0.1:
                        capacity = min(production + rng.randrange(10, 120), AS_OF_ORD)
                        status = LifecycleStatus.CAPACITY
                else:
                    production = None
        if status == LifecycleStatus.CONSTRUCTION and rng.random() < 0.01:
            status = LifecycleStatus.SUSPENDED
        f["actual_completion_date"] = _date(completion) if completion else None
        f["actual_production_date"] = _date(production) if production else None
        f["actual_capacity_date"] = _date(capacity) if capacity else None
        f["status"] = status
        if filing is not None:
            f["actual_filing_date"] = _date(filing)
            f["planned_filing_date"] = _date(filing - rng.randrange(0, 45))
            f["code"] = project_code(_date(filing).year, region, industry, approval, index)
        else:
            f["planned_filing_date"] = _date(AS_OF_ORD + rng.randrange(10, 80))
        if industrial and investment_type == InvestmentType.ENTERPRISE:
            sign = (filing or AS_OF_ORD) - rng.randrange(20, 200)
            f["actual_sign_date"] = _date(sign)
            f["planned_sign_date"] = min(_date(sign - rng.randrange(0, 40)), f["planned_filing_date"])
        if start and total >= 500 and rng.random() < 0.92:
            f["in_statistics"] = True
            f["statistics_date"] = _date(min(start + rng.randrange(15, 60), AS_OF_ORD))
        share = rng.uniform(0.08, 0.30) if new else rng.uniform(0.15, 0.40)
        departments = [_pick(rng, CATEGORY_DEPARTMENTS[category])]
        if rng.random() < 0.35:
            departments.append("zrzy")
        if category == Category.INDUSTRY and rng.random() < 0.2:
            departments.append("sthj")
        if rng.random() < 0.1:
            departments.append("xzsp")
        leader = None
        if rng.random() < group.linked:
            leader = CATEGORY_LEADER[category]
            if category == Category.INDUSTRY and rng.random() < 0.25:
                leader = rng.choice(["executive", "mayor"])
        return Spec(index, group_key, region, new, f, share, set(group.libraries), list(dict.fromkeys(departments)),
                    leader, industrial and investment_type == InvestmentType.ENTERPRISE, quarter)


def _scale_plans(specs, target: Decimal) -> None:
    """Adjust the plan shares of `specs` so their plans sum to `target`, keeping shares within 4–60%."""
    for _round in range(6):
        current = sum((s.plan for s in specs), Decimal(0))
        if not current or abs(current - target) <= target * Decimal("0.002"):
            return
        factor = float(target / current)
        for s in specs:
            s.share = min(max(s.share * factor, 0.04), 0.6)


class Loader:
    def __init__(self, *, projects: int | None, seed: int, log=None):
        self.seed = seed
        self.n_total = max(projects if projects is not None else DEFAULT_PROJECTS, len(NAMED))
        self.log = log or (lambda message: None)
        self.counts = Counter()

    # reference data ----------------------------------------------------------------------------
    def load_reference(self):
        regions = {}
        for order, (code, name, level, _centre, _spread) in enumerate(reference.REGIONS):
            region = Region(code=code, name=name, level=level, sort_order=order,
                            parent=regions.get(reference.CITY_CODE))
            region.full_clean()
            region.save()
            regions[code] = region
        self.regions = regions
        self.region_ids = {code: r.pk for code, r in regions.items()}
        city = regions[reference.CITY_CODE]
        departments = [Department(name=name, short_name=name.removeprefix("市"), kind=kind, region=city)
                       for _key, name, kind in reference.DEPARTMENTS]
        for code, region in regions.items():
            if code != reference.CITY_CODE:
                name = reference.REGION_GOVERNMENT_NAMES.get(
                    region.name, region.name + reference.REGION_GOVERNMENT_SUFFIX
                )
                departments.append(
                    Department(name=name, short_name=region.name, kind=DepartmentKind.GOVERNMENT, region=region)
                )
        self._bulk(Department, departments)
        self.departments = {key: d for (key, _n, _k), d in zip(reference.DEPARTMENTS, departments, strict=False)}
        self.department_ids = {key: d.pk for key, d in self.departments.items()}

        rng = _stream(self.seed, "people")
        units = [Organisation(credit_code=credit_code(prefix, code, f"{n + 1:09d}"), name=name,
                              region=regions[code]) for n, (_key, name, code, prefix) in enumerate(UNITS)]
        self._bulk(Organisation, units)
        self.units = {key: unit for (key, *_r), unit in zip(UNITS, units, strict=True)}
        leaders = [Person(name=name, title=title, is_leader=True, department=self.departments["zfb"])
                   for _key, name, title, _domain in reference.LEADERS]
        commissioners = [
            Person(name=_person_name(rng), title="政府服务专员", phone=_phone(rng),
                   department=self.departments[reference.COMMISSIONER_DEPARTMENTS[i % 4]])
            for i in range(reference.COMMISSIONER_COUNT)
        ]
        unit_people = []
        for unit in units:
            unit_people.append(Person(name=_person_name(rng), title="项目负责人", organisation=unit, phone=_phone(rng)))
            unit_people.append(Person(name=_person_name(rng), title="项目联络人", organisation=unit, phone=_phone(rng)))
        self._bulk(Person, leaders + commissioners + unit_people)
        self.leaders = {key: p for (key, *_r), p in zip(reference.LEADERS, leaders, strict=True)}
        self.leader_ids = {key: p.pk for key, p in self.leaders.items()}
        self.commissioners = commissioners
        self.unit_people = {unit.pk: unit_people[2 * i: 2 * i + 2] for i, unit in enumerate(units)}

        libraries = [Library(name=name, level=level, kind=kind, year=year, description=text)
                     for _key, name, level, kind, year, text in reference.LIBRARIES]
        self._bulk(Library, libraries)
        self.libraries = {key: lib for (key, *_r), lib in zip(reference.LIBRARIES, libraries, strict=True)}
        self.library_ids = {key: lib.pk for key, lib in self.libraries.items()}

        users = accounts.build_users({
            ("department", "fgw"): self.departments["fgw"], ("department", "zrzy"): self.departments["zrzy"],
            ("department", "dcs"): self.departments["dcs"], ("region", "320214"): regions["320214"],
            ("region", "320281"): regions["320281"], ("organisation", "huahong"): self.units["huahong"],
            ("person", "leader"): self.leaders["executive"], ("person", "commissioner"): commissioners[0],
        })
        User.objects.bulk_create(users)
        self.admin = User.objects.get(username="admin")
        self.counts.update(region=len(regions), user=len(users))

    def _bulk(self, model, objects, validate: int | None = None):
        """bulk_create after full_clean of the first `validate` objects (all of them by default)."""
        for obj in objects[:validate]:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        model.objects.bulk_create(objects, batch_size=BATCH)
        self.counts[model._meta.model_name] += len(objects)

    # named projects ----------------------------------------------------------------------------
    def load_named(self):
        rng = _stream(self.seed, "named")
        self.named_plans = {}
        plans, memberships, people = [], [], []
        for index, item in enumerate(NAMED):
            project = self._named_project(item, index, rng)
            save_object(project, acting_user=self.admin,
                        m2m={"departments": [self.department_ids[d] for d in item.departments]},
                        reason="载入演示数据")
            plan = AnnualPlan(project=project, year=YEAR, planned_investment=wan(item.plan_yi),
                              start_kind=StartKind.NEW if item.new else StartKind.CONTINUING,
                              planned_start_quarter=item.quarter if item.new else None,
                              planned_completion=project.planned_completion_date)
            plans.append(plan)
            for key in item.libraries:
                memberships.append(self._membership(rng, key, project.pk, item.new, project.actual_filing_date))
            responsible, contact = self.unit_people[self.units[item.unit].pk]
            people.append(ProjectPerson(project=project, person=responsible, role=PersonRole.RESPONSIBLE))
            people.append(ProjectPerson(project=project, person=contact, role=PersonRole.CONTACT))
            if item.category in (Category.INDUSTRY, Category.INNOVATION):
                commissioner = self.commissioners[0 if item.unit in ("huahong", "hynix", "bhcj", "sxh") else
                                                  1 + index % (len(self.commissioners) - 1)]
                people.append(ProjectPerson(project=project, person=commissioner, role=PersonRole.COMMISSIONER))
            self.named_plans[item.name] = (item, plan.planned_investment)
        for objects, model in ((plans, AnnualPlan), (memberships, Membership), (people, ProjectPerson)):
            self._bulk(model, objects)
        self.counts["project"] += len(NAMED)

    def _named_project(self, item: Named, index: int, rng) -> Project:
        region = self.regions[item.region]
        _code, _name, _level, centre, spread = next(r for r in reference.REGIONS if r[0] == item.region)
        start = dt.date.fromisoformat(item.start) if item.start else None
        filed = dt.date.fromisoformat(item.filed) if item.filed else None
        finish = dt.date.fromisoformat(item.finish)
        if item.new:
            planned_start = dt.date(YEAR, 3 * item.quarter - 1, 15)
        else:
            planned_start = start - dt.timedelta(days=20)
        approval = ApprovalMode.APPROVAL if item.investment_type == InvestmentType.GOVERNMENT else ApprovalMode.FILING
        industrial = item.category in (Category.INDUSTRY, Category.INNOVATION)
        project = Project(
            name=item.name, region=region, unit=self.units[item.unit], location=f"{region.name}",
            longitude=Decimal(f"{centre[0] + rng.uniform(-spread, spread):.6f}"),
            latitude=Decimal(f"{centre[1] + rng.uniform(-spread, spread) * 0.8:.6f}"),
            scale=item.scale, category=item.category, industry_chain=item.chain, investment_type=item.investment_type,
            approval_mode=approval, total_investment=wan(item.total_yi),
            nature=Nature.RENOVATION if item.name == "海力士七期" else Nature.NEW,
            planned_filing_date=(filed - dt.timedelta(days=15)) if filed else dt.date(YEAR, 11, 30),
            actual_filing_date=filed, planned_start_date=planned_start, actual_start_date=start,
            planned_completion_date=finish,
            status=LifecycleStatus.CONSTRUCTION if start else LifecycleStatus.PREPARATION,
            leader=self.leaders[item.leader], is_synthetic=False,
        )
        if filed:
            project.code = project_code(filed.year, item.region, item.industry_code, approval, index)
            # The coded government-investment projects are published as open data.
            project.is_public = item.investment_type == InvestmentType.GOVERNMENT
        if start:
            project.in_statistics = True
            project.statistics_date = min(start + dt.timedelta(days=25), AS_OF)
        if industrial:
            project.planned_production_date = finish + dt.timedelta(days=90)
            project.planned_capacity_date = finish + dt.timedelta(days=450)
        if industrial and item.investment_type == InvestmentType.ENTERPRISE and filed:
            project.actual_sign_date = filed - dt.timedelta(days=75)
            project.planned_sign_date = filed - dt.timedelta(days=90)
        return project

    def _membership(self, rng, key, project_id, new, filed) -> Membership:
        """Entry into a library on the dates that library's calendar gives."""
        status = MembershipStatus.IN_LIBRARY
        fixed = {
            "szd": ("2022-01-10", "2022-02-25"), "zf": ("2021-11-30", "2022-01-28"),
            "k102": ("2021-06-30", "2021-09-30"), "yd": ("2022-02-20", "2022-03-31"),
            "xjj": ("2022-02-10", "2022-03-15"), "gx": ("2021-10-15", "2021-12-20"),
        }
        if key in fixed:
            proposed, admitted = (dt.date.fromisoformat(d) for d in fixed[key])
        elif key in ("cy", "yy") and filed and filed.year == YEAR and filed.month > 1:
            # Monthly roll: proposed after filing, admitted at the start of the next month.
            proposed = filed + dt.timedelta(days=rng.randrange(3, 15))
            admitted = (proposed.replace(day=1) + dt.timedelta(days=32)).replace(day=rng.randrange(1, 10))
        elif key in ("cy", "yy"):
            proposed, admitted = dt.date(YEAR, 1, 15), dt.date(YEAR, 2, 15)
        else:  # zyys, zxz: applications through the year, some still under review
            proposed = dt.date(2021, 10, 1) + dt.timedelta(days=rng.randrange(0, 240))
            admitted = proposed + dt.timedelta(days=rng.randrange(30, 120))
            if admitted > AS_OF or rng.random() < 0.15:
                admitted, status = None, MembershipStatus.PROPOSED
        return Membership(project_id=project_id, library_id=self.library_ids[key], status=status,
                          proposed_date=proposed, admitted_date=admitted)

    # synthetic projects ------------------------------------------------------------------------
    def load_synthetic(self):
        n_synthetic = self.n_total - len(NAMED)
        if n_synthetic <= 0:
            return
        named_counts = Counter(key for item in NAMED for key in item.libraries)
        sizes = group_sizes(n_synthetic, named_counts)
        order = [key for key in GROUPS for _ in range(sizes[key])]
        region_rng = _stream(self.seed, "regions")
        regions = [_pick(region_rng, list(REGION_WEIGHTS[GROUPS[g].regions].items())) for g in order]

        self.generator = gen = Generator(self.seed, self.regions, max(4, len(str(n_synthetic))))
        self._create_units(regions)

        # The policy's libraries are drawn whole, so that their plans can be fitted to the targets.
        n_key = sum(sizes[k] for k in KEY_GROUPS)
        key_specs = self._key_specs(order[:n_key], regions[:n_key], sizes, named_counts)
        self._write(key_specs)
        offset = n_key
        while offset < n_synthetic:
            end = min(offset + BATCH, n_synthetic)
            specs = []
            for i in range(offset, end):
                new = gen.rng.random() < GROUPS[order[i]].new_share
                spec = gen.spec(len(NAMED) + i, i + 1, order[i], regions[i], new)
                self._secondary_libraries(spec, self._library_rng)
                specs.append(spec)
            self._write(specs)
            offset = end
            if n_synthetic > 50_000:
                self.log(f"  {len(NAMED) + offset:,} / {self.n_total:,}")

    def _key_specs(self, order, regions, sizes, named_counts):
        gen = self.generator
        rng = _stream(self.seed, "programme")
        self._library_rng = _stream(self.seed, "libraries")
        positions = list(range(len(order)))
        default_key = group_sizes(DEFAULT_PROJECTS - len(NAMED), named_counts)
        # How much of the policy-sized programme this one is (1 unless --projects is below the default).
        self.key_fraction = min(1, len(order) / sum(default_key[k] for k in KEY_GROUPS))
        # 18 of the 27 provincial projects are new starts.
        szd_positions = [i for i in positions if order[i].startswith("szd")]
        named_szd_new = sum(1 for item in NAMED if "szd" in item.libraries and item.new)
        szd_new_count = round((reference.SZD_NEW_COUNT - named_szd_new) * len(szd_positions) /
                              max(sum(SZD_GROUP_SIZES.values()), 1))
        szd_new = set(rng.sample(szd_positions, min(szd_new_count, len(szd_positions))))
        new = {i: (i in szd_new) if order[i].startswith("szd") else rng.random() < GROUPS[order[i]].new_share
               for i in positions}
        bands = self._tier_slots(rng, order, new)
        specs = []
        for i in positions:
            specs.append(gen.spec(len(NAMED) + i, i + 1, order[i], regions[i], new[i] or i in bands, bands.get(i)))
        self._fit_plans(specs, sizes)
        self._choose_libraries(specs)
        return specs

    def _tier_slots(self, rng, order, new):
        """The 2022 filings of at least 10亿, 50亿 and 100亿: the policy's 80 / 15 / 8, named ones included."""
        named_filed = [item.total_yi for item in NAMED if item.filed and item.filed.startswith(str(YEAR))]
        tiers = reference.FILED_TIER_COUNTS
        want = {
            (100, 300): tiers[100] - sum(t >= 100 for t in named_filed),
            (50, 100): tiers[50] - tiers[100] - sum(50 <= t < 100 for t in named_filed),
            (10, 50): tiers[10] - tiers[50] - sum(10 <= t < 50 for t in named_filed),
        }
        scale = self.key_fraction
        big_pool = [i for i, g in enumerate(order) if g in ("szd_cy", "cy") and new[i]]
        mid_pool = [i for i, g in enumerate(order) if g in ("szd_cy", "szd_only", "cy", "zf") and new[i]]
        bands = {}
        for band, count in want.items():
            pool = [i for i in (big_pool if band[0] >= 50 else mid_pool) if i not in bands]
            for i in rng.sample(pool, min(round(max(count, 0) * scale), len(pool))):
                bands[i] = band
        return bands

    def _fit_plans(self, specs, sizes):
        """Fit the synthetic plans so each library's 2022 plan sums to its target (the named plans are fixed)."""
        named = {key: Decimal(0) for key in ("szd", "cy", "zf")}
        for item, plan in self.named_plans.values():
            for key in named:
                if key in item.libraries:
                    named[key] += plan
        default_sizes = group_sizes(DEFAULT_PROJECTS - len(NAMED), Counter(k for i in NAMED for k in i.libraries))
        targets = {key: wan(yi) for key, yi in (("szd", 188), ("cy", 1350), ("zf", 350))}

        def part(keys):
            return [s for s in specs if s.group in keys]

        def fraction(keys):
            return sum(sizes[k] for k in keys) / max(sum(default_sizes[k] for k in keys), 1)

        szd = part(("szd_cy", "szd_zf", "szd_only"))
        _scale_plans(szd, (targets["szd"] - named["szd"]) * Decimal(fraction(("szd_cy", "szd_zf", "szd_only"))))
        overlap_cy = sum((s.plan for s in part(("szd_cy",))), Decimal(0))
        _scale_plans(part(("cy",)), (targets["cy"] - named["cy"] - overlap_cy) * Decimal(fraction(("cy",))))
        overlap_zf = sum((s.plan for s in part(("szd_zf",))), Decimal(0))
        _scale_plans(part(("zf",)), (targets["zf"] - named["zf"] - overlap_zf) * Decimal(fraction(("zf",))))

    def _choose_libraries(self, specs):
        rng = self._library_rng
        named_xjj = sum((plan for item, plan in self.named_plans.values() if "xjj" in item.libraries), Decimal(0))
        xjj_pool = [s for s in specs if s.fields["industry_chain"] in XJJ_CHAINS
                    or s.fields["category"] == Category.INNOVATION
                    or (s.group == "zf" and s.fields["category"] == Category.INFRASTRUCTURE)]
        rng.shuffle(xjj_pool)
        goal, reached = wan(290) * Decimal(self.key_fraction), named_xjj
        for s in xjj_pool:
            if reached >= goal:
                break
            if reached + s.plan > goal * Decimal("1.02"):
                continue
            s.libraries.add("xjj")
            reached += s.plan
        named_k102 = sum(1 for item in NAMED if "k102" in item.libraries)
        k102_pool = sorted((s for s in specs if s.group in ("szd_zf", "szd_only", "zf", "szd_cy", "cy")
                            and (s.fields["category"] != Category.INDUSTRY or s.total >= 500_000)),
                           key=lambda s: (-s.total, s.index))
        for s in k102_pool[: round((reference.LIBRARY_COUNTS["k102"] - named_k102) * self.key_fraction)]:
            s.libraries.add("k102")
        for s in specs:
            self._secondary_libraries(s, rng)

    @staticmethod
    def _secondary_libraries(s: Spec, rng):
        category, government = s.fields["category"], s.fields["investment_type"] == InvestmentType.GOVERNMENT
        if government and category != Category.INDUSTRY:
            if rng.random() < 0.12:
                s.libraries.add("zyys")
            if rng.random() < 0.25:
                s.libraries.add("zxz")
        if category == Category.INDUSTRY and s.total >= 10_000:
            s.libraries.add("yy")
        if s.new and s.libraries & {"szd", "cy", "zf"} and rng.random() < 0.4:
            s.libraries.add("yd")
        if category == Category.LIVELIHOOD and s.region in RENEWAL_REGIONS and rng.random() < 0.35:
            s.libraries.add("gx")
        if "yd" in s.libraries and "zrzy" not in s.departments:
            s.departments.append("zrzy")

    def _create_units(self, regions):
        """Synthetic project units: about three for every five projects of a region, one person each."""
        per_region = Counter(regions)
        rng = _stream(self.seed, "units")
        self.unit_pool, self.unit_person = {}, {}
        serial = 0
        for code in sorted(per_region):
            size = max(1, math.ceil(per_region[code] * 0.6))
            ids = []
            for start in range(0, size, BATCH):
                units = []
                for _ in range(start, min(start + BATCH, size)):
                    serial += 1
                    units.append(Organisation(
                        credit_code=credit_code("91", code, f"MA{serial:07d}"),
                        name=f"{self.regions[code].name}合成项目单位{serial:06d}有限公司",
                        region_id=self.region_ids[code], is_synthetic=True))
                self._bulk(Organisation, units, validate=3 if start == 0 else 0)
                people = [Person(name=_person_name(rng), title="项目负责人", organisation_id=u.pk, phone=_phone(rng))
                          for u in units]
                self._bulk(Person, people, validate=3 if start == 0 else 0)
                ids.extend(u.pk for u in units)
                self.unit_person.update({u.pk: p.pk for u, p in zip(units, people, strict=True)})
            self.unit_pool[code] = ids
        self.unit_next = Counter()
        self.unit_rng = rng

    def _write(self, specs):
        rng = self.unit_rng
        projects = []
        for s in specs:
            pool = self.unit_pool[s.region]
            n = self.unit_next[s.region]
            self.unit_next[s.region] += 1
            unit_id = pool[n] if n < len(pool) else pool[rng.randrange(len(pool))]
            projects.append(Project(unit_id=unit_id, leader_id=self.leader_ids.get(s.leader), **s.fields))
        Project.objects.bulk_create(projects, batch_size=BATCH)
        through = Project.departments.through
        departments, plans, memberships, people = [], [], [], []
        for s, p in zip(specs, projects, strict=True):
            departments.extend(through(project_id=p.pk, department_id=self.department_ids[d]) for d in s.departments)
            plans.append(AnnualPlan(project_id=p.pk, year=YEAR, planned_investment=s.plan,
                                    start_kind=StartKind.NEW if s.new else StartKind.CONTINUING,
                                    planned_start_quarter=s.quarter if s.new else None,
                                    planned_completion=s.fields["planned_completion_date"]))
            filed = s.fields.get("actual_filing_date")
            for key in sorted(s.libraries):
                memberships.append(self._membership(self._library_rng, key, p.pk, s.new, filed))
            responsible = self.unit_person[p.unit_id]
            people.append(ProjectPerson(project_id=p.pk, person_id=responsible, role=PersonRole.RESPONSIBLE))
            if s.commissioner:
                commissioner = self.commissioners[s.index % len(self.commissioners)]
                people.append(ProjectPerson(project_id=p.pk, person_id=commissioner.pk, role=PersonRole.COMMISSIONER))
        through.objects.bulk_create(departments, batch_size=BATCH)
        self.counts["project_departments"] += len(departments)
        for model, objects in ((AnnualPlan, plans), (Membership, memberships), (ProjectPerson, people)):
            model.objects.bulk_create(objects, batch_size=BATCH)
            self.counts[model._meta.model_name] += len(objects)
        self.counts["project"] += len(projects)

    # targets -----------------------------------------------------------------------------------
    def load_targets(self):
        targets = []
        for kpi, scope, key, period, value, text in reference.TARGETS:
            target = Target(kpi_key=kpi, scope=scope, year=YEAR, period=period, value=value, description=text)
            if scope == TargetScope.LIBRARY:
                target.library = self.libraries[key]
            elif scope == TargetScope.CATEGORY:
                target.category = key
            targets.append(target)
        for code, yi in reference.REGION_TARGETS_YI.items():
            targets.append(Target(kpi_key="annual_target", scope=TargetScope.REGION, region=self.regions[code],
                                  year=YEAR, value=wan(yi), description=f"{self.regions[code].name}固定资产投资"))
        self._bulk(Target, targets)


DEMO_MODELS = [Meeting, Visit, FactPeriod, ProjectPeriodFact, MonthlyReport, ReportingPeriod, Target, QuantitativeTask,
               ProjectPerson, AnnualPlan, Membership, Project.departments.through, Project, Library]
REFERENCE_MODELS = [Person, Organisation, Department, Region]


def existing_data() -> dict:
    """What a load would collide with: domain rows and the demo accounts, by name, with counts."""
    found = {m._meta.verbose_name: m.objects.count() for m in (Project, Library, Region, Organisation, Target,
                                                                 ReportingPeriod)}
    found["demo users"] = User.objects.filter(username__in=accounts.USERNAMES).count()
    return {str(k): v for k, v in found.items() if v}


def reset() -> None:
    """Delete the registry, the reference data and the demo accounts (the change log stays)."""
    from django.db.models import ProtectedError

    try:
        for model in DEMO_MODELS:
            model.objects.all().delete()
        User.objects.filter(username__in=accounts.USERNAMES).delete()
        for model in REFERENCE_MODELS[:-1]:
            model.objects.all().delete()
        # A region protects the regions below it: delete from the leaves up.
        while Region.objects.exists():
            Region.objects.filter(children__isnull=True).delete()
    except ProtectedError as exc:
        names = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        raise DemoError(f"无法清除演示数据：仍被{'、'.join(names)}引用。") from exc


@transaction.atomic
def load_programme(*, projects: int | None = None, seed: int = DEFAULT_SEED, do_reset: bool = False,
                   report_months: int = REPORT_MONTHS, log=None):
    """Load the demo programme into an empty database (or after `reset()`); returns the counts.

    report_months: how many months of filed reports up to August the demo holds (8: January on).
    """
    if do_reset:
        reset()
    found = existing_data()
    if found:
        listed = "、".join(f"{name} {count}" for name, count in found.items())
        raise DemoError(f"数据库中已有数据（{listed}），未载入演示数据。如需替换，请加 --reset（先删除演示数据）。")
    loader = Loader(projects=projects, seed=seed, log=log)
    loader.load_reference()
    loader.load_named()
    loader.load_synthetic()
    loader.load_targets()
    load_tasks(loader.departments, loader.counts)
    writer = ReportWriter(seed=seed, admin=loader.admin, library_ids=loader.library_ids, months=report_months,
                          log=loader.log)
    writer.write()
    loader.counts.update(writer.counts)
    counts = dict(sorted(loader.counts.items()))
    record_event(AuditKind.DEMO_LOAD, user=loader.admin, seed=seed, projects=loader.n_total, counts=counts,
                 report_months=report_months, reports=writer.summary())
    return counts
