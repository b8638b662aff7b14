"""The five rates, the district map, a slice's warnings and most-behind projects, and the year-end forecast:
each is the engine's figure over the user's scope, and each link lists the projects behind it."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from faims.alerts.choices import WarningLevel
from faims.alerts.models import ProjectWarning
from faims.core.permissions import VIEW
from faims.core.testing import make_project
from faims.dashboard import views
from faims.metrics import facts
from faims.metrics.engine import PARTS, evaluate, projects_behind
from faims.metrics.models import FactPeriod
from faims.org.choices import RegionLevel
from faims.org.models import Region
from faims.projects.choices import StartKind
from faims.projects.models import AnnualPlan, Project
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_report

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("dashboard:overview")
PERIOD = {"year": 2022, "month": 6}
VENDOR_MAP = Path(settings.BASE_DIR) / "static/vendor/echarts-maps/jiang1_su1_wu2_xi2.js"


@pytest.fixture
def lifecycle(figures):
    """Dates that give each of the five rates a value: 新吴 signed, coded, filed and started; the idle
    project signed without a code; 江阴's port completed and in production, not yet at capacity; and a
    project of 经开区, a region the outline does not draw."""
    p1, p2, idle = figures.projects["xinwu"], figures.projects["jiangyin"], figures.projects["idle"]
    Project.objects.filter(pk=p1.pk).update(
        actual_sign_date=dt.date(2022, 1, 10), actual_filing_date=dt.date(2022, 2, 1)
    )
    Project.objects.filter(pk=idle.pk).update(actual_sign_date=dt.date(2022, 2, 10), code=None)
    Project.objects.filter(pk=p2.pk).update(
        actual_completion_date=dt.date(2022, 4, 1), actual_production_date=dt.date(2022, 5, 1)
    )
    zone = Region.objects.create(code="320271", name="经开区", level=RegionLevel.FUNCTIONAL, parent=figures.city)
    park = make_project(zone, name="经开区文化中心", total=Decimal("30000"), actual_start_date=dt.date(2022, 1, 5))
    AnnualPlan.objects.create(project=park, year=2022, planned_investment=Decimal("5000"), start_kind=StartKind.NEW)
    make_report(park, 2022, 6, status=ReportStatus.ACCEPTED, ytd_investment=1000)
    figures.zone = zone
    figures.projects["park"] = park
    refresh_if_built()
    return figures


def refresh_if_built():
    """These fixtures write with the ORM, not the services: rebuild the engine's stored facts when built."""
    if FactPeriod.objects.exists():
        facts.rebuild_all()


def chart_data(client, **query):
    response = client.get(OVERVIEW, {**PERIOD, **query})
    assert response.status_code == 200
    return response, response.context["chart_data"]


def count_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


def test_the_five_rates_are_the_engines_and_link_to_their_numerators(lifecycle, admin_client):
    _response, data = chart_data(admin_client)
    projects = Project.objects.restrict(lifecycle.users["admin"], VIEW)
    expected = evaluate(projects, 2022, 6, keys=views.FIVE_RATES, target_scope="city").total.values
    rows = {row["key"]: row for row in data["funnel"]}
    assert list(rows) == views.FIVE_RATES
    for key in views.FIVE_RATES:
        row = rows[key]
        assert row["rate"] == views._percent(expected[key]), key
        assert (
            row["numerator"] == projects_behind(projects, 2022, 6, key).count() == count_of(admin_client, row["url"])
        ), key
        assert (
            row["denominator"]
            == projects_behind(projects, 2022, 6, key, "denominator").count()
            == count_of(admin_client, row["denominator_url"])
        ), key
    assert (rows["filing_rate"]["numerator"], rows["filing_rate"]["denominator"], rows["filing_rate"]["rate"]) == (
        1,
        2,
        50.0,
    )
    assert (rows["production_rate"]["rate"], rows["capacity_rate"]["rate"]) == (100.0, 0.0)
    # A ratio of money over the started projects (新吴, 江阴's port, 经开区): their number, once.
    started = rows["started_investment_rate"]
    assert (started["numerator"], started["denominator"], started["cohort_label"]) == (3, 3, "已开工项目")


def test_a_rate_without_a_cohort_says_no_data(figures, admin_client):
    _response, data = chart_data(admin_client)
    filing = next(row for row in data["funnel"] if row["key"] == "filing_rate")
    assert filing["rate"] is None and filing["display"] == "无数据" and filing["denominator"] == 0


def test_the_map_carries_the_engines_figures_by_region(lifecycle, admin_client):
    response, data = chart_data(admin_client)
    html = response.content.decode()
    assert "vendor/echarts-maps/jiang1_su1_wu2_xi2.js" in html and 'data-testid="map-key"' in html
    projects = Project.objects.restrict(lifecycle.users["admin"], VIEW)
    expected = {row.key: row.values for row in evaluate(projects, 2022, 6, keys=views.MAP_KEYS, by="region").rows}
    shown = {entry["region"]: entry for entry in data["map"]["inside"] + data["map"]["outside"]}
    assert set(shown) == set(expected)
    assert [entry["name"] for entry in data["map"]["inside"]] == ["新吴区", "江阴市"]
    # 经开区 is not in the outline: it is listed beside the map with its figures, not hidden.
    assert [entry["name"] for entry in data["map"]["outside"]] == ["经开区"]
    assert [k["key"] for k in data["map"]["keys"]] == views.MAP_KEYS
    for region, entry in shown.items():
        assert entry["url"] == views.overview_url(2022, 6, region=region)
        for key in views.MAP_KEYS:
            assert entry["values"][key] == views._map_value(key, expected[region][key]), (region, key)
            link = entry["drilldowns"][key]
            numerator = projects_behind(projects, 2022, 6, key, group=region, by="region")
            assert count_of(admin_client, link) == numerator.count(), (region, key)
    assert shown[lifecycle.zone.pk]["values"]["ytd_investment"] == 0.1
    assert shown[lifecycle.xinwu.pk]["displays"]["ytd_investment"] == "6,000"


def test_a_region_officers_map_carries_only_its_regions(lifecycle, client_for):
    _response, data = chart_data(client_for("jiangyin"))
    assert [entry["name"] for entry in data["map"]["inside"]] == ["江阴市"]
    assert data["map"]["outside"] == []
    _response, data = chart_data(client_for("xinwu"))
    assert [entry["name"] for entry in data["map"]["inside"] + data["map"]["outside"]] == ["新吴区"]


def test_the_map_names_match_the_vendored_outline():
    if not VENDOR_MAP.exists():
        pytest.skip(f"{VENDOR_MAP} is missing: run make install (scripts/vendor_static.sh)")
    text = VENDOR_MAP.read_text(encoding="utf-8")
    assert f'registerMap("{views.MAP_NAME}"' in text
    for name in views.MAP_DISTRICTS:
        assert f'name:"{name}"' in text, name
    assert (VENDOR_MAP.parent / "LICENSE").exists() and "License: MIT" in (VENDOR_MAP.parent / "PKG-INFO").read_text()


def warn(project, level, rule="W1"):
    warning = ProjectWarning.objects.create(
        project=project, rule=rule, level=level, year=2022, month=6, message="x", raised_at=timezone.now()
    )
    refresh_if_built()
    return warning


@pytest.mark.parametrize("kind", ["region", "library", "leader"])
def test_a_slice_shows_its_warnings_and_most_behind_projects(lifecycle, admin_client, kind):
    p1, p2 = lifecycle.projects["xinwu"], lifecycle.projects["jiangyin"]
    warn(p1, WarningLevel.RED)
    warn(p1, WarningLevel.RED, rule="W2")
    warn(p2, WarningLevel.YELLOW)
    target = {"region": lifecycle.xinwu, "library": lifecycle.library, "leader": lifecycle.leader}[kind]
    response = admin_client.get(OVERVIEW, {**PERIOD, kind: target.pk})
    sliced = views.Slice(lifecycle.users["admin"], kind, target)
    expected = evaluate(sliced.projects, 2022, 6, keys=["warning_red_count", "warning_yellow_count"]).total.values
    warnings = {w["level"]: w for w in response.context["warnings"]}
    assert warnings["red"]["count"] == expected["warning_red_count"] == 1
    assert warnings["yellow"]["count"] == expected["warning_yellow_count"]
    for level, w in warnings.items():
        query = parse_qs(urlparse(w["url"]).query)
        assert query == {"period": ["2022-06"], "state": ["active"], "level": [level], kind: [str(target.pk)]}
        listed = admin_client.get(w["url"])
        assert listed.status_code == 200
        assert len({warning.project_id for warning in listed.context["table"].data}) == w["count"], (kind, level)
    assert response.context["projects_url"] == f"{reverse('projects:project_list')}?{kind}={target.pk}"
    behind = projects_behind(sliced.projects, 2022, 6, "behind_schedule_count")
    assert {row["project"].pk for row in response.context["behind"]} == set(behind.values_list("pk", flat=True))
    assert response.context["behind_count"] == behind.count()


def test_the_city_overview_has_no_slice_section(lifecycle, admin_client):
    response = admin_client.get(OVERVIEW, PERIOD)
    assert "warnings" not in response.context and 'data-testid="slice-projects"' not in response.content.decode()


def test_the_most_behind_come_first(lifecycle, admin_client):
    # 江阴's port: started, 0.1亿 of 1亿 (10% against 50%); a bridge at 20%; the idle project never started.
    bridge = make_project(lifecycle.jiangyin, name="江阴市大桥项目", actual_start_date=dt.date(2022, 2, 1))
    AnnualPlan.objects.create(
        project=bridge, year=2022, planned_investment=Decimal("10000"), start_kind=StartKind.CONTINUING
    )
    make_report(bridge, 2022, 6, status=ReportStatus.ACCEPTED, ytd_investment=2000)
    refresh_if_built()
    response = admin_client.get(OVERVIEW, {**PERIOD, "region": lifecycle.jiangyin.pk})
    assert [(row["project"].name, row["rate"]) for row in response.context["behind"]] == [
        ("江阴市港口项目", "10.0%"),
        ("江阴市大桥项目", "20.0%"),
    ]
    assert response.context["behind_count"] == 2


def test_the_forecast_card_and_projection(lifecycle, admin_client):
    response, data = chart_data(admin_client)
    projects = Project.objects.restrict(lifecycle.users["admin"], VIEW)
    value = evaluate(projects, 2022, 6, keys=[views.FORECAST], target_scope="city").total.values[views.FORECAST]
    card = response.context["forecast"]
    assert card["value"] == value
    assert 'data-testid="card-forecast_year_end"' in response.content.decode()
    assert len(data["monthly"]) == 12 and data["monthly"][11]["ytd"] is None
    assert data["forecast"]["value"] == views._float(views.to_yi(value))
    key = views.FORECAST if views.FORECAST in PARTS else "ytd_investment"
    assert count_of(admin_client, card["url"]) == projects_behind(projects, 2022, 6, key).count()


def test_problem_cards_are_the_engines_and_list_their_problems(lifecycle, client_for):
    from faims.problems.choices import ProblemCategory, ProblemStatus
    from faims.problems.models import Problem

    admin = lifecycle.users["admin"]
    for title, project, deadline, closed in [
        ("港口用地", lifecycle.projects["jiangyin"], dt.date(2022, 5, 31), None),
        ("集成电路能耗", lifecycle.projects["xinwu"], dt.date(2022, 7, 31), None),
        ("集成电路资金", lifecycle.projects["xinwu"], dt.date(2022, 4, 30), dt.datetime(2022, 4, 20, 9)),
    ]:
        Problem.objects.create(
            project=project, title=title, description=title, category=ProblemCategory.LAND, raised_by=admin,
            raised_at=timezone.make_aware(dt.datetime(2022, 3, 1, 9)), deadline=deadline,
            status=ProblemStatus.CLOSED if closed else ProblemStatus.ASSIGNED,
            closed_at=timezone.make_aware(closed) if closed else None,
        )
    for user, query in [("admin", {}), ("admin", {"region": lifecycle.jiangyin.pk}), ("xinwu", {})]:
        client = client_for(user)
        response = client.get(OVERVIEW, {**PERIOD, **query})
        cards = {c["key"]: c for c in response.context["problem_cards"]}
        sliced = views.slice_of(response.wsgi_request)
        expected = evaluate(sliced.projects, 2022, 6, keys=[*views.PROBLEM_CARDS, *views.VISIT_CARDS]).total.values
        assert {key: c["value"] for key, c in cards.items()} == expected, (user, query)
        for key in ("problem_open_count", "problem_overdue_count"):
            assert count_of(client, cards[key]["url"]) == expected[key], (user, query, key)
    city = {c["key"]: c["value"] for c in client_for("admin").get(OVERVIEW, PERIOD).context["problem_cards"]}
    assert city == {"problem_open_count": 2, "problem_overdue_count": 1, "problem_feedback_rate": 0,
                    "problem_closure_rate": Fraction(1, 3), "leader_visit_compliance_rate": 0,
                    "commissioner_visit_compliance_rate": 0}
