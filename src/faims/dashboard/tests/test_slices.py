"""The overview of one region, library or linked leader: the engine's figures on that slice, within the scope."""

import pytest
from django.urls import reverse

from faims.core.permissions import VIEW
from faims.metrics.engine import evaluate, projects_behind
from faims.org.models import Region
from faims.projects.filtersets import current_members
from faims.projects.models import Project

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("dashboard:overview")
PERIOD = {"year": 2022, "month": 6}


def scoped(world, user):
    return Project.objects.restrict(world.users[user], VIEW)


def assert_engine_figures(response, projects, target_scope):
    assert response.status_code == 200
    expected = evaluate(projects, 2022, 6, target_scope=target_scope).total.values
    for key, card in response.context["cards"].items():
        assert card["value"] == expected[key], key


def test_a_region_overview(figures, admin_client):
    region = figures.jiangyin
    response = admin_client.get(OVERVIEW, {**PERIOD, "region": region.pk})
    assert response.context["title"] == "江阴市总览"
    projects = scoped(figures, "admin").filter(region__in=Region.objects.subtree_ids(region.pk))
    assert_engine_figures(response, projects, ("region", region.pk))
    # 江阴's own annual target, not the city's.
    assert response.context["cards"]["annual_target"]["value"] == 50000


def test_a_region_includes_its_sub_regions(figures, admin_client):
    response = admin_client.get(OVERVIEW, {**PERIOD, "region": figures.city.pk})
    assert response.context["title"] == "无锡市总览"
    assert_engine_figures(response, scoped(figures, "admin"), ("region", figures.city.pk))


def test_a_library_overview(figures, admin_client):
    library = figures.library
    response = admin_client.get(OVERVIEW, {**PERIOD, "library": library.pk})
    assert response.context["title"] == "2022年市级重大产业项目总览"
    projects = scoped(figures, "admin").filter(pk__in=current_members(library=library))
    assert_engine_figures(response, projects, ("library", library.pk))


def test_a_leader_overview(figures, admin_client):
    response = admin_client.get(OVERVIEW, {**PERIOD, "leader": figures.leader.pk})
    assert response.context["title"] == "张市长挂钩项目总览"
    assert_engine_figures(response, scoped(figures, "admin").filter(leader=figures.leader), None)


def test_a_region_officer_gets_its_own_region_and_404_for_another(figures, client_for):
    client = client_for("xinwu")
    own = client.get(OVERVIEW, {**PERIOD, "region": figures.xinwu.pk})
    assert_engine_figures(own, scoped(figures, "xinwu"), ("region", figures.xinwu.pk))
    assert client.get(OVERVIEW, {**PERIOD, "region": figures.jiangyin.pk}).status_code == 404
    # The city is above the officer's scope.
    assert client.get(OVERVIEW, {**PERIOD, "region": figures.city.pk}).status_code == 404
    drilldown = reverse("dashboard:drilldown")
    assert client.get(drilldown, {**PERIOD, "key": "ytd_investment", "region": figures.jiangyin.pk}).status_code == 404


def test_a_region_officer_sees_its_part_of_a_library_and_404_for_a_leader_outside(figures, client_for):
    client = client_for("xinwu")
    response = client.get(OVERVIEW, {**PERIOD, "library": figures.library.pk})
    projects = scoped(figures, "xinwu").filter(pk__in=current_members(library=figures.library))
    # The library's target is the whole library's, so a part of it answers to none.
    assert_engine_figures(response, projects, None)
    other_leader = figures.projects["jiangyin"].leader
    assert client.get(OVERVIEW, {**PERIOD, "leader": other_leader.pk}).status_code == 404
    assert client.get(OVERVIEW, {**PERIOD, "leader": figures.leader.pk}).status_code == 200


def test_drilldowns_keep_the_slice(figures, admin_client):
    region = figures.jiangyin
    response = admin_client.get(OVERVIEW, {**PERIOD, "region": region.pk})
    projects = scoped(figures, "admin").filter(region__in=Region.objects.subtree_ids(region.pk))
    for key, card in response.context["cards"].items():
        if card["url"] is None:
            continue
        assert f"region={region.pk}" in card["url"], key
        drilled = admin_client.get(card["url"])
        assert drilled.status_code == 200, key
        names = {row.record.name for row in drilled.context["table"].paginated_rows}
        assert names == {p.name for p in projects_behind(projects, 2022, 6, key)}, key
        assert f"region={region.pk}" in drilled.context["back"]
    assert f'name="region" value="{region.pk}"' in response.content.decode()


def test_the_chart_bars_open_the_region_and_library_overviews(figures, admin_client):
    data = admin_client.get(OVERVIEW, PERIOD).context["chart_data"]
    jiangyin = next(row for row in data["regions"] if row["label"] == "江阴市")
    assert f"region={figures.jiangyin.pk}" in jiangyin["url"]
    assert admin_client.get(jiangyin["url"]).context["title"] == "江阴市总览"
    library = next(row for row in data["libraries"] if row["url"])
    assert f"library={figures.library.pk}" in library["url"]
    assert admin_client.get(library["url"]).context["title"] == "2022年市级重大产业项目总览"


@pytest.mark.parametrize("query", [{"region": "x"}, {"library": "99999999999"}])
def test_a_bad_slice_is_a_friendly_400(figures, admin_client, query):
    assert admin_client.get(OVERVIEW, query).status_code == 400


def test_two_slices_at_once_are_refused(figures, admin_client):
    response = admin_client.get(OVERVIEW, {"region": figures.xinwu.pk, "leader": figures.leader.pk})
    assert response.status_code == 400


def test_a_missing_slice_or_a_non_leader_is_404(figures, admin_client):
    assert admin_client.get(OVERVIEW, {"region": 999999}).status_code == 404
    assert admin_client.get(OVERVIEW, {"leader": figures.commissioner.pk}).status_code == 404


def test_detail_pages_link_to_their_overview(figures, admin_client):
    pages = [
        (reverse("org:region", args=[figures.xinwu.pk]), f"?region={figures.xinwu.pk}"),
        (figures.library.get_absolute_url(), f"?library={figures.library.pk}"),
        (reverse("org:person", args=[figures.leader.pk]), f"?leader={figures.leader.pk}"),
    ]
    for url, query in pages:
        html = admin_client.get(url).content.decode()
        assert f'href="{OVERVIEW}{query}"' in html and "查看总览" in html, url
    html = admin_client.get(reverse("org:person", args=[figures.commissioner.pk])).content.decode()
    assert "查看总览" not in html
