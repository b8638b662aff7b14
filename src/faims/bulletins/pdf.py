"""A bulletin as PDF in the style of a government document (公文), drawn by WeasyPrint from an HTML template.

The template `bulletins/document.html` holds the page and type: A4 with the 公文 margins, the page number centred
at the foot, the title in a song (serif) face, headings in a hei (sans) face, the body in a fangsong face. Each
font-family list names the 公文 fonts first and then the Noto CJK faces that `make install` puts on the machine.
Nothing is fetched while rendering: the charts are inline data: URIs, and every other scheme is refused.
"""

import base64

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from . import charts
from .content import Bulletin
from .docx import date_line, footnote

# The text block is 156 mm wide (A4 less the 28 mm and 26 mm margins); the image is drawn at that width.
CHART_WIDTH_MM = 156


# Characters of the 22-point title on one line of the A4 text width (156 mm).
TITLE_LINE = 20
# Where a title's line may end: before these words, or after a date.
BREAK_BEFORE = ("重大项目", "考核", "督查", "推进情况", "（")
BREAK_AFTER = ("年", "月", "季度", "年度")


def title_lines(title: str, per_line: int = TITLE_LINE) -> list[str]:
    """A long title in two lines of about equal length, broken between words (before 重大项目, after a date …) as
    a 公文 title is set, never leaving a lone character on the second line."""
    if len(title) <= per_line:
        return [title]
    breaks = [
        i
        for i in range(2, len(title) - 1)
        if title.startswith(BREAK_BEFORE, i) or title[:i].endswith(BREAK_AFTER) and not title[i].isdigit()
    ]
    fitting = [i for i in breaks if max(i, len(title) - i) <= per_line + 2]
    # The most even pair of lines; of two as even, the longer first line.
    cut = min(fitting, key=lambda i: (abs(len(title) - 2 * i), -i)) if fitting else -(-len(title) // 2)
    return [title[:cut], title[cut:]]


def context(bulletin: Bulletin) -> dict:
    """What the template shows, every string already worded."""
    return {
        "bulletin": bulletin,
        "title_lines": title_lines(bulletin.title),
        "paragraphs": [(heading, "".join(sentences)) for heading, sentences in bulletin.paragraphs],
        "charts": [
            {
                "title": chart.title,
                "src": "data:image/png;base64,"
                + base64.b64encode(charts.png(chart, width_mm=CHART_WIDTH_MM)).decode("ascii"),
            }
            for chart in bulletin.charts
        ],
        "date": date_line(bulletin),
        "tables": [
            {"label": _("附表%(n)s") % {"n": index}, "title": title, "header": header, "rows": rows}
            for index, (title, header, rows) in enumerate(bulletin.tables, 1)
        ],
        "note": footnote(bulletin),
    }


def render(bulletin: Bulletin) -> bytes:
    html = render_to_string("bulletins/document.html", context(bulletin))
    # Only the inline images may be read: no file, no network (the server's users' networks are closed).
    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=5)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
