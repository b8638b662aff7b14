"""Generating a bulletin in a browser: the page shows the progress while the job worker writes it, then the file."""

import io

import pytest
from django_q.conf import Conf
from docx import Document
from playwright.sync_api import expect

from faims.bulletins import tasks
from faims.bulletins.models import BulletinBuild
from faims.core.testing import PASSWORD

from .conftest import log_in
from .test_dashboard import reported  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def test_the_page_follows_the_build_and_offers_the_file(page, reported, monkeypatch):  # noqa: F811
    monkeypatch.setattr(Conf, "SYNC", False)
    log_in(page, "admin", PASSWORD)
    page.goto("/bulletins/")
    form = page.get_by_test_id("bulletin-form")
    form.locator("select[name=kind]").select_option("monthly")
    form.locator("input[name=year]").fill("2022")
    form.locator("input[name=month]").fill("6")
    form.locator("select[name=format]").select_option("docx")
    with page.expect_navigation():
        page.get_by_test_id("generate").click()
    expect(page.get_by_test_id("build-status")).to_have_text("等待生成")
    expect(page.get_by_test_id("build-download")).to_have_count(0)
    # The job worker picks it up; the page, polling every second, reloads itself once it is done.
    build = BulletinBuild.objects.get()
    tasks.build_bulletin(build.pk)
    expect(page.get_by_test_id("build-status")).to_have_text("已生成")
    with page.expect_download() as download:
        page.get_by_test_id("build-download").click()
    assert download.value.suggested_filename == "关于2022年1–6月全市重大项目推进情况的通报.docx"
    document = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    assert document.paragraphs[0].text.startswith("关于2022年1–6月全市")
