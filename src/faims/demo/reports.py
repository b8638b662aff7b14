"""The demo programme's monthly reports, 2022-01 … 2022-09, as FAIMS holds them on the demo date.

Every project with a 2022 annual plan reports from the month it enters the programme (January for
most; 宜兴市 files through FAIMS from April, so its first report carries only the year-to-date
figure; projects of 50亿 and more recruited during 2022 from the month they are filed) through
August. September is the current period on the demo date: a few reports are drafts or already
submitted, the rest are still due. Periods 1–6 are locked, which is what the June bulletin reads.

The figures follow the rules of `reporting.rules` by construction: monthly amounts follow a
seasonal profile and start with the project, the year-to-date figure is their running sum, the
cumulative one adds what the project spent before 2022 and stays below its total investment;
statuses follow the project's dates. Each library's investment by June is fitted to a pace
(PACE), with a spread across projects, so the half-year figures read like a real programme's.

Reports are written in batches without the services (no per-row change log), and not through
`bulk_create` either: at eight or nine reports a project, Django's preparation of every value of
every model instance took two thirds of a large load (a 100,000-project demo holds about 770,000
reports). `insert_reports` writes the same columns with one parameterised INSERT and the value
adaptations of Django's own backends, on SQLite and PostgreSQL alike. The first reports are
validated with `full_clean` at load; the tests run `full_clean` on a sample and the rules on all.
Each project draws from its own random stream, seeded by the seed and the project's name, so a
seed always gives the same reports whatever the batch.
"""
import calendar
import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone

from faims.org.choices import Role
from faims.org.models import User
from faims.projects.choices import Category, LifecycleStatus, MembershipStatus
from faims.projects.models import Membership, Project
from faims.reporting.choices import ProductionStatus, ReportStatus, StartStatus, StatsStatus
from faims.reporting.models import MonthlyReport, ReportingPeriod, default_deadline

from .reference import AS_OF, YEAR

PROJECT_BATCH = 2_000
ROWS_PER_INSERT = 30
# Months of filed reports by default: January–August; September is the period still open.
REPORT_MONTHS = 8
CURRENT_MONTH = AS_OF.month
LOCKED_MONTHS = 6
# The share of a year's investment done in each month: slow around the Spring Festival, a push at
# each quarter's end, the most in December. 1–6月 is 45.5% of the year.
PROFILE = (0.050, 0.045, 0.085, 0.080, 0.090, 0.105, 0.080, 0.085, 0.095, 0.085, 0.090, 0.110)
# 1–6月 investment as a share of the annual plan that each library's projects reach together
# (provincial projects are pushed to be ahead of time progress, 附件二(一)); others get REST_PACE.
PACE = {"szd": 0.60, "cy": 0.49, "zf": 0.50}
REST_PACE = 0.47
# No project's year (at its pace) comes to more than this multiple of its annual plan.
MAX_PLAN_SHARE = 2.0
# A project in several of these libraries follows the first one's pace.
PACE_ORDER = tuple(PACE)
# A region that starts filing through FAIMS later in the year: region code → first month.
LATE_ADOPTERS = {"320282": 4}
# New projects of at least this total (万元) filed during 2022 report from the month they are filed.
RECRUIT_ENTRY = Decimal(500_000)
MOVED_DEADLINES = {
    1: (dt.date(YEAR, 2, 25), "春节假期（1月31日至2月6日）后企业复工较晚，1月报送截止日期顺延至2月25日。"),
}
# Share of reports first filed after the deadline, by region (DEFAULT_LATE elsewhere).
LATE_RATE = {"320213": 0.15, "320271": 0.13, "320282": 0.11, "320206": 0.09, "320214": 0.04}
DEFAULT_LATE = 0.07
MISSING_RATE = 0.012
STATISTICS_THRESHOLD = Decimal(500)  # 纳统: projects of at least 500万 whose works have started

RETURN_REASONS = (
    "本年累计完成投资与统计部门联网直报数据不一致，请核实后重报。",
    "形象进度描述过于简单，请补充主要工程量完成情况。",
    "实际开工日期与施工许可证不一致，请核对。",
    "本月完成投资明显高于计划进度，请补充说明并附现场照片。",
)
SUSPENSION_REASON = "项目资金未及时到位，施工单位自本月起暂停施工，正在协调复工。"
PROBLEMS = {
    "preparation": (
        "用地报批尚未完成，需自然资源规划部门协调加快组卷报批。",
        "环评批复尚未取得，影响施工许可办理。",
        "施工图审查进度滞后，需住建部门协调。",
        "征地拆迁尚有部分房屋未签约，影响进场施工。",
        "能耗指标尚未落实，需发展改革部门协调。",
    ),
    "construction": (
        "项目资本金到位不足，需协调金融机构加快贷款投放。",
        "钢材等主要材料价格上涨，施工成本增加。",
        "电力接入工程尚未实施，需供电公司协调。",
        "施工范围内管线迁改进度滞后。",
        "部分设备进口受阻，到货时间推迟。",
    ),
    "covid": "受疫情防控影响，4月中旬起停工约两周，材料运输受阻，目前已全面复工。",
}
PROGRESS = {
    "prep": ("正在办理施工许可手续。", "施工图设计审查中，施工招标准备中。", "土地已摘牌，正在办理规划许可。",
             "环评、能评等前期手续办理中。", "施工招标已完成，施工单位准备进场。"),
    Category.INFRASTRUCTURE: (
        ("管线迁改和交通导改实施中，桩基施工已完成约{p}%。", "征地拆迁基本完成，主线路基施工。",
         "施工便道及临时设施完成，桩基施工。"),
        ("主体结构施工，桥梁下部结构完成约{p}%。", "路基工程完成约{p}%，桥梁上部结构施工。",
         "盾构区间掘进，车站主体结构施工。"),
        ("路面工程及附属设施施工，累计完成工程量约{p}%。", "机电设备安装调试，进入收尾阶段。",
         "主体工程基本完成，绿化及交通设施施工。"),
    ),
    Category.LIVELIHOOD: (
        ("基坑支护及基础施工。", "场地平整完成，桩基施工。", "地下室结构施工。"),
        ("主体结构施工至{f}层。", "主体结构施工，累计完成工程量约{p}%。", "主体结构封顶，二次结构施工。"),
        ("内外装饰装修施工。", "室外配套及景观工程施工。", "设备安装及室外管网施工，准备竣工验收。"),
    ),
    Category.ECOLOGY: (
        ("围堰施工及河道清淤。", "管网工程开挖施工。", "场地清表及临时设施建设。"),
        ("管网铺设累计完成约{k}公里。", "河道清淤完成约{p}%，护岸施工。", "污水处理厂主体构筑物施工。"),
        ("设备安装调试，准备通水试运行。", "生态修复及绿化工程施工。", "附属工程施工，累计完成工程量约{p}%。"),
    ),
    Category.INDUSTRY: (
        ("场地平整完成，厂房桩基施工。", "主厂房基础施工。", "厂房桩基完成约{p}%。"),
        ("主厂房主体结构施工，累计完成工程量约{p}%。", "主厂房钢结构吊装，动力站房施工。",
         "厂房主体结构封顶，屋面及外立面施工。"),
        ("厂房装修及净化工程施工，部分设备进场。", "生产设备安装调试，计划年内试生产。",
         "设备安装完成约{p}%，准备试生产。"),
    ),
    Category.INNOVATION: (
        ("研发楼基础施工。", "场地平整完成，桩基施工。", "地下室结构施工。"),
        ("研发楼主体结构施工至{f}层。", "主体结构施工，累计完成工程量约{p}%。", "主体结构封顶，幕墙施工。"),
        ("实验室装修及设备采购安装。", "公共平台设备调试，准备投入使用。", "室外配套工程施工，累计完成工程量约{p}%。"),
    ),
    "completed": ("已竣工验收，正在办理工程结算。", "工程已完工，正在进行竣工验收准备。",
                  "已建成投入使用，进行工程结算审计。"),
    "production": ("部分产线投产，产能逐步释放。", "已投产，产能利用率约{c}%。", "试生产结束，正式投产。"),
    "capacity": ("已达产达效。",),
    "suspended": ("暂停施工，正在协调复工。",),
}


def month_end(month: int) -> dt.date:
    return dt.date(YEAR, month, calendar.monthrange(YEAR, month)[1])


def _month_index(date: dt.date | None, none=None):
    """A date's month of the demo year: 0 before the year, 13 after it."""
    if date is None:
        return none
    if date.year < YEAR:
        return 0
    if date.year > YEAR:
        return 13
    return date.month


def _fraction_from(date: dt.date) -> float:
    """The share of the date's month from that day on."""
    days = calendar.monthrange(date.year, date.month)[1]
    return (days - date.day + 1) / days


@dataclass
class Row:
    """What the reports of one project are drawn from (one query row)."""

    pk: int
    name: str
    region: str
    unit_id: int | None
    total: Decimal
    category: str
    status: str
    start: dt.date | None
    completion: dt.date | None
    production: dt.date | None
    capacity: dt.date | None
    in_statistics: bool
    statistics_date: dt.date | None
    planned_start: dt.date | None
    planned_completion: dt.date | None
    filed: dt.date | None
    plan: Decimal
    start_kind: str

    FIELDS = ("pk", "name", "region__code", "unit_id", "total_investment", "category", "status", "actual_start_date",
              "actual_completion_date", "actual_production_date", "actual_capacity_date", "in_statistics",
              "statistics_date", "planned_start_date", "planned_completion_date", "actual_filing_date",
              "annual_plans__planned_investment", "annual_plans__start_kind")


class Track:
    """One project's 2022: the monthly amounts at pace 1 and the draws that shape its reports."""

    def __init__(self, row: Row, seed: int):
        self.row = row
        self.rng = rng = random.Random(f"faims-demo:{seed}:reports:{row.name}")
        self.key = rng.randrange(1_000_000)  # picks the project's wording and lags, the same every month
        self.first = _month_index(row.start)  # None: not started by the demo date
        self.suspended_from = None
        if row.status == LifecycleStatus.SUSPENDED and self.first is not None:
            self.suspended_from = min(max(self.first + 1, 3 + rng.randrange(6)), CURRENT_MONTH)
        self.raw = self._raw_amounts(rng)
        self.done_share = rng.uniform(0.75, 1.0)  # how far the project kept to its schedule before 2022
        self.completed_share = rng.uniform(0.88, 0.97)  # of the total spent by a completion in 2022
        self.entry = self._entry()

    def _raw_amounts(self, rng) -> list[float]:
        row, amounts = self.row, [0.0] * 13
        if self.first is None or self.first > 12 or not row.plan:
            return amounts
        last = _month_index(row.completion, 12)
        if last == 0:
            return amounts
        # The plan covers the months the project meant to build in 2022.
        planned_first = _month_index(row.planned_start, 1) if row.start_kind == "new" else 1
        planned_first = min(max(planned_first, 1), 12)
        planned_last = min(max(_month_index(row.planned_completion, 12), planned_first), 12)
        planned_weight = sum(PROFILE[m - 1] for m in range(planned_first, planned_last + 1))
        planned_weight = max(planned_weight, 0.2)
        pace = rng.lognormvariate(0, 0.3)
        draw = rng.random()
        if draw < 0.08:
            pace *= 0.4  # behind: funds, land or approvals hold it back
        elif draw < 0.16:
            pace *= 1.4  # ahead: pushed for the half-year
        first = max(self.first, 1)
        stop = min(last, 12, (self.suspended_from or 13) - 1)
        for m in range(first, stop + 1):
            share = PROFILE[m - 1] * rng.lognormvariate(0, 0.25)
            if m == self.first and row.start.year == YEAR:
                share *= _fraction_from(row.start)
            if m == last and row.completion and row.completion.year == YEAR:
                share *= max(row.completion.day / calendar.monthrange(YEAR, m)[1], 0.3)
            amounts[m] = share / planned_weight * float(row.plan) * pace
        return amounts

    def _entry(self) -> int:
        row = self.row
        entry = LATE_ADOPTERS.get(row.region, 1)
        if row.start_kind == "new" and row.total >= RECRUIT_ENTRY and row.filed and row.filed.year == YEAR:
            entry = max(entry, row.filed.month)
        return entry

    def pick(self, n: int) -> int:
        return self.key % n

    def raw_h1(self) -> float:
        return sum(self.raw[1:7])

    def h1(self) -> Decimal:
        return sum(self.amounts[1:7], Decimal(0))

    def finish(self, factor: float) -> None:
        """Scale to the library's pace, keep the cumulative below the total, round to 万元."""
        row = self.row
        total = float(row.total)
        amounts = [a * factor for a in self.raw]
        year = sum(amounts)
        if year > float(row.plan) * MAX_PLAN_SHARE:
            amounts = [a * float(row.plan) * MAX_PLAN_SHARE / year for a in amounts]
            year = float(row.plan) * MAX_PLAN_SHARE
        pre = 0.0
        if self.first == 0:
            if row.completion and row.completion.year == YEAR:
                pre = total * self.completed_share - year
            else:
                span = max((row.planned_completion - row.start).days, 180) if row.planned_completion else 720
                elapsed = (dt.date(YEAR, 1, 1) - row.start).days
                pre = total * min(elapsed / span, 0.9) * self.done_share
            pre = min(pre, total * 0.97 - year)
        if pre < 0:
            pre = 0.0
            if year > total * 0.95:
                amounts = [a * total * 0.95 / year for a in amounts]
        # Offices report whole 万元; small projects to a tenth.
        places = 0 if row.plan >= 500 else 1
        self.amounts = [_money(a, places) for a in amounts]
        self.pre = _money(pre, places)


def _weekday(day: dt.date, forward: bool = True) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1 if forward else -1)
    return day


def _money(value: float, places: int) -> Decimal:
    return Decimal(round(value, places)).quantize(Decimal(1).scaleb(-places))


def pace_group(keys: set) -> str:
    return next((key for key in PACE_ORDER if key in keys), "")


class ReportWriter:
    """Writes the periods and the reports of the demo year; counts what it wrote (`counts`, `summary()`)."""

    def __init__(self, *, seed: int, admin, library_ids: dict, months: int = REPORT_MONTHS, log=None):
        self.seed = seed
        self.admin = admin
        self.months = months
        self.log = log or (lambda message: None)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.counts = Counter()
        self.status_counts = Counter()
        self.late_count = 0
        self.missing_count = 0
        pace_libraries = {library_ids[key]: key for key in PACE_ORDER}
        self.groups: dict[int, set] = {}
        memberships = Membership.objects.filter(library_id__in=pace_libraries, status=MembershipStatus.IN_LIBRARY)
        for project_id, library_id in memberships.values_list("project_id", "library_id"):
            self.groups.setdefault(project_id, set()).add(pace_libraries[library_id])
        users = {u.username: u for u in User.objects.filter(username__in=("admin", "xinwu", "jiangyin", "unit"))}
        self.officers = {u.region.code: u for u in users.values() if u.role == Role.REGION_OFFICER}
        self.unit_user = users.get("unit")

    # periods -----------------------------------------------------------------------------------
    def write_periods(self) -> None:
        periods = []
        for month in range(1, CURRENT_MONTH + 1):
            deadline, reason = MOVED_DEADLINES.get(month, (default_deadline(YEAR, month), ""))
            period = ReportingPeriod(year=YEAR, month=month, deadline=deadline, deadline_reason=reason)
            if month <= LOCKED_MONTHS:
                # Locked once the late filings are in and reviewed.
                period.locked_at = self._at(_weekday(deadline + dt.timedelta(days=25)), 17, 30)
                period.locked_by = self.admin
            period.full_clean(validate_unique=False, validate_constraints=False)
            periods.append(period)
        ReportingPeriod.objects.bulk_create(periods)
        self.periods = {p.month: p for p in periods}
        self.counts["reportingperiod"] += len(periods)

    def _at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    # reports -----------------------------------------------------------------------------------
    def write(self) -> None:
        self.write_periods()
        if self.months <= 0:
            return
        rows = Project.objects.filter(annual_plans__year=YEAR).order_by("pk")
        key_rows = [Row(*values) for values in rows.filter(pk__in=list(self.groups)).values_list(*Row.FIELDS)]
        key_tracks = {row.pk: Track(row, self.seed) for row in key_rows}
        self.factors = self._library_factors(key_tracks.values())
        last_pk, done = 0, 0
        while True:
            batch = [Row(*values) for values in rows.filter(pk__gt=last_pk).values_list(*Row.FIELDS)[:PROJECT_BATCH]]
            if not batch:
                break
            tracks = [key_tracks.pop(row.pk, None) or Track(row, self.seed) for row in batch]
            if "" not in self.factors:
                rest = [t for t in tracks if t.row.pk not in self.groups]
                self.factors[""] = fit_pace(rest, REST_PACE)
            reports = []
            for track in tracks:
                track.finish(self.factors[pace_group(self.groups.get(track.row.pk, set()))])
                reports.extend(self._reports(track))
            if done == 0:
                for report in reports[:3]:
                    report.instance().full_clean(validate_unique=False, validate_constraints=False)
            insert_reports(reports)
            self.counts["monthlyreport"] += len(reports)
            last_pk, done = batch[-1].pk, done + len(batch)
            if done >= 50_000 and done % 50_000 < PROJECT_BATCH:
                self.log(f"  月度报送：{done:,} 个项目")
        s = self.summary()
        self.log(f"月度报送：已审核 {s['accepted']:,}，已报送 {s['submitted']:,}，已退回 {s['returned']:,}，"
                 f"草稿 {s['draft']:,}；逾期报送 {s['late']:,}，"
                 f"{YEAR}年1–{CURRENT_MONTH - 1}月未报送 {s['missing']:,}。")

    def summary(self) -> dict:
        """Reports by status, first filed late, and missing in the past periods (for the audit event)."""
        return {**{status: self.status_counts[status] for status in ReportStatus.values},
                "late": self.late_count, "missing": self.missing_count}

    def _library_factors(self, tracks) -> dict:
        """The factor of each library's pace: 1–6月 over the plan, fitted on the library's projects."""
        by_group: dict[str, list] = {}
        for track in tracks:
            by_group.setdefault(pace_group(self.groups[track.row.pk]), []).append(track)
        return {key: fit_pace(by_group.get(key, []), pace) for key, pace in PACE.items()}

    def _reports(self, track: Track) -> list["ReportValues"]:
        row, rng = track.row, track.rng
        first_month = max(track.entry, CURRENT_MONTH - self.months)
        officer = self.officers.get(row.region)
        filer = self.unit_user if self.unit_user and row.unit_id == self.unit_user.organisation_id else officer
        filer = filer or self.admin
        reviewer = officer or self.admin
        problem = self._problem(track)
        late_rate = LATE_RATE.get(row.region, DEFAULT_LATE)
        reports, previous_month, previous = [], None, None
        ytd = Decimal(0)
        for month in range(1, CURRENT_MONTH + 1):
            ytd += track.amounts[month]
            if month < first_month:
                self.missing_count += 1
                continue
            period = self.periods[month]
            report = ReportValues(project_id=row.pk, period_id=period.pk)
            if not self._file(report, month, period, rng, late_rate, filer, reviewer):
                self.missing_count += month < CURRENT_MONTH
                continue
            self.missing_count += month < CURRENT_MONTH and report.first_submitted_at is None
            self._figures(report, track, month, ytd, previous_month)
            self._statuses(report, track, month, previous)
            report.progress_text = self._progress(report, track, month)
            if problem and problem[0] <= month <= problem[1]:
                report.problems_text = problem[2]
            elif month in (4, 5) and rng.random() < 0.08 and report.start_status == StartStatus.STARTED:
                report.problems_text = PROBLEMS["covid"]
            reports.append(report)
            previous_month, previous = month, report
        return reports

    def _file(self, report, month, period, rng, late_rate, filer, reviewer) -> bool:
        """The workflow fields of the report; False when the report is missing."""
        as_of_end = self._at(AS_OF, 18)
        if month == CURRENT_MONTH:
            draw = rng.random()
            if draw < 0.035:
                report.status = ReportStatus.SUBMITTED
                report.first_submitted_at = report.submitted_at = self._working_time(
                    AS_OF - dt.timedelta(days=rng.randrange(4)), rng)
                report.submitted_by_id = filer.pk
                self.status_counts[report.status] += 1
                return True
            if draw < 0.06:
                report.status = ReportStatus.DRAFT
                self.status_counts[report.status] += 1
                return True
            return False
        if rng.random() < MISSING_RATE * (2 if month == 1 else 1):
            return False
        deadline = period.deadline
        late = rng.random() < late_rate * (1.6 if month == 1 else 1)
        # Late filings come within ten days, so that a period is complete when it is locked.
        if late:
            first = self._working_time(deadline + dt.timedelta(days=1 + min(int(rng.expovariate(1 / 3)), 9)), rng)
        else:
            day = deadline - dt.timedelta(days=min(int(rng.expovariate(1 / 4)), 15))
            first = self._working_time(day, rng, forward=False)
        if first > as_of_end:
            # Still being prepared on the demo date.
            if rng.random() < 0.4:
                report.status = ReportStatus.DRAFT
                self.status_counts[report.status] += 1
                return True
            return False
        if late:
            self.late_count += 1
        report.first_submitted_at = report.submitted_at = first
        report.submitted_by_id = filer.pk
        if rng.random() < 0.03:  # returned once, corrected and filed again
            report.submitted_at = self._working_time((first + dt.timedelta(days=2 + rng.randrange(3))).date(), rng)
        reviewed = self._working_time((report.submitted_at + dt.timedelta(days=1 + rng.randrange(4))).date(), rng)
        status = ReportStatus.ACCEPTED
        if month > LOCKED_MONTHS:
            draw = rng.random()
            if reviewed > as_of_end or draw < (0.02 if month < 8 else 0.1):
                status = ReportStatus.SUBMITTED
            elif draw > (0.995 if month < 8 else 0.993):
                status = ReportStatus.RETURNED
                report.return_reason = rng.choice(RETURN_REASONS)
        if status != ReportStatus.SUBMITTED:
            report.reviewed_at, report.reviewed_by_id = reviewed, reviewer.pk
        if report.submitted_at > as_of_end:
            report.submitted_at = first
        report.status = status
        self.status_counts[status] += 1
        return True

    def _working_time(self, day: dt.date, rng, forward: bool = True) -> dt.datetime:
        """A moment in office hours of `day`, moved off the weekend (to Monday, or back to Friday)."""
        return self._at(_weekday(day, forward), 8 + rng.randrange(10), rng.randrange(60))

    def _figures(self, report, track, month, ytd, previous_month) -> None:
        row = track.row
        started = track.first is not None and track.first <= month
        # The month's amount is known only beside the report of the month before (or in January).
        known = month == 1 or previous_month == month - 1
        report.month_investment = track.amounts[month] if known else None
        report.ytd_investment = ytd
        report.cumulative_investment = track.pre + ytd if started else Decimal(0)
        report.start_status = StartStatus.STARTED if started else StartStatus.NOT_STARTED
        report.actual_start_date = row.start if started else None

    def _statuses(self, report, track, month, previous) -> None:
        row = track.row
        end = month_end(month)
        started = report.start_status == StartStatus.STARTED
        if not started:
            stage = LifecycleStatus.PREPARATION
        elif track.suspended_from and month >= track.suspended_from:
            stage = LifecycleStatus.SUSPENDED
            if previous is None or previous.construction_status != LifecycleStatus.SUSPENDED:
                report.status_change_reason = SUSPENSION_REASON
        elif row.capacity and row.capacity <= end:
            stage = LifecycleStatus.CAPACITY
        elif row.production and row.production <= end:
            stage = LifecycleStatus.PRODUCTION
        elif row.completion and row.completion <= end:
            stage = LifecycleStatus.COMPLETED
        else:
            stage = LifecycleStatus.CONSTRUCTION
        report.construction_status = stage

        if started and row.total >= STATISTICS_THRESHOLD:
            # Applied for soon after the start; entered on the project's 纳统 date. A project the
            # statistics office has not taken in is still waiting, or was turned down.
            applied = row.start + dt.timedelta(days=7 + track.pick(20))
            if row.in_statistics and row.statistics_date:
                applied = min(applied, row.statistics_date)
            if row.in_statistics and row.statistics_date and row.statistics_date <= end:
                report.stats_status, report.stats_date = StatsStatus.ENTERED, row.statistics_date
            elif applied <= end:
                report.stats_status, report.stats_date = StatsStatus.APPLIED, applied
                if not row.in_statistics and track.pick(10) < 4 and end - applied > dt.timedelta(days=30):
                    report.stats_status = StatsStatus.REJECTED

        if row.production and row.production <= end:
            months_on = (end.year - row.production.year) * 12 + end.month - row.production.month
            if row.capacity and row.capacity <= end:
                report.production_status, report.capacity_reached = ProductionStatus.FULL, Decimal("100.0")
            elif months_on < 2:
                report.production_status = ProductionStatus.PARTIAL
                report.capacity_reached = Decimal(20 + 15 * months_on + track.pick(10))
            else:
                report.production_status = ProductionStatus.FULL
                report.capacity_reached = Decimal(min(55 + 6 * months_on + track.pick(10), 95))

    def _progress(self, report, track, month) -> str:
        row = track.row
        stage = report.construction_status
        capacity = int(report.capacity_reached or 0)
        if stage == LifecycleStatus.PREPARATION:
            choices = PROGRESS["prep"]
        elif stage in (LifecycleStatus.PRODUCTION, LifecycleStatus.CAPACITY):
            choices = PROGRESS["capacity" if stage == LifecycleStatus.CAPACITY else "production"]
        elif stage in (LifecycleStatus.COMPLETED, LifecycleStatus.SUSPENDED):
            choices = PROGRESS[stage]
        else:
            done = float(report.cumulative_investment) / float(row.total) if row.total else 0
            phase = 0 if done < 0.3 else 1 if done < 0.7 else 2
            choices = PROGRESS[row.category][phase]
        done = float(report.cumulative_investment or 0) / float(row.total) if row.total else 0
        text = choices[(track.pick(len(choices)) + month // 3) % len(choices)]
        return text.format(p=max(5, min(round(done * 100), 98)), f=3 + round(done * 20), k=round(done * 30, 1),
                           c=capacity or 60)

    def _problem(self, track):
        """(first month, last month, text) of a problem the project reports for a while, or None."""
        rng = track.rng
        if rng.random() >= 0.12:
            return None
        first = 1 + rng.randrange(8)
        started = track.first is not None and track.first <= first
        text = rng.choice(PROBLEMS["construction" if started else "preparation"])
        return first, first + 1 + rng.randrange(3), text


def fit_pace(tracks, pace: float) -> float:
    """The factor that brings the tracks' 1–6月 investment to `pace` of their plans, with `finish` applied.

    Keeping cumulative figures below the totals trims a few projects, so the factor is refined
    on the finished amounts a few times.
    """
    plan = sum(float(t.row.plan) for t in tracks)
    raw = sum(t.raw_h1() for t in tracks)
    if not raw:
        return 1.0
    factor = pace * plan / raw
    for _round in range(4):
        for track in tracks:
            track.finish(factor)
        reached = float(sum((t.h1() for t in tracks), Decimal(0)))
        if not reached or abs(reached - pace * plan) <= pace * plan * 0.003:
            break
        factor *= pace * plan / reached
    return factor


class ReportValues:
    """The column values of one report, with the model's defaults: far cheaper than a model instance."""

    COLUMNS = [f for f in MonthlyReport._meta.concrete_fields if not f.primary_key]

    def __init__(self, **values):
        self.__dict__.update(values)

    def instance(self) -> MonthlyReport:
        return MonthlyReport(**{f.attname: getattr(self, f.attname) for f in self.COLUMNS})


# A column a report does not set reads the model's default.
for _column in ReportValues.COLUMNS:
    setattr(ReportValues, _column.attname, _column.get_default())


def insert_reports(reports: list[ReportValues]) -> None:
    """Write the reports with one parameterised INSERT, adapting values as Django's backends do."""
    columns = ReportValues.COLUMNS
    ops = connection.ops
    now = timezone.now()
    adapters = []
    for f in columns:
        kind = f.get_internal_type()
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            stamp = ops.adapt_datetimefield_value(now)
            adapters.append(lambda value, stamp=stamp: stamp)
        elif kind == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(ops.adapt_datefield_value)
        elif kind == "DecimalField":
            adapters.append(lambda value, f=f: ops.adapt_decimalfield_value(value, f.max_digits, f.decimal_places))
        else:
            adapters.append(None)
    pairs = [(f.attname, adapt) for f, adapt in zip(columns, adapters, strict=True)]
    rows = [tuple(getattr(r, name) if adapt is None else adapt(getattr(r, name)) for name, adapt in pairs)
            for r in reports]
    # Several rows a statement, the same statement throughout: the driver caches it, and PostgreSQL
    # runs the batch as a pipeline rather than a round trip a row.
    per_statement = min(ROWS_PER_INSERT, (connection.features.max_query_params or 65_535) // len(columns))
    head = (f"INSERT INTO {ops.quote_name(MonthlyReport._meta.db_table)} "
            f"({', '.join(ops.quote_name(f.column) for f in columns)}) ")
    placeholders = ["%s"] * len(columns)

    def statement(n):
        return head + ops.bulk_insert_sql(columns, [placeholders] * n)

    whole = len(rows) - len(rows) % per_statement
    groups = [[value for row in rows[i:i + per_statement] for value in row] for i in range(0, whole, per_statement)]
    with connection.cursor() as cursor:
        if groups:
            cursor.executemany(statement(per_statement), groups)
        if whole < len(rows):
            cursor.execute(statement(len(rows) - whole), [value for row in rows[whole:] for value in row])
