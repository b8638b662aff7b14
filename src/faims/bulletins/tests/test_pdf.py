"""The PDF bulletin: A4 pages, an embedded CJK font, the text extractable, and Chinese glyphs actually drawn.

poppler-utils (pdfinfo, pdffonts, pdftotext, pdftoppm) read the files back, as a reader's viewer would."""

import dataclasses
import io
import re
import shutil
import subprocess
import tempfile

import pytest
from PIL import Image

from faims.bulletins import pdf
from faims.bulletins.content import monthly

POPPLER = "pdftoppm (Debian poppler-utils) is not installed"


def poppler(tool: str, *args, data: bytes) -> bytes:
    """Runs a poppler tool on the PDF (they read files only: PDF is read from the end) and returns its output."""
    if shutil.which(tool) is None:
        pytest.skip(POPPLER.replace("pdftoppm", tool))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        out = ["-"] if tool == "pdftotext" else []
        return subprocess.run([tool, *args, file.name, *out], capture_output=True, check=True, timeout=60).stdout


@pytest.fixture
def bulletin(june):
    return monthly(june.users["admin"], 2022, 6)


@pytest.fixture
def document(bulletin):
    return pdf.render(bulletin)


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    """The size of every page, in points."""
    info = poppler("pdfinfo", "-f", "1", "-l", "999", data=data).decode()
    found = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    return [(float(w), float(h)) for w, h in found]


def test_the_pdf_has_a4_pages_with_the_tables_on_pages_of_their_own(bulletin, document):
    assert document.startswith(b"%PDF-")
    sizes = page_sizes(document)
    # A4 is 595.28 × 841.89 points.
    assert all(abs(w - 595.28) < 1 and abs(h - 841.89) < 1 for w, h in sizes)
    # The body (with the chart), then each appendix table on a page of its own, opening with 附表N.
    pages = poppler("pdftotext", data=document).decode().split("\f")[: len(sizes)]
    assert len(bulletin.tables) == 3
    assert len(sizes) > len(bulletin.tables)
    openings = ["".join(page.split())[:3] for page in pages[-len(bulletin.tables) :]]
    assert openings == ["附表1", "附表2", "附表3"]


def test_an_embedded_cjk_font_and_the_text_read_back(bulletin, document):
    fonts = poppler("pdffonts", data=document).decode().splitlines()[2:]
    cjk = [line for line in fonts if "CJK" in line or "WenQuanYi" in line]
    assert cjk, fonts
    # pdffonts columns: name type encoding emb sub uni object …; "emb" must be yes for every font.
    assert all(" yes " in line for line in fonts)
    text = poppler("pdftotext", "-layout", data=document).decode()
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", bulletin.title) in flat
    assert "一、总体情况" in flat
    # A table cell: jiangyin's red warning, and the regions' ranking row of 新吴区.
    assert "投资完成率低于时序进度20个百分点" in flat
    assert "新吴区" in flat and "60.0%" in flat
    assert "数据期：2022-06；指标口径版本：" in flat
    # The page number at the foot of the first page, "- 1 -".
    assert re.search(r"-\s*1\s*-", text.split("\f")[0])


def title_area(document: bytes) -> Image.Image:
    """Page 1 at 50 dpi, cut to the band of the title (37 mm top margin, two lines of 22pt)."""
    png = poppler("pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", data=document)
    page = Image.open(io.BytesIO(png)).convert("L")
    mm = page.width / 210
    return page.crop((0, int(35 * mm), page.width, int(62 * mm)))


def ink(image: Image.Image) -> int:
    return sum(image.histogram()[:128])


def test_chinese_glyphs_are_drawn(bulletin):
    """Titles differing only in their characters: few strokes (一) and many (鬱) must draw very different amounts
    of ink. A missing glyph is drawn as the same box (or nothing) whatever the character, so the two would match."""
    light = pdf.render(dataclasses.replace(bulletin, title="一一一一一一一一一一", paragraphs=[], tables=[]))
    heavy = pdf.render(dataclasses.replace(bulletin, title="鬱鬱鬱鬱鬱鬱鬱鬱鬱鬱", paragraphs=[], tables=[]))
    light_area, heavy_area = title_area(light), title_area(heavy)
    assert ink(light_area) > 0
    assert ink(heavy_area) > 2.5 * ink(light_area)


def test_a_long_title_is_set_in_two_even_lines_broken_between_words():
    from faims.bulletins.pdf import title_lines

    assert title_lines("关于2022年第二季度重大项目督查情况的报告") == ["关于2022年第二季度", "重大项目督查情况的报告"]
    assert title_lines("关于2022年1–6月全市重大项目推进情况的通报") == ["关于2022年1–6月全市", "重大项目推进情况的通报"]
    assert title_lines("关于2022年度重大项目建设考核情况的通报") == ["关于2022年度", "重大项目建设考核情况的通报"]
    assert title_lines("短标题") == ["短标题"]
    # Without a word to break at, the halves are even.
    assert title_lines("一" * 30) == ["一" * 15, "一" * 15]
