"""What a person sees in the browser: signing in, the region scope of the project list, the language switch."""
import pytest

from faims.core.testing import PASSWORD

from .conftest import log_in

pytestmark = pytest.mark.browser

XINWU_PROJECT = "新吴区集成电路项目"
JIANGYIN_PROJECT = "江阴市港口项目"


OWN_AND_OTHER = {"xinwu": (XINWU_PROJECT, JIANGYIN_PROJECT), "jiangyin": (JIANGYIN_PROJECT, XINWU_PROJECT)}


@pytest.mark.parametrize("username", ["xinwu", "jiangyin"])
def test_region_officer_sees_only_own_region_projects(world, page, username):
    own, other = OWN_AND_OTHER[username]
    log_in(page, username, PASSWORD)
    page.goto("/projects/")
    table = page.locator("table").first
    table.wait_for()
    assert own in table.inner_text()
    assert other not in page.content()


def test_two_officers_signed_in_at_once_keep_their_own_scope(world, new_page):
    pages = {username: new_page() for username in ("xinwu", "jiangyin")}
    for username, page in pages.items():
        log_in(page, username, PASSWORD)
    for username, page in pages.items():
        page.goto("/projects/")
        text = page.locator("table").first.inner_text()
        own, other = OWN_AND_OTHER[username]
        assert own in text and other not in text, username


def test_wrong_password_stays_on_the_login_form(world, page):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "xinwu")
    page.fill("input[name=password]", "not-the-password")
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger").is_visible()
    assert page.locator("input[name=password]").is_visible()


def test_language_selector_switches_to_english_and_the_login_page_renders(world, page):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    with page.expect_navigation():
        page.select_option("nav select[name=language]", "en")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav select[name=language]").input_value() == "en"
    for field in ("username", "password"):
        assert page.locator(f"input[name={field}]").is_visible()
    assert page.locator("form button[type=submit]").is_visible()

    # The choice is kept in a cookie, so it outlives signing in.
    log_in(page, "xinwu", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "en"


def test_pages_load_their_styles_and_scripts_from_the_server(world, page):
    """Bootstrap comes from static/vendor (make install), never from a CDN."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/accounts/login/")
    page.wait_for_load_state("load")
    assert requests and all(url.startswith(page.url.split("/accounts/")[0]) for url in requests), requests
    assert page.evaluate("typeof window.bootstrap") == "object", "static/vendor/bootstrap is missing: run make install"
