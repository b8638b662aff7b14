import io

import openpyxl
import pytest
from django.http import HttpRequest
from django.urls import reverse

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent
from faims.core.testing import make_project, make_user
from faims.org.choices import Role
from faims.org.models import Department, Organisation, Person, Region, User
from faims.projects.choices import PersonRole
from faims.projects.models import ProjectPerson

pytestmark = pytest.mark.django_db

MODELS = ["region", "department", "organisation", "person", "user"]


def objects(world):
    return {
        "region": world.xinwu,
        "department": world.department,
        "organisation": world.unit,
        "person": world.leader,
        "user": world.users["xinwu"],
    }


@pytest.mark.parametrize("name", MODELS)
def test_every_page_opens_for_the_city_admin(admin_client, world, name):
    obj = objects(world)[name]
    for url in (
        reverse(f"org:{name}_list"), reverse(f"org:{name}_add"), reverse(f"org:{name}", args=[obj.pk]),
        reverse(f"org:{name}_edit", args=[obj.pk]), reverse(f"org:{name}_delete", args=[obj.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", MODELS)
def test_detail_page_shows_fields_and_history(admin_client, world, name):
    obj = objects(world)[name]
    body = admin_client.get(reverse(f"org:{name}", args=[obj.pk])).content.decode()
    assert 'data-testid="history"' in body
    label = {"region": "区划代码", "department": "所属地区", "organisation": "统一社会信用代码", "person": "职务",
             "user": "所辖地区"}[name]
    assert label in body


@pytest.mark.parametrize("name", MODELS)
def test_excel_export_holds_the_filtered_rows(admin_client, world, name):
    model = type(objects(world)[name])
    response = admin_client.get(reverse(f"org:{name}_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.values)
    assert len(rows) - 1 == model.objects.count()
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORT, user_name="admin").exists()


def test_region_export_follows_the_filter(admin_client, world):
    response = admin_client.get(reverse("org:region_list"), {"export": "xlsx", "parent": world.city.pk})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active.values)
    assert sorted(row[1] for row in rows[1:]) == sorted(["新吴区", "江阴市"])


@pytest.mark.parametrize(("name", "query", "expected"), [
    ("region", {"q": "3202"}, 3),
    ("region", {"level": "district"}, 1),
    ("department", {"q": "交通"}, 1),
    ("organisation", {"q": "江阴"}, 1),
    ("person", {"is_leader": "true"}, 2),
    ("person", {"q": "专员"}, 1),
    ("user", {"role": Role.REGION_OFFICER}, 2),
    ("user", {"is_active": "false"}, 0),
])
def test_list_filters(admin_client, world, name, query, expected):
    response = admin_client.get(reverse(f"org:{name}_list"), query)
    assert response.status_code == 200
    assert response.context["table"].paginator.count == expected


def test_organisation_search_finds_credit_code(admin_client, world):
    response = admin_client.get(reverse("org:organisation_list"), {"q": world.unit.credit_code[-6:].lower()})
    assert [row.record for row in response.context["table"].rows] == [world.unit]


def test_lists_are_sortable(admin_client, world):
    for name, column in [("region", "parent"), ("department", "region"), ("person", "department"),
                         ("user", "role"), ("organisation", "-name")]:
        assert admin_client.get(reverse(f"org:{name}_list"), {"sort": column}).status_code == 200


def test_list_query_count_does_not_grow_with_rows(admin_client, world, django_assert_max_num_queries):
    for n in range(30):
        Person.objects.create(name=f"人员{n}", department=world.department, organisation=world.unit)
    with django_assert_max_num_queries(12):
        admin_client.get(reverse("org:person_list"))


def test_supervisor_reads_but_cannot_write(client_for, world):
    client = client_for("supervisor")
    for name, obj in objects(world).items():
        if name == "user":
            continue
        page = client.get(reverse(f"org:{name}", args=[obj.pk]))
        assert page.status_code == 200
        assert reverse(f"org:{name}_edit", args=[obj.pk]) not in page.content.decode()
        assert reverse(f"org:{name}_add") not in client.get(reverse(f"org:{name}_list")).content.decode()
        assert client.get(reverse(f"org:{name}_add")).status_code == 403
        assert client.get(reverse(f"org:{name}_edit", args=[obj.pk])).status_code == 404
        assert client.post(reverse(f"org:{name}_delete", args=[obj.pk])).status_code == 404


@pytest.mark.parametrize("role", ["xinwu", "supervisor", "department", "unit", "leader", "commissioner"])
def test_only_the_city_admin_sees_users(client_for, world, role):
    client = client_for(role)
    user = world.users["jiangyin"]
    assert client.get(reverse("org:user_list")).status_code == 404
    assert client.get(reverse("org:user_list"), {"export": "xlsx"}).status_code == 404
    assert client.get(reverse("org:user", args=[user.pk])).status_code == 404
    assert client.get(reverse("org:user_edit", args=[user.pk])).status_code == 404
    assert client.get(reverse("org:user_delete", args=[user.pk])).status_code == 404
    assert client.post(reverse("org:user_edit", args=[user.pk]), {"username": "x", "role": Role.CITY_ADMIN}
                       ).status_code == 404
    user.refresh_from_db()
    assert user.role == Role.REGION_OFFICER


def test_region_page_lists_children_and_counts_within_scope(client_for, world):
    make_project(world.xinwu, name="新吴区第二个项目")
    admin = client_for("admin").get(reverse("org:region", args=[world.city.pk]))
    assert admin.context["project_count"] == 3
    assert {c.name: c.project_count for c in admin.context["children"]} == {"新吴区": 2, "江阴市": 1}
    assert admin.context["department_count"] == 2
    officer = client_for("xinwu").get(reverse("org:region", args=[world.city.pk]))
    assert officer.context["project_count"] == 2
    assert {c.name: c.project_count for c in officer.context["children"]} == {"新吴区": 2, "江阴市": 0}
    assert officer.context["user_count"] is None


def test_department_page_lists_only_projects_in_scope(client_for, world):
    world.projects["jiangyin"].departments.add(world.department)
    admin = client_for("admin").get(reverse("org:department", args=[world.department.pk]))
    assert admin.context["project_count"] == 2
    officer = client_for("xinwu").get(reverse("org:department", args=[world.department.pk]))
    assert [row.record for row in officer.context["projects"].rows] == [world.projects["xinwu"]]
    assert "江阴市港口项目" not in officer.content.decode()


def test_organisation_page_lists_its_projects_in_scope(client_for, world):
    body = client_for("admin").get(reverse("org:organisation", args=[world.unit.pk])).content.decode()
    assert "新吴区集成电路项目" in body
    other = Organisation.objects.get(name="江阴测试建设有限公司")
    response = client_for("xinwu").get(reverse("org:organisation", args=[other.pk]))
    assert response.context["project_count"] == 0
    assert "江阴市港口项目" not in response.content.decode()


def test_person_page_lists_led_projects_and_roles(client_for, world):
    ProjectPerson.objects.create(project=world.projects["xinwu"], person=world.leader, role=PersonRole.CONTACT)
    response = client_for("admin").get(reverse("org:person", args=[world.leader.pk]))
    assert [row.record for row in response.context["led_projects"].rows] == [world.projects["xinwu"]]
    assert response.context["role_count"] == 1
    commissioner = client_for("xinwu").get(reverse("org:person", args=[world.commissioner.pk]))
    assert commissioner.context["role_count"] == 0
    assert "江阴市港口项目" not in commissioner.content.decode()


def test_person_page_lists_the_enterprises_served_within_scope(client_for, world):
    port = world.projects["jiangyin"]
    # 王专员 serves 江阴's port; its unit is the enterprise it serves.
    response = client_for("admin").get(reverse("org:person", args=[world.commissioner.pk]))
    assert [row.record for row in response.context["enterprises"].rows] == [port.unit]
    assert f"person={world.commissioner.pk}" in response.context["visits_url"]
    leader = client_for("admin").get(reverse("org:person", args=[world.leader.pk])).content.decode()
    assert 'data-testid="briefing"' in leader and world.projects["xinwu"].unit.name in leader
    # A region officer of 新吴 sees no project of 江阴, hence no enterprise served there.
    assert client_for("xinwu").get(reverse("org:person", args=[world.commissioner.pk])).context[
        "enterprise_count"] == 0


def test_create_edit_delete_through_the_pages(admin_client, world):
    response = admin_client.post(reverse("org:department_add"), {
        "name": "市住房城乡建设局", "short_name": "住建局", "kind": "industry", "region": world.city.pk,
        "change_reason": "新设部门",
    })
    department = Department.objects.get(name="市住房城乡建设局")
    assert response.status_code == 302 and response["Location"] == department.get_absolute_url()
    admin_client.post(reverse("org:department_edit", args=[department.pk]), {
        "name": "市住房和城乡建设局", "short_name": "住建局", "kind": "industry", "region": world.city.pk,
        "change_reason": "更正全称",
    })
    department.refresh_from_db()
    assert department.name == "市住房和城乡建设局"
    page = admin_client.get(department.get_absolute_url()).content.decode()
    assert "更正全称" in page and "市住房城乡建设局" in page
    response = admin_client.post(reverse("org:department_delete", args=[department.pk]), {"change_reason": "撤并"})
    assert response.status_code == 302
    assert not Department.objects.filter(pk=department.pk).exists()


def test_deleting_a_referenced_region_gives_a_clear_message(admin_client, world):
    response = admin_client.post(reverse("org:region_delete", args=[world.xinwu.pk]), {"change_reason": "试删"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "新吴区" in errors and "不能删除" in errors
    assert Region.objects.filter(pk=world.xinwu.pk).exists()


def test_region_form_does_not_offer_its_own_subtree_as_parent(admin_client, world):
    form = admin_client.get(reverse("org:region_edit", args=[world.city.pk])).context["form"]
    assert not form.fields["parent"].queryset.filter(pk__in=[world.city.pk, world.xinwu.pk]).exists()


def test_duplicate_region_code_is_a_field_error(admin_client, world):
    response = admin_client.post(reverse("org:region_add"), {
        "code": "320214", "name": "重复", "level": "district", "parent": world.city.pk, "sort_order": 0,
    })
    assert "区划代码" in " ".join(response.context["form"].errors["code"])
    assert Region.objects.filter(code="320214").count() == 1


def test_bad_credit_code_is_a_field_error(admin_client, world):
    response = admin_client.post(reverse("org:organisation_add"), {"credit_code": "91320200000000000X", "name": "甲"})
    assert response.status_code == 200
    assert "统一社会信用代码" in " ".join(response.context["form"].errors["credit_code"])
    assert not Organisation.objects.filter(name="甲").exists()


def test_duplicate_credit_code_names_the_holder(admin_client, world):
    response = admin_client.post(reverse("org:organisation_add"), {
        "credit_code": world.unit.credit_code.lower(), "name": "乙",
    })
    message = " ".join(response.context["form"].errors["credit_code"])
    assert "统一社会信用代码" in message and world.unit.name in message
    assert not Organisation.objects.filter(name="乙").exists()


USER_FORM = {"username": "huishan", "full_name": "惠山区经办人", "email": "hs@example.cn", "role": Role.REGION_OFFICER,
             "is_active": "on", "password": "Huishan-Invest-2022", "change_reason": "新设账号"}


def test_creating_a_user_hashes_its_password_and_records_the_permission(admin_client, client, world):
    response = admin_client.post(reverse("org:user_add"), {**USER_FORM, "region": world.xinwu.pk})
    user = User.objects.get(username="huishan")
    assert response.status_code == 302 and response["Location"] == user.get_absolute_url()
    assert user.password != USER_FORM["password"] and user.check_password(USER_FORM["password"])
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_CHANGE)
    assert event.user_name == "admin"
    assert event.detail["after"]["role"] == Role.REGION_OFFICER and event.detail["after"]["region"] == world.xinwu.pk
    assert USER_FORM["password"] not in str(event.detail)
    page = admin_client.get(user.get_absolute_url()).content.decode()
    assert "新吴区" in page and "权限变更记录" in page
    client.logout()
    # The login throttle needs the request it counts failures against.
    assert client.login(request=HttpRequest(), username="huishan", password=USER_FORM["password"])
    assert not client.login(request=HttpRequest(), username="huishan", password="wrong")


def test_user_without_its_scope_field_is_refused_on_the_field(admin_client, world):
    response = admin_client.post(reverse("org:user_add"), USER_FORM)
    assert "必须填写" in " ".join(response.context["form"].errors["region"])
    assert not User.objects.filter(username="huishan").exists()


def test_new_user_needs_a_good_password(admin_client, world):
    data = {**USER_FORM, "region": world.xinwu.pk}
    response = admin_client.post(reverse("org:user_add"), {**data, "password": ""})
    assert response.context["form"].errors["password"]
    response = admin_client.post(reverse("org:user_add"), {**data, "password": "12345678"})
    message = " ".join(response.context["form"].errors["password"])
    assert "密码" in message
    assert not User.objects.filter(username="huishan").exists()


def test_editing_a_user_without_password_keeps_it(admin_client, world):
    user = world.users["xinwu"]
    old_hash = user.password
    response = admin_client.post(reverse("org:user_edit", args=[user.pk]), {
        "username": "xinwu", "full_name": "新吴区经办人", "role": Role.REGION_OFFICER, "region": world.xinwu.pk,
        "is_active": "on", "password": "",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password == old_hash and user.full_name == "新吴区经办人"
    assert not AuditEvent.objects.filter(kind=AuditKind.PERMISSION_CHANGE).exists()


def test_moving_a_user_to_another_region_is_a_permission_change(admin_client, world):
    user = world.users["xinwu"]
    admin_client.post(reverse("org:user_edit", args=[user.pk]), {
        "username": "xinwu", "role": Role.REGION_OFFICER, "region": world.jiangyin.pk, "is_active": "on",
        "change_reason": "岗位调整",
    })
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_CHANGE)
    assert (event.detail["before"]["region"], event.detail["after"]["region"]) == (world.xinwu.pk, world.jiangyin.pk)
    assert event.detail["reason"] == "岗位调整"
    page = admin_client.get(user.get_absolute_url()).content.decode()
    assert "所辖地区：新吴区" in page and "所辖地区：江阴市" in page


def test_admin_changing_own_password_stays_signed_in(admin_client, world):
    admin = world.users["admin"]
    response = admin_client.post(reverse("org:user_edit", args=[admin.pk]), {
        "username": "admin", "role": Role.CITY_ADMIN, "is_active": "on", "password": "Another-Strong-2022",
    })
    assert response.status_code == 302
    assert admin_client.get(reverse("org:user_list")).status_code == 200


def test_admin_cannot_lock_itself_out(admin_client, world):
    admin = world.users["admin"]
    response = admin_client.post(reverse("org:user_edit", args=[admin.pk]), {
        "username": "admin", "role": Role.SUPERVISOR, "is_active": "on",
    })
    assert response.context["form"].errors["role"]
    response = admin_client.post(reverse("org:user_delete", args=[admin.pk]))
    assert response.context["form"].non_field_errors()
    admin.refresh_from_db()
    assert admin.role == Role.CITY_ADMIN


def test_user_list_shows_scope(admin_client, world):
    make_user("plain", Role.SUPERVISOR)
    body = admin_client.get(reverse("org:user_list")).content.decode()
    assert "新吴区" in body and "无锡测试建设有限公司" in body


def test_region_created_without_sort_order_sorts_first(admin_client, world):
    response = admin_client.post(reverse("org:region_add"), {
        "code": "320299", "name": "经开区", "level": "functional", "parent": world.city.pk, "change_reason": "设立",
    })
    assert response.status_code == 302
    assert Region.objects.get(code="320299").sort_order == 0
