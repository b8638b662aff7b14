import pytest

from faims.core.permissions import CHANGE, VIEW
from faims.core.testing import VISIBLE_PROJECTS
from faims.projects.models import AnnualPlan, Membership, Project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", sorted(VISIBLE_PROJECTS))
def test_each_role_sees_only_its_projects(world, key):
    user = world.users[key]
    expected = {world.projects[name].pk for name in VISIBLE_PROJECTS[key]}
    assert set(Project.objects.restrict(user, VIEW).values_list("pk", flat=True)) == expected
    assert set(Membership.objects.restrict(user, VIEW).values_list("project", flat=True)) == expected
    assert set(AnnualPlan.objects.restrict(user, VIEW).values_list("project", flat=True)) == expected


@pytest.mark.parametrize("key", sorted(VISIBLE_PROJECTS))
def test_only_the_city_admin_writes(world, key):
    writable = Project.objects.restrict(world.users[key], CHANGE).count()
    assert writable == (2 if key == "admin" else 0)


def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Project.objects.restrict(AnonymousUser()).exists()
    user = world.users["admin"]
    user.is_active = False
    assert not Project.objects.restrict(user).exists()


def test_region_officer_of_the_city_sees_its_districts(world):
    from faims.core.testing import make_user
    from faims.org.choices import Role

    officer = make_user("city-officer", Role.REGION_OFFICER, region=world.city)
    assert Project.objects.restrict(officer).count() == 2
