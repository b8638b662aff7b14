"""A bulletin as a Word document in the style of a government document (公文): A4, its margins, fonts and tables."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import charts
from .content import Bulletin

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
# Word falls back to these (Windows ships them) where the 公文 fonts are not installed.
FALLBACK = {TITLE_FONT: "SimSun", BODY_FONT: "FangSong", HEADING_FONT: "SimHei"}
# The text block is 156 mm wide (A4 less the 28 mm and 26 mm margins).
CHART_WIDTH_MM = 150


def date_line(bulletin: Bulletin) -> str:
    """The date under the signature: 2022年7月5日."""
    date = bulletin.date
    return _("%(year)s年%(month)s月%(day)s日") % {"year": date.year, "month": date.month, "day": date.day}


def footnote(bulletin: Bulletin) -> str:
    """The closing note of every bulletin file: the data period, the KPI definition version and the lock state."""
    return _("数据期：%(period)s；指标口径版本：%(version)s；数据%(locked)s。") % {
        "period": bulletin.period_label,
        "version": bulletin.version,
        "locked": _("已锁定") if bulletin.locked else _("尚未锁定"),
    }


def _font(run_or_style, name: str, size: float, bold: bool = False) -> None:
    font = run_or_style.font
    font.name = FALLBACK[name]
    font.size = Pt(size)
    font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    # The Chinese text is set in the 公文 font; Latin letters and digits in the fallback.
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(doc, text, font, size, *, align=None, indent=True, bold=False):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _table(doc, title, header, rows) -> None:
    _paragraph(doc, title, HEADING_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(text)), BODY_FONT, 10.5)


def _chart(doc, chart) -> None:
    """The chart as a centred picture, its title beneath."""
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(charts.png(chart, width_mm=CHART_WIDTH_MM)), width=Mm(CHART_WIDTH_MM))
    _paragraph(doc, chart.title, HEADING_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def render(bulletin: Bulletin) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _font(normal, BODY_FONT, 16)

    _paragraph(doc, bulletin.title, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, bulletin.office, BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    for heading, sentences in bulletin.paragraphs:
        _paragraph(doc, heading, HEADING_FONT, 16)
        _paragraph(doc, "".join(sentences), BODY_FONT, 16)
    for chart in bulletin.charts:
        _chart(doc, chart)
    _paragraph(doc, bulletin.office, BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(doc, date_line(bulletin), BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    for index, (title, header, rows) in enumerate(bulletin.tables, 1):
        doc.add_page_break()
        _paragraph(doc, _("附表%(n)s") % {"n": index}, HEADING_FONT, 16, indent=False)
        _table(doc, title, header, rows)
    _paragraph(doc, footnote(bulletin), BODY_FONT, 10.5, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
