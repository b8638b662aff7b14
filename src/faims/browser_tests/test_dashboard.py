"""The overview in a browser: the five rates and the district map draw (ECharts canvases, no console
errors), and a click on a district opens that region's overview."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from faims.core.testing import PASSWORD
from faims.projects.models import Project
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_period, make_report

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def reported(world):
    """June 2022 reports for the world's two projects, so that the overview has figures."""
    make_period(2022, 6)
    for key, start in (("xinwu", dt.date(2022, 3, 1)), ("jiangyin", dt.date(2021, 5, 1))):
        project = world.projects[key]
        Project.objects.filter(pk=project.pk).update(actual_start_date=start, actual_sign_date=dt.date(2022, 1, 5))
        make_report(project, 2022, 6, status=ReportStatus.ACCEPTED, ytd_investment=3000)
    return world


def console_error(errors, message):
    # The browser's own request for /favicon.ico (which the site does not serve) is not the page's error.
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        errors.append(message.text)


def open_overview(page, errors, username="admin"):
    page.on("console", lambda message: console_error(errors, message))
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, username, PASSWORD)
    page.goto("/dashboard/?year=2022&month=6")


def district_point(page, name):
    """Where the map draws a district, in viewport coordinates (from ECharts' own projection)."""
    page.get_by_test_id("chart-map").scroll_into_view_if_needed()
    box = page.get_by_test_id("chart-map").bounding_box()
    x, y = page.evaluate(
        """name => {
            const chart = echarts.getInstanceByDom(document.getElementById("chart-map"));
            const feature = echarts.getMap("无锡").geoJSON.features.find(f => f.properties.name === name);
            return chart.convertToPixel({seriesIndex: 0}, feature.properties.cp);
        }""",
        name,
    )
    return box["x"] + x, box["y"] + y


def test_the_map_and_the_five_rates_draw(reported, page):
    errors = []
    open_overview(page, errors)
    for chart in ("chart-funnel", "chart-map", "chart-monthly"):
        expect(page.get_by_test_id(chart).locator("canvas")).to_have_count(1)
    assert page.evaluate("typeof echarts.getMap('无锡')") == "object"
    # The select recolours the map without reloading the page.
    page.get_by_test_id("map-key").select_option("ytd_investment")
    expect(page.get_by_test_id("chart-map").locator("canvas")).to_have_count(1)
    assert errors == []


def test_a_click_on_a_district_opens_its_overview(reported, page):
    errors = []
    open_overview(page, errors)
    expect(page.get_by_test_id("chart-map").locator("canvas")).to_have_count(1)
    x, y = district_point(page, "江阴市")
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert f"region={reported.jiangyin.pk}" in page.url
    expect(page.locator("h1")).to_have_text("江阴市总览")
    assert errors == []
