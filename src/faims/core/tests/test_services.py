from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from faims.core.choices import ChangeAction
from faims.core.models import ChangeLog
from faims.core.services import delete_object, save_object
from faims.projects.models import AnnualPlan, Project

pytestmark = pytest.mark.django_db


def test_an_update_records_who_before_after_and_why(world):
    project = world.projects["xinwu"]
    project.total_investment = Decimal("60000")
    save_object(project, acting_user=world.users["admin"], reason="区里报送更正")
    change = ChangeLog.objects.get(object_id=project.pk, action=ChangeAction.UPDATE)
    assert change.user_name == "admin"
    assert change.reason == "区里报送更正"
    assert change.before["total_investment"] == "50000.00"
    assert change.after["total_investment"] == "60000.00"
    assert [row[0] for row in change.diff()] == ["总投资（万元）"]


def test_many_to_many_changes_are_in_the_log(world):
    project = world.projects["xinwu"]
    save_object(project, acting_user=world.users["admin"], m2m={"departments": [world.other_department]})
    change = ChangeLog.objects.get(object_id=project.pk, action=ChangeAction.UPDATE)
    assert change.before["departments"] == [world.department.pk]
    assert change.after["departments"] == [world.other_department.pk]


def test_saving_without_a_change_writes_no_log(world):
    save_object(world.projects["xinwu"], acting_user=world.users["admin"])
    assert not ChangeLog.objects.exists()


def test_a_child_change_shows_in_the_parents_history(world):
    from faims.core.audit import history_for

    plan = AnnualPlan.objects.get(project=world.projects["xinwu"])
    plan.planned_investment = Decimal("12000")
    save_object(plan, acting_user=world.users["admin"])
    assert history_for(world.projects["xinwu"]).filter(object_id=plan.pk).exists()


def test_invalid_data_is_refused_naming_the_field_and_nothing_is_saved(world):
    project = world.projects["xinwu"]
    project.code = "2022-bad"
    project.total_investment = Decimal("-1")
    with pytest.raises(ValidationError) as error:
        save_object(project, acting_user=world.users["admin"])
    assert {"code", "total_investment"} <= set(error.value.message_dict)
    project.refresh_from_db()
    assert project.code == "2022-320214-39-01-000001"
    assert not ChangeLog.objects.exists()


@pytest.mark.parametrize("role", ["xinwu", "supervisor", "leader", "unit", "department"])
def test_writes_outside_the_write_scope_are_refused(world, role):
    project = world.projects["xinwu"]
    project.name = "改名"
    with pytest.raises(PermissionDenied):
        save_object(project, acting_user=world.users[role])
    with pytest.raises(PermissionDenied):
        delete_object(project, acting_user=world.users[role])
    assert Project.objects.get(pk=project.pk).name == "新吴区集成电路项目"


def test_delete_is_logged_with_the_last_state(world):
    project = world.projects["jiangyin"]
    pk = project.pk
    delete_object(project, acting_user=world.users["admin"], reason="重复录入")
    change = ChangeLog.objects.get(object_id=pk, action=ChangeAction.DELETE)
    assert change.before["name"] == "江阴市港口项目"
    assert change.after is None
    assert change.reason == "重复录入"


def test_deleting_something_still_referenced_says_what_refers_to_it(world):
    with pytest.raises(ValidationError, match="项目"):
        delete_object(world.xinwu, acting_user=world.users["admin"])
    assert not ChangeLog.objects.exists()


def test_history_names_related_objects_and_choice_labels(world):
    project = world.projects["xinwu"]
    project.status = "construction"
    save_object(project, acting_user=world.users["admin"], m2m={"departments": [world.other_department]})
    rows = {str(label): (before, after) for label, before, after in ChangeLog.objects.get().diff()}
    assert rows["项目状态"] == ("前期", "在建")
    assert rows["责任部门"] == (["市自然资源规划局"], ["市交通运输局"])
