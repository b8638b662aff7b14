import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from faims.core.models import ChangeLog, Notification
from faims.org.choices import Role
from faims.org.models import User
from faims.problems import services
from faims.problems.choices import ActionKind, ProblemStatus, Rating, Source
from faims.problems.models import Problem, ProblemAction
from faims.reporting.models import MonthlyReport, ReportingPeriod

from .conftest import in_days, raise_one

pytestmark = pytest.mark.django_db


def kinds(problem):
    return list(problem.actions.order_by("at", "pk").values_list("kind", flat=True))


def messages(exc):
    return [m for ms in exc.value.message_dict.values() for m in ms]


def test_whole_flow_every_action_keeps_actor_and_time(world):
    unit, xinwu, department = world.users["unit"], world.users["xinwu"], world.users["department"]
    problem = raise_one(world, by="unit")
    assert problem.status == ProblemStatus.RAISED and problem.raised_by == unit and problem.deadline is None
    services.assign_problem(
        problem,
        acting_user=xinwu,
        lead_department=world.department,
        co_departments=[world.other_department],
        deadline=in_days(15),
        note="请尽快协调",
    )
    assert problem.status == ProblemStatus.ASSIGNED and problem.assigned_at is not None
    assert set(problem.co_departments.all()) == {world.other_department}
    services.answer_problem(problem, acting_user=department, note="已与区里对接，本周内下达指标。")
    first = problem.first_answered_at
    assert problem.status == ProblemStatus.ANSWERED and first is not None
    services.reject_problem(problem, acting_user=unit, reason="指标仍未下达。")
    assert problem.status == ProblemStatus.ASSIGNED
    services.answer_problem(problem, acting_user=department, note="指标已下达。")
    assert problem.first_answered_at == first
    services.confirm_problem(problem, acting_user=unit, rating=Rating.FAIRLY, note="已解决")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.rating == Rating.FAIRLY and problem.closed_at
    assert kinds(problem) == ["raise", "assign", "answer", "reject", "answer", "confirm"]
    actors = list(problem.actions.order_by("at", "pk").values_list("actor__username", flat=True))
    assert actors == ["unit", "xinwu", "department", "unit", "department", "unit"]
    assert all(a.at is not None for a in problem.actions.all())
    # Every write is in the change log, the actions under their problem.
    assert ChangeLog.objects.filter(object_id=problem.pk, content_type__model="problem").count() == 6
    assert ChangeLog.objects.filter(content_type__model="problemaction", related_id=problem.pk).count() == 6


def test_answer_after_closure_is_refused_naming_the_steps(world, problems):
    problem = problems["xinwu"]
    services.answer_problem(problem, acting_user=world.users["department"], note="已办结")
    services.confirm_problem(problem, acting_user=world.users["xinwu"], rating=Rating.SATISFIED)
    with pytest.raises(ValidationError) as exc:
        services.answer_problem(problem, acting_user=world.users["department"], note="补充")
    assert messages(exc) == ["当前状态不能执行“反馈”；当前状态为“已销号”，可执行的操作：无"]
    assert problem.actions.filter(kind=ActionKind.ANSWER).count() == 1


def test_deadline_in_the_past_and_missing_lead_are_refused(world):
    problem = raise_one(world)
    with pytest.raises(ValidationError) as exc:
        services.assign_problem(
            problem, acting_user=world.users["admin"], lead_department=world.department, deadline=in_days(-1)
        )
    assert "不能早于今天" in exc.value.message_dict["deadline"][0]
    assert exc.value.message_dict["deadline"][0].endswith("当前状态为“待交办”，可执行的操作：交办、上传附件")
    with pytest.raises(ValidationError) as exc:
        services.assign_problem(problem, acting_user=world.users["admin"], lead_department=None, deadline=in_days(3))
    assert exc.value.message_dict["lead_department"][0].startswith("请选择牵头部门；当前状态为“待交办”")
    with pytest.raises(ValidationError) as exc:
        services.assign_problem(
            problem,
            acting_user=world.users["admin"],
            lead_department=world.department,
            co_departments=[world.department],
            deadline=in_days(3),
        )
    assert "co_departments" in exc.value.message_dict
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RAISED and kinds(problem) == ["raise"]


@pytest.mark.parametrize(
    "step, call",
    [
        ("confirm", lambda p, u: services.confirm_problem(p, acting_user=u, rating=Rating.SATISFIED)),
        ("reject", lambda p, u: services.reject_problem(p, acting_user=u, reason="x")),
        ("answer", lambda p, u: services.answer_problem(p, acting_user=u, note="x")),
    ],
)
def test_steps_outside_the_flow_name_the_allowed_steps(world, problems, step, call):
    """An assigned problem cannot be confirmed or rejected; the department may answer it."""
    problem = problems["xinwu"]
    user = world.users["admin"] if step != "answer" else world.users["unit"]
    with pytest.raises(ValidationError) as exc:
        call(problem, user)
    text = messages(exc)[0]
    assert "当前状态为“已交办”，可执行的操作：" in text
    if step == "answer":
        # The unit may not answer; it may only attach files to its project's problem … not even that:
        # it did not raise this one.
        assert text.endswith("可执行的操作：无")
    else:
        assert text.endswith("重新交办、提醒、督办、上传附件")


def test_roles(world, problems):
    problem = problems["xinwu"]
    # Only the lead / co-department answers.
    with pytest.raises(ValidationError):
        services.answer_problem(problem, acting_user=world.users["xinwu"], note="x")
    other_officer = User.objects.create(username="jtj", role=Role.DEPARTMENT_OFFICER, department=world.other_department)
    with pytest.raises(PermissionDenied):  # not its problem: outside its scope altogether
        services.answer_problem(problem, acting_user=other_officer, note="x")
    # A co-department may answer once it is one.
    services.assign_problem(
        problem,
        acting_user=world.users["admin"],
        lead_department=world.department,
        co_departments=[world.other_department],
        deadline=in_days(5),
    )
    services.answer_problem(problem, acting_user=other_officer, note="配合部门已办理")
    # Another region's officer can neither see nor assign it; leader and supervisor only read.
    for key in ("jiangyin", "leader", "supervisor", "commissioner"):
        with pytest.raises(PermissionDenied):
            services.assign_problem(
                problem, acting_user=world.users[key], lead_department=world.department, deadline=in_days(5)
            )
    # Confirmation: the raiser (xinwu) or the admin, not the unit which did not raise it.
    with pytest.raises(ValidationError) as exc:
        services.confirm_problem(problem, acting_user=world.users["unit"], rating=Rating.SATISFIED)
    assert "您不能对该问题执行“确认销号”" in messages(exc)[0]
    with pytest.raises(ValidationError) as exc:
        services.confirm_problem(problem, acting_user=world.users["xinwu"], rating="")
    assert "rating" in exc.value.message_dict
    services.confirm_problem(problem, acting_user=world.users["admin"], rating=Rating.UNSATISFIED)


def test_who_may_raise(world):
    # The linked leader raises the problems found on its visits (on its own projects only).
    for key in ("admin", "xinwu", "unit", "leader"):
        raise_one(world, by=key)
    raise_one(world, by="commissioner", project="jiangyin")
    with pytest.raises(PermissionDenied):
        raise_one(world, by="leader", project="jiangyin")
    for key in ("department", "supervisor"):
        with pytest.raises(PermissionDenied):
            raise_one(world, by=key)
    for key in ("jiangyin", "unit", "commissioner"):
        with pytest.raises(PermissionDenied):
            raise_one(world, by=key, project="jiangyin" if key != "jiangyin" and key != "commissioner" else "xinwu")


def test_raise_from_a_report(world):
    period = ReportingPeriod.objects.create(year=2022, month=6, deadline=dt.date(2022, 7, 20))
    report = MonthlyReport.objects.create(project=world.projects["xinwu"], period=period, problems_text="缺电")
    problem = services.raise_problem(
        acting_user=world.users["unit"],
        project=world.projects["xinwu"],
        category="utilities",
        title="缺电",
        description="缺电",
        report=report,
        source=Source.DIRECT,
    )
    assert problem.source == Source.REPORT and problem.report == report
    with pytest.raises(ValidationError):
        services.raise_problem(
            acting_user=world.users["admin"],
            project=world.projects["jiangyin"],
            category="utilities",
            title="缺电",
            description="缺电",
            report=report,
        )


def test_remind_and_supervise_notify_the_departments(world, problems):
    problem = problems["xinwu"]
    officer = world.users["department"]
    services.remind_problem(problem, acting_user=world.users["xinwu"], note="请本周反馈")
    services.supervise_problem(problem, acting_user=world.users["admin"], note="市政府督办")
    services.remind_problem(problem, acting_user=world.users["xinwu"], note="再次提醒")
    assert kinds(problem)[-3:] == ["remind", "supervise", "remind"]
    inbox = Notification.objects.filter(user=officer, kind="problem")
    # The assignment, two reminders and the supervision notice.
    assert inbox.count() == 4
    assert inbox.filter(title__startswith="【督办】").exists()
    for key in ("unit", "department", "supervisor", "leader"):
        with pytest.raises((ValidationError, PermissionDenied)):
            services.remind_problem(problem, acting_user=world.users[key])
    with pytest.raises(ValidationError) as exc:  # no department to remind yet
        services.remind_problem(problems["raised"], acting_user=world.users["admin"])
    assert messages(exc)[0].endswith("可执行的操作：交办、上传附件")


def test_reassign_resets_answered(world, problems):
    problem = problems["xinwu"]
    services.answer_problem(problem, acting_user=world.users["department"], note="办理中")
    services.assign_problem(
        problem,
        acting_user=world.users["admin"],
        lead_department=world.other_department,
        deadline=in_days(20),
        note="改由交通局牵头",
    )
    assert problem.status == ProblemStatus.ASSIGNED and problem.lead_department == world.other_department
    action = problem.actions.get(kind=ActionKind.REASSIGN)
    assert action.data["previous"]["lead_department"] == world.department.pk


def test_allowed_actions_by_role(world, problems):
    problem = problems["xinwu"]
    assert services.allowed_actions(problem) == ["reassign", "answer", "remind", "supervise", "attach"]
    assert services.allowed_actions(problem, world.users["department"]) == ["answer", "attach"]
    assert services.allowed_actions(problem, world.users["xinwu"]) == ["reassign", "remind", "supervise", "attach"]
    assert services.allowed_actions(problem, world.users["leader"]) == []
    assert services.allowed_actions(problems["raised"], world.users["unit"]) == ["attach"]


def test_scope_department_sees_only_assigned(world, problems):
    officer = world.users["department"]
    assert set(Problem.objects.restrict(officer)) == {problems["xinwu"]}
    assert set(ProblemAction.objects.restrict(officer).values_list("problem", flat=True)) == {problems["xinwu"].pk}
    expected = {
        "admin": {"xinwu", "jiangyin", "raised"},
        "supervisor": {"xinwu", "jiangyin", "raised"},
        "xinwu": {"xinwu", "raised"},
        "jiangyin": {"jiangyin"},
        "unit": {"xinwu", "raised"},
        "leader": {"xinwu", "raised"},
        "commissioner": {"jiangyin"},
        "department": {"xinwu"},
    }
    for key, names in expected.items():
        assert set(Problem.objects.restrict(world.users[key])) == {problems[n] for n in names}, key
    # Read-only roles cannot change anything.
    for key in ("leader", "supervisor"):
        assert not Problem.objects.restrict(world.users[key], "change").exists()
