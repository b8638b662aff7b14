"""The demo's visits (走访) and meetings (会议), January–September 2022.

Linked leaders (挂钩市领导) visit their projects once or twice a quarter and service commissioners
(政府服务专员) the enterprises they serve once or twice a month; a few leave a period without a
visit, so that the compliance pages show gaps. The problems the demo raised on visits are linked to
a visit of their project on the day they were raised, the ones raised at meetings to the meeting.
About ten meetings (推进会/调度会/专题协调会/现场办公) each carry a few decisions, mostly done.

Written in bulk (not through the services, whose clock is today's): every date is in 2022, and a
seed always gives the same visits and meetings.
"""

import datetime as dt
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from faims.core.services import after_write
from faims.org.choices import Role
from faims.org.models import Department, Person, User
from faims.problems.choices import DecisionStatus, MeetingKind, Source, VisitKind
from faims.problems.models import EscalationLevel, Meeting, MeetingDecision, Problem, Visit
from faims.problems.services import period_dates
from faims.projects.choices import PersonRole
from faims.projects.models import Project, ProjectPerson

from .reference import AS_OF, YEAR

ZONE = ZoneInfo(settings.TIME_ZONE)
# The share of periods a visitor lets pass without a visit.
GAP = {VisitKind.LEADER: 0.12, VisitKind.COMMISSIONER: 0.1}
FINDINGS = [
    "现场施工正常，主体结构按节点推进。",
    "设备进场进度略慢于计划，企业已调整采购安排。",
    "项目用工充足，安全生产措施落实到位。",
    "企业反映融资成本偏高，希望对接政策性金融工具。",
    "二期用地手续正在办理，建议加快组卷报批。",
    "配套道路尚未贯通，影响材料运输。",
    "项目投资完成情况与年度计划基本匹配。",
    "企业对服务专员工作满意，暂无新增诉求。",
]
MEETINGS = [
    (MeetingKind.PROMOTION, dt.date(YEAR, 1, 20), "全市重大项目建设推进会"),
    (MeetingKind.DISPATCH, dt.date(YEAR, 2, 24), "2月重大项目调度会"),
    (MeetingKind.COORDINATION, dt.date(YEAR, 3, 17), "产业项目用地保障专题协调会"),
    (MeetingKind.ON_SITE, dt.date(YEAR, 4, 21), "江阴港区项目现场办公会"),
    (MeetingKind.DISPATCH, dt.date(YEAR, 5, 19), "5月重大项目调度会"),
    (MeetingKind.PROMOTION, dt.date(YEAR, 6, 23), "上半年重大项目攻坚推进会"),
    (MeetingKind.COORDINATION, dt.date(YEAR, 7, 14), "能耗指标保障专题协调会"),
    (MeetingKind.DISPATCH, dt.date(YEAR, 8, 18), "8月重大项目调度会"),
    (MeetingKind.ON_SITE, dt.date(YEAR, 9, 8), "新吴区集成电路项目现场办公会"),
    (MeetingKind.DISPATCH, dt.date(YEAR, 9, 22), "9月重大项目调度会"),
]
DECISIONS = [
    "限期完成项目用地预审和规划许可",
    "协调供电部门提前实施线路迁改",
    "对逾期问题实行挂牌督办，每周报告进展",
    "组织银企对接，解决项目融资需求",
    "加快环评批复，开辟绿色通道",
    "统筹能耗指标，优先保障重大产业项目",
    "完善项目周边配套道路建设计划",
]


def _at(day: dt.date, rng) -> dt.datetime:
    minutes = rng.randrange(9 * 60, 18 * 60)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=ZONE)


class _Writer:
    def __init__(self, seed: int):
        self.rng = random.Random(f"{seed}:visits")
        self.admin = User.objects.filter(role=Role.CITY_ADMIN, is_active=True).order_by("pk").first()
        self.accounts = {
            u.person_id: u
            for u in User.objects.filter(role__in=[Role.LEADER, Role.COMMISSIONER], person__isnull=False).order_by(
                "-pk"
            )
        }
        self.visits, self.links = [], []  # links: (visit, [project ids])

    def visit(self, kind, person, day, project_ids, findings=None) -> Visit:
        visit = Visit(
            kind=kind,
            person=person,
            date=day,
            findings=findings or self.rng.choice(FINDINGS),
            created_by=self.accounts.get(person.pk, self.admin),
        )
        self.visits.append(visit)
        self.links.append((visit, sorted(set(project_ids))))
        return visit

    def duty(self, kind, people: dict, unit: str, periods: range, done: dict):
        """Visits of each person in each period: 1–2, none in a few periods, none after the demo date."""
        rng = self.rng
        for person, projects in people.items():
            for period in periods:
                start, end = period_dates(unit, YEAR, period)
                end = min(end, AS_OF)
                if start > end or rng.random() < GAP[kind]:
                    continue
                wanted = rng.choice([1, 1, 2]) - done[person.pk, period]
                for _n in range(max(0, wanted)):
                    day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
                    self.visit(kind, person, day, rng.sample(projects, min(len(projects), rng.choice([1, 1, 2]))))

    def link_problems(self, leaders, commissioners, done) -> list:
        """A visit for each problem the demo raised on a visit, by the project's commissioner (or leader)."""
        by_project = defaultdict(list)
        for person, projects in commissioners.items():
            for pk in projects:
                by_project[pk].append((VisitKind.COMMISSIONER, person))
        for person, projects in leaders.items():
            for pk in projects:
                by_project[pk].append((VisitKind.LEADER, person))
        linked = []
        problems = Problem.objects.filter(source=Source.VISIT, visit__isnull=True, raised_at__year=YEAR)
        for problem in problems.order_by("raised_at", "pk"):
            visitors = by_project.get(problem.project_id)
            if not visitors:
                continue
            kind, person = visitors[0]
            day = problem.raised_at.astimezone(ZONE).date()
            problem.visit = self.visit(kind, person, day, [problem.project_id], f"走访发现：{problem.title}。")
            period = (day.month - 1) // 3 + 1 if kind == VisitKind.LEADER else day.month
            done[person.pk, period] += 1
            linked.append(problem)
        return linked

    def write_visits(self, linked) -> None:
        Visit.objects.bulk_create(self.visits, batch_size=500)
        through = Visit.projects.through
        through.objects.bulk_create(
            [through(visit_id=visit.pk, project_id=pk) for visit, pks in self.links for pk in pks], batch_size=1000
        )
        for problem in linked:
            problem.visit_id = problem.visit.pk
        Problem.objects.bulk_update(linked, ["visit"], batch_size=500)
        after_write(Visit, self.visits)

    def meetings(self) -> tuple[int, int]:
        rng = self.rng
        chairs = list(Person.objects.filter(is_leader=True).order_by("pk"))
        levels = list(EscalationLevel.objects.order_by("order"))
        departments = list(Department.objects.order_by("pk"))
        if not chairs or not departments:
            return 0, 0
        meetings, decisions = [], []
        for index, (kind, day, title) in enumerate(MEETINGS):
            level = levels[index % len(levels)] if levels and kind != MeetingKind.ON_SITE else None
            meeting = Meeting(
                kind=kind,
                date=day,
                title=title,
                chair=chairs[index % len(chairs)],
                attendees="市发展改革委、市自然资源规划局、市生态环境局、各市（县）区分管负责同志",
                level=level,
                minutes="会议听取了重大项目推进情况汇报，研究了突出问题，明确了责任部门和完成期限。",
                created_by=self.admin,
            )
            meetings.append(meeting)
            for text in rng.sample(DECISIONS, rng.randint(2, 4)):
                deadline = day + dt.timedelta(days=rng.choice([15, 20, 30, 45]))
                done = deadline < AS_OF and rng.random() < 0.8
                decisions.append(
                    MeetingDecision(
                        meeting=meeting,
                        text=text,
                        owner_department=rng.choice(departments),
                        deadline=deadline,
                        status=DecisionStatus.DONE if done else DecisionStatus.OPEN,
                        done_at=_at(deadline - dt.timedelta(days=rng.randint(0, 10)), rng) if done else None,
                        note="已按期办结。" if done else "",
                    )
                )
        Meeting.objects.bulk_create(meetings)
        for decision in decisions:
            decision.meeting_id = decision.meeting.pk
        MeetingDecision.objects.bulk_create(decisions)
        # The problems raised at meetings belong to the latest meeting held by the day they were raised.
        linked = []
        for problem in Problem.objects.filter(source=Source.MEETING, meeting__isnull=True, raised_at__year=YEAR):
            day = problem.raised_at.astimezone(ZONE).date()
            held = [m for m in meetings if m.date <= day]
            if held:
                problem.meeting_id = held[-1].pk
                linked.append(problem)
        Problem.objects.bulk_update(linked, ["meeting"], batch_size=500)
        return len(meetings), len(decisions)


@transaction.atomic
def load_visits(*, seed: int, log=None) -> int:
    """Create the demo's visits and meetings (after load_problems); returns how many visits."""
    writer = _Writer(seed)
    if writer.admin is None:
        return 0
    leaders, commissioners = defaultdict(list), defaultdict(list)
    for project in Project.objects.filter(leader__isnull=False).select_related("leader").order_by("pk"):
        leaders[project.leader].append(project.pk)
    roles = ProjectPerson.objects.filter(role=PersonRole.COMMISSIONER).select_related("person").order_by("pk")
    for role in roles:
        commissioners[role.person].append(role.project_id)
    done = defaultdict(int)
    linked = writer.link_problems(leaders, commissioners, done)
    quarters, months = range(1, (AS_OF.month - 1) // 3 + 2), range(1, AS_OF.month + 1)
    writer.duty(VisitKind.LEADER, leaders, "quarter", quarters, done)
    writer.duty(VisitKind.COMMISSIONER, commissioners, "month", months, done)
    writer.write_visits(linked)
    meetings, decisions = writer.meetings()
    if log is not None:
        log(f"走访与会议：{len(writer.visits)} 次走访，{meetings} 次会议，{decisions} 项议定事项。")
    return len(writer.visits)
