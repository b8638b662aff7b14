"""Node plans: validation, moving a planned date with its reason, refusals, scope, the pages, overdue nodes, demo."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from faims.core.models import ChangeLog
from faims.core.permissions import CHANGE, DELETE, VIEW
from faims.core.testing import VISIBLE_PROJECTS
from faims.projects import nodes
from faims.projects.choices import LibraryLevel, NodeChangeReason, NodeKind
from faims.projects.models import Library, Membership, NodePlan, NodePlanChange, Project

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
LIST = reverse("projects:nodeplan_list")
MONTHLY = reverse("projects:node_monthly")


def node(world, key="xinwu", kind=NodeKind.START, planned="2022-03-15", actual=None, user="admin"):
    plan = NodePlan(
        project=world.projects[key], kind=kind, planned_date=D(planned), actual_date=D(actual) if actual else None
    )
    return nodes.save_node_plan(plan, acting_user=world.users[user])


# The model ---------------------------------------------------------------------------------------


def test_there_is_one_kind_per_node_of_the_issue_in_its_order():
    labels = [str(label) for label in NodeKind.labels]
    assert labels[:3] == ["项目建议书", "可研批复", "初步设计及概算"]
    assert labels[8:] == ["施工许可", "签约", "备案/核准", "开工", "主体封顶", "竣工", "投产", "达产"]


def test_a_node_is_unique_per_project_and_kind(world):
    node(world)
    with pytest.raises(ValidationError) as exc:
        node(world, planned="2022-05-01")
    assert "该项目已有这一节点的计划" in str(exc.value)
    node(world, key="jiangyin")  # another project may plan the same node


def test_an_actual_date_in_the_future_is_refused(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        node(world, actual=tomorrow.isoformat())
    assert exc.value.message_dict["actual_date"] == ["实际日期不能晚于今天。"]


def test_a_node_after_the_start_cannot_be_reached_before_the_project_started(world):
    project = world.projects["xinwu"]
    project.actual_start_date = D("2022-04-01")
    project.save()
    with pytest.raises(ValidationError) as exc:
        node(world, kind=NodeKind.TOPPING_OUT, planned="2022-06-01", actual="2022-03-01")
    assert "主体封顶的实际日期不能早于项目实际开工日期（2022-04-01）" in exc.value.message_dict["actual_date"][0]
    assert node(world, kind=NodeKind.TOPPING_OUT, planned="2022-06-01", actual="2022-06-20").pk
    # Approvals come before the start, so they are not held to it.
    assert node(world, kind=NodeKind.EIA, planned="2022-01-01", actual="2021-12-20").pk


def test_a_planned_date_out_of_range_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        node(world, planned="1999-12-31")
    assert "planned_date" in exc.value.message_dict


# Moving a planned date ---------------------------------------------------------------------------


def test_moving_keeps_the_old_date_and_the_reason(world):
    plan = node(world)
    change = nodes.move_planned_date(
        plan, D("2022-05-20"), reason_code=NodeChangeReason.LAND, reason="拆迁未完成", acting_user=world.users["xinwu"]
    )
    plan.refresh_from_db()
    assert plan.planned_date == D("2022-05-20")
    assert (change.old_date, change.new_date, change.reason_code) == (D("2022-03-15"), D("2022-05-20"), "land")
    assert change.changed_by == world.users["xinwu"]
    log = ChangeLog.objects.filter(object_id=plan.pk, content_type__model="nodeplan").latest("pk")
    assert log.before["planned_date"] == "2022-03-15" and log.after["planned_date"] == "2022-05-20"
    assert log.reason == "征地拆迁：拆迁未完成"
    nodes.move_planned_date(
        plan, D("2022-07-01"), reason_code=NodeChangeReason.FUNDING, acting_user=world.users["unit"]
    )
    assert list(plan.changes.values_list("old_date", flat=True)) == [D("2022-03-15"), D("2022-05-20")]


def test_changing_the_planned_date_without_moving_it_is_refused(world):
    plan = node(world)
    plan.planned_date = D("2022-06-01")
    with pytest.raises(ValidationError) as exc:
        nodes.save_node_plan(plan, acting_user=world.users["admin"])
    assert "计划日期不能直接修改" in exc.value.message_dict["planned_date"][0]
    plan.refresh_from_db()
    assert plan.planned_date == D("2022-03-15")
    # Other fields are edited as usual.
    plan.note = "已完成施工图审查"
    plan.actual_date = D("2022-03-20")
    nodes.save_node_plan(plan, acting_user=world.users["unit"])


@pytest.mark.parametrize(
    "code, reason, new_date, field",
    [
        (NodeChangeReason.OTHER, "", "2022-05-01", "reason"),  # 其他 needs words
        (NodeChangeReason.LAND, "", "2022-03-15", "new_date"),  # not a move at all
        ("nonsense", "", "2022-05-01", "reason_code"),
        (NodeChangeReason.LAND, "", "1990-05-01", "new_date"),
    ],
)
def test_refused_moves_change_nothing(world, code, reason, new_date, field):
    plan = node(world)
    logs = ChangeLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        nodes.move_planned_date(plan, D(new_date), reason_code=code, reason=reason, acting_user=world.users["admin"])
    assert field in exc.value.message_dict
    plan.refresh_from_db()
    assert plan.planned_date == D("2022-03-15")
    assert not NodePlanChange.objects.exists() and ChangeLog.objects.count() == logs


def test_a_reached_node_is_not_moved(world):
    plan = node(world, actual="2022-03-10")
    with pytest.raises(ValidationError) as exc:
        nodes.move_planned_date(
            plan, D("2022-05-01"), reason_code=NodeChangeReason.POLICY, acting_user=world.users["admin"]
        )
    assert "已于 2022-03-10 完成" in exc.value.message_dict["new_date"][0]


# Scope -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(VISIBLE_PROJECTS))
def test_reads_follow_the_project_scope(world, role):
    for key in ("xinwu", "jiangyin"):
        node(world, key=key)
    seen = {plan.project.region.name for plan in NodePlan.objects.restrict(world.users[role], VIEW)}
    expected = {world.projects[key].region.name for key in VISIBLE_PROJECTS[role]}
    assert seen == expected
    changes_seen = NodePlanChange.objects.restrict(world.users[role], VIEW)
    assert changes_seen.count() == 0  # nothing moved yet, and no error on the longer path


@pytest.mark.parametrize(
    "role, may_write",
    [
        ("admin", True),
        ("xinwu", True),
        ("unit", True),
        ("jiangyin", False),
        ("supervisor", False),
        ("department", False),
        ("leader", False),
        ("commissioner", False),
    ],
)
def test_writes_by_the_city_the_region_officer_and_the_unit(world, role, may_write):
    plan = node(world)
    user = world.users[role]
    assert NodePlan.objects.restrict(user, CHANGE).filter(pk=plan.pk).exists() == may_write
    if may_write:
        nodes.move_planned_date(plan, D("2022-04-01"), reason_code=NodeChangeReason.FUNDING, acting_user=user)
        node(world, kind=NodeKind.EIA, planned="2022-01-10", user=role)
    else:
        with pytest.raises(PermissionDenied):
            nodes.move_planned_date(plan, D("2022-04-01"), reason_code=NodeChangeReason.FUNDING, acting_user=user)
        with pytest.raises(PermissionDenied):
            node(world, kind=NodeKind.EIA, planned="2022-01-10", user=role)
    # Deleting also deletes the moves: the city office only.
    assert NodePlan.objects.restrict(user, DELETE).exists() == (role == "admin")


def test_a_region_officer_cannot_add_a_node_to_another_regions_project(world):
    with pytest.raises(PermissionDenied):
        node(world, key="jiangyin", user="xinwu")
    assert not NodePlan.objects.exists()


# overdue_nodes -----------------------------------------------------------------------------------


def test_overdue_nodes_are_past_their_date_without_an_actual(world):
    late = node(world, kind=NodeKind.START, planned="2022-03-15")
    node(world, kind=NodeKind.EIA, planned="2022-01-15", actual="2022-02-01")  # reached, late
    node(world, kind=NodeKind.COMPLETION, planned="2023-06-30")  # not due yet
    due_today = node(world, key="jiangyin", kind=NodeKind.START, planned="2022-09-30")
    on = D("2022-09-30")
    assert list(nodes.overdue_nodes(Project.objects.all(), on)) == [late]
    assert list(nodes.overdue_nodes([world.projects["jiangyin"].pk], on)) == []
    assert list(nodes.overdue_nodes(Project.objects.all(), D("2022-10-01")).order_by("pk")) == [late, due_today]
    assert late.is_overdue(on) and not due_today.is_overdue(on)


# Pages -------------------------------------------------------------------------------------------


def test_the_list_filters_and_exports(client_for, world):
    node(world, kind=NodeKind.START, planned="2022-03-15")
    node(world, kind=NodeKind.EIA, planned="2022-01-15", actual="2022-02-01")
    node(world, key="jiangyin", kind=NodeKind.START, planned="2022-11-15")
    client = client_for("admin")

    def kinds(**query):
        response = client.get(LIST, query)
        assert response.status_code == 200
        return sorted(
            (row.record.project.region.name, row.record.kind) for row in response.context["table"].page.object_list
        )

    assert len(kinds()) == 3
    assert kinds(kind="start") == [("新吴区", "start"), ("江阴市", "start")]
    assert kinds(region=world.jiangyin.pk) == [("江阴市", "start")]
    assert kinds(planned_month="2022-01") == [("新吴区", "eia")]
    assert kinds(overdue="true", as_of="2022-09-30") == [("新吴区", "start")]
    assert len(kinds(overdue="false", as_of="2022-09-30")) == 2
    assert kinds(q="港口") == [("江阴市", "start")]
    assert len(kinds(library=world.library.pk)) == 3
    assert client.get(LIST, {"planned_month": "2022-13"}).context["table"].page.paginator.count == 0
    export = client.get(LIST, {"kind": "start", "export": "xlsx", "as_of": "2022-09-30"})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.values)
    assert len(rows) == 3 and "状态" in rows[0]
    assert {row[rows[0].index("状态")] for row in rows[1:]} == {"已逾期", "未到期"}
    # A region officer sees its own region's nodes only.
    assert client_for("jiangyin").get(LIST).context["table"].page.paginator.count == 1


def test_add_edit_and_move_pages(client_for, world):
    client = client_for("xinwu")
    project = world.projects["xinwu"]
    response = client.post(
        reverse("projects:nodeplan_add"),
        {
            "project": project.pk,
            "kind": "start",
            "planned_date": "2022-03-15",
            "note": "",
            "next": project.get_absolute_url(),
        },
    )
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    plan = NodePlan.objects.get()
    # The edit form cannot move the planned date (the field is disabled: a posted value is ignored).
    response = client.post(
        reverse("projects:nodeplan_edit", args=[plan.pk]),
        {"planned_date": "2022-08-01", "actual_date": "", "note": "桩基施工准备中"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.planned_date == D("2022-03-15") and plan.note == "桩基施工准备中"
    move = reverse("projects:nodeplan_move", args=[plan.pk])
    assert client.get(move).status_code == 200
    response = client.post(move, {"new_date": "2022-06-01", "reason_code": "other", "reason": ""})
    assert response.status_code == 200
    assert "调整原因为“其他”时须填写原因说明。" in response.content.decode()
    response = client.post(move, {"new_date": "2022-06-01", "reason_code": "other", "reason": "业主方调整建设时序"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.planned_date == D("2022-06-01")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "<del>2022-03-15</del>" in page and "业主方调整建设时序" in page
    # Out of scope: 404 for the move page, nothing changes.
    assert client_for("jiangyin").post(move, {"new_date": "2022-07-01", "reason_code": "land"}).status_code == 404
    assert client_for("leader").get(move).status_code == 404
    plan.refresh_from_db()
    assert plan.planned_date == D("2022-06-01")


def test_the_project_page_shows_the_timeline(client_for, world):
    project = world.projects["xinwu"]
    project.actual_start_date = D("2022-04-01")
    project.save()
    node(world, kind=NodeKind.EIA, planned="2021-12-01", actual="2021-12-10")
    start = node(world, kind=NodeKind.START, planned="2022-03-15", actual="2022-04-01")
    topping = node(world, kind=NodeKind.TOPPING_OUT, planned="2022-05-01")
    node(world, kind=NodeKind.COMPLETION, planned="2099-12-31")
    nodes.move_planned_date(
        topping, D("2022-06-15"), reason_code=NodeChangeReason.DESIGN_CHANGE, acting_user=world.users["admin"]
    )
    assert start.pk
    page = client_for("unit").get(project.get_absolute_url()).content.decode()
    assert 'data-testid="node-timeline"' in page
    order = [page.index(f'data-testid="node-{kind}"') for kind in ("eia", "start", "topping_out", "completion")]
    assert order == sorted(order)
    assert 'data-testid="node-topping_out" data-state="overdue"' in page
    assert 'data-testid="node-start" data-state="done"' in page
    assert 'data-testid="node-completion" data-state="upcoming"' in page
    assert "<del" in page and "2022-05-01</del>" in page
    assert 'data-testid="add-nodeplan"' in page
    # Read-only roles see the timeline without the add button.
    page = client_for("leader").get(project.get_absolute_url()).content.decode()
    assert 'data-testid="node-timeline"' in page and 'data-testid="add-nodeplan"' not in page


def test_the_monthly_grid(client_for, world):
    province = Library.objects.create(name="省重大项目", level=LibraryLevel.PROVINCIAL, year=2022)
    for key in ("xinwu", "jiangyin"):
        Membership.objects.create(project=world.projects[key], library=province)
    node(world, kind=NodeKind.EIA, planned="2022-01-15", actual="2022-02-01")
    node(world, kind=NodeKind.START, planned="2022-03-15")
    node(world, kind=NodeKind.COMPLETION, planned="2022-03-28")
    node(world, key="jiangyin", kind=NodeKind.START, planned="2022-11-15")
    node(world, key="jiangyin", kind=NodeKind.SIGN, planned="2021-11-15", actual="2021-11-01")  # another year
    client = client_for("admin")
    response = client.get(MONTHLY, {"year": 2022, "as_of": "2022-09-30"})
    assert response.status_code == 200 and response.context["library"] == province
    rows = {
        row.project.name: [[(n.kind, state) for n, state in cell] for cell in row.months]
        for row in response.context["rows"]
    }
    assert rows["新吴区集成电路项目"][0] == [("eia", "done")]
    assert rows["新吴区集成电路项目"][2] == [("start", "overdue"), ("completion", "overdue")]
    assert rows["江阴市港口项目"][10] == [("start", "upcoming")]
    assert sum(len(cell) for cell in rows["江阴市港口项目"]) == 1
    # Another library of the year, chosen by id; a region officer sees its own projects only.
    response = client_for("xinwu").get(MONTHLY, {"year": 2022, "library": world.library.pk})
    assert [row.project.name for row in response.context["rows"]] == ["新吴区集成电路项目"]
    client = client_for("admin")
    assert client.get(MONTHLY, {"library": "999999"}).status_code == 404
    export = client.get(MONTHLY, {"year": 2022, "as_of": "2022-09-30", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    values = list(sheet.values)
    assert values[1][3:] == tuple(f"{m}月" for m in range(1, 13))
    by_name = {row[1]: row for row in values[2:]}
    assert by_name["新吴区集成电路项目"][3] == "环评批复 01-15✓"
    assert by_name["新吴区集成电路项目"][5] == "开工 03-15!\n竣工 03-28!"
    assert by_name["江阴市港口项目"][13] == "开工 11-15"


def test_pages_of_a_node_outside_the_scope_answer_404(client_for, world):
    plan = node(world, key="jiangyin")
    client = client_for("xinwu")
    for name in ("nodeplan", "nodeplan_edit", "nodeplan_delete", "nodeplan_move"):
        assert client.get(reverse(f"projects:{name}", args=[plan.pk])).status_code == 404


# The demo ----------------------------------------------------------------------------------------


def test_the_demo_loader_is_consistent_and_deterministic(world):
    from faims.demo.nodes import load_nodes

    province = Library.objects.create(name="省重大项目", level=LibraryLevel.PROVINCIAL, year=2022)
    project = world.projects["xinwu"]
    project.planned_start_date, project.actual_start_date = D("2022-03-01"), D("2022-03-20")
    project.planned_completion_date = D("2024-06-30")
    project.planned_production_date = D("2024-09-30")
    project.save()
    other = world.projects["jiangyin"]
    other.planned_start_date, other.planned_completion_date = D("2022-06-01"), D("2025-06-30")
    other.save()
    for p in (project, other):
        Membership.objects.create(project=p, library=province)

    def snapshot():
        return sorted(NodePlan.objects.values_list("project__name", "kind", "planned_date", "actual_date")), sorted(
            NodePlanChange.objects.values_list("node__kind", "old_date", "new_date", "reason_code")
        )

    count = load_nodes(seed=7)
    assert count == NodePlan.objects.count() > 10
    first = snapshot()
    as_of = D("2022-09-30")
    for plan in NodePlan.objects.select_related("project"):
        plan.full_clean()
        assert plan.actual_date is None or plan.actual_date <= as_of
    start = NodePlan.objects.get(project=project, kind=NodeKind.START)
    assert (start.planned_date, start.actual_date) == (D("2022-03-01"), D("2022-03-20"))
    assert NodePlan.objects.get(project=project, kind=NodeKind.PRODUCTION).planned_date == D("2024-09-30")
    # The approvals of a started project were all obtained before it started.
    approvals = NodePlan.objects.filter(project=project, kind__in=[k.value for k in NodeKind][:9])
    assert approvals and all(a.actual_date and a.actual_date < D("2022-03-20") for a in approvals)
    # The unstarted project's start is overdue as of the demo date.
    assert nodes.overdue_nodes([other.pk], as_of).filter(kind=NodeKind.START).exists()
    for change in NodePlanChange.objects.select_related("node"):
        change.full_clean()
        assert change.old_date < change.new_date <= change.node.planned_date
    NodePlan.objects.all().delete()
    load_nodes(seed=7)
    assert snapshot() == first
