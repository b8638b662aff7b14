"""Demo node plans (项目节点计划) of the 2022 provincial and municipal major projects.

Each project's nodes follow its own dates: 签约, 备案/核准, 开工, 竣工, 投产 and 达产 take the project's
planned and actual dates; the approvals are planned in the months before the start and 主体封顶 between
start and completion. Some planned dates were moved (the old date and a coded reason kept in a
NodePlanChange), and some nodes are overdue as of the demo date 2022-09-30. One seeded random stream,
so a seed always gives the same plans; written with bulk_create.
"""

import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from faims.org.choices import Role
from faims.org.models import User
from faims.projects.choices import Category, InvestmentType, MembershipStatus, NodeChangeReason, NodeKind
from faims.projects.models import Membership, NodePlan, NodePlanChange, Project

from .reference import AS_OF, YEAR

BATCH = 5_000
# The libraries whose projects get node plans: the year's provincial and municipal major projects.
LIBRARY_NAMES = ("省重大项目", "市级重大产业项目")
# Days before the planned start at which each approval is planned (government projects need all nine;
# enterprise projects file or are verified instead of 项目建议书/可研/初步设计).
APPROVAL_LEAD_DAYS = [
    (NodeKind.PROPOSAL, 330),
    (NodeKind.FEASIBILITY, 240),
    (NodeKind.LAND_PREVIEW, 200),
    (NodeKind.EIA, 150),
    (NodeKind.ENERGY, 140),
    (NodeKind.PRELIMINARY_DESIGN, 120),
    (NodeKind.LAND_PLANNING, 90),
    (NodeKind.WORKS_PLANNING, 50),
    (NodeKind.CONSTRUCTION_PERMIT, 15),
]
GOVERNMENT_ONLY = {NodeKind.PROPOSAL, NodeKind.FEASIBILITY, NodeKind.PRELIMINARY_DESIGN}
# The nodes that are the project's own milestones: (node, Project date field stem).
PROJECT_MILESTONES = [
    (NodeKind.SIGN, "sign"),
    (NodeKind.FILING, "filing"),
    (NodeKind.START, "start"),
    (NodeKind.COMPLETION, "completion"),
    (NodeKind.PRODUCTION, "production"),
    (NodeKind.CAPACITY, "capacity"),
]
REASON_WEIGHTS = [
    (NodeChangeReason.APPROVAL_DELAY, 30),
    (NodeChangeReason.FUNDING, 12),
    (NodeChangeReason.LAND, 20),
    (NodeChangeReason.DESIGN_CHANGE, 12),
    (NodeChangeReason.SITE_CONDITIONS, 12),
    (NodeChangeReason.POLICY, 6),
    (NodeChangeReason.OTHER, 8),
]
OTHER_REASONS = ["疫情防控影响施工组织", "业主方调整建设时序", "配套电力接入方案调整", "与相邻地块项目统筹实施"]
# Projects with a main structure to top out (roads, pipes and greening have none).
BUILDING_CATEGORIES = {Category.INDUSTRY, Category.INNOVATION, Category.LIVELIHOOD}
MOVE_CHANCE = 0.12
# Chance that an approval due before the demo date has been obtained, for projects not yet started.
APPROVAL_DONE_CHANCE = 0.7


def _days(date: dt.date, days: int) -> dt.date:
    return date + dt.timedelta(days=days)


def _project_nodes(project: Project, rng: random.Random, as_of: dt.date) -> list[NodePlan]:
    """The node plans of one project, planned and actual dates consistent with the project's own."""
    planned_start = project.planned_start_date
    started = project.actual_start_date
    dates = {}
    for kind, stem in PROJECT_MILESTONES:
        planned = getattr(project, f"planned_{stem}_date")
        actual = getattr(project, f"actual_{stem}_date")
        if planned or actual:
            dates[kind] = [planned or actual, actual if actual and actual <= as_of else None]
    government = project.investment_type == InvestmentType.GOVERNMENT
    if planned_start:
        for kind, lead in APPROVAL_LEAD_DAYS:
            if kind in GOVERNMENT_ONLY and not government:
                continue
            planned = _days(planned_start, -lead + rng.randrange(-12, 13))
            actual = None
            if started:
                actual = min(_days(planned, rng.randrange(-20, 30)), _days(started, -1))
            elif planned < as_of and rng.random() < APPROVAL_DONE_CHANCE:
                actual = min(_days(planned, rng.randrange(-10, 40)), as_of)
            dates[kind] = [planned, actual]
        completion = project.planned_completion_date
        if completion and completion > planned_start and project.category in BUILDING_CATEGORIES:
            planned = _days(planned_start, int((completion - planned_start).days * rng.uniform(0.5, 0.7)))
            actual = None
            if started and planned < as_of and rng.random() < 0.8:
                actual = min(max(_days(planned, rng.randrange(-20, 45)), _days(started, 30)), as_of)
                if project.actual_completion_date:
                    actual = min(actual, project.actual_completion_date)
                if actual < started:
                    actual = None
            dates[NodeKind.TOPPING_OUT] = [planned, actual]
    nodes = []
    for kind in NodeKind:
        if kind not in dates:
            continue
        planned, actual = dates[kind]
        nodes.append(NodePlan(project_id=project.pk, kind=kind, planned_date=planned, actual_date=actual))
    return nodes


def _moves(node: NodePlan, rng: random.Random, as_of: dt.date, admin) -> list[NodePlanChange]:
    """Earlier planned dates of a node that was moved later, one or two times, each with its reason."""
    changes, new_date = [], node.planned_date
    for _move in range(rng.choice((1, 1, 1, 2))):
        old_date = _days(new_date, -rng.randrange(20, 120))
        decided = min(old_date, as_of, node.actual_date or as_of) - dt.timedelta(days=rng.randrange(5, 40))
        code = rng.choices([c for c, _w in REASON_WEIGHTS], [w for _c, w in REASON_WEIGHTS])[0]
        reason = rng.choice(OTHER_REASONS) if code == NodeChangeReason.OTHER else ""
        changed_at = timezone.make_aware(dt.datetime.combine(decided, dt.time(9 + rng.randrange(8), rng.randrange(60))))
        changes.append(
            NodePlanChange(
                node=node,
                old_date=old_date,
                new_date=new_date,
                reason_code=code,
                reason=reason,
                changed_by=admin,
                changed_at=changed_at,
            )
        )
        new_date = old_date
    return changes[::-1]


def load_nodes(*, seed: int, log=None, as_of: dt.date = AS_OF, year: int = YEAR) -> int:
    """Node plans for the year's provincial and municipal major projects; returns how many nodes were written."""
    log = log or (lambda message: None)
    rng = random.Random(f"faims-demo:{seed}:nodes")
    members = Membership.objects.filter(library__year=year, library__name__in=LIBRARY_NAMES).exclude(
        status=MembershipStatus.WITHDRAWN
    )
    projects = Project.objects.filter(pk__in=members.values("project")).order_by("name", "pk")
    admin = User.objects.filter(role=Role.CITY_ADMIN, is_active=True).order_by("pk").first()
    nodes, changes = [], []
    for project in projects.iterator(chunk_size=BATCH):
        nodes.extend(_project_nodes(project, rng, as_of))
    for node in nodes[:50]:
        node.full_clean(validate_unique=False, validate_constraints=False)
    NodePlan.objects.bulk_create(nodes, batch_size=BATCH)
    for node in nodes:
        if rng.random() < MOVE_CHANCE:
            changes.extend(_moves(node, rng, as_of, admin))
    for change in changes[:50]:
        change.full_clean()
    NodePlanChange.objects.bulk_create(changes, batch_size=BATCH)
    overdue = sum(1 for node in nodes if node.actual_date is None and node.planned_date < as_of)
    kinds = Counter(node.kind for node in nodes)
    log(f"节点计划 {len(nodes):,}（{len(kinds)} 类节点，调整 {len(changes):,} 次，截至 {as_of} 逾期 {overdue:,}）")
    return len(nodes)
