import io
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from faims.core.audit import history_for
from faims.core.choices import ChangeAction
from faims.core.models import ChangeLog
from faims.core.permissions import CHANGE, VIEW
from faims.demo import tasks as demo_tasks
from faims.targets import services
from faims.targets.choices import TaskUnit
from faims.targets.models import PROGRESS, QuantitativeTask, TaskProgress
from faims.targets.progress import task_status

pytestmark = pytest.mark.django_db


def make_task(owner, *, name="棚户区改造", quantity="1200", unit=TaskUnit.SET, year=2022, progress=()):
    task = QuantitativeTask.objects.create(year=year, name=name, quantity=Decimal(quantity), unit=unit,
                                           owner=owner, clause="（十一）")
    for month, value in progress:
        TaskProgress.objects.create(task=task, month=month, cumulative=Decimal(value))
    return task


@pytest.fixture
def ledger(world):
    """A task of the department officer's department with three months reported, and one of another."""
    return {
        "own": make_task(world.department, progress=[(1, 100), (2, 250), (3, 280)]),
        "other": make_task(world.other_department, name="新建、新增停车泊位", quantity="15000", unit=TaskUnit.PIECE),
        "old": make_task(world.other_department, name="美丽示范河湖建设", quantity="816", unit=TaskUnit.STRIP,
                         year=2021),
    }


# -- the on-track computation, by hand: 1200套, 100 / 250 / 280 by the end of January / February / March

def test_status_at_the_latest_month_reported():
    status = task_status(1200, [(1, 100), (2, 250), (3, 280)])
    assert status.month == 3 and status.actual == Decimal("280")
    assert status.completion == Decimal("0.2333")        # 280 / 1200
    assert status.time_progress == Decimal("0.2500")     # 3 / 12
    assert status.gap == Decimal("-0.0167")
    assert status.remaining == Decimal("920")
    assert status.on_track is False


def test_status_at_a_given_month():
    february = task_status(1200, [(3, 280), (1, 100), (2, 250)], month=2)
    assert (february.actual, february.completion, february.time_progress) == (250, Decimal("0.2083"),
                                                                              Decimal("0.1667"))
    assert february.gap == Decimal("0.0416") and february.on_track is True
    # June with nothing reported since March: still 280, against half the year.
    june = task_status(1200, [(1, 100), (2, 250), (3, 280)], month=6)
    assert (june.actual, june.time_progress, june.on_track) == (280, Decimal("0.5000"), False)


def test_status_without_progress():
    assert task_status(1200, []).on_track is None
    assert task_status(1200, []).remaining == 1200
    january = task_status(1200, [(2, 250)], month=1)
    assert (january.actual, january.completion, january.on_track) == (0, 0, False)


def test_status_beyond_the_quantity():
    status = task_status(20, [(9, 25)])
    assert status.completion == Decimal("1.2500") and status.remaining == 0 and status.on_track is True


# -- writing tasks through the services

def test_task_crud_is_logged(world):
    admin = world.users["admin"]
    task = QuantitativeTask(year=2022, name="背街小巷品质改造", quantity=Decimal("36"), unit=TaskUnit.STRIP,
                            owner=world.other_department, clause="（十一）")
    services.save_task(task, acting_user=admin, reason="按政策录入")
    task.quantity = Decimal("40")
    services.save_task(task, acting_user=admin, reason="调整")
    pk = task.pk
    services.delete_task(task, acting_user=admin)
    logs = ChangeLog.objects.filter(object_id=pk, content_type__model="quantitativetask").order_by("id")
    assert [log.action for log in logs] == [ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.DELETE]
    assert logs[0].reason == "按政策录入" and logs[1].after["quantity"] == "40.00"
    assert not QuantitativeTask.objects.filter(pk=pk).exists()


def test_task_rules(world, ledger):
    admin = world.users["admin"]
    with pytest.raises(ValidationError) as error:
        services.save_task(QuantitativeTask(year=2022, name="x", quantity=Decimal("0"), unit=TaskUnit.SET,
                                            owner=world.department), acting_user=admin)
    assert "quantity" in error.value.error_dict
    duplicate = QuantitativeTask(year=2022, name="棚户区改造", quantity=Decimal("5"), unit=TaskUnit.SET,
                                 owner=world.department)
    with pytest.raises(ValidationError):
        services.save_task(duplicate, acting_user=admin)
    assert QuantitativeTask.objects.count() == 3


def test_only_the_admin_writes_tasks(world, ledger):
    task = ledger["own"]
    task.quantity = Decimal("1")
    with pytest.raises(PermissionDenied):
        services.save_task(task, acting_user=world.users["department"])
    task.refresh_from_db()
    assert task.quantity == 1200


# -- progress

def test_progress_is_recorded_and_corrected_with_the_change_log(world, ledger):
    task = ledger["own"]
    services.record_progress(task, month=4, cumulative=Decimal("400"), acting_user=world.users["department"])
    services.record_progress(task, month=4, cumulative=Decimal("420"), acting_user=world.users["department"],
                             reason="区里更正")
    assert task.progress.get(month=4).cumulative == 420 and task.progress.count() == 4
    actions = [log.action for log in history_for(task).order_by("id")]
    assert actions == [ChangeAction.CREATE, ChangeAction.UPDATE]


def test_a_cumulative_below_the_previous_month_needs_a_note(world, ledger):
    task, admin = ledger["own"], world.users["admin"]
    with pytest.raises(ValidationError) as error:
        services.record_progress(task, month=4, cumulative=Decimal("270"), acting_user=admin)
    message = error.value.message_dict["note"][0]
    assert "4月累计完成 270 低于3月的 280" in message and "说明" in message
    assert not task.progress.filter(month=4).exists()
    services.record_progress(task, month=4, cumulative=Decimal("270"), note="核减重复统计10套", acting_user=admin)
    assert task.progress.get(month=4).note == "核减重复统计10套"


@pytest.mark.parametrize(("month", "cumulative", "field"), [(13, "1", "month"), (0, "1", "month"),
                                                            (5, "-1", "cumulative")])
def test_progress_values_are_checked(world, ledger, month, cumulative, field):
    with pytest.raises(ValidationError) as error:
        services.record_progress(ledger["own"], month=month, cumulative=Decimal(cumulative),
                                 acting_user=world.users["admin"])
    assert field in error.value.message_dict


# -- scope

def test_scope_of_tasks_and_progress(world, ledger):
    officer = world.users["department"]
    assert QuantitativeTask.objects.restrict(officer, VIEW).count() == 3
    assert list(QuantitativeTask.objects.restrict(officer, PROGRESS)) == [ledger["own"]]
    assert not QuantitativeTask.objects.restrict(officer, CHANGE).exists()
    assert QuantitativeTask.objects.restrict(world.users["admin"], PROGRESS).count() == 3
    for role in ("xinwu", "unit", "leader", "supervisor"):
        assert QuantitativeTask.objects.restrict(world.users[role], VIEW).count() == 3
        assert not QuantitativeTask.objects.restrict(world.users[role], PROGRESS).exists()
    assert TaskProgress.objects.restrict(officer, CHANGE).count() == 3
    assert not TaskProgress.objects.restrict(world.users["xinwu"], CHANGE).exists()


def test_an_officer_records_only_its_departments_progress(world, ledger):
    with pytest.raises(PermissionDenied):
        services.record_progress(ledger["other"], month=1, cumulative=Decimal("10"),
                                 acting_user=world.users["department"])
    with pytest.raises(PermissionDenied):
        services.record_progress(ledger["own"], month=4, cumulative=Decimal("300"), acting_user=world.users["xinwu"])
    assert TaskProgress.objects.count() == 3


def test_progress_pages_by_scope(client_for, world, ledger):
    own, other = ledger["own"], ledger["other"]
    client = client_for("department")
    assert client.get(reverse("targets:taskprogress_add", args=[own.pk])).status_code == 200
    assert client.get(reverse("targets:taskprogress_add", args=[other.pk])).status_code == 404
    assert client.post(reverse("targets:taskprogress_add", args=[other.pk]),
                       {"month": 1, "cumulative": "10"}).status_code == 404
    assert client.get(reverse("targets:quantitativetask_edit", args=[own.pk])).status_code == 404
    assert client.get(reverse("targets:quantitativetask_add")).status_code == 403
    detail = client.get(reverse("targets:quantitativetask", args=[own.pk])).content.decode()
    assert 'data-testid="record-progress"' in detail
    detail = client.get(reverse("targets:quantitativetask", args=[other.pk])).content.decode()
    assert 'data-testid="record-progress"' not in detail
    client = client_for("xinwu")
    assert client.get(reverse("targets:quantitativetask", args=[own.pk])).status_code == 200
    assert client.post(reverse("targets:taskprogress_add", args=[own.pk]),
                       {"month": 4, "cumulative": "300"}).status_code == 404
    assert TaskProgress.objects.count() == 3


def test_progress_form(client_for, world, ledger):
    task = ledger["own"]
    client = client_for("department")
    url = reverse("targets:taskprogress_add", args=[task.pk])
    response = client.post(url, {"month": 4, "cumulative": "200"})
    assert response.status_code == 200
    assert "低于3月的 280" in response.content.decode()
    assert not task.progress.filter(month=4).exists()
    response = client.post(url, {"month": 4, "cumulative": "330", "change_reason": "4月报送"})
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    assert task.progress.get(month=4).cumulative == 330
    assert ChangeLog.objects.filter(related_id=task.pk, reason="4月报送").exists()
    form = client.get(url, {"month": 4})
    assert form.context["form"].initial["cumulative"] == 330
    assert client.get(url).context["form"].initial == {"month": 5}


# -- pages and export

def test_pages_open_for_the_city_admin(admin_client, ledger):
    task = ledger["own"]
    for url in (reverse("targets:quantitativetask_list"), reverse("targets:quantitativetask_add"),
                reverse("targets:quantitativetask", args=[task.pk]),
                reverse("targets:quantitativetask_edit", args=[task.pk]),
                reverse("targets:quantitativetask_delete", args=[task.pk]),
                reverse("targets:taskprogress_add", args=[task.pk])):
        assert admin_client.get(url).status_code == 200, url
    body = admin_client.get(reverse("targets:quantitativetask", args=[task.pk])).content.decode()
    assert "23.3%" in body and "滞后于时序" in body and "920套" in body and 'data-testid="history"' in body
    assert "-1.7%" in body  # the gap: 23.3% done against 25.0% of the year
    listing = admin_client.get(reverse("targets:quantitativetask_list")).content.decode()
    assert "棚户区改造" in listing and "市交通运输局" in listing and "未填报" in listing
    assert "量化任务" in listing  # the menu entry


def test_pages_add_edit_delete(admin_client, world):
    response = admin_client.post(reverse("targets:quantitativetask_add"), {
        "year": 2022, "name": "新改建城市公共厕所", "quantity": "100", "unit": TaskUnit.SEAT,
        "owner": world.other_department.pk, "clause": "（十一）", "description": "",
    })
    assert response.status_code == 302
    task = QuantitativeTask.objects.get(name="新改建城市公共厕所")
    admin_client.post(reverse("targets:quantitativetask_edit", args=[task.pk]), {
        "year": 2022, "name": "新改建城市公共厕所", "quantity": "110", "unit": TaskUnit.SEAT,
        "owner": world.other_department.pk, "clause": "（十一）", "description": "",
    })
    task.refresh_from_db()
    assert task.quantity == 110
    assert admin_client.post(reverse("targets:quantitativetask_delete", args=[task.pk])).status_code == 302
    assert not QuantitativeTask.objects.filter(pk=task.pk).exists()
    assert ChangeLog.objects.filter(object_id=task.pk, content_type__model="quantitativetask").count() == 3


@pytest.mark.parametrize(("query", "expected"), [
    ({}, 3), ({"year": 2022}, 2), ({"q": "停车"}, 1), ({"unit": TaskUnit.STRIP}, 1), ({"sort": "-quantity"}, 3),
])
def test_list_filters(admin_client, ledger, query, expected):
    response = admin_client.get(reverse("targets:quantitativetask_list"), query)
    assert response.context["table"].paginator.count == expected


def test_owner_filter(admin_client, world, ledger):
    response = admin_client.get(reverse("targets:quantitativetask_list"), {"owner": world.department.pk})
    assert [row.record for row in response.context["table"].rows] == [ledger["own"]]


def test_export_keeps_numbers(admin_client, ledger):
    response = admin_client.get(reverse("targets:quantitativetask_list"), {"export": "xlsx", "year": 2022})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active.values)
    header, data = rows[0], rows[1:]
    assert len(data) == 2
    own = next(row for row in data if row[header.index("任务")] == "棚户区改造")
    assert own[header.index("目标量")] == 1200 and own[header.index("累计完成")] == 280
    assert own[header.index("完成率")] == pytest.approx(0.2333) and own[header.index("单位")] == "套"
    assert own[header.index("进度")] == "滞后于时序"


def test_list_query_count_does_not_grow_with_rows(admin_client, world, ledger, django_assert_max_num_queries):
    admin_client.get(reverse("targets:quantitativetask_list"))
    for n in range(10):
        make_task(world.department, name=f"任务{n}", progress=[(1, 1), (2, 2)])
    with django_assert_max_num_queries(15):
        admin_client.get(reverse("targets:quantitativetask_list"))


# -- the demo's tasks

def test_demo_tasks(world):
    departments = {owner: world.department for *_rest, owner, _share in demo_tasks.TASKS}
    counts = Counter()
    demo_tasks.load_tasks(departments, counts)
    assert counts == {"quantitativetask": len(demo_tasks.TASKS), "taskprogress": 9 * len(demo_tasks.TASKS)}
    shanty = QuantitativeTask.objects.get(name="棚户区改造")
    assert (shanty.quantity, shanty.unit) == (13900, TaskUnit.SET)
    values = list(shanty.progress.values_list("cumulative", flat=True))
    assert values == sorted(values) and values[-1] == Decimal("11259")  # 13900 × 0.81
    for task in QuantitativeTask.objects.all():
        task.full_clean()
