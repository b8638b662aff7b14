from decimal import Decimal

import pytest
from django.test import RequestFactory

from faims.core.testing import make_project
from faims.org.choices import RegionLevel
from faims.org.models import Person, Region
from faims.projects.choices import Category, InvestmentType, LifecycleStatus, MembershipStatus, Nature, StartKind
from faims.projects.filtersets import (
    AnnualPlanFilterSet,
    LibraryFilterSet,
    MembershipFilterSet,
    ProjectFilterSet,
    ProjectPersonFilterSet,
)
from faims.projects.models import AnnualPlan, Library, Membership, Project, ProjectPerson

pytestmark = pytest.mark.django_db


def filtered(world, user="admin", **params):
    request = RequestFactory().get("/projects/", params)
    request.user = world.users[user]
    filterset = ProjectFilterSet(request.GET, queryset=Project.objects.restrict(request.user), request=request)
    assert filterset.is_valid(), filterset.errors
    pks = list(filterset.qs.values_list("pk", flat=True))
    assert len(pks) == len(set(pks)), "a filter repeated a project"
    return set(filterset.qs.values_list("name", flat=True))


def test_no_filter_is_every_project_in_scope(world):
    assert filtered(world) == {"新吴区集成电路项目", "江阴市港口项目"}
    assert filtered(world, "xinwu") == {"新吴区集成电路项目"}


@pytest.mark.parametrize("term", ["集成电路", "320214-39", "无锡测试建设", "高浪路", "晶圆"])
def test_search_covers_name_code_unit_location_and_scale(world, term):
    project = world.projects["xinwu"]
    project.location, project.scale = "新吴区高浪路", "年产12英寸晶圆10万片"
    project.save()
    assert filtered(world, q=term) == {"新吴区集成电路项目"}


def test_year_takes_annual_plans_and_libraries_of_that_year(world):
    planned = make_project(world.xinwu, name="2023计划项目")
    AnnualPlan.objects.create(project=planned, year=2023, planned_investment=Decimal(1), start_kind=StartKind.NEW)
    library_2023 = Library.objects.create(name="省重大项目", level="provincial", year=2023)
    listed = make_project(world.xinwu, name="2023入库项目")
    Membership.objects.create(project=listed, library=library_2023)
    withdrawn = make_project(world.xinwu, name="2023退库项目")
    Membership.objects.create(project=withdrawn, library=library_2023, status=MembershipStatus.WITHDRAWN, reason="撤销")
    # In a 2023 plan and a 2023 library at once: still one row.
    AnnualPlan.objects.create(project=listed, year=2023, planned_investment=Decimal(1), start_kind=StartKind.NEW)
    assert filtered(world, year=2023) == {"2023计划项目", "2023入库项目"}
    assert filtered(world, year=2022) == {"新吴区集成电路项目", "江阴市港口项目"}
    assert filtered(world, year=2030) == set()


def test_library_takes_its_current_members(world):
    other = Library.objects.create(name="城市更新项目", level="municipal", year=2022)
    Membership.objects.create(project=world.projects["xinwu"], library=other)
    left = make_project(world.jiangyin, name="退库项目")
    Membership.objects.create(project=left, library=other, status=MembershipStatus.WITHDRAWN, reason="不再符合条件")
    assert filtered(world, library=other.pk) == {"新吴区集成电路项目"}
    assert filtered(world, library=world.library.pk) == {"新吴区集成电路项目", "江阴市港口项目"}


def test_region_includes_its_sub_regions(world):
    zone = Region.objects.create(code="320214901", name="无锡高新区综合保税区", level=RegionLevel.FUNCTIONAL,
                                 parent=world.xinwu)
    make_project(zone, name="综保区项目")
    assert filtered(world, region=world.xinwu.pk) == {"新吴区集成电路项目", "综保区项目"}
    assert filtered(world, region=world.city.pk) == {"新吴区集成电路项目", "江阴市港口项目", "综保区项目"}
    assert filtered(world, region=zone.pk) == {"综保区项目"}


def test_choice_filters(world):
    make_project(world.xinwu, name="道路项目", category=Category.INFRASTRUCTURE, nature=Nature.EXPANSION,
                 status=LifecycleStatus.CONSTRUCTION, investment_type=InvestmentType.GOVERNMENT)
    assert filtered(world, category=Category.INFRASTRUCTURE) == {"道路项目"}
    assert filtered(world, nature=Nature.EXPANSION) == {"道路项目"}
    assert filtered(world, status=LifecycleStatus.CONSTRUCTION) == {"道路项目"}
    assert filtered(world, investment_type=InvestmentType.GOVERNMENT) == {"道路项目"}
    assert filtered(world, investment_type=InvestmentType.ENTERPRISE) == {"新吴区集成电路项目", "江阴市港口项目"}


def test_tier_is_total_investment_at_or_above_the_floor(world):
    make_project(world.xinwu, name="恰好10亿", total=Decimal("100000"))
    make_project(world.xinwu, name="不足1亿", total=Decimal("9999.99"))
    assert filtered(world, tier="1") == {"新吴区集成电路项目", "江阴市港口项目", "恰好10亿"}
    assert filtered(world, tier="10") == {"江阴市港口项目", "恰好10亿"}
    assert filtered(world, tier="50") == {"江阴市港口项目"}
    assert filtered(world, tier="100") == {"江阴市港口项目"}


def test_department_does_not_repeat_projects_with_several_departments(world):
    make_project(world.xinwu, name="两个部门", departments=[world.department, world.other_department])
    assert filtered(world, department=world.department.pk) == {"新吴区集成电路项目", "两个部门"}
    assert filtered(world, department=world.other_department.pk) == {"江阴市港口项目", "两个部门"}


def test_leader_and_its_choices(world):
    assert filtered(world, leader=world.leader.pk) == {"新吴区集成电路项目"}
    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    choices = ProjectFilterSet(queryset=Project.objects.all(), request=request).form.fields["leader"].queryset
    assert set(choices) == set(Person.objects.filter(is_leader=True))
    assert world.commissioner not in choices


def test_yes_no_filters(world):
    make_project(world.xinwu, name="已纳统项目", in_statistics=True)
    make_project(world.xinwu, name="合成项目", is_synthetic=True)
    assert filtered(world, in_statistics="true") == {"已纳统项目"}
    assert "已纳统项目" not in filtered(world, in_statistics="false")
    assert filtered(world, is_synthetic="true") == {"合成项目"}
    assert "合成项目" not in filtered(world, is_synthetic="false")


def test_filters_combine_within_the_users_scope(world):
    make_project(world.xinwu, name="新吴基础设施", category=Category.INFRASTRUCTURE)
    assert filtered(world, "jiangyin", region=world.xinwu.pk) == set()
    assert filtered(world, "xinwu", region=world.city.pk, category=Category.INFRASTRUCTURE) == {"新吴基础设施"}
    assert filtered(world, "department", department=world.department.pk, year=2022, tier="1",
                    library=world.library.pk) == {"新吴区集成电路项目"}


def test_bad_values_are_refused(world):
    request = RequestFactory().get("/projects/", {"year": "二〇二二", "tier": "7"})
    request.user = world.users["admin"]
    filterset = ProjectFilterSet(request.GET, queryset=Project.objects.all(), request=request)
    assert not filterset.is_valid()
    assert set(filterset.errors) == {"year", "tier"}


def _rows(world, filterset_class, model, **params):
    request = RequestFactory().get("/", params)
    request.user = world.users["admin"]
    filterset = filterset_class(request.GET, queryset=model.objects.restrict(request.user), request=request)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


def test_companion_lists_filter_by_region_search_and_their_own_fields(world):
    xinwu, jiangyin = world.projects["xinwu"], world.projects["jiangyin"]
    assert [m.project for m in _rows(world, MembershipFilterSet, Membership, region=world.xinwu.pk)] == [xinwu]
    assert [m.project for m in _rows(world, MembershipFilterSet, Membership, q="港口",
                                     library=world.library.pk, status="in_library")] == [jiangyin]
    assert [p.project for p in _rows(world, AnnualPlanFilterSet, AnnualPlan, year=2022,
                                     start_kind=StartKind.CONTINUING)] == [jiangyin]
    assert [p.project for p in _rows(world, ProjectPersonFilterSet, ProjectPerson, q="王专员",
                                     region=world.city.pk)] == [jiangyin]
    assert _rows(world, LibraryFilterSet, Library, q="产业", year=2022, level="municipal") == [world.library]
    assert _rows(world, LibraryFilterSet, Library, year=2021) == []
