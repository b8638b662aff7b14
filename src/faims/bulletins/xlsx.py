"""A bulletin's tables as an Excel workbook: one sheet of its facts, one sheet per table."""

import io
import re

import xlsxwriter
from django.utils.translation import gettext as _

from .content import Bulletin

# Excel forbids these in sheet names and allows 31 characters.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, index: int) -> str:
    return f"{index}.{SHEET_NAME_FORBIDDEN.sub('', title)}"[:31]


def render(bulletin: Bulletin) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
    cell = workbook.add_format({"border": 1})
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    about = workbook.add_worksheet(_("通报")[:31])
    about.set_column(0, 0, 18)
    about.set_column(1, 1, 90)
    about.write(0, 0, bulletin.title, title_format)
    facts = [
        (_("发文单位"), bulletin.office),
        (_("日期"), bulletin.date.isoformat()),
        (_("数据期"), bulletin.period_label),
        (_("范围"), bulletin.scope_label),
        (_("指标口径版本"), bulletin.version),
        (_("数据已锁定"), _("是") if bulletin.locked else _("否")),
    ]
    for line, (label, value) in enumerate(facts, 2):
        about.write(line, 0, label, bold)
        about.write(line, 1, value, cell)
    line = len(facts) + 3
    for heading, sentences in bulletin.paragraphs:
        about.write(line, 0, heading, bold)
        about.write(line, 1, "".join(sentences), cell)
        line += 1
    for index, (title, header, rows) in enumerate(bulletin.tables, 1):
        sheet = workbook.add_worksheet(_sheet_name(title, index))
        sheet.write(0, 0, title, title_format)
        for column, text in enumerate(header):
            sheet.write(1, column, text, bold)
            sheet.set_column(column, column, max(10, len(text) * 2))
        for r, values in enumerate(rows, 2):
            for column, text in enumerate(values):
                sheet.write(r, column, text, cell)
    workbook.close()
    return out.getvalue()
