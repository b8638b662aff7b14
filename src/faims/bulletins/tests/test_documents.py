import io

import openpyxl
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn

from faims.bulletins import docx, xlsx
from faims.bulletins.content import monthly


def test_the_docx_opens_and_holds_the_title_and_the_regions_table(june):
    bulletin = monthly(june.users["admin"], 2022, 6)
    document = Document(io.BytesIO(docx.render(bulletin)))
    section = document.sections[0]
    # Word stores lengths in twips: compare to the millimetre.
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(length.mm) for length in sizes] == [210, 297, 37, 35, 28, 26]
    title = document.paragraphs[0]
    assert title.text == bulletin.title
    run = title.runs[0]
    assert run.font.size.pt == 22
    assert run.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    texts = [p.text for p in document.paragraphs]
    assert "一、总体情况" in texts
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["1", "新吴区", "1", "1.0", "0.6", "60.0%", "10.0", "1/1", "100.0%"] in cells


def test_the_xlsx_opens_with_openpyxl(june):
    bulletin = monthly(june.users["admin"], 2022, 6)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.render(bulletin)))
    assert workbook.sheetnames[0] == "通报"
    assert workbook["通报"]["A1"].value == bulletin.title
    regions = next(workbook[name] for name in workbook.sheetnames if "各地区" in name)
    assert regions["B3"].value == "新吴区"


def test_the_command_writes_a_file(june, tmp_path):
    path = tmp_path / "bulletin.docx"
    call_command("bulletin", "--year", "2022", "--month", "6", "--kind", "monthly", "--format", "docx", "-o", str(path))
    assert Document(str(path)).paragraphs[0].text == "关于2022年1–6月全市重大项目推进情况的通报"
    path = tmp_path / "xinwu.xlsx"
    call_command(
        "bulletin",
        "--year",
        "2022",
        "--month",
        "6",
        "--region",
        "320214",
        "--format",
        "xlsx",
        "-o",
        str(path),
        "--user",
        "xinwu",
    )
    assert openpyxl.load_workbook(path)["通报"]["A1"].value == "关于2022年1–6月新吴区重大项目推进情况的通报"
