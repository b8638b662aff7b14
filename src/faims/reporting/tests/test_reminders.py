"""The daily reminder job, its schedule and command, and the inbox pages where its messages land."""
import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_q.models import Schedule

from faims.core import services as core_services
from faims.core.models import ChangeLog, Notification
from faims.core.testing import make_project
from faims.projects.choices import StartKind
from faims.projects.models import AnnualPlan
from faims.reporting import reminders
from faims.reporting.choices import ReportStatus
from faims.reporting.models import ReportingPeriod
from faims.reporting.reminders import send_reminders
from faims.reporting.testing import make_period, make_report

pytestmark = pytest.mark.django_db
CITY = zoneinfo.ZoneInfo("Asia/Shanghai")
# June 2022 reports are due by 20 July 2022.
JUNE_DEADLINE = dt.date(2022, 7, 20)


def morning(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(7, 30), tzinfo=CITY), tick=False)


def inbox(world, key):
    return list(Notification.objects.filter(user=world.users[key]).order_by("id"))


def test_reports_due_within_three_days(world, client_for):
    with morning(JUNE_DEADLINE - dt.timedelta(days=4)):
        send_reminders()
    assert not Notification.objects.exists()

    with morning(JUNE_DEADLINE - dt.timedelta(days=3)):
        summary = send_reminders()
    assert summary.due_periods == ["2022年6月"] and summary.overdue_periods == []
    june = ReportingPeriod.objects.get(year=2022, month=6)
    [message] = inbox(world, "unit")
    assert message.kind == "report_due" and message.key == "report-due:2022-06"
    assert message.title == "2022年6月月报将于7月20日截止（还有3天）：1个项目尚未报送"
    project = world.projects["xinwu"]
    link = reminders._report_url(project, june)
    assert message.body == f"· 新吴区集成电路项目（2022-320214-39-01-000001） {link}"
    assert message.url == link
    assert link == reverse("reporting:monthlyreport_add") + f"?project={project.pk}&period=2022-06"
    assert client_for("unit").get(link).status_code == 200
    assert [m.kind for m in inbox(world, "xinwu")] == ["report_due"]
    assert [m.kind for m in inbox(world, "jiangyin")] == ["report_due"]
    # The city admin hears once the deadline has passed; roles that do not file hear nothing.
    for key in ("admin", "supervisor", "department", "leader", "commissioner"):
        assert inbox(world, key) == []


def test_a_unit_is_told_only_about_its_own_projects(world, client_for):
    second = make_project(world.xinwu, name="新吴区第二个项目", unit=world.unit)
    AnnualPlan.objects.create(project=second, year=2022, planned_investment=Decimal("800"),
                              start_kind=StartKind.CONTINUING)
    with morning(JUNE_DEADLINE):
        send_reminders()
    [message] = inbox(world, "unit")
    assert message.body.count("\n") == 1 and "新吴区第二个项目" in message.body
    assert "新吴区集成电路项目" in message.body and "江阴市港口项目" not in message.body
    assert message.url == reverse("reporting:my_due") + "?period=2022-06"
    assert client_for("unit").get(message.url).status_code == 200
    assert "江阴市港口项目" in inbox(world, "jiangyin")[0].body
    assert "新吴区集成电路项目" not in inbox(world, "jiangyin")[0].body
    assert inbox(world, "unit")[0].title.startswith("2022年6月月报今天（7月20日）截止")


def test_filed_reports_are_not_chased_but_drafts_are(world):
    make_report(world.projects["xinwu"], status=ReportStatus.SUBMITTED)
    draft = make_report(world.projects["jiangyin"], status=ReportStatus.DRAFT)
    with morning(JUNE_DEADLINE - dt.timedelta(days=1)):
        send_reminders()
    assert inbox(world, "unit") == [] and inbox(world, "xinwu") == []
    [message] = inbox(world, "jiangyin")
    # The draft is finished on its own page, not started again.
    assert message.body.endswith(f"江阴市港口项目（2022-320281-55-01-000002） {draft.get_absolute_url()}")
    assert message.url == draft.get_absolute_url()


def test_overdue_reports_and_the_city_admins_summary(world):
    with time_machine.travel(dt.datetime(2022, 7, 20, 16, 0, tzinfo=CITY), tick=False):
        make_report(world.projects["xinwu"], status=ReportStatus.SUBMITTED)
    with morning(JUNE_DEADLINE + dt.timedelta(days=1)):
        summary = send_reminders()
    assert summary.overdue_periods == ["2022年6月"] and summary.due_periods == []
    assert summary.overdue_messages == 1 and summary.summary_messages == 1
    assert inbox(world, "unit") == [] and inbox(world, "xinwu") == []
    [overdue] = inbox(world, "jiangyin")
    assert overdue.kind == "report_overdue"
    assert overdue.title == "2022年6月月报已逾期：1个项目尚未报送（截止日期7月20日）"
    [report] = inbox(world, "admin")
    assert report.kind == "report_summary" and report.key == "report-summary:2022-06"
    assert report.title == "2022年6月月报截止（7月20日）情况：应报2个项目，按时1个，逾期1个，其中未报1个"
    assert "· 新吴区：应报1，按时1，逾期0，未报0，按时报送率100.0%" in report.body
    assert "· 江阴市：应报1，按时0，逾期1，未报1，按时报送率0.0%" in report.body


def test_running_twice_or_on_two_servers_sends_nothing_twice(world):
    with morning(JUNE_DEADLINE - dt.timedelta(days=2)):
        first = send_reminders()
        second = send_reminders()
    assert first.messages == 3 and second.messages == 0
    with morning(JUNE_DEADLINE - dt.timedelta(days=1)):
        assert send_reminders().messages == 0
    with morning(JUNE_DEADLINE + dt.timedelta(days=1)):
        assert send_reminders().messages == 4  # three overdue notices and the admin's summary
    with morning(JUNE_DEADLINE + dt.timedelta(days=9)):
        assert send_reminders().messages == 0
    assert Notification.objects.count() == 7
    # A second server inserting the same message at the same moment gets the first one back.
    message = inbox(world, "unit")[0]
    again, created = core_services.notify(world.users["unit"], kind="report_due", key=message.key, title="x")
    assert (again.pk, created) == (message.pk, False)


def test_locked_and_future_periods_and_years_without_plans_are_not_chased(world):
    make_period(2022, 5, locked_at=dt.datetime(2022, 6, 25, tzinfo=CITY))
    make_period(2022, 7)
    with morning(dt.date(2022, 7, 1)):
        summary = send_reminders()
    assert summary.overdue_periods == [] and summary.due_periods == []
    # January 2023: no project has a 2023 annual plan, so nothing is due; June and July 2022 are overdue.
    with morning(dt.date(2023, 2, 18)):
        summary = send_reminders()
    assert summary.due_periods == ["2023年1月"] and summary.due_messages == 0
    assert summary.overdue_periods == ["2022年6月", "2022年7月"]


def test_a_moved_deadline_moves_the_reminder(world):
    make_period(2022, 6, deadline=dt.date(2022, 7, 25), deadline_reason="端午调休")
    with morning(JUNE_DEADLINE - dt.timedelta(days=1)):
        assert send_reminders().messages == 0
    with morning(dt.date(2022, 7, 22)):
        assert send_reminders().due_messages == 3


def test_inactive_users_are_not_told(world):
    world.users["unit"].is_active = False
    world.users["unit"].save()
    with morning(JUNE_DEADLINE):
        send_reminders()
    assert inbox(world, "unit") == []


def test_no_email_without_an_smtp_server(world, settings):
    settings.EMAIL_HOST = ""
    world.users["unit"].email = "unit@example.org"
    world.users["unit"].save()
    with morning(JUNE_DEADLINE):
        summary = send_reminders()
    assert summary.emails_sent == 0 and mail.outbox == []
    assert inbox(world, "unit")[0].emailed_at is None


def test_one_email_per_new_message_when_an_smtp_server_is_configured(world, settings):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.FAIMS_SITE_URL = "https://faims.example.org/"
    for key in ("unit", "admin"):
        world.users[key].email = f"{key}@example.org"
        world.users[key].save()
    with morning(JUNE_DEADLINE):
        summary = send_reminders()
        assert send_reminders().emails_sent == 0
    assert summary.emails_sent == 1  # the region officers have no address; the admin hears after the deadline
    [email] = mail.outbox
    message = inbox(world, "unit")[0]
    assert email.to == ["unit@example.org"] and email.subject == message.title
    assert "https://faims.example.org/" in email.body and "新吴区集成电路项目" in email.body
    assert f"https://faims.example.org/inbox/{message.pk}/" in email.body
    assert message.emailed_at is not None
    assert inbox(world, "xinwu")[0].emailed_at is None


def test_a_failing_email_is_logged_and_the_others_still_go(world, settings, monkeypatch, caplog):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for key in ("unit", "xinwu", "jiangyin"):
        world.users[key].email = f"{key}@example.org"
        world.users[key].save()
    real_send = reminders.send_mail

    def flaky_send(subject, message, from_email, recipients, **kwargs):
        if recipients == ["xinwu@example.org"]:
            raise OSError("connection refused")
        return real_send(subject, message, from_email, recipients, **kwargs)

    monkeypatch.setattr(reminders, "send_mail", flaky_send)
    with morning(JUNE_DEADLINE):
        summary = send_reminders()
    assert (summary.emails_sent, summary.email_failures) == (2, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["jiangyin@example.org", "unit@example.org"]
    assert inbox(world, "xinwu")[0].emailed_at is None
    assert "xinwu@example.org" in caplog.text


def test_the_command_runs_for_a_given_day_and_prints_the_summary(world):
    out = io.StringIO()
    call_command("send_reminders", "--date", "2022-07-21", stdout=out)
    assert "2022-07-21" in out.getvalue() and "2022年6月" in out.getvalue()
    assert "新消息 4 条" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "21.7.2022", stdout=io.StringIO())


def test_the_daily_schedule_exists_once():
    schedule = Schedule.objects.get(name="reporting.send_reminders")
    assert schedule.func == "faims.reporting.reminders.send_reminders"
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1
    assert schedule.next_run.astimezone(CITY).time() == dt.time(7, 30)


# The inbox pages


def _message(user, n=1, **fields):
    notification, _created = core_services.notify(
        user, kind="test", key=f"test:{n}", title=fields.get("title", f"消息{n}"),
        body=fields.get("body", ""), url=fields.get("url", ""),
    )
    return notification


def test_the_inbox_lists_the_users_own_messages_newest_first(client_for, world):
    with time_machine.travel(dt.datetime(2022, 7, 1, 8, tzinfo=CITY), tick=False):
        _message(world.users["unit"], 1, title="较早的消息")
    with time_machine.travel(dt.datetime(2022, 7, 2, 8, tzinfo=CITY), tick=False):
        _message(world.users["unit"], 2, title="较新的消息", body="· 新吴区集成电路项目 /projects/1/\n请尽快报送。")
    _message(world.users["jiangyin"], 3, title="别人的消息")
    body = client_for("unit").get(reverse("core:inbox")).content.decode()
    assert body.index("较新的消息") < body.index("较早的消息")
    assert "别人的消息" not in body
    assert '<a href="/projects/1/">· 新吴区集成电路项目</a>' in body
    assert "请尽快报送。" in body
    assert 'data-testid="inbox-badge">2<' in body


def test_a_long_message_shows_its_first_lines_in_the_list_and_all_on_its_page(client_for, world):
    long = _message(world.users["unit"], body="\n".join(f"· 项目{n} /projects/{n}/" for n in range(1, 9)))
    client = client_for("unit")
    listed = client.get(reverse("core:inbox")).content.decode()
    assert "项目5</a>" in listed and "项目6</a>" not in listed and "…另有 3 项，查看全部" in listed
    assert "项目8</a>" in client.get(reverse("core:inbox_message", args=[long.pk])).content.decode()


def test_mark_one_and_all_read(client_for, world):
    user = world.users["unit"]
    first, second, third = (_message(user, n) for n in (1, 2, 3))
    client = client_for("unit")
    changes = ChangeLog.objects.count()
    response = client.post(reverse("core:inbox_read", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("core:inbox")
    first.refresh_from_db()
    assert first.read_at is not None
    body = client.get(reverse("core:inbox")).content.decode()
    assert 'data-testid="inbox-badge">2<' in body
    assert f'text-body text-decoration-none" href="/inbox/{first.pk}/">消息1</a>' in body
    assert f'fw-bold text-decoration-none" href="/inbox/{second.pk}/">消息2</a>' in body
    assert client.get(reverse("core:inbox"), {"unread": "1"}).content.decode().count('data-testid="inbox-item"') == 2

    client.post(reverse("core:inbox_read_all"))
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert 'data-testid="inbox-badge"' not in client.get(reverse("core:home")).content.decode()
    assert ChangeLog.objects.count() == changes  # messages are not domain objects


def test_other_users_messages_are_404(client_for, world):
    theirs = _message(world.users["jiangyin"], title="别人的消息")
    client = client_for("unit")
    assert client.get(reverse("core:inbox_message", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("core:inbox_read", args=[theirs.pk])).status_code == 404
    client.post(reverse("core:inbox_read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    admin = client_for("admin")
    assert admin.get(reverse("core:inbox_message", args=[theirs.pk])).status_code == 404


def test_a_message_page_and_reading_needs_a_post(client_for, world):
    mine = _message(world.users["unit"], title="我的消息", body="第一行\n· 项目 /projects/", url="/projects/")
    client = client_for("unit")
    body = client.get(reverse("core:inbox_message", args=[mine.pk])).content.decode()
    assert "我的消息" in body and "第一行" in body and '<a href="/projects/">· 项目</a>' in body
    assert client.get(reverse("core:inbox_read", args=[mine.pk])).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_mark_read_service_refuses_another_users_message(world):
    from django.core.exceptions import PermissionDenied

    theirs = _message(world.users["jiangyin"])
    with pytest.raises(PermissionDenied):
        core_services.mark_read(theirs, acting_user=world.users["unit"])


def test_the_badge_costs_one_query_and_only_signed_in_users_see_it(client, world, django_assert_num_queries):
    from faims.core.context_processors import navigation

    user = world.users["unit"]
    _message(user)
    context = navigation(type("Request", (), {"user": user})())
    with django_assert_num_queries(1):
        assert str(context["inbox_unread"]) == "1"
    assert "inbox-link" not in client.get(reverse("core:login")).content.decode()
