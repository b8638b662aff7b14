"""The demo's problem list (问题清单), January–September 2022, as FAIMS holds it on the demo date.

About 120 problems on the demo's projects, spread over the nine categories, every region and the
months January–September: raised by the region officers and the project units (the city admin
where a region has no demo officer), assigned by the region officer or the city admin to one of
the project's responsible departments (a co-department where the category's usual department is
another), answered, and mostly closed with a rating. Problems raised late in the period are still
open; some are past their deadline, reminded, supervised and escalated level by level exactly as
the daily job would have done (`services.next_level_due`, day by day up to the demo date).

Written in bulk with their actions (not through the services, whose clock is today's): every
date is in 2022, and a seed always gives the same problems.
"""

import datetime as dt
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from faims.core.services import after_write
from faims.org.choices import Role
from faims.org.models import Department, Region, User
from faims.problems.choices import ActionKind, ProblemCategory, ProblemStatus, Rating, Source
from faims.problems.models import EscalationLevel, Problem, ProblemAction
from faims.problems.services import next_level_due
from faims.projects.models import Project
from faims.reporting.models import MonthlyReport

from .reference import AS_OF, YEAR

TARGET = 120
ZONE = ZoneInfo(settings.TIME_ZONE)
FIRST_DAY = dt.date(YEAR, 1, 4)
LAST_DAY = dt.date(YEAR, 9, 26)
# The department that usually solves each kind of problem (by name, as the reference data has them).
CATEGORY_DEPARTMENT = {
    ProblemCategory.LAND: "市自然资源规划局",
    ProblemCategory.PLANNING: "市自然资源规划局",
    ProblemCategory.ENVIRONMENT: "市生态环境局",
    ProblemCategory.ENERGY: "市发展改革委",
    ProblemCategory.FUNDING: "市财政局",
    ProblemCategory.RELOCATION: "市住房城乡建设局",
    ProblemCategory.APPROVAL: "市行政审批局",
    ProblemCategory.UTILITIES: "市市政园林局",
    ProblemCategory.OTHER: "市发展改革委",
}
# Shares of the categories among the problems (land and approvals are what projects report most).
CATEGORY_WEIGHTS = {
    ProblemCategory.LAND: 20,
    ProblemCategory.PLANNING: 12,
    ProblemCategory.ENVIRONMENT: 12,
    ProblemCategory.ENERGY: 8,
    ProblemCategory.FUNDING: 12,
    ProblemCategory.RELOCATION: 10,
    ProblemCategory.APPROVAL: 14,
    ProblemCategory.UTILITIES: 9,
    ProblemCategory.OTHER: 3,
}
TEXTS = {
    ProblemCategory.LAND: [
        ("用地指标尚未落实", "项目二期约{n}亩建设用地指标尚未下达，土地无法挂牌出让，影响按期开工。"),
        ("土地征收报批进度滞后", "项目涉及{n}亩集体土地征收，组卷报批仍在省厅审核，需协调加快。"),
        ("地块存在历史遗留问题", "项目地块内有{n}亩历史划拨用地，权属不清，影响不动产登记。"),
    ],
    ProblemCategory.PLANNING: [
        ("规划条件需调整", "项目容积率与控规不一致，需调整规划条件后才能办理工程规划许可。"),
        ("控规修编未完成", "项目所在单元控规修编尚未批复，建设工程设计方案无法审查。"),
    ],
    ProblemCategory.ENVIRONMENT: [
        ("环评批复进度慢", "项目环境影响报告书已报送{n}天，尚未取得批复，影响开工手续办理。"),
        ("排污总量指标不足", "项目新增挥发性有机物排放总量指标约{n}吨，区内无可调剂指标。"),
    ],
    ProblemCategory.ENERGY: [
        ("能耗指标不足", "项目年综合能耗约{n}千吨标准煤，需市级统筹能耗指标后方可通过节能审查。"),
        ("节能审查未通过", "节能报告需补充能效对标分析，专家评审意见未闭环。"),
    ],
    ProblemCategory.FUNDING: [
        ("项目资本金未到位", "项目资本金缺口约{n}亿元，银行贷款无法发放，影响工程进度。"),
        ("专项债资金拨付滞后", "已发行专项债资金{n}亿元尚未拨付到项目，工程款支付困难。"),
        ("融资审批周期长", "银团贷款{n}亿元审批已超过三个月，需协调金融机构加快审批。"),
    ],
    ProblemCategory.RELOCATION: [
        ("拆迁户未签约", "项目红线内仍有{n}户居民未签订拆迁协议，影响场地移交。"),
        ("企业搬迁补偿未谈妥", "红线内{n}家企业对搬迁补偿标准有异议，需协调评估。"),
    ],
    ProblemCategory.APPROVAL: [
        ("施工许可办理受阻", "施工图审查意见已回复，施工许可证仍未核发，需协调并联审批。"),
        ("立项手续需变更", "项目建设内容调整，需办理备案变更，前置材料要求不明确。"),
        ("消防设计审查未通过", "消防设计审查提出{n}条意见，涉及规范理解分歧，需协调。"),
    ],
    ProblemCategory.UTILITIES: [
        ("供电线路迁改", "项目红线内有{n}千伏架空线路需迁改，供电公司排期滞后。"),
        ("供水供气接入未落实", "项目用水用气接入方案未确定，市政管网距离场地约{n}米。"),
    ],
    ProblemCategory.OTHER: [
        ("施工期交通组织", "项目施工需临时占用道路，交通组织方案尚未获批。"),
    ],
}
ANSWERS = [
    "已会同相关部门现场踏勘，明确了办理路径，预计{n}个工作日内办结。",
    "已召开专题协调会，形成会议纪要，正在按纪要推进。",
    "已完成内部审查，材料已报上级部门，正在跟踪办理。",
    "已办结，相关批复（许可）已出具。",
]
REJECTIONS = ["问题尚未实际解决，请继续协调。", "答复与实际情况不符，批复仍未取得。"]
NOTES = ["请抓紧办理，及时反馈进展。", "该问题已影响项目开工，请加快办理。"]


def _at(day: dt.date, rng, start=9, end=18) -> dt.datetime:
    minutes = rng.randrange(start * 60, end * 60)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=ZONE)


class _Writer:
    def __init__(self, seed: int):
        self.rng = random.Random(f"{seed}:problems")
        self.ladder = {level.order: level for level in EscalationLevel.objects.all()}
        self.admin = User.objects.filter(role=Role.CITY_ADMIN, is_active=True).order_by("pk").first()
        self.officers = []  # (region ids, user)
        for user in User.objects.filter(role=Role.REGION_OFFICER, is_active=True, region__isnull=False).order_by("pk"):
            self.officers.append((set(Region.objects.subtree_ids(user.region_id)), user))
        self.units = {
            u.organisation_id: u
            for u in User.objects.filter(role=Role.PROJECT_UNIT, is_active=True, organisation__isnull=False).order_by(
                "-pk"
            )
        }
        self.department_officers = {
            u.department_id: u
            for u in User.objects.filter(
                role=Role.DEPARTMENT_OFFICER, is_active=True, department__isnull=False
            ).order_by("-pk")
        }
        self.departments = {d.name: d for d in Department.objects.all()}
        self.problems, self.co, self.actions = [], [], []

    def officer(self, project):
        return next((user for regions, user in self.officers if project.region_id in regions), self.admin)

    def choose_projects(self, n: int):
        by_region = defaultdict(list)
        for project in Project.objects.order_by("code", "pk").prefetch_related("departments"):
            by_region[project.region_id].append(project)
        regions = sorted(by_region)
        self.rng.shuffle(regions)
        # The demo's project-unit accounts have problems of their own to look at.
        chosen = [p for region in regions for p in by_region[region] if p.unit_id in self.units][:3]
        for project in chosen:
            by_region[project.region_id].remove(project)
        while len(chosen) < n and any(by_region.values()):
            for region in regions:
                if by_region[region] and len(chosen) < n:
                    chosen.append(by_region[region].pop(self.rng.randrange(len(by_region[region]))))
        return chosen

    def act(self, problem, kind, actor, at, note="", **data):
        self.actions.append(ProblemAction(problem=problem, kind=kind, actor=actor, at=at, note=note, data=data))

    def build(self, project, index: int, count: int):
        rng = self.rng
        category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
        title, text = rng.choice(TEXTS[category])
        description = text.format(n=rng.randint(2, 60))
        # Raised evenly over the months, so that each month has its share.
        span = (LAST_DAY - FIRST_DAY).days
        day = FIRST_DAY + dt.timedelta(days=(span * index) // count + rng.randrange(max(1, span // count)))
        day = min(day, LAST_DAY)
        officer = self.officer(project)
        unit_user = self.units.get(project.unit_id)
        raiser = unit_user if unit_user is not None and rng.random() < 0.5 else officer
        source = rng.choices([Source.REPORT, Source.VISIT, Source.MEETING, Source.DIRECT], weights=[4, 3, 2, 2])[0]
        report = None
        if source == Source.REPORT:
            report = (
                MonthlyReport.objects.filter(project=project, period__year=YEAR, period__month__lt=day.month)
                .order_by("-period__month")
                .first()
            )
            source = Source.REPORT if report is not None else Source.DIRECT
        raised_at = _at(day, rng)
        problem = Problem(
            project=project,
            source=source,
            report=report,
            category=category,
            title=title,
            description=description,
            raised_by=raiser,
            raised_at=raised_at,
            status=ProblemStatus.RAISED,
        )
        self.problems.append(problem)
        self.act(
            problem,
            ActionKind.RAISE,
            raiser,
            raised_at,
            description,
            category=category,
            source=source,
            report=report.pk if report else None,
        )
        # 交办, a few working days later, unless the problem is only days old.
        assign_day = day + dt.timedelta(days=rng.randint(1, 5))
        if assign_day >= AS_OF:
            return
        lead, co = self.departments_for(project, category)
        deadline = assign_day + dt.timedelta(days=rng.choice([15, 20, 30, 30, 45]))
        assigned_at = _at(assign_day, rng)
        problem.status, problem.lead_department, problem.deadline = ProblemStatus.ASSIGNED, lead, deadline
        problem.assigned_at = assigned_at
        self.co.append((problem, co))
        self.act(
            problem,
            ActionKind.ASSIGN,
            officer,
            assigned_at,
            rng.choice(["", *NOTES]),
            lead_department=lead.pk,
            co_departments=[d.pk for d in co],
            deadline=deadline.isoformat(),
        )
        answerer = self.department_officers.get(lead.pk, self.admin)
        # The first answer: most before the deadline, some after it, a few not yet.
        answer_day = assign_day + dt.timedelta(days=int((deadline - assign_day).days * rng.uniform(0.2, 1.15)))
        events = []
        if rng.random() < 0.15 and deadline < AS_OF:
            events.append((deadline + dt.timedelta(days=rng.randint(2, 6)), ActionKind.REMIND))
        if answer_day < AS_OF:
            events.append((answer_day, ActionKind.ANSWER))
            close_day = answer_day + dt.timedelta(days=rng.choice([1, 2, 3, 5, 8, 12, 20]))
            if rng.random() < 0.08:
                events.append((close_day, ActionKind.REJECT))
                answer_day = close_day + dt.timedelta(days=rng.randint(5, 20))
                events.append((answer_day, ActionKind.ANSWER))
                close_day = answer_day + dt.timedelta(days=rng.randint(2, 15))
            if rng.random() < 0.9:
                events.append((close_day, ActionKind.CONFIRM))
        self.play(problem, sorted(events), officer=officer, answerer=answerer, lead=lead)

    def departments_for(self, project, category):
        usual = self.departments.get(CATEGORY_DEPARTMENT[category])
        responsible = sorted(project.departments.all(), key=lambda d: d.pk)
        if usual is not None and usual in responsible:
            return usual, []
        if responsible:
            lead = responsible[0]
            return lead, [usual] if usual is not None and usual != lead and self.rng.random() < 0.5 else []
        return usual or self.departments[CATEGORY_DEPARTMENT[ProblemCategory.OTHER]], []

    def play(self, problem, events, *, officer, answerer, lead):
        """Apply the events in date order up to the demo date, escalating as the daily job would."""
        rng = self.rng
        day = problem.deadline + dt.timedelta(days=1)
        queue = list(events)
        while day <= AS_OF:
            # The day's job runs at 06:30, after everything done on the days before.
            while queue and queue[0][0] < day:
                self.apply(problem, *queue.pop(0), officer=officer, answerer=answerer, lead=lead)
            if problem.status == ProblemStatus.CLOSED:
                break
            level = next_level_due(problem, self.ladder, day)
            if level is not None:
                run = dt.datetime.combine(day, dt.time(6, 30), tzinfo=ZONE)
                problem.escalation_level, problem.escalated_at = level.order, run
                self.act(
                    problem,
                    ActionKind.ESCALATE,
                    None,
                    run,
                    level.name,
                    level=level.order,
                    deadline=problem.deadline.isoformat(),
                )
                if rng.random() < 0.5:
                    self.act(problem, ActionKind.SUPERVISE, self.admin, _at(day, rng, 7, 9), rng.choice(NOTES))
            day += dt.timedelta(days=1)
        for event in queue:
            if event[0] <= AS_OF and problem.status != ProblemStatus.CLOSED:
                self.apply(problem, *event, officer=officer, answerer=answerer, lead=lead)

    def apply(self, problem, day, kind, *, officer, answerer, lead):
        rng = self.rng
        at = _at(day, rng)
        if kind == ActionKind.ANSWER:
            problem.status = ProblemStatus.ANSWERED
            problem.first_answered_at = problem.first_answered_at or at
            self.act(problem, kind, answerer, at, rng.choice(ANSWERS).format(n=rng.randint(3, 15)), department=lead.pk)
        elif kind == ActionKind.REJECT and problem.status == ProblemStatus.ANSWERED:
            problem.status = ProblemStatus.ASSIGNED
            self.act(problem, kind, problem.raised_by, at, rng.choice(REJECTIONS))
        elif kind == ActionKind.CONFIRM and problem.status == ProblemStatus.ANSWERED:
            rating = rng.choices(Rating.values, weights=[70, 22, 8])[0]
            problem.status, problem.rating, problem.closed_at = ProblemStatus.CLOSED, rating, at
            self.act(problem, kind, problem.raised_by, at, "", rating=rating)
        elif kind == ActionKind.REMIND and problem.status != ProblemStatus.CLOSED:
            self.act(problem, kind, officer, at, rng.choice(NOTES))

    def write(self) -> int:
        Problem.objects.bulk_create(self.problems, batch_size=500)
        through = Problem.co_departments.through
        through.objects.bulk_create([through(problem_id=p.pk, department_id=d.pk) for p, ds in self.co for d in ds])
        for action in self.actions:
            action.problem_id = action.problem.pk
        self.actions.sort(key=lambda a: (a.problem_id, a.at))
        ProblemAction.objects.bulk_create(self.actions, batch_size=500)
        after_write(Problem, self.problems)
        return len(self.problems)


@transaction.atomic
def load_problems(*, seed: int, log=None) -> int:
    """Create the demo's problems (about 120; fewer on a demo of few projects); returns how many."""
    writer = _Writer(seed)
    if writer.admin is None:
        return 0
    projects = writer.choose_projects(min(TARGET, Project.objects.count()))
    for index, project in enumerate(projects):
        writer.build(project, index, len(projects))
    count = writer.write()
    if log is not None:
        log(f"问题清单：{count} 个问题，{len(writer.actions)} 条办理记录。")
    return count
