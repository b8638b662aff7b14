"""The organisation through the API: reference data for everyone, written by the city admin; users for the admin."""

import pytest

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent, ChangeLog
from faims.org.choices import Role
from faims.org.models import Department, Organisation, Region, User

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_reference_data_is_read_by_everyone_filtered_and_written_by_the_admin(world, api_for):
    unit = api_for("unit")
    assert {row["name"] for row in _results(unit.get("/api/regions/"))} == {"无锡市", "新吴区", "江阴市"}
    assert [row["name"] for row in _results(unit.get("/api/regions/", {"parent": world.city.pk, "q": "江阴"}))] == [
        "江阴市"
    ]
    assert len(_results(unit.get("/api/departments/", {"region": world.city.pk}))) == 2
    assert [row["name"] for row in _results(unit.get("/api/people/", {"is_leader": "true", "q": "张"}))] == ["张市长"]
    assert (
        unit.post("/api/departments/", {"name": "市发改委", "region": world.city.pk}, format="json").status_code == 403
    )
    assert unit.patch(f"/api/regions/{world.xinwu.pk}/", {"name": "X"}, format="json").status_code == 404

    admin = api_for("admin")
    created = admin.post(
        "/api/departments/", {"name": "市发改委", "region": world.city.pk, "kind": "industry"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert ChangeLog.objects.filter(object_id=str(created.json()["id"]), content_type__model="department").exists()
    duplicate = admin.post("/api/departments/", {"name": "市发改委", "region": world.city.pk}, format="json")
    assert duplicate.status_code == 400
    assert Department.objects.filter(name="市发改委").count() == 1


def test_region_and_organisation_validation_names_the_field(world, api_for):
    admin = api_for("admin")
    loop = admin.patch(f"/api/regions/{world.city.pk}/", {"parent": world.xinwu.pk}, format="json")
    assert loop.status_code == 400 and "parent" in loop.json()["errors"]
    wrong_type = admin.patch(f"/api/regions/{world.city.pk}/", {"name": ["a"], "sort_order": {"x": 1}}, format="json")
    assert wrong_type.status_code == 400 and set(wrong_type.json()["errors"]) == {"name", "sort_order"}
    too_big = admin.patch(f"/api/regions/{world.xinwu.pk}/", {"parent": 2**70}, format="json")
    assert too_big.status_code == 400 and "parent" in too_big.json()["errors"]
    numeric = admin.patch(f"/api/regions/{world.xinwu.pk}/", {"sort_order": 7}, format="json")
    assert numeric.status_code == 200 and Region.objects.get(pk=world.xinwu.pk).sort_order == 7
    taken = admin.post(
        "/api/organisations/", {"credit_code": world.unit.credit_code.lower(), "name": "重复"}, format="json"
    )
    assert taken.status_code == 400 and world.unit.name in taken.json()["errors"]["credit_code"][0]
    assert not Organisation.objects.filter(name="重复").exists()
    in_use = admin.delete(f"/api/regions/{world.xinwu.pk}/")
    assert in_use.status_code == 400 and "不能删除" in in_use.json()["detail"]


def test_users_exist_for_the_city_admin_only(world, api_for):
    for key in ("xinwu", "supervisor", "department"):
        assert api_for(key).get("/api/users/").status_code == 404
        assert api_for(key).get(f"/api/users/{world.users['unit'].pk}/").status_code == 404
    rows = _results(api_for("admin").get("/api/users/", {"role": Role.REGION_OFFICER}))
    assert {row["username"] for row in rows} == {"xinwu", "jiangyin"}
    assert all("password" not in row for row in rows)


def test_users_are_written_through_the_user_service(world, api_for):
    admin = api_for("admin")
    body = {"username": "xinwu2", "role": Role.REGION_OFFICER, "region": world.xinwu.pk, "is_active": True}
    missing = admin.post("/api/users/", body, format="json")
    assert missing.status_code == 400 and "password" in missing.json()["errors"]
    weak = admin.post("/api/users/", {**body, "password": "12345678"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()["errors"]
    wrong_scope = admin.post(
        "/api/users/", {**body, "password": "Xinwu-2022-pass", "department": world.department.pk}, format="json"
    )
    assert wrong_scope.status_code == 400 and "department" in wrong_scope.json()["errors"]
    assert not User.objects.filter(username="xinwu2").exists()
    created = admin.post("/api/users/", {**body, "password": "Xinwu-2022-pass"}, format="json")
    assert created.status_code == 201, created.content
    assert "password" not in created.json()
    user = User.objects.get(username="xinwu2")
    assert user.check_password("Xinwu-2022-pass")
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_CHANGE, detail__account_id=user.pk)
    assert event.detail["password_set"] is True and "Xinwu-2022-pass" not in str(event.detail)

    # A partial update leaves the password alone; a role change is a permission change.
    moved = admin.patch(
        f"/api/users/{user.pk}/",
        {"role": Role.DEPARTMENT_OFFICER, "region": None, "department": world.department.pk},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    user.refresh_from_db()
    assert user.role == Role.DEPARTMENT_OFFICER and user.check_password("Xinwu-2022-pass")
    events = admin.get(f"/api/users/{user.pk}/permission-events/").json()
    assert len(events) == 2 and events[0]["after"]["role"] in (Role.DEPARTMENT_OFFICER, Role.REGION_OFFICER)
    assert api_for("xinwu").get(f"/api/users/{user.pk}/permission-events/").status_code == 404

    me = world.users["admin"]
    locked_out = admin.patch(f"/api/users/{me.pk}/", {"is_active": False}, format="json")
    assert locked_out.status_code == 400 and "is_active" in locked_out.json()["errors"]
    assert admin.delete(f"/api/users/{me.pk}/").status_code == 400
    assert admin.post("/api/users/bulk/", {"items": [body]}, format="json").status_code in (404, 405)
    assert admin.delete(f"/api/users/{user.pk}/").status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
