import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from faims.core.choices import AuditKind, ChangeAction
from faims.core.models import AuditEvent, ChangeLog
from faims.core.testing import credit_code
from faims.org import services
from faims.org.choices import RegionLevel, Role
from faims.org.models import Department, Organisation, Person, Region, User

pytestmark = pytest.mark.django_db


def log_of(obj):
    return ChangeLog.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name).order_by("id")


def test_create_update_delete_leave_change_log_rows(world):
    admin = world.users["admin"]
    region = services.save_region(
        Region(code="320299", name="经开区", level=RegionLevel.FUNCTIONAL, parent=world.city),
        acting_user=admin, reason="设立功能区",
    )
    region.name = "无锡经济开发区"
    services.save_region(region, acting_user=admin, reason="更名")
    pk = region.pk
    services.delete_region(region, acting_user=admin, reason="撤销")
    logs = list(ChangeLog.objects.filter(object_id=pk, content_type__model="region").order_by("id"))
    assert [log.action for log in logs] == [ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.DELETE]
    assert [log.reason for log in logs] == ["设立功能区", "更名", "撤销"]
    assert logs[0].before is None and logs[0].after["name"] == "经开区"
    assert (logs[1].before["name"], logs[1].after["name"]) == ("经开区", "无锡经济开发区")
    assert logs[2].before["code"] == "320299" and logs[2].after is None


def test_only_the_city_admin_writes_reference_data(world):
    person = Person(name="赵处长")
    for key in ("supervisor", "xinwu", "department"):
        with pytest.raises(PermissionDenied):
            services.save_person(person, acting_user=world.users[key])
    assert not Person.objects.filter(name="赵处长").exists()


def test_region_cannot_hang_below_itself_or_its_child(world):
    admin = world.users["admin"]
    for parent in (world.city, world.xinwu):
        city = Region.objects.get(pk=world.city.pk)
        city.parent = parent
        with pytest.raises(ValidationError) as exc:
            services.save_region(city, acting_user=admin)
        assert "parent" in exc.value.message_dict
    assert Region.objects.get(pk=world.city.pk).parent is None


def test_deleting_a_referenced_department_is_refused_clearly(world):
    with pytest.raises(ValidationError) as exc:
        services.delete_department(world.department, acting_user=world.users["admin"])
    assert "不能删除" in exc.value.messages[0] and "市自然资源规划局" in exc.value.messages[0]
    assert Department.objects.filter(pk=world.department.pk).exists()
    assert not log_of(world.department).exists()


def test_credit_code_is_checked_and_normalised(world):
    admin = world.users["admin"]
    with pytest.raises(ValidationError) as exc:
        services.save_organisation(Organisation(credit_code="91320200MA1234567X", name="甲"), acting_user=admin)
    assert "统一社会信用代码" in exc.value.message_dict["credit_code"][0]
    code = credit_code(987654)
    saved = services.save_organisation(Organisation(credit_code=f" {code.lower()} ", name="乙"), acting_user=admin)
    assert saved.credit_code == code
    with pytest.raises(ValidationError) as exc:
        services.save_organisation(Organisation(credit_code=code, name="丙"), acting_user=admin)
    message = exc.value.message_dict["credit_code"][0]
    assert "统一社会信用代码" in message and "乙" in message
    assert not Organisation.objects.filter(name="丙").exists()


def test_save_user_hashes_the_password_and_keeps_it_out_of_the_log(world):
    user = User(username="liangxi", role=Role.REGION_OFFICER, region=world.xinwu)
    services.save_user(user, acting_user=world.users["admin"], password="Liangxi-Invest-2022")
    user.refresh_from_db()
    assert user.check_password("Liangxi-Invest-2022")
    log = log_of(user).get()
    assert "password" not in log.after
    assert "Liangxi-Invest-2022" not in str(log.after)


def test_save_user_without_password_creates_an_account_nobody_can_use(world):
    user = services.save_user(User(username="later", role=Role.SUPERVISOR), acting_user=world.users["admin"])
    assert not user.has_usable_password()


def test_user_scope_field_rules(world):
    admin = world.users["admin"]
    with pytest.raises(ValidationError) as exc:
        services.save_user(User(username="nodept", role=Role.DEPARTMENT_OFFICER), acting_user=admin,
                           password="Dept-Invest-2022")
    assert "department" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.save_user(User(username="both", role=Role.REGION_OFFICER, region=world.xinwu,
                                department=world.department), acting_user=admin, password="Dept-Invest-2022")
    assert "department" in exc.value.message_dict
    assert not User.objects.filter(username__in=["nodept", "both"]).exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.PERMISSION_CHANGE).exists()


def test_role_change_records_a_permission_event_in_the_same_transaction(world):
    user = User.objects.get(pk=world.users["unit"].pk)
    user.role, user.organisation, user.region = Role.REGION_OFFICER, None, world.jiangyin
    services.save_user(user, acting_user=world.users["admin"], reason="调岗")
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_CHANGE)
    assert event.detail["account"] == "unit"
    assert event.detail["before"]["role"] == Role.PROJECT_UNIT
    assert event.detail["after"] == {
        "role": Role.REGION_OFFICER, "region": world.jiangyin.pk, "department": None, "organisation": None,
        "person": None, "is_active": True,
    }
    assert log_of(user).get().reason == "调岗"


def test_deleting_a_user_is_a_permission_change(world):
    user = world.users["leader"]
    services.delete_user(user, acting_user=world.users["admin"], reason="离任")
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_CHANGE)
    assert event.detail["account"] == "leader" and event.detail["after"] is None
    with pytest.raises(ValidationError):
        services.delete_user(world.users["admin"], acting_user=world.users["admin"])


def test_password_reset_is_audited_without_the_password(world):
    user = User.objects.get(pk=world.users["xinwu"].pk)
    changes = ChangeLog.objects.count()
    services.save_user(user, acting_user=world.users["admin"], password="Reset-Invest-2022", reason="遗忘密码")
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_CHANGE)
    assert event.detail["password_set"] is True and event.detail["before"] == event.detail["after"]
    assert "Reset-Invest-2022" not in str(event.detail)
    assert ChangeLog.objects.count() == changes
    user.refresh_from_db()
    assert user.check_password("Reset-Invest-2022")
