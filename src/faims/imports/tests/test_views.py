"""The pages: upload, preview, commit; template download; progress table export; scope."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent
from faims.imports.models import BatchStatus, ImportBatch
from faims.projects.models import Project
from faims.reporting.models import MonthlyReport

from .conftest import DATA

SAMPLE = "progress-2022-03-wanyuan.xlsx"


def post_upload(client, url, name=SAMPLE, **data):
    file = SimpleUploadedFile(name, (DATA / name).read_bytes())
    return client.post(url, {"file": file, **data})


def test_upload_preview_commit(client_for, liangxi):
    client = client_for("admin")
    response = post_upload(client, reverse("imports:project_import"), year=2022, region=liangxi.pk,
                           category="industry", investment_type="enterprise", library="")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url())
    assert "梁溪区示例项目01" in page.content.decode() and "确认导入（30 行有变化）" in page.content.decode()
    assert not Project.objects.filter(region=liangxi).exists()
    client.post(batch.get_absolute_url(), {"warning_note": ""})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert Project.objects.filter(region=liangxi).count() == 30
    assert AuditEvent.objects.filter(kind=AuditKind.IMPORT).count() == 1

    response = post_upload(client, reverse("imports:report_import"), period="2022-03", submit="0")
    batch = ImportBatch.objects.order_by("-pk").first()
    client.post(batch.get_absolute_url(), {})
    assert MonthlyReport.objects.count() == 30
    post_upload(client, reverse("imports:report_import"), period="2022-03", submit="0")
    batch = ImportBatch.objects.order_by("-pk").first()
    assert "无变化" in client.get(batch.get_absolute_url()).content.decode()


def test_error_page_names_row_and_column(client_for):
    client = client_for("admin")
    content = "项目名称,本年完成投资\n新吴区集成电路项目,很多\n".encode()
    client.post(reverse("imports:report_import"), {"file": SimpleUploadedFile("x.csv", content), "period": "2022-06",
                                                   "submit": "0"})
    page = client.get(ImportBatch.objects.get().get_absolute_url()).content.decode()
    assert "第2行 B列（本年完成投资）" in page and "确认导入" not in page


def test_pages_follow_roles_and_batches_are_private(client_for, world):
    client = client_for("leader")
    assert client.get(reverse("imports:report_import")).status_code == 404
    assert client.get(reverse("imports:report_template")).status_code == 404
    client = client_for("xinwu")
    assert client.get(reverse("imports:project_import")).status_code == 404
    assert client.get(reverse("imports:report_import")).status_code == 200
    client.post(reverse("imports:report_import"), {
        "file": SimpleUploadedFile("x.csv", "项目名称,本年完成投资\n新吴区集成电路项目,1\n".encode()),
        "period": "2022-06", "submit": "0"})
    batch = ImportBatch.objects.get()
    other = client_for("unit")
    assert other.get(batch.get_absolute_url()).status_code == 404
    assert other.post(batch.get_absolute_url(), {}).status_code == 404


def test_oversized_upload_is_refused_by_the_form(client_for, settings):
    settings.FAIMS_MAX_UPLOAD_MB = 1
    client = client_for("admin")
    big = SimpleUploadedFile("big.csv", b"a" * (1024 * 1024 + 10))
    page = client.post(reverse("imports:report_import"), {"file": big, "period": "2022-06", "submit": "0"})
    assert "超过上限 1 MB" in page.content.decode() and not ImportBatch.objects.exists()


def test_template_download(client_for):
    response = client_for("unit").get(reverse("imports:report_template"), {"period": "2022-06"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert [r[2] for r in rows[3:]] == ["新吴区集成电路项目"]


def read_xlsx(content):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_progress_table_export(client_for, world):
    client = client_for("xinwu")
    page = client.get(reverse("imports:progress_export"), {"period": "2022-06"})
    assert page.status_code == 200 and "共 1 个项目" in page.content.decode()
    response = client.get(reverse("imports:progress_export"), {"period": "2022-06", "download": "1"})
    rows = read_xlsx(response.content)
    assert rows[0][0] == "新吴区重大项目进展情况表（2022年1-6月）"
    assert rows[1][0] == "单位：万元"
    assert rows[2] == ["序号", "项目名称", "建设内容", "总投资", "年度计划", "1-6月完成", "完成率", "开工情况",
                       "形象进度", "存在问题", "责任单位", "挂钩领导"]
    assert rows[3][1] == "新吴区集成电路项目" and rows[3][10] == "市自然资源规划局" and rows[3][11] == "张市长"
    assert rows[4][0] == "合计（1个项目）" and rows[4][3] == 50000
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORT).exists()
    response = client_for("admin").get(reverse("imports:progress_export"), {
        "period": "2022-06", "download": "1", "region": world.jiangyin.pk})
    assert [r[1] for r in read_xlsx(response.content)[3:-1]] == ["江阴市港口项目"]


def test_commands(world, liangxi, tmp_path, capsys):
    sample = str(DATA / "progress-2022-03-plain.csv")
    call_command("import_projects", sample, "--year", "2022", "--region", "320213", "--dry-run")
    assert "新增 30" in capsys.readouterr().out and not Project.objects.filter(region=liangxi).exists()
    call_command("import_projects", sample, "--year", "2022", "--region", "320213", "--library", "梁溪区重大项目")
    assert Project.objects.filter(region=liangxi).count() == 30
    call_command("import_reports", sample, "--period", "2022-03", "--submit", "--user", "admin")
    assert MonthlyReport.objects.filter(status="submitted").count() == 30
    with pytest.raises(CommandError, match="无变化"):
        call_command("import_reports", sample, "--period", "2022-03")
    with pytest.raises(CommandError, match="有错误"):
        call_command("import_reports", str(DATA / "password.xlsx"), "--period", "2022-03")
    assert "密码" in capsys.readouterr().out
    output = tmp_path / "progress.xlsx"
    call_command("export_progress", "--period", "2022-03", "-o", str(output), "--region", "320213",
                 "--library", "梁溪区重大项目")
    rows = read_xlsx(output.read_bytes())
    assert rows[-1][0] == "合计（30个项目）"
    assert rows[-1][3] == 13911787 and rows[-1][4] == 4485805 and rows[-1][5] == 736244
