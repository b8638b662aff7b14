"""The daily reminder job: reports due within three days and overdue ones, in each filer's inbox.

Runs every morning from the django-q2 schedule (migration 0002_reminder_schedule) and by hand as
`faims send_reminders [--date YYYY-MM-DD]`. Each message carries a key (kind, period), so running the
job twice a day, or on two servers at once, never says the same thing twice; a new message is also
emailed when an SMTP server is configured.
"""
import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from faims.core import services as core_services
from faims.core.formatting import format_rate
from faims.core.models import Notification
from faims.core.permissions import VIEW
from faims.org.choices import Role
from faims.org.models import User
from faims.projects.models import Project

from . import deadlines
from .models import MonthlyReport, ReportingPeriod
from .services import get_period

logger = logging.getLogger(__name__)

DUE_WITHIN_DAYS = 3
# Filers told about their own projects; the city admin gets one summary per period instead.
FILER_ROLES = (Role.PROJECT_UNIT, Role.REGION_OFFICER)

KIND_DUE, KIND_OVERDUE, KIND_SUMMARY = "report_due", "report_overdue", "report_summary"


@dataclass
class ReminderSummary:
    today: dt.date
    due_periods: list[str] = field(default_factory=list)
    overdue_periods: list[str] = field(default_factory=list)
    due_messages: int = 0
    overdue_messages: int = 0
    summary_messages: int = 0
    emails_sent: int = 0
    email_failures: int = 0

    @property
    def messages(self) -> int:
        return self.due_messages + self.overdue_messages + self.summary_messages

    def __str__(self):
        return _(
            "%(today)s：即将截止的报送期 %(due)s，已逾期的报送期 %(overdue)s；新消息 %(messages)s 条"
            "（即将截止 %(due_count)s，逾期 %(overdue_count)s，汇总 %(summary_count)s），"
            "邮件发送 %(sent)s 封，失败 %(failed)s 封。"
        ) % {
            "today": self.today.isoformat(),
            "due": "、".join(self.due_periods) or _("无"),
            "overdue": "、".join(self.overdue_periods) or _("无"),
            "messages": self.messages, "due_count": self.due_messages, "overdue_count": self.overdue_messages,
            "summary_count": self.summary_messages, "sent": self.emails_sent, "failed": self.email_failures,
        }


def send_reminders(today: dt.date | None = None) -> ReminderSummary:
    """Tell every filer about its reports due within three days and its overdue ones; tell the city admin
    how each period that has passed its deadline stands. Safe to run any number of times."""
    today = today or timezone.localdate()
    summary = ReminderSummary(today=today)
    created = []
    # Messages are stored, and emailed, in the system's language whatever the caller has activated.
    with translation.override(settings.LANGUAGE_CODE):
        due, overdue = periods_to_remind(today)
        for period in due:
            summary.due_periods.append(str(period))
            new = _remind_filers(period, KIND_DUE, today)
            summary.due_messages += len(new)
            created += new
        for period in overdue:
            summary.overdue_periods.append(str(period))
            new = _remind_filers(period, KIND_OVERDUE, today)
            summary.overdue_messages += len(new)
            created += new
            new = _tell_city_admins(period, today)
            summary.summary_messages += len(new)
            created += new
        if settings.EMAIL_HOST:
            summary.emails_sent, summary.email_failures = _email(created)
    return summary


def periods_to_remind(today: dt.date) -> tuple[list[ReportingPeriod], list[ReportingPeriod]]:
    """The open periods whose deadline falls within three days, and those whose deadline has passed.

    Only months that have ended count (no report for a future period); a locked period takes no more
    reports, so it is not chased either.
    """
    last_year, last_month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    # The month just ended is the one whose deadline comes next: make sure its period (and deadline) exists.
    get_period(last_year, last_month)
    ended = Q(year__lt=last_year) | Q(year=last_year, month__lte=last_month)
    open_periods = ReportingPeriod.objects.filter(ended, locked_at__isnull=True).order_by("year", "month")
    due = open_periods.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=DUE_WITHIN_DAYS))
    overdue = open_periods.filter(deadline__lt=today)
    return list(due), list(overdue)


def _remind_filers(period, kind, today) -> list[Notification]:
    if not deadlines.missing(period, Project.objects.all()).exists():
        return []
    key = f"{kind.replace('_', '-')}:{period.label}"
    filers = User.objects.filter(is_active=True, role__in=FILER_ROLES).exclude(notifications__key=key)
    created = []
    for user in filers.order_by("pk"):
        projects = list(
            deadlines.missing(period, Project.objects.restrict(user, VIEW)).order_by("name", "pk")
            .only("pk", "name", "code")
        )
        if not projects:
            continue
        # A draft or returned report is finished on its own page rather than started again.
        drafts = dict(MonthlyReport.objects.filter(period=period, project__in=projects).values_list("project", "pk"))
        links = [_report_url(p, period, drafts.get(p.pk)) for p in projects]
        title = _title(kind, period, len(projects), today)
        body = "\n".join(f"· {_project_label(p)} {link}" for p, link in zip(projects, links, strict=True))
        url = links[0] if len(projects) == 1 else _due_list_url(period)
        notification, was_created = core_services.notify(user, kind=kind, key=key, title=title, body=body, url=url)
        if was_created:
            created.append(notification)
    return created


def _title(kind, period, count, today) -> str:
    values = {"period": str(period), "count": count, "deadline": _day(period.deadline)}
    if kind == KIND_OVERDUE:
        return _("%(period)s月报已逾期：%(count)s个项目尚未报送（截止日期%(deadline)s）") % values
    days = (period.deadline - today).days
    if days == 0:
        return _("%(period)s月报今天（%(deadline)s）截止：%(count)s个项目尚未报送") % values
    return _("%(period)s月报将于%(deadline)s截止（还有%(days)s天）：%(count)s个项目尚未报送") % {**values, "days": days}


def _tell_city_admins(period, today) -> list[Notification]:
    key = f"report-summary:{period.label}"
    admins = User.objects.filter(is_active=True, role=Role.CITY_ADMIN).exclude(notifications__key=key)
    created = []
    text = None
    for admin in admins.order_by("pk"):
        if text is None:
            text = _summary_text(period, Project.objects.restrict(admin, VIEW), today)
            if text is None:  # nothing was due in this period
                return []
        title, body = text
        notification, was_created = core_services.notify(
            admin, kind=KIND_SUMMARY, key=key, title=title, body=body, url=_period_url(period)
        )
        if was_created:
            created.append(notification)
    return created


def _summary_text(period, projects, today) -> tuple[str, str] | None:
    # As of the morning of `today`, so that `--date` gives the figures of that day.
    now = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    rows = deadlines.on_time_rate(period, projects, by="region", now=now)
    due = sum(row["due"] for row in rows)
    if not due:
        return None
    totals = {key: sum(row[key] for row in rows) for key in ("on_time", "late", "missing")}
    title = _(
        "%(period)s月报截止（%(deadline)s）情况：应报%(due)s个项目，按时%(on_time)s个，逾期%(late)s个，其中未报%(missing)s个"
    ) % {"period": str(period), "deadline": _day(period.deadline), "due": due, **totals}
    lines = [
        _("%(name)s：应报%(due)s，按时%(on_time)s，逾期%(late)s，未报%(missing)s，按时报送率%(rate)s") % {
            "name": row["name"], "due": row["due"], "on_time": row["on_time"], "late": row["late"],
            "missing": row["missing"], "rate": format_rate(row["rate"]),
        }
        for row in rows if row["due"]
    ]
    return title, "\n".join(f"· {line}" for line in lines)


def _day(date: dt.date) -> str:
    return _("%(month)s月%(day)s日") % {"month": date.month, "day": date.day}


def _project_label(project) -> str:
    return f"{project.name}（{project.code}）" if project.code else project.name


def _report_url(project, period, report_pk=None) -> str:
    try:
        if report_pk is not None:
            return reverse("reporting:monthlyreport", args=[report_pk])
        return f"{reverse('reporting:monthlyreport_add')}?{urlencode({'project': project.pk, 'period': period.label})}"
    except NoReverseMatch:  # the report pages are not installed: the project page still helps
        return project.get_absolute_url()


def _due_list_url(period) -> str:
    try:
        return f"{reverse('reporting:my_due')}?{urlencode({'period': period.label})}"
    except NoReverseMatch:
        return _period_url(period)


def _period_url(period) -> str:
    try:
        return period.get_absolute_url()
    except NoReverseMatch:
        return reverse("core:inbox")


# A body line ends with the path of its page; an email needs the whole address.
_TRAILING_PATH = re.compile(r"(?m)(?<=\s)(/\S*)$")


def _email_text(notification) -> str:
    site = settings.FAIMS_SITE_URL.rstrip("/")
    body = _TRAILING_PATH.sub(lambda m: site + m.group(1), notification.body)
    inbox = site + reverse("core:inbox_message", args=[notification.pk])
    return f"{body}\n\n{_('在系统中查看：')}{inbox}\n"


def _email(notifications) -> tuple[int, int]:
    """One email per new message to users who have an address; a failure is logged and skipped."""
    sent = failed = 0
    for notification in notifications:
        address = notification.user.email
        if not address:
            continue
        try:
            send_mail(notification.title, _email_text(notification), None, [address], fail_silently=False)
        except Exception:  # one bad address or a flaky server must not stop the other messages
            logger.exception("reminder email %s to %s failed", notification.key, address)
            failed += 1
        else:
            core_services.mark_emailed(notification)
            sent += 1
    return sent, failed
