"""A month's report through the browser: filed, returned, corrected, resubmitted, accepted, locked."""
import re

import pytest
from playwright.sync_api import expect

from faims.core.testing import PASSWORD

from .conftest import log_in

pytestmark = pytest.mark.browser

PROJECT = "新吴区集成电路项目"


def status_of(page):
    return page.get_by_test_id("report-status")


def test_a_report_from_filing_to_the_lock(world, new_page):
    unit, officer, admin = new_page(), new_page(), new_page()
    for page, username in ((unit, "unit"), (officer, "xinwu"), (admin, "admin")):
        log_in(page, username, PASSWORD)

    # The project unit finds its project among those due and files it from the prefilled form.
    unit.goto("/reporting/due/?period=2022-06")
    row = unit.get_by_test_id("due-table").locator("tr", has_text=PROJECT)
    with unit.expect_navigation():
        row.get_by_test_id("file-report").click()
    assert unit.locator("select[name=project]").input_value() == str(world.projects["xinwu"].pk)
    assert unit.locator("input[name=period]").input_value() == "2022-06"
    unit.check("input[name=basis][value=ytd]")
    expect(unit.locator("input[name=month_investment]")).to_have_js_property("readOnly", True)
    unit.select_option("select[name=start_status]", "started")
    unit.fill("input[name=actual_start_date]", "2022-03-01")
    unit.select_option("select[name=construction_status]", "construction")
    unit.fill("input[name=ytd_investment]", "1200")
    # A figure above the total investment: the live check warns before anything is saved.
    unit.fill("input[name=cumulative_investment]", "60000")
    unit.locator("input[name=cumulative_investment]").blur()
    expect(unit.get_by_test_id("check-warning")).to_contain_text("R04")
    unit.fill("input[name=cumulative_investment]", "3000")
    unit.get_by_test_id("check-now").click()
    expect(unit.get_by_test_id("check-ok")).to_be_visible()
    with unit.expect_navigation():
        unit.get_by_test_id("save-submit").click()
    expect(status_of(unit)).to_have_text("已报送")
    report_url = unit.url
    assert re.search(r"/reporting/\d+/$", report_url)
    expect(unit.get_by_test_id("action-accept")).to_have_count(0)

    # The region officer returns it with a reason.
    officer.goto(report_url)
    with officer.expect_navigation():
        officer.get_by_test_id("action-return").click()
    officer.fill("textarea[name=reason]", "累计投资与统计数据不一致，请核对")
    with officer.expect_navigation():
        officer.get_by_test_id("action-submit").click()
    expect(status_of(officer)).to_have_text("已退回")

    # The unit reads the reason, corrects the figure and submits again.
    unit.reload()
    expect(unit.get_by_test_id("return-reason")).to_contain_text("累计投资与统计数据不一致")
    with unit.expect_navigation():
        unit.get_by_test_id("action-edit").click()
    unit.fill("input[name=cumulative_investment]", "3200")
    with unit.expect_navigation():
        unit.get_by_test_id("save-submit").click()
    expect(status_of(unit)).to_have_text("已报送")
    expect(unit.get_by_test_id("figures")).to_contain_text("3,200")

    # The officer accepts it.
    officer.reload()
    with officer.expect_navigation():
        officer.get_by_test_id("action-accept").click()
    expect(status_of(officer)).to_have_text("已审核")

    # The city admin locks the period; afterwards the unit can only amend.
    admin.goto(report_url)
    with admin.expect_navigation():
        admin.get_by_role("link", name="2022年6月").first.click()
    with admin.expect_navigation():
        admin.get_by_test_id("lock-period").click()
    with admin.expect_navigation():
        admin.get_by_test_id("confirm-lock").click()
    expect(admin.get_by_test_id("period-locked")).to_be_visible()
    expect(admin.get_by_test_id("lock-period")).to_have_count(0)

    unit.reload()
    expect(unit.get_by_test_id("action-amend")).to_be_visible()
    expect(unit.get_by_test_id("action-edit")).to_have_count(0)


def test_the_report_form_fits_a_phone(world, page):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "unit", PASSWORD)
    page.goto(f"/reporting/add/?project={world.projects['xinwu'].pk}&period=2022-06")
    page.get_by_test_id("report-form").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_test_id("save-submit").is_visible()
