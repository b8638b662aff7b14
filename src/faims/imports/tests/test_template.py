"""The period's template: one row per due project of the user's scope; filled in and uploaded back, it works."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from faims.imports import exports
from faims.reporting import services as reporting
from faims.reporting.choices import ReportStatus
from faims.reporting.models import MonthlyReport

from .helpers import commit, upload

YTD, CUMULATIVE, START, START_DATE = 10, 11, 12, 13


def fill(content: bytes, figures: dict) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    for row in range(4, sheet.max_row + 1):
        name = sheet.cell(row=row, column=3).value
        if name in figures:
            ytd, cumulative = figures[name]
            sheet.cell(row=row, column=YTD, value=ytd)
            sheet.cell(row=row, column=CUMULATIVE, value=cumulative)
            sheet.cell(row=row, column=START, value="已开工")
            sheet.cell(row=row, column=START_DATE, value=dt.date(2022, 2, 1))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("key, names", [
    ("unit", ["新吴区集成电路项目"]),
    ("xinwu", ["新吴区集成电路项目"]),
    ("admin", ["新吴区集成电路项目", "江阴市港口项目"]),
])
def test_round_trip(world, key, names):
    user = world.users[key]
    period = reporting.get_period(2022, 6)
    content = exports.report_template(period, user, protect=key == "unit")
    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(row=r, column=3).value for r in range(4, sheet.max_row + 1)] == sorted(
        names, key=lambda n: {"新吴区集成电路项目": 0, "江阴市港口项目": 1}[n])
    assert sheet.cell(row=3, column=YTD).value == "1-6月完成投资（万元）"
    assert any("已开工" in str(v.formula1) for v in sheet.data_validations.dataValidation)
    assert sheet.protection.sheet is (key == "unit")

    # Unfilled, the template imports nothing.
    _batch, preview = upload(user, content, name="template.xlsx")
    assert preview.ok and preview.changed == 0 and preview.counts()["skipped"] == len(names)

    filled = fill(content, {name: (1200, 5000) for name in names})
    batch, plan = commit(user, filled, name="template.xlsx")
    assert plan.ok, plan.as_text()
    reports = MonthlyReport.objects.filter(period=period)
    assert reports.count() == len(names)
    assert {r.ytd_investment for r in reports} == {Decimal("1200")}
    assert {r.status for r in reports} == {ReportStatus.DRAFT}

    # The template of the same period now carries the figures; uploaded back it changes nothing.
    again = exports.report_template(period, user)
    _batch, preview = upload(user, again, name="template.xlsx")
    assert preview.ok and preview.changed == 0, preview.as_text()
    assert preview.counts()["unchanged"] == len(names)


def test_submit_with_warning_needs_a_note(world):
    user = world.users["unit"]
    period = reporting.get_period(2022, 6)
    # Cumulative above the total investment (50,000) is a warning.
    content = fill(exports.report_template(period, user), {"新吴区集成电路项目": (1200, 60000)})
    batch, plan = commit(user, content, submit=True)
    assert not plan.ok and "预警说明" in str(plan.errors[0])
    assert not MonthlyReport.objects.exists()
    batch, plan = commit(user, content, submit=True, note="总投资已调增，待批复")
    assert plan.ok, plan.as_text()
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.warning_note == "总投资已调增，待批复"


def test_the_template_is_chinese_whatever_the_page_language(world):
    """A template downloaded from the English pages must still import back."""
    from django.utils import translation

    period = reporting.get_period(2022, 6)
    with translation.override("en"):
        content = exports.report_template(period, world.users["admin"])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(row=3, column=YTD).value == "1-6月完成投资（万元）"
    assert any("已开工" in str(v.formula1) for v in sheet.data_validations.dataValidation)
