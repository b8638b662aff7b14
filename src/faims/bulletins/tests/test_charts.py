"""The bulletin's charts: the PNG itself, the picture in the Word file and the native chart in the workbook."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from PIL import Image

from faims.bulletins import charts, docx, xlsx
from faims.bulletins.content import Chart, monthly

CHART = Chart(
    title="各地区年度计划完成率",
    categories=["新吴区", "江阴市", "宜兴市"],
    series=[("年度计划完成率", [60.0, 30.0, None])],
    reference=("时序进度", 50.0),
)


def test_the_png_opens_at_the_size_asked_for():
    image = Image.open(io.BytesIO(charts.png(CHART, width_mm=160)))
    assert image.format == "PNG"
    # 160 mm at 200 dpi is 1260 px; the height is 0.55 of the width.
    assert abs(image.width - 1260) <= 1
    assert abs(image.height - 693) <= 1
    small = Image.open(io.BytesIO(charts.png(CHART, width_mm=80, height_mm=60)))
    assert (abs(small.width - 630) <= 1, abs(small.height - 472) <= 1) == (True, True)


def test_a_cjk_font_is_used_when_the_machine_has_one():
    if not any(Path(path).exists() for path, _family in charts.FONT_FILES):
        pytest.skip("no CJK font installed (Debian fonts-noto-cjk or fonts-wqy-microhei)")
    assert charts.font_family() in {family for _path, family in charts.FONT_FILES}


def test_without_a_cjk_font_the_chart_is_still_drawn(monkeypatch):
    monkeypatch.setattr(charts, "FONT_FILES", [("/nonexistent/font.ttc", "Nowhere Sans")])
    charts.font_family.cache_clear()
    try:
        assert charts.font_family() is None
        assert Image.open(io.BytesIO(charts.png(CHART))).format == "PNG"
    finally:
        charts.font_family.cache_clear()


def test_chinese_labels_draw_different_glyphs():
    """Categories differing only in their characters give different images: the glyphs are there, not boxes."""
    if charts.font_family() is None:
        pytest.skip("no CJK font installed (Debian fonts-noto-cjk or fonts-wqy-microhei)")
    one = Chart(title="", categories=["一区"], series=[("率", [10.0])])
    other = Chart(title="", categories=["鬱區"], series=[("率", [10.0])])
    assert charts.png(one) != charts.png(other)


def test_values_are_labelled_half_up_and_none_is_no_bar():
    fig = charts.figure(Chart(title="", categories=["甲", "乙"], series=[("率", [75.25, None])], reference=None))
    ax = fig.axes[0]
    labels = [text.get_text() for text in ax.texts]
    assert labels == ["75.3", ""]
    heights = [patch.get_height() for patch in ax.patches]
    assert heights[0] == 75.25 and heights[1] != heights[1]  # NaN: nothing drawn


def test_the_reference_line_is_dashed_and_labelled():
    ax = charts.figure(CHART).axes[0]
    (line,) = ax.get_lines()
    assert line.get_linestyle() == "--"
    assert list(line.get_ydata()) == [50.0, 50.0]
    assert "时序进度 50.0" in [text.get_text() for text in ax.texts]


def test_the_svg_draws_its_text_as_outlines():
    drawing = charts.svg(CHART)
    assert drawing.lstrip().startswith("<?xml") and "<svg" in drawing
    assert "<text" not in drawing


def test_the_docx_holds_the_chart_as_a_picture_with_its_title_beneath(june):
    bulletin = monthly(june.users["admin"], 2022, 6)
    assert [chart.title for chart in bulletin.charts] == ["各地区年度计划完成率"]
    document = Document(io.BytesIO(docx.render(bulletin)))
    (shape,) = document.inline_shapes
    assert round(shape.width.mm) == docx.CHART_WIDTH_MM
    texts = [p.text for p in document.paragraphs]
    caption = texts.index("各地区年度计划完成率")
    # The picture's paragraph comes just before its caption, after the body and before the signature.
    assert document.paragraphs[caption - 1]._p.xpath(".//pic:pic")
    assert caption < texts.index(bulletin.office, 2)


def test_the_xlsx_holds_a_native_column_chart_with_the_reference_line(june):
    bulletin = monthly(june.users["admin"], 2022, 6)
    data = xlsx.render(bulletin)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook[next(name for name in workbook.sheetnames if name.startswith("图1."))]
    assert sheet["A1"].value == "各地区年度计划完成率"
    assert [c.value for c in sheet[2]][:3] == ["分类", "年度计划完成率", "时序进度"]
    assert [sheet["A3"].value, sheet["B3"].value, sheet["C3"].value] == ["新吴区", 60.0, 50.0]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (chart,) = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        xml = archive.read(chart).decode()
    assert "<c:barChart>" in xml and "<c:lineChart>" in xml
    assert 'val="dash"' in xml


def test_long_labels_are_slanted_so_they_do_not_overlap():
    from faims.bulletins.charts import crowded

    regions = ["梁溪区", "锡山区", "惠山区", "滨湖区", "新吴区", "江阴市", "宜兴市", "经开区"]
    assert not crowded(regions, 160)
    departments = [f"市{n}局" * 2 for n in "一二三四五六七八九十"] + ["市地方金融监管局"] * 6
    assert crowded(departments, 160)
