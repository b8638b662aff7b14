"""A bulletin's tables as an Excel workbook: one sheet of its facts, one sheet per table, one sheet per chart.

A chart is a native Excel column chart over the data on its own sheet (the reference, such as the time progress, as
a dashed line series), so that it stays editable and its numbers can be read off the cells."""

import io
import re

import xlsxwriter
from django.utils.translation import gettext as _

from .content import Bulletin

# Excel forbids these in sheet names and allows 31 characters.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, index: int | str) -> str:
    return f"{index}.{SHEET_NAME_FORBIDDEN.sub('', title)}"[:31]


def _chart_sheet(workbook, chart, index: int, formats) -> None:
    """The chart's data (categories down, one column per series, then the reference) with the chart beside it."""
    bold, cell, title_format = formats
    sheet = workbook.add_worksheet(_sheet_name(chart.title, _("图%(n)s") % {"n": index}))
    sheet.write(0, 0, chart.title, title_format)
    names = [name for name, _values in chart.series]
    if chart.reference is not None:
        names.append(chart.reference[0])
    sheet.write(1, 0, _("分类"), bold)
    sheet.set_column(0, len(names), 14)
    for column, name in enumerate(names, 1):
        sheet.write(1, column, name, bold)
    last = len(chart.categories) + 1
    for r, category in enumerate(chart.categories, 2):
        sheet.write(r, 0, category, cell)
        for column, (_name, values) in enumerate(chart.series, 1):
            # No value is an empty cell: Excel leaves a gap rather than drawing a bar of 0.
            if values[r - 2] is None:
                sheet.write_blank(r, column, None, cell)
            else:
                sheet.write_number(r, column, values[r - 2], cell)
        if chart.reference is not None and chart.reference[1] is not None:
            sheet.write_number(r, len(names), chart.reference[1], cell)
    sheet_name = sheet.get_name()
    column_chart = workbook.add_chart({"type": "column"})
    for column, name in enumerate(names[: len(chart.series)], 1):
        column_chart.add_series(
            {
                "name": name,
                "categories": [sheet_name, 2, 0, last, 0],
                "values": [sheet_name, 2, column, last, column],
                "data_labels": {"value": True, "num_format": "0.0"},
            }
        )
    if chart.reference is not None and chart.reference[1] is not None:
        line = workbook.add_chart({"type": "line"})
        line.add_series(
            {
                "name": chart.reference[0],
                "categories": [sheet_name, 2, 0, last, 0],
                "values": [sheet_name, 2, len(names), last, len(names)],
                "line": {"color": "#C00000", "dash_type": "dash", "width": 1.5},
                "marker": {"type": "none"},
            }
        )
        column_chart.combine(line)
    column_chart.set_title({"name": chart.title})
    column_chart.set_y_axis({"name": chart.unit, "min": 0, "major_gridlines": {"visible": False}})
    column_chart.set_legend({"position": "bottom"})
    column_chart.show_blanks_as("gap")
    column_chart.set_size({"width": 720, "height": 400})
    sheet.insert_chart(1, len(names) + 2, column_chart)


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
    for index, chart in enumerate(bulletin.charts, 1):
        _chart_sheet(workbook, chart, index, (bold, cell, title_format))
    workbook.close()
    return out.getvalue()
