import datetime as dt
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from faims.problems import services
from faims.problems.choices import ActionKind, Rating
from faims.problems.models import EscalationLevel, Problem

from .conftest import in_days

pytestmark = pytest.mark.django_db
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(6, 30), tzinfo=ZONE)


def level_of(problem) -> int:
    return Problem.objects.get(pk=problem.pk).escalation_level


def test_levels_are_seeded_data():
    assert list(EscalationLevel.objects.values_list("order", "name", "wait_days")) == [
        (1, "市重大项目“双专班”月度专题会议", 0),
        (2, "常务副市长双月调度会", 30),
        (3, "市长季度推进会", 60),
    ]
    schedule = Schedule.objects.get(name="problems.escalate")
    assert schedule.func == "faims.problems.services.run_escalation" and schedule.schedule_type == "D"


def test_escalation_level_by_level_and_idempotent(world, problems):
    problem = problems["xinwu"]
    deadline = problem.deadline
    assert services.escalate_due(at(deadline)) == 0  # on the deadline day it is not late yet
    assert services.escalate_due(at(deadline + dt.timedelta(days=1))) == 1
    assert level_of(problem) == 1
    assert services.escalate_due(at(deadline + dt.timedelta(days=1))) == 0  # the same day again
    assert services.escalate_due(at(deadline + dt.timedelta(days=31))) == 0  # 30 days at level 1 not yet over
    assert services.escalate_due(at(deadline + dt.timedelta(days=32))) == 1
    assert level_of(problem) == 2
    assert services.escalate_due(at(deadline + dt.timedelta(days=92))) == 0
    assert services.escalate_due(at(deadline + dt.timedelta(days=93))) == 1
    assert level_of(problem) == 3
    services.escalate_due(at(deadline + dt.timedelta(days=400)))
    assert level_of(problem) == 3  # the top
    actions = problem.actions.filter(kind=ActionKind.ESCALATE).order_by("at")
    assert [a.data["level"] for a in actions] == [1, 2, 3] and all(a.actor is None for a in actions)
    assert [p.pk for p in services.problems_for_agenda(3)] == [problem.pk]
    assert [p.pk for p in services.problems_for_agenda(1)] == [problems["jiangyin"].pk]  # late by day 400


def test_a_missed_run_never_skips_a_level(world, problems):
    problem = problems["jiangyin"]
    late = problem.deadline + dt.timedelta(days=300)
    services.escalate_due(at(late))
    assert level_of(problem) == 1
    services.escalate_due(at(late + dt.timedelta(days=1)))
    assert level_of(problem) == 1


def test_closed_and_unassigned_problems_stay(world, problems):
    services.answer_problem(problems["xinwu"], acting_user=world.users["department"], note="已解决")
    services.confirm_problem(problems["xinwu"], acting_user=world.users["xinwu"], rating=Rating.SATISFIED)
    assert services.escalate_due(at(in_days(201))) == 1  # only jiangyin's; the raised one has no deadline
    assert level_of(problems["xinwu"]) == 0 and level_of(problems["raised"]) == 0


def test_waiting_days_are_data(world, problems):
    EscalationLevel.objects.filter(order=1).update(wait_days=5)
    deadline = problems["xinwu"].deadline
    assert services.escalate_due(at(deadline + dt.timedelta(days=5))) == 0
    assert services.escalate_due(at(deadline + dt.timedelta(days=6))) == 1


def test_command(world, problems):
    out = io.StringIO()
    call_command("escalate_problems", date=(problems["xinwu"].deadline + dt.timedelta(days=1)).isoformat(), stdout=out)
    assert out.getvalue().strip() == "已升级 1 个问题。"
    out = io.StringIO()
    call_command("escalate_problems", date=(problems["xinwu"].deadline + dt.timedelta(days=1)).isoformat(), stdout=out)
    assert "已升级 0 个问题" in out.getvalue()
    assert "已升级" in services.run_escalation()
    assert timezone.localdate() < problems["xinwu"].deadline  # the real clock has nothing due
