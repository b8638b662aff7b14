import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faims.core.models import ChangeLog
from faims.core.testing import make_project
from faims.org.models import Person
from faims.projects.choices import Category, InvestmentType, LifecycleStatus, PersonRole
from faims.projects.forms import ProjectForm, ProjectPersonForm
from faims.projects.models import AnnualPlan, Library, Membership, Project, ProjectPerson
from faims.projects.views import PROJECT_FIELD_GROUPS

pytestmark = pytest.mark.django_db

LIST = reverse("projects:project_list")


def names_in(response):
    return [row.record.name for row in response.context["table"].page.object_list]


def project_post(world, **changes):
    """A complete, valid project form as the browser sends it."""
    data = {
        "code": "2022-320214-39-01-000777", "name": "新增项目", "region": world.xinwu.pk, "unit": world.unit.pk,
        "category": Category.INDUSTRY, "nature": "new", "investment_type": InvestmentType.ENTERPRISE,
        "total_investment": "52000", "status": LifecycleStatus.PREPARATION,
        "departments": [world.department.pk], "leader": world.leader.pk,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# The list ------------------------------------------------------------------------------------------

def test_list_shows_the_users_projects_only(client_for, world):
    assert names_in(client_for("xinwu").get(LIST)) == ["新吴区集成电路项目"]
    assert sorted(names_in(client_for("admin").get(LIST))) == ["新吴区集成电路项目", "江阴市港口项目"]


def test_list_filters_and_searches(admin_client, world):
    assert names_in(admin_client.get(LIST, {"q": "港口"})) == ["江阴市港口项目"]
    assert names_in(admin_client.get(LIST, {"region": world.xinwu.pk})) == ["新吴区集成电路项目"]
    assert names_in(admin_client.get(LIST, {"tier": "100"})) == ["江阴市港口项目"]
    assert names_in(admin_client.get(LIST, {"library": world.library.pk, "leader": world.leader.pk})) == [
        "新吴区集成电路项目"]


def test_an_invalid_filter_shows_the_error_and_no_rows(admin_client, world):
    response = admin_client.get(LIST, {"year": "abc"})
    assert response.status_code == 200
    assert names_in(response) == []
    assert "年度" in response.content.decode()


def test_list_sorts(admin_client, world):
    make_project(world.xinwu, name="中等项目", total=Decimal("300000"))
    assert names_in(admin_client.get(LIST)) == ["江阴市港口项目", "中等项目", "新吴区集成电路项目"]
    assert names_in(admin_client.get(LIST, {"sort": "total_investment"})) == [
        "新吴区集成电路项目", "中等项目", "江阴市港口项目"]
    assert names_in(admin_client.get(LIST, {"sort": "-total_investment_yi"}))[0] == "江阴市港口项目"
    assert names_in(admin_client.get(LIST, {"sort": "name"})) == sorted(
        ["江阴市港口项目", "中等项目", "新吴区集成电路项目"])
    for column in ["code", "region", "unit", "category", "status", "planned_start_date", "leader"]:
        assert admin_client.get(LIST, {"sort": f"-{column}"}).status_code == 200


def test_list_pages(admin_client, world):
    for n in range(55):
        make_project(world.xinwu, name=f"批量项目{n:02d}", total=Decimal(1000 + n))
    first, second = admin_client.get(LIST), admin_client.get(LIST, {"page": 2})
    assert len(names_in(first)) == 50
    assert len(names_in(second)) == 7
    assert not set(names_in(first)) & set(names_in(second))


def test_list_shows_amounts_in_wan_and_yi(admin_client, world):
    body = admin_client.get(LIST).content.decode()
    assert re.search(r'<td class="money"[^>]*>\s*1,200,000\s*</td>', body)
    assert re.search(r'<td class="money"[^>]*>\s*120.0\s*</td>', body)
    assert "2022年市级重大产业项目" in body
    assert "张市长" in body


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(admin_client, world):
    def add_projects(count):
        for _n in range(count):
            project = make_project(world.xinwu, unit=world.unit, leader=world.leader,
                                   departments=[world.department, world.other_department])
            Membership.objects.create(project=project, library=world.library)

    add_projects(2)
    few = _list_queries(admin_client)
    add_projects(20)
    assert _list_queries(admin_client) == few


def test_other_lists_do_not_query_per_row(admin_client, world):
    for name in ["library_list", "membership_list", "annualplan_list", "projectperson_list"]:
        url = reverse(f"projects:{name}")
        with CaptureQueriesContext(connection) as before:
            admin_client.get(url)
        for _n in range(5):
            project = make_project(world.xinwu)
            Membership.objects.create(project=project, library=Library.objects.create(
                name=f"库{project.pk}", level="municipal", year=2022))
            AnnualPlan.objects.create(project=project, year=2022, planned_investment=1, start_kind="new")
            ProjectPerson.objects.create(project=project, person=world.commissioner, role=PersonRole.CONTACT)
        with CaptureQueriesContext(connection) as after:
            admin_client.get(url)
        assert len(after) == len(before), name


# The project page -----------------------------------------------------------------------------------

def test_project_page_shows_every_field_grouped(admin_client, world):
    grouped = {name for _label, names in PROJECT_FIELD_GROUPS for name in names}
    milestones = {f.name for f in Project._meta.concrete_fields if f.name.endswith("_date")
                  and f.name.startswith(("planned_", "actual_"))}
    every = {f.name for f in [*Project._meta.concrete_fields, *Project._meta.many_to_many]}
    assert every - grouped - milestones == {"id", "created", "updated"}
    project = world.projects["xinwu"]
    body = admin_client.get(project.get_absolute_url()).content.decode()
    for label in ["基本信息", "投资与分类", "关键节点", "纳统", "责任部门", "挂钩市领导", "所在项目库", "年度计划",
                  "项目人员", "变更历史"]:
        assert label in body
    assert "50,000（5.0亿元）" in body
    assert "市自然资源规划局" in body and "张市长" in body
    assert "2022年市级重大产业项目" in body and "计划新开工" in body


def test_project_page_compares_planned_and_actual_milestones(admin_client, world):
    project = world.projects["xinwu"]
    Project.objects.filter(pk=project.pk).update(planned_start_date="2022-03-01", actual_start_date="2022-04-15")
    body = admin_client.get(project.get_absolute_url()).content.decode()
    assert re.search(r"开工</th><td>2022-03-01</td>\s*<td class=\"text-danger\">2022-04-15</td>", body)


def test_project_page_lists_people_and_the_linked_leader(admin_client, world):
    body = admin_client.get(world.projects["jiangyin"].get_absolute_url()).content.decode()
    people = body[body.index('data-testid="project-people"'):]
    assert "李市长" in people and "王专员" in people and "服务专员" in people


def test_city_admin_gets_prefilled_add_buttons(client_for, world):
    project = world.projects["xinwu"]
    body = client_for("admin").get(project.get_absolute_url()).content.decode()
    for name in ["membership_add", "annualplan_add", "projectperson_add"]:
        assert f'{reverse(f"projects:{name}")}?project={project.pk}' in body
    form = client_for("admin").get(reverse("projects:annualplan_add"), {"project": project.pk}).context["form"]
    assert form.initial["project"] == str(project.pk)
    assert 'data-testid="project-add-links"' not in client_for("xinwu").get(project.get_absolute_url()).content.decode()


def test_edit_through_the_form_appears_in_the_history(admin_client, world):
    project = world.projects["xinwu"]
    data = project_post(world, code=project.code, name=project.name, total_investment="65000",
                        change_reason="可研批复调整总投资")
    response = admin_client.post(reverse("projects:project_edit", args=[project.pk]), data)
    assert response.status_code == 302
    body = admin_client.get(project.get_absolute_url()).content.decode()
    history = body[body.index('data-testid="history"'):]
    assert "admin" in history and "可研批复调整总投资" in history
    assert "50000.00" in history and "65000.00" in history
    assert "总投资（万元）" in history


def test_history_of_a_project_includes_its_memberships(admin_client, world):
    project = world.projects["xinwu"]
    other = Library.objects.create(name="城市更新项目", level="municipal", year=2022)
    response = admin_client.post(reverse("projects:membership_add"), {
        "project": project.pk, "library": other.pk, "status": "in_library", "change_reason": "年中增补"})
    assert response.status_code == 302
    history = admin_client.get(project.get_absolute_url()).content.decode().split('data-testid="history"')[1]
    assert "入库记录" in history and "年中增补" in history


# Scope ----------------------------------------------------------------------------------------------

def test_region_officer_gets_404_outside_its_region(client_for, world):
    client = client_for("xinwu")
    other = world.projects["jiangyin"]
    assert client.get(world.projects["xinwu"].get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("projects:project_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("projects:project_edit", args=[other.pk]), project_post(world)).status_code == 404
    assert Project.objects.get(pk=other.pk).name == "江阴市港口项目"


MODELS = {"project": Project, "library": Library, "membership": Membership, "annualplan": AnnualPlan,
          "projectperson": ProjectPerson}


@pytest.mark.parametrize("role", ["supervisor", "xinwu", "department", "unit", "leader", "commissioner"])
@pytest.mark.parametrize("name", sorted(MODELS))
def test_other_roles_cannot_add_edit_or_delete(client_for, world, role, name):
    client = client_for(role)
    obj = MODELS[name].objects.first()
    assert client.get(reverse(f"projects:{name}_add")).status_code == 403
    assert client.post(reverse(f"projects:{name}_add"), {}).status_code == 403
    assert client.get(reverse(f"projects:{name}_edit", args=[obj.pk])).status_code == 404
    assert client.post(reverse(f"projects:{name}_delete", args=[obj.pk])).status_code == 404
    assert MODELS[name].objects.filter(pk=obj.pk).exists()


def test_library_page_lists_only_members_in_scope(client_for, world):
    url = world.library.get_absolute_url()

    def members(role):
        table = client_for(role).get(url).context["members"]
        return {row.record.project.name for row in table.page.object_list}

    assert members("admin") == {"新吴区集成电路项目", "江阴市港口项目"}
    assert members("xinwu") == {"新吴区集成电路项目"}
    assert members("commissioner") == {"江阴市港口项目"}
    assert "江阴市港口项目" not in client_for("xinwu").get(url).content.decode()


def test_library_list_counts_members_in_scope(client_for, world):
    def count(role):
        table = client_for(role).get(reverse("projects:library_list")).context["table"]
        return {row.record.name: row.record.member_count for row in table.page.object_list}

    assert count("admin") == {"市级重大产业项目": 2}
    assert count("jiangyin") == {"市级重大产业项目": 1}


# The form -------------------------------------------------------------------------------------------

def test_add_project_through_the_form(admin_client, world):
    response = admin_client.post(reverse("projects:project_add"), project_post(world, change_reason="新签约"))
    project = Project.objects.get(name="新增项目")
    assert response["Location"] == project.get_absolute_url()
    assert list(project.departments.all()) == [world.department]
    assert ChangeLog.objects.get(object_id=project.pk, content_type__model="project").reason == "新签约"


def test_an_empty_code_is_stored_as_null(admin_client, world):
    for name in ["待赋码一", "待赋码二"]:
        response = admin_client.post(reverse("projects:project_add"), project_post(world, code="", name=name))
        assert response.status_code == 302
    assert set(Project.objects.filter(code__isnull=True).values_list("name", flat=True)) == {"待赋码一", "待赋码二"}


INVALID_FORMS = [
    ({"code": "320214-2022"}, "code", "YYYY-RRRRRR-NN-NN-NNNNNN"),
    ({"total_investment": "-100"}, "total_investment", "金额不能为负数"),
    ({"total_investment": "五万"}, "total_investment", "请填写数字金额（万元）"),
    ({"planned_start_date": "2022-06-01", "planned_completion_date": "2022-05-01"}, "planned_completion_date",
     "计划竣工日期不能早于计划开工日期"),
    ({"code": "2022-320281-55-01-000002"}, "code", "投资项目统一代码已被另一个项目使用"),
]


@pytest.mark.parametrize(("changes", "field", "message"), INVALID_FORMS, ids=[f"{f}-{i}" for i, (_c, f, _m) in
                                                                            enumerate(INVALID_FORMS)])
def test_invalid_project_forms_name_the_field_and_save_nothing(admin_client, world, changes, field, message):
    before = (Project.objects.count(), ChangeLog.objects.count())
    response = admin_client.post(reverse("projects:project_add"), project_post(world, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'data-field="{field}"' in response.content.decode()
    assert (Project.objects.count(), ChangeLog.objects.count()) == before


def test_an_invalid_edit_changes_nothing(admin_client, world):
    project = world.projects["xinwu"]
    data = project_post(world, code=project.code, name="改名", actual_start_date="2022-06-01",
                        actual_completion_date="2022-01-01")
    response = admin_client.post(reverse("projects:project_edit", args=[project.pk]), data)
    assert "实际竣工日期不能早于实际开工日期" in " ".join(response.context["form"].errors["actual_completion_date"])
    assert Project.objects.get(pk=project.pk).name == "新吴区集成电路项目"


def test_project_form_offers_leaders_only_and_date_inputs(world):
    form = ProjectForm(user=world.users["admin"])
    assert set(form.fields["leader"].queryset) == set(Person.objects.filter(is_leader=True))
    assert form.fields["departments"].widget.allow_multiple_selected
    assert 'type="date"' in str(form["planned_start_date"])


def test_duplicate_membership_through_the_form(admin_client, world):
    response = admin_client.post(reverse("projects:membership_add"), {
        "project": world.projects["xinwu"].pk, "library": world.library.pk, "status": "in_library"})
    assert "已在这个项目库中" in " ".join(response.context["form"].non_field_errors())


def test_project_person_form_leaves_out_the_leader_role(world):
    roles = [value for value, _label in ProjectPersonForm(user=world.users["admin"]).fields["role"].choices]
    assert PersonRole.LEADER not in roles and PersonRole.COMMISSIONER in roles
