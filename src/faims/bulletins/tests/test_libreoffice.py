"""The Word and Excel bulletins open in LibreOffice: converted headless to PDF, the title comes back out.

This is what offices without Microsoft Office do with the files; a file LibreOffice rejects would reach them empty."""

import shutil
import subprocess

import pytest

from faims.bulletins import docx, xlsx
from faims.bulletins.content import monthly

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(
    OFFICE is None,
    reason="LibreOffice is not installed; apt-get install libreoffice-writer-nogui libreoffice-calc-nogui",
)


def convert(path, target: str, tmp_path):
    """`soffice --headless --convert-to TARGET`, with a profile of its own so that it never meets a running one."""
    outdir = tmp_path / "out"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(path),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return outdir / f"{path.stem}.{target.split(':')[0]}"


def text_of(pdf_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True, timeout=60).stdout
    return "".join(out.decode().split())


@pytest.fixture
def bulletin(june):
    return monthly(june.users["admin"], 2022, 6)


def test_the_docx_converts_to_pdf(bulletin, tmp_path):
    source = tmp_path / "bulletin.docx"
    source.write_bytes(docx.render(bulletin))
    converted = convert(source, "pdf", tmp_path)
    assert converted.read_bytes().startswith(b"%PDF-")
    text = text_of(converted)
    assert bulletin.title in text
    assert "投资完成率低于时序进度20个百分点" in text


def test_the_xlsx_converts_to_pdf_and_ods(bulletin, tmp_path):
    source = tmp_path / "bulletin.xlsx"
    source.write_bytes(xlsx.render(bulletin))
    converted = convert(source, "pdf", tmp_path)
    assert converted.read_bytes().startswith(b"%PDF-")
    assert bulletin.title in text_of(converted)
    ods = convert(source, "ods", tmp_path)
    # An OpenDocument file is a zip whose first member is its uncompressed mimetype.
    assert ods.read_bytes()[:2] == b"PK" and b"application/vnd.oasis.opendocument.spreadsheet" in ods.read_bytes()[:100]
