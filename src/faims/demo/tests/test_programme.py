"""The default demo programme, loaded once for the module: the policy's numbers, validity, accounts."""
import io
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent, ChangeLog
from faims.core.validators import project_code_region, validate_project_code
from faims.demo import accounts, programme, reference
from faims.demo.named import NAMED
from faims.org.models import Department, Organisation, Person, Region, User
from faims.projects.choices import MembershipStatus, PersonRole, StartKind
from faims.projects.models import AnnualPlan, Library, Membership, Project, ProjectPerson
from faims.targets.models import Target

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded")]


def library(name):
    return Library.objects.get(name=name)


def in_library(name):
    return Project.objects.filter(memberships__library__name=name, memberships__status=MembershipStatus.IN_LIBRARY)


def test_library_sizes_are_the_policys():
    assert in_library("省重大项目").count() == 27
    assert in_library("市级重大产业项目").count() == 281
    assert in_library("市级政府投资项目").count() == 183
    assert in_library("“十四五”102项重点工程").count() == 102
    assert AnnualPlan.objects.filter(project__in=in_library("省重大项目"), start_kind=StartKind.NEW).count() == 18
    assert Project.objects.count() == programme.DEFAULT_PROJECTS
    # Projects sit in several libraries.
    assert Project.objects.annotate(n=Count("memberships")).filter(n__gte=3).count() > 50


def test_plans_add_up_to_the_library_targets():
    for name, yi in (("省重大项目", 188), ("市级重大产业项目", 1350), ("市级政府投资项目", 350)):
        plans = AnnualPlan.objects.filter(project__in=in_library(name), year=2022)
        total = plans.aggregate(s=Sum("planned_investment"))
        assert abs(total["s"] - yi * 10_000) <= yi * 10_000 * Decimal("0.01"), name


def test_2022_filings_meet_the_15151_tiers():
    filed = Project.objects.filter(actual_filing_date__year=2022)
    assert [filed.filter(total_investment__gte=yi * 10_000).count() for yi in (10, 50, 100)] == [80, 15, 8]


def test_named_projects_are_present_and_real():
    named = Project.objects.filter(name__in=[n.name for n in NAMED])
    assert named.count() == len(NAMED)
    assert not named.filter(is_synthetic=True).exists()
    assert Project.objects.get(name="华虹二期（集成电路）").region.code == "320214"
    assert Project.objects.get(name="锡澄S1线").memberships.filter(library__name="省重大项目").exists()
    synthetic = Project.objects.filter(is_synthetic=True)
    assert synthetic.count() == programme.DEFAULT_PROJECTS - len(NAMED)
    assert all("合成" in name for name in synthetic.values_list("name", flat=True))


def test_every_project_code_is_valid_unique_and_of_its_region():
    rows = list(Project.objects.exclude(code=None).values_list("code", "region__code"))
    assert len(rows) > 0.95 * Project.objects.count()
    assert len({code for code, _ in rows}) == len(rows)
    for code, region_code in rows:
        validate_project_code(code)
        assert project_code_region(code) == region_code


def test_regions_and_reference_data():
    city = Region.objects.get(code="320200")
    assert set(Region.objects.filter(parent=city).values_list("code", flat=True)) == set(reference.SUB_REGION_CODES)
    assert Region.objects.get(code="320271").level == "functional"
    named = ["市发展改革委", "市自然资源规划局", "市地铁集团", "市政府督查室"]
    assert Department.objects.filter(name__in=named).count() == 4
    assert Person.objects.filter(is_leader=True).count() == len(reference.LEADERS)
    assert ProjectPerson.objects.filter(role=PersonRole.COMMISSIONER, project__category="industry").exists()


def test_targets_are_the_policys():
    city = Target.objects.get(kpi_key="annual_target", scope="city", year=2022)
    assert city.value == 45_000_000
    regional = Target.objects.filter(kpi_key="annual_target", scope="region").aggregate(s=Sum("value"))["s"]
    assert regional == city.value
    assert Target.objects.get(kpi_key="annual_target", library=library("市级重大产业项目")).value == 13_500_000
    assert Target.objects.get(kpi_key="annual_target", category="industry").value == 18_000_000
    szd_h1 = Target.objects.get(kpi_key="new_start_rate", library=library("省重大项目"), period="h1")
    assert szd_h1.value == Decimal("0.85")
    assert Target.objects.get(kpi_key="filed_100yi_count").value == 8


def test_a_sample_of_every_model_passes_full_clean():
    for model in (Region, Department, Organisation, Person, User, Library, Project, Membership, AnnualPlan,
                  ProjectPerson, Target):
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        sample = ids[:20] + ids[20::max(1, len(ids) // 40)]
        for obj in model.objects.filter(pk__in=sample):
            obj.full_clean()


def test_dates_are_consistent_with_the_demo_date_and_status():
    projects = Project.objects.all()
    for field in ("actual_start_date", "actual_completion_date", "actual_production_date", "statistics_date"):
        assert not projects.filter(**{f"{field}__gt": reference.AS_OF}).exists(), field
    assert not projects.filter(status="construction", actual_start_date=None).exists()
    assert not projects.filter(status="completed", actual_completion_date=None).exists()
    assert not projects.filter(status="preparation").exclude(actual_start_date=None).exists()


def test_the_load_is_audited():
    event = AuditEvent.objects.get(kind=AuditKind.DEMO_LOAD)
    assert event.detail["counts"]["project"] == programme.DEFAULT_PROJECTS
    assert ChangeLog.objects.filter(object_repr="锡澄S1线").exists()


def test_demo_users_sign_in_with_the_demo_password(client):
    for username in accounts.USERNAMES:
        assert check_password(accounts.DEFAULT_PASSWORD, User.objects.get(username=username).password)
        response = client.post(reverse("core:login"), {"username": username, "password": accounts.DEFAULT_PASSWORD})
        assert response.status_code == 302, username
        client.logout()


def test_each_demo_user_sees_its_scope():
    def visible(username):
        return Project.objects.restrict(User.objects.get(username=username))

    everything = Project.objects.count()
    assert visible("admin").count() == visible("supervisor").count() == everything
    xinwu = visible("xinwu")
    assert xinwu.exists() and set(xinwu.values_list("region__code", flat=True)) == {"320214"}
    assert set(visible("jiangyin").values_list("region__code", flat=True)) == {"320281"}
    zrzy = Department.objects.get(name="市自然资源规划局")
    assert visible("zrzy").count() == Project.objects.filter(departments=zrzy).count() > 0
    assert list(visible("unit").values_list("name", flat=True)) == ["华虹二期（集成电路）"]
    leader = User.objects.get(username="leader").person
    assert leader.is_leader and visible("leader").filter(is_synthetic=False).count() >= 5
    assert set(visible("leader").values_list("leader", flat=True)) == {leader.pk}
    commissioner = visible("commissioner")
    assert commissioner.filter(name="海力士七期").exists() and commissioner.count() < everything


def test_the_accounts_table_is_printed(loaded):
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    for text in (out.getvalue(), loaded):
        for username in accounts.USERNAMES:
            assert username in text
        assert accounts.DEFAULT_PASSWORD in text and "新吴区" in text
