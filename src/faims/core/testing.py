"""Test data builders shared by every app's tests: a small world with one user of each role."""
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from faims.core.validators import credit_code_check_char
from faims.org.choices import RegionLevel, Role
from faims.org.models import Department, Organisation, Person, Region, User
from faims.projects.choices import Category, InvestmentType, LibraryLevel, PersonRole, StartKind
from faims.projects.models import AnnualPlan, Library, Membership, Project, ProjectPerson

PASSWORD = "Test-Pass-2022"
_seq = itertools.count(1)


def credit_code(n: int | None = None) -> str:
    body = f"91320200{(n if n is not None else next(_seq)):09d}"
    return body + credit_code_check_char(body)


def make_user(username, role, password=PASSWORD, **scope) -> User:
    user = User(username=username, role=role, full_name=username, **scope)
    user.set_password(password)
    user.save()
    return user


def make_project(region, *, name=None, unit=None, total=Decimal("50000"), departments=(), leader=None, **fields):
    n = next(_seq)
    project = Project.objects.create(
        name=name or f"测试项目{n}", region=region, unit=unit, total_investment=total,
        category=fields.pop("category", Category.INDUSTRY),
        investment_type=fields.pop("investment_type", InvestmentType.ENTERPRISE), leader=leader, **fields,
    )
    project.departments.set(departments)
    return project


@dataclass
class World:
    """Wuxi in miniature: two regions with a project each, plus one project of every scoped role."""

    city: Region
    xinwu: Region
    jiangyin: Region
    department: Department
    other_department: Department
    unit: Organisation
    leader: Person
    commissioner: Person
    library: Library
    projects: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def build_world() -> World:
    city = Region.objects.create(code="320200", name="无锡市", level=RegionLevel.CITY)
    xinwu = Region.objects.create(code="320214", name="新吴区", level=RegionLevel.DISTRICT, parent=city)
    jiangyin = Region.objects.create(code="320281", name="江阴市", level=RegionLevel.COUNTY_CITY, parent=city)
    department = Department.objects.create(name="市自然资源规划局", region=city)
    other = Department.objects.create(name="市交通运输局", region=city)
    unit = Organisation.objects.create(credit_code=credit_code(), name="无锡测试建设有限公司", region=xinwu)
    other_unit = Organisation.objects.create(credit_code=credit_code(), name="江阴测试建设有限公司", region=jiangyin)
    leader = Person.objects.create(name="张市长", title="副市长", is_leader=True)
    other_leader = Person.objects.create(name="李市长", title="副市长", is_leader=True)
    commissioner = Person.objects.create(name="王专员", title="政府服务专员")
    library = Library.objects.create(name="市级重大产业项目", level=LibraryLevel.MUNICIPAL, year=2022)
    world = World(city, xinwu, jiangyin, department, other, unit, leader, commissioner, library)
    world.projects = {
        "xinwu": make_project(xinwu, name="新吴区集成电路项目", unit=unit, departments=[department], leader=leader,
                              code="2022-320214-39-01-000001"),
        "jiangyin": make_project(jiangyin, name="江阴市港口项目", unit=other_unit, departments=[other],
                                 leader=other_leader, code="2022-320281-55-01-000002", total=Decimal("1200000")),
    }
    ProjectPerson.objects.create(project=world.projects["jiangyin"], person=commissioner, role=PersonRole.COMMISSIONER)
    for key, project in world.projects.items():
        Membership.objects.create(project=project, library=library)
        AnnualPlan.objects.create(project=project, year=2022, planned_investment=Decimal("10000"),
                                  start_kind=StartKind.NEW if key == "xinwu" else StartKind.CONTINUING)
    world.users = {
        "admin": make_user("admin", Role.CITY_ADMIN),
        "supervisor": make_user("supervisor", Role.SUPERVISOR),
        "xinwu": make_user("xinwu", Role.REGION_OFFICER, region=xinwu),
        "jiangyin": make_user("jiangyin", Role.REGION_OFFICER, region=jiangyin),
        "department": make_user("department", Role.DEPARTMENT_OFFICER, department=department),
        "unit": make_user("unit", Role.PROJECT_UNIT, organisation=unit),
        "leader": make_user("leader", Role.LEADER, person=leader),
        "commissioner": make_user("commissioner", Role.COMMISSIONER, person=commissioner),
    }
    return world


# Which of the world's projects each role sees.
VISIBLE_PROJECTS = {
    "admin": {"xinwu", "jiangyin"},
    "supervisor": {"xinwu", "jiangyin"},
    "xinwu": {"xinwu"},
    "jiangyin": {"jiangyin"},
    "department": {"xinwu"},
    "unit": {"xinwu"},
    "leader": {"xinwu"},
    "commissioner": {"jiangyin"},
}
