import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from faims.core.audit import history_for
from faims.core.choices import ChangeAction
from faims.core.models import ChangeLog
from faims.projects import services
from faims.projects.choices import Category, InvestmentType, MembershipStatus, PersonRole, StartKind
from faims.projects.models import AnnualPlan, Library, Membership, Project, ProjectPerson

pytestmark = pytest.mark.django_db


def new_project(world, **fields):
    values = {"name": "新项目", "region": world.xinwu, "category": Category.INDUSTRY,
              "investment_type": InvestmentType.ENTERPRISE, "total_investment": Decimal("30000")}
    return Project(**{**values, **fields})


def test_save_project_creates_sets_departments_and_logs(world):
    admin = world.users["admin"]
    project = services.save_project(
        new_project(world, code=""), acting_user=admin, reason="新招引项目", m2m={"departments": [world.department]}
    )
    assert project.code is None
    assert list(project.departments.all()) == [world.department]
    change = ChangeLog.objects.get(object_id=project.pk, content_type__model="project")
    assert change.action == ChangeAction.CREATE
    assert change.reason == "新招引项目"
    assert change.after["departments"] == [world.department.pk]


def test_two_projects_without_code_do_not_clash(world):
    admin = world.users["admin"]
    services.save_project(new_project(world, code=""), acting_user=admin)
    services.save_project(new_project(world, name="另一个", code=None), acting_user=admin)
    assert Project.objects.filter(code__isnull=True).count() == 2


def test_update_records_before_and_after(world):
    project = world.projects["xinwu"]
    project.total_investment = Decimal("60000")
    services.save_project(project, acting_user=world.users["admin"], reason="可研批复调整")
    change = ChangeLog.objects.filter(object_id=project.pk, action=ChangeAction.UPDATE).get()
    assert (change.before["total_investment"], change.after["total_investment"]) == ("50000.00", "60000.00")
    assert change.user_name == "admin"


BAD_PROJECTS = [
    ({"code": "2022-3202-39-01-1"}, "code", "YYYY-RRRRRR-NN-NN-NNNNNN"),
    ({"total_investment": Decimal("-1")}, "total_investment", "金额不能为负数"),
    ({"total_investment": "五万"}, "total_investment", "十进制"),
    ({"planned_start_date": dt.date(2022, 6, 1), "planned_completion_date": dt.date(2022, 5, 1)},
     "planned_completion_date", "计划竣工日期不能早于计划开工日期"),
    ({"actual_start_date": dt.date(2022, 6, 1), "actual_completion_date": dt.date(2021, 5, 1)},
     "actual_completion_date", "实际竣工日期不能早于实际开工日期"),
    ({"code": "2022-320214-39-01-000001"}, "code", "投资项目统一代码已被另一个项目使用"),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD_PROJECTS, ids=[b[1] + str(i) for i, b in
                                                                            enumerate(BAD_PROJECTS)])
def test_invalid_projects_are_refused_with_a_named_field(world, fields, field, message):
    before = (Project.objects.count(), ChangeLog.objects.count())
    with pytest.raises(ValidationError) as raised:
        services.save_project(new_project(world, **fields), acting_user=world.users["admin"],
                              m2m={"departments": [world.department]})
    assert field in raised.value.message_dict
    assert message in " ".join(raised.value.message_dict[field])
    assert (Project.objects.count(), ChangeLog.objects.count()) == before


def test_an_invalid_update_leaves_the_stored_project_as_it_was(world):
    project = world.projects["jiangyin"]
    project.code = world.projects["xinwu"].code
    project.total_investment = Decimal("-5")
    with pytest.raises(ValidationError) as raised:
        services.save_project(project, acting_user=world.users["admin"])
    assert set(raised.value.message_dict) == {"code", "total_investment"}
    stored = Project.objects.get(pk=project.pk)
    assert (stored.code, stored.total_investment) == ("2022-320281-55-01-000002", Decimal("1200000"))


@pytest.mark.parametrize("role", ["supervisor", "xinwu", "department", "unit", "leader", "commissioner"])
def test_only_the_city_admin_writes_projects(world, role):
    with pytest.raises(PermissionDenied):
        services.save_project(world.projects["xinwu"], acting_user=world.users[role])
    with pytest.raises(PermissionDenied):
        services.save_project(new_project(world), acting_user=world.users[role])
    assert not Project.objects.filter(name="新项目").exists()


def test_children_of_a_project_appear_in_its_history(world):
    admin, project = world.users["admin"], world.projects["xinwu"]
    library = services.save_library(Library(name="城市更新项目", level="municipal", year=2022), acting_user=admin)
    services.save_membership(Membership(project=project, library=library), acting_user=admin, reason="年中调整")
    plan = project.annual_plans.get()
    plan.planned_investment = Decimal("12000")
    services.save_annual_plan(plan, acting_user=admin)
    services.save_project_person(ProjectPerson(project=project, person=world.commissioner,
                                               role=PersonRole.COMMISSIONER), acting_user=admin)
    models = {change.content_type.model for change in history_for(project)}
    assert models == {"membership", "annualplan", "projectperson"}


def test_duplicates_of_children_are_named_plainly(world):
    admin, project = world.users["admin"], world.projects["xinwu"]
    cases = [
        (services.save_membership, Membership(project=project, library=world.library), "已在这个项目库中"),
        (services.save_annual_plan, AnnualPlan(project=project, year=2022, planned_investment=1,
                                               start_kind=StartKind.NEW), "已有这一年度的年度计划"),
        (services.save_library, Library(name=world.library.name, level="municipal", year=2022), "同名的项目库"),
    ]
    for save, instance, message in cases:
        with pytest.raises(ValidationError) as raised:
            save(instance, acting_user=admin)
        assert message in " ".join(raised.value.message_dict[NON_FIELD_ERRORS])


def test_membership_rules(world):
    membership = Membership.objects.get(project=world.projects["xinwu"])
    membership.status = MembershipStatus.WITHDRAWN
    with pytest.raises(ValidationError) as raised:
        services.save_membership(membership, acting_user=world.users["admin"])
    assert "退库须说明原因" in raised.value.message_dict["reason"][0]


def test_the_linked_leader_is_not_a_project_person(world):
    with pytest.raises(ValidationError) as raised:
        services.save_project_person(
            ProjectPerson(project=world.projects["xinwu"], person=world.leader, role=PersonRole.LEADER),
            acting_user=world.users["admin"],
        )
    assert "role" in raised.value.message_dict


def test_delete_project_is_logged_and_refused_outside_scope(world):
    project = world.projects["xinwu"]
    with pytest.raises(PermissionDenied):
        services.delete_project(project, acting_user=world.users["xinwu"])
    services.delete_project(project, acting_user=world.users["admin"], reason="重复录入")
    assert not Project.objects.filter(pk=project.pk).exists()
    change = ChangeLog.objects.get(action=ChangeAction.DELETE, content_type__model="project")
    assert change.reason == "重复录入"


def test_a_library_in_use_cannot_be_deleted(world):
    with pytest.raises(ValidationError) as raised:
        services.delete_library(world.library, acting_user=world.users["admin"])
    assert "入库记录" in str(raised.value)
    assert Library.objects.filter(pk=world.library.pk).exists()
