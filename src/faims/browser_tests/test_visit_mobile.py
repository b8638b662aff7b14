"""A service commissioner records a visit and the problem it found from a phone on site (390×844)."""

import pytest
from playwright.sync_api import expect

from faims.core.testing import PASSWORD
from faims.problems.choices import Source
from faims.problems.models import Visit

from .conftest import log_in

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways: {width}px wide"


def test_commissioner_records_a_visit_on_a_phone(world, page):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(page, "commissioner", PASSWORD)
    page.goto("/problems/visits/add/")
    expect(page.get_by_test_id("visit-form")).to_be_visible()
    no_horizontal_scroll(page)

    project = world.projects["jiangyin"]
    page.fill("input[name=date]", "2022-07-05")
    page.check(f"input[name=projects][value='{project.pk}']")
    page.fill("textarea[name=findings]", "码头二期施工正常，供电线路迁改滞后。")
    page.set_input_files("input[name=photos]", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}])
    page.select_option("select[name=problem_project]", str(project.pk))
    page.select_option("select[name=problem_category]", "utilities")
    page.fill("input[name=problem_title]", "供电线路迁改滞后")
    page.fill("textarea[name=problem_description]", "需市供电公司协调迁改计划。")
    no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_test_id("visit-submit").click()

    expect(page.get_by_test_id("visit-problems")).to_contain_text("供电线路迁改滞后")
    no_horizontal_scroll(page)
    visit = Visit.objects.get()
    assert visit.person == world.commissioner and visit.photos.count() == 1
    assert visit.problems.get().source == Source.VISIT
