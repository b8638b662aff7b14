"""The overview's figures are the engine's, over the user's scope, and every figure's link lists its projects."""

import io
import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from faims.core.formatting import format_yi
from faims.core.permissions import VIEW
from faims.metrics.engine import PARTS, evaluate, projects_behind
from faims.metrics.output import display, json_value
from faims.projects.models import Project

OVERVIEW = reverse("dashboard:overview")
DRILLDOWN = reverse("dashboard:drilldown")
LINKED_CARDS = [
    "ytd_investment",
    "annual_plan",
    "completion_rate",
    "progress_gap",
    "new_start_rate",
    "not_started_count",
    "stats_entry_rate",
    "missing_report_count",
    "on_time_report_rate",
    "behind_schedule_count",
]


def card_links(html):
    """data-testid → the href of each card's link."""
    pattern = re.compile(
        r'<a [^>]*href="([^"]+)"[^>]*data-testid="card-([a-z_]+)"|'
        r'<a href="([^"]+)" data-testid="card-([a-z_]+)"'
    )
    links = {}
    for match in pattern.finditer(html):
        href, key = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        links[key] = unescape(href)
    return links


def card_texts(html):
    """data-testid → the visible number of each card."""
    return {key: text.strip() for key, text in re.findall(r'data-testid="card-([a-z_]+)"[^>]*>([^<]*)<', html)}


def drilldown_names(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return {row.record.name for row in response.context["table"].paginated_rows}, response.context["table"]


@pytest.mark.parametrize("user", ["admin", "xinwu"])
def test_the_overview_renders(figures, client_for, user):
    response = client_for(user).get(OVERVIEW, {"year": 2022, "month": 6})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dashboard-data"' in html and "vendor/echarts/echarts.min.js" in html
    assert "http://" not in html.split("<body")[0] and "cdn" not in html.lower()


def test_the_overview_defaults_to_the_latest_period_with_reports(figures, admin_client):
    response = admin_client.get(OVERVIEW)
    assert (response.context["year"], response.context["month"]) == (2022, 6)
    # The city's Q2 start-rate target is stored; the Q3 one falls back to the policy's 100%.
    assert [(value, from_policy) for _label, value, from_policy in response.context["start_targets"]] == [
        (Decimal("0.75"), False),
        (Decimal("1"), True),
    ]


def test_the_home_page_and_the_menu_link_to_the_overview(figures, client_for):
    for user in ["admin", "xinwu", "department", "unit", "leader", "commissioner", "supervisor"]:
        html = client_for(user).get(reverse("core:home")).content.decode()
        assert html.count(f'href="{OVERVIEW}"') == 2, user


@pytest.mark.parametrize("user", ["admin", "xinwu", "jiangyin"])
def test_metrics_dashboard_and_drilldown_agree(figures, client_for, user):
    client = client_for(user)
    scoped = Project.objects.restrict(figures.users[user], VIEW)
    response = client.get(OVERVIEW, {"year": 2022, "month": 6})
    cards = response.context["cards"]
    scope = "city" if user == "admin" else ("region", figures.users[user].region_id)
    expected = evaluate(scoped, 2022, 6, target_scope=scope).total.values
    for key, card in cards.items():
        assert card["value"] == expected[key], key
        assert card["display"] == display(key, expected[key])
    texts = card_texts(response.content.decode())
    for key in [
        "completion_rate",
        "new_start_rate",
        "not_started_count",
        "stats_entry_rate",
        "missing_report_count",
        "on_time_report_rate",
        "behind_schedule_count",
    ]:
        assert texts[key] == display(key, expected[key]), key
    for key in ["ytd_investment", "annual_plan", "annual_target"]:
        assert texts.get(key) == (None if expected[key] is None else format_yi(expected[key])), key
    links = card_links(response.content.decode())
    assert set(LINKED_CARDS) <= set(links)
    for key in LINKED_CARDS:
        names, table = drilldown_names(client, links[key])
        behind = projects_behind(scoped, 2022, 6, key)
        assert table.paginator.count == behind.count(), key
        assert names == {p.name for p in behind}, key
        if key.endswith("_count"):
            assert table.paginator.count == expected[key], key


def test_a_region_officer_sees_its_region_only(figures, client_for):
    response = client_for("jiangyin").get(OVERVIEW, {"year": 2022, "month": 6})
    values = {key: card["value"] for key, card in response.context["cards"].items()}
    jiangyin = Project.objects.filter(region=figures.jiangyin)
    expected = evaluate(jiangyin, 2022, 6, target_scope=("region", figures.jiangyin.pk)).total.values
    assert values == {key: expected[key] for key in values}
    city = evaluate(Project.objects.all(), 2022, 6).total.values
    assert values["ytd_investment"] != city["ytd_investment"]
    # The region's own target, not the city's.
    assert values["annual_target"] == 50000
    regions = response.context["chart_data"]["regions"]
    assert [r["label"] for r in regions] == ["江阴市"]


def test_the_charts_carry_the_engine_figures(figures, admin_client):
    data = admin_client.get(OVERVIEW, {"year": 2022, "month": 6}).context["chart_data"]
    # Once the engine projects the year end, the axis runs on to December with no bars after June.
    assert [(r["label"], r["ytd"]) for r in data["monthly"][:6]] == [
        ("1月", 0.0),
        ("2月", 0.0),
        ("3月", 0.0),
        ("4月", 0.0),
        ("5月", 0.4),
        ("6月", 0.7),
    ]
    assert all(r["ytd"] is None and r["url"] is None for r in data["monthly"][6:])
    assert data["monthly"][5]["plan"] == 2.0  # 4亿 × 6/12
    assert [(r["label"], r["rate"]) for r in data["regions"]] == [("新吴区", 60.0), ("江阴市", 3.3)]
    libraries = {r["label"]: r for r in data["libraries"]}
    assert libraries["2022年市级重大产业项目"]["rate"] == 50.0


def test_a_region_bar_drills_down_to_that_region(figures, admin_client):
    region = next(r for r in admin_client.get(OVERVIEW).context["chart_data"]["regions"] if r["label"] == "江阴市")
    names, _table = drilldown_names(admin_client, region["drilldown"])
    assert names == {"江阴市港口项目", "江阴市安置房项目"}
    assert admin_client.get(region["drilldown"]).context["group_label"] == "江阴市"


def test_out_of_scope_projects_never_appear_in_a_drilldown(figures, client_for):
    client = client_for("xinwu")
    for key in PARTS:
        for part in ("numerator", "denominator"):
            names, _table = drilldown_names(client, f"{DRILLDOWN}?key={key}&part={part}&year=2022&month=6")
            assert names <= {"新吴区集成电路项目"}, (key, part)
    names, _table = drilldown_names(
        client, f"{DRILLDOWN}?key=project_count&year=2022&month=6&group_by=region&group={figures.jiangyin.pk}"
    )
    assert names == set()


@pytest.mark.parametrize(
    "query",
    [
        {"year": 2022, "month": 13},
        {"year": "abc", "month": 6},
        {"year": 2022, "month": 0},
    ],
)
def test_a_bad_period_is_a_friendly_400(figures, admin_client, query):
    for url in (OVERVIEW, f"{DRILLDOWN}?key=project_count"):
        response = admin_client.get(url, query)
        assert response.status_code == 400
        assert "month" in response.content.decode() or "year" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"key": "no_such_kpi"},
        {"key": "time_progress"},
        {"key": "project_count", "part": "both"},
        {"key": "project_count", "group_by": "planet", "group": "1"},
        {"key": "project_count", "group_by": "region", "group": "x"},
        {"key": "project_count", "group_by": "region", "group": "9" * 30},
        {"key": "project_count", "group_by": "region"},
        {"key": "project_count", "group_by": "category", "group": "nope"},
    ],
)
def test_a_bad_drilldown_is_a_friendly_400(figures, admin_client, query):
    response = admin_client.get(DRILLDOWN, {"year": 2022, "month": 6, **query})
    assert response.status_code == 400
    assert 'data-testid="bad-request"' in response.content.decode()


def test_the_overview_without_any_report(world, admin_client):
    response = admin_client.get(OVERVIEW)
    assert response.status_code == 200 and response.context["empty"]


@pytest.mark.parametrize(("user", "options"), [("admin", {}), ("jiangyin", {"region": "320281"})])
def test_the_metrics_command_gives_the_dashboard_figures(figures, client_for, user, options):
    out = io.StringIO()
    call_command("metrics", year=2022, month=6, format="json", user=user, stdout=out, **options)
    printed = json.loads(out.getvalue())
    cards = client_for(user).get(OVERVIEW, {"year": 2022, "month": 6}).context["cards"]
    assert {key: json_value(card["value"]) for key, card in cards.items()} == {key: printed[key] for key in cards}
