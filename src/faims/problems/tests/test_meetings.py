import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from faims.alerts.models import ProjectWarning
from faims.core.permissions import ADD, VIEW, can
from faims.problems import services
from faims.problems.choices import DecisionStatus, MeetingKind, Source
from faims.problems.models import EscalationLevel, Meeting, MeetingDecision, Problem

from .conftest import in_days

pytestmark = pytest.mark.django_db


def warn(project, level, year=2022, month=8, rule="W01"):
    return ProjectWarning.objects.create(
        project=project,
        rule=rule,
        level=level,
        year=year,
        month=month,
        message=f"{project.name}投资进度滞后",
        raised_at=timezone.now(),
    )


@pytest.fixture
def meeting(world):
    level = EscalationLevel.objects.order_by("order").first()
    return services.record_meeting(
        acting_user=world.users["admin"],
        kind=MeetingKind.DISPATCH,
        date=dt.date(2022, 9, 1),
        title="9月重大项目调度会",
        chair=world.leader,
        attendees="各区分管领导",
        level=level,
        minutes="会议研究了…",
    )


def test_agenda_holds_escalated_problems_and_latest_red_warnings(world, problems, meeting):
    Problem.objects.filter(pk=problems["jiangyin"].pk).update(escalation_level=meeting.level.order)
    warn(world.projects["xinwu"], "red", month=7)
    latest = warn(world.projects["jiangyin"], "red", month=8)
    warn(world.projects["xinwu"], "yellow", month=8, rule="W02")
    agenda = services.meeting_agenda(meeting, world.users["admin"])
    assert list(agenda["problems"]) == [problems["jiangyin"]]
    assert list(agenda["warnings"]) == [latest]
    # A region officer sees only its region's part of the agenda.
    agenda = services.meeting_agenda(meeting, world.users["xinwu"])
    assert not agenda["problems"] and not agenda["warnings"]


def test_decisions_are_owned_dated_and_completed(world, meeting):
    decision = services.add_decision(
        meeting,
        acting_user=world.users["admin"],
        text="市资规局10日内完成用地预审",
        owner_department=world.department,
        deadline=dt.date(2022, 9, 15),
    )
    with pytest.raises(ValidationError):
        services.add_decision(
            meeting,
            acting_user=world.users["admin"],
            text="x",
            owner_department=world.department,
            deadline=dt.date(2022, 8, 1),
        )
    with pytest.raises(PermissionDenied):
        services.add_decision(
            meeting,
            acting_user=world.users["xinwu"],
            text="x",
            owner_department=world.department,
            deadline=dt.date(2022, 9, 30),
        )
    other = services.add_decision(
        meeting,
        acting_user=world.users["admin"],
        text="交通局协调",
        deadline=in_days(5),
        owner_department=world.other_department,
    )
    officer = world.users["department"]
    assert set(MeetingDecision.objects.restrict(officer, VIEW)) == {decision}
    with pytest.raises(PermissionDenied):
        services.complete_decision(other, acting_user=officer)
    with pytest.raises(PermissionDenied):
        services.complete_decision(decision, acting_user=world.users["xinwu"])
    services.complete_decision(decision, acting_user=officer, note="已完成预审")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE and decision.done_at and decision.note == "已完成预审"
    with pytest.raises(ValidationError):
        services.complete_decision(decision, acting_user=world.users["admin"])
    assert decision.is_overdue() is False and other.is_overdue() is False


def test_problems_raised_at_a_meeting(world, meeting):
    problem = services.raise_problem(
        acting_user=world.users["admin"],
        project=world.projects["xinwu"],
        category="land",
        title="用地报批",
        description="会上提出。",
        meeting=meeting,
    )
    assert problem.source == Source.MEETING and problem.meeting == meeting


def test_scope_and_pages(world, problems, meeting, client_for):
    for role in ("admin", "supervisor", "xinwu", "department", "leader"):
        assert client_for(role).get(meeting.get_absolute_url()).status_code == 200
    for role in ("unit", "commissioner"):
        assert client_for(role).get(meeting.get_absolute_url()).status_code == 404
    assert [r for r in world.users if can(world.users[r], Meeting, ADD)] == ["admin"]
    client = client_for("admin")
    response = client.post(
        reverse("problems:meeting_add"),
        {"kind": "on_site", "date": "2022-09-20", "title": "现场办公会", "chair": world.leader.pk},
    )
    created = Meeting.objects.get(title="现场办公会")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    response = client.post(
        reverse("problems:meetingdecision_add", args=[created.pk]),
        {"text": "限期解决", "owner_department": world.department.pk, "deadline": "2022-10-10"},
    )
    assert response.status_code == 302
    decision = created.decisions.get()
    page = client_for("department").get(created.get_absolute_url()).content.decode()
    assert 'data-testid="complete-decision"' in page
    response = client_for("department").post(
        reverse("problems:meetingdecision_complete", args=[decision.pk]), {"note": "已办"}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE
    listing = client_for("admin").get(reverse("problems:meeting_list")).content.decode()
    assert "现场办公会" in listing
    assert client_for("xinwu").get(reverse("problems:meeting_add")).status_code == 403


def test_briefing_pack(world, problems, client_for):
    Problem.objects.filter(pk=problems["xinwu"].pk).update(deadline=in_days(-3))
    warn(world.projects["xinwu"], "red")
    services.record_visit(
        acting_user=world.users["leader"],
        date=dt.date(2022, 6, 1),
        projects=[world.projects["xinwu"]],
        findings="调研。",
    )
    pack = services.leader_briefing(world.leader, world.users["leader"], 2022, 8)
    assert [row["project"] for row in pack["rows"]] == [world.projects["xinwu"]]
    assert pack["overdue"] == [problems["xinwu"]]
    assert pack["agenda"][0].startswith("督办逾期问题：用地指标未落实") and pack["agenda"][1].startswith("研究红色预警")
    assert pack["last_visit"].date == dt.date(2022, 6, 1)
    url = reverse("problems:leader_briefing", args=[world.leader.pk])
    page = client_for("leader").get(url, {"year": 2022, "month": 8})
    assert page.status_code == 200
    text = page.content.decode()
    assert "@page" in text and "用地指标未落实" in text and "新吴区集成电路项目" in text
    assert client_for("admin").get(url).status_code == 200
    assert client_for("jiangyin").get(url).status_code == 404
    assert client_for("commissioner").get(url).status_code == 404
    other = world.projects["jiangyin"].leader
    assert client_for("leader").get(reverse("problems:leader_briefing", args=[other.pk])).status_code == 404
    assert client_for("admin").get(reverse("problems:leader_briefing", args=[world.commissioner.pk])).status_code == 404


def test_problem_raised_from_the_meeting_page(world, meeting, client_for):
    client = client_for("admin")
    assert 'data-testid="raise-from-meeting"' in client.get(meeting.get_absolute_url()).content.decode()
    response = client.post(
        reverse("problems:problem_add"),
        {
            "meeting": meeting.pk,
            "project": world.projects["xinwu"].pk,
            "category": "land",
            "title": "会上交办",
            "description": "会议要求限期解决。",
        },
    )
    problem = Problem.objects.get(title="会上交办")
    assert response.status_code == 302 and problem.meeting == meeting and problem.source == Source.MEETING
    assert client_for("commissioner").get(reverse("problems:problem_add"), {"meeting": meeting.pk}).status_code == 404
