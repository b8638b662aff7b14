"""Every bad input is a clear error naming where, and nothing is saved."""
import io
import zipfile

import pytest
import xlsxwriter

from faims.imports.models import BatchStatus
from faims.projects.models import AnnualPlan, Project
from faims.reporting.models import MonthlyReport

from .conftest import DATA
from .helpers import commit, upload, xlsx

HEADER = ["项目代码", "项目名称", "1-6月完成投资", "自开工累计完成投资", "开工时间"]
XINWU = "2022-320214-39-01-000001"


@pytest.fixture
def counts(world):
    def now():
        return Project.objects.count(), AnnualPlan.objects.count(), MonthlyReport.objects.count()

    before = now()
    yield lambda: now() == before


def failed(user, content, **kwargs):
    batch, plan = commit(user, content, **kwargs)
    assert not plan.ok
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    return [str(e) for e in plan.errors]


def test_corrupt_xlsx(world, counts):
    content = (DATA / "progress-2022-03-wanyuan.xlsx").read_bytes()[:3000]
    errors = failed(world.users["admin"], content)
    assert "已损坏" in errors[0]
    assert failed(world.users["admin"], b"not a spreadsheet at all", name="x.xlsx")[0].startswith("文件已损坏")
    assert counts()


def test_password_protected(world, counts):
    errors = failed(world.users["admin"], (DATA / "password.xlsx").read_bytes(), name="password.xlsx")
    assert "密码" in errors[0]
    assert counts()


def test_xls_asks_for_xlsx(world, counts):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "Workbook".encode("utf-16-le")
    assert "另存为” .xlsx" in failed(world.users["admin"], ole, name="old.xls")[0]
    assert ".xlsx" in failed(world.users["admin"], b"whatever", name="old.xls")[0]
    assert counts()


def test_file_over_the_size_limit(world, counts, settings):
    settings.FAIMS_MAX_UPLOAD_MB = 1
    content = xlsx([HEADER]) + b"\x00" * (1024 * 1024)
    assert "超过上限 1 MB" in failed(world.users["admin"], content)[0]
    assert counts()


def test_no_recognisable_header(world, counts):
    content = xlsx([["甲", "乙", "丙"], [1, 2, 3]], title="某某表")
    assert "没有找到表头" in failed(world.users["admin"], content)[0]
    assert "没有找到表头" in failed(world.users["admin"], "甲,乙\n1,2\n".encode(), name="x.csv")[0]
    assert counts()


def test_text_in_number_cells_names_row_and_column(world, counts):
    content = xlsx([HEADER, [XINWU, "新吴区集成电路项目", "约一千万", 5000, "2022-02-01"]], title="进度表")
    errors = failed(world.users["admin"], content)
    assert errors == ["第3行 C列（1-6月完成投资）：应填写金额（数字），不是“约一千万”。"]
    assert counts()


def test_bad_date_and_choice(world, counts):
    content = xlsx([HEADER + ["开工情况"], [XINWU, "新吴区集成电路项目", 100, 5000, "二月初", "差不多"]])
    errors = failed(world.users["admin"], content)
    assert any(e.startswith("第2行 E列（开工时间）：无法识别的日期") for e in errors)
    assert any(e.startswith("第2行 F列（开工情况）：“差不多”不是有效的开工情况") for e in errors)
    assert counts()


def test_formula_without_cached_value(world, counts):
    content = xlsx([HEADER, [XINWU, "新吴区集成电路项目", "=100+20", 5000, "2022-02-01"]])
    errors = failed(world.users["admin"], content)
    assert errors == ["第2行 C列（1-6月完成投资）：单元格 C2 是公式且没有计算结果，"
                      "请在 Excel 中重新计算并粘贴为数值后再上传。"]
    assert counts()


def test_formula_with_cached_value(world, counts):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, [XINWU, "新吴区集成电路项目", 120, None, "2022-02-01"])
    sheet.write_formula(1, 3, "=C2*40", None, 4800)
    workbook.close()
    errors = failed(world.users["admin"], buffer.getvalue())
    assert errors == ["第2行 D列（自开工累计完成投资）：单元格 D2 是公式，请复制后“选择性粘贴→数值”再上传。"]
    assert counts()


def test_two_rows_for_one_project(world, counts):
    content = xlsx([HEADER, [XINWU, "新吴区集成电路项目", 100, 5000, "2022-02-01"],
                    ["", "新吴区集成电路项目", 200, 5000, "2022-02-01"]])
    errors = failed(world.users["admin"], content)
    assert errors == ["第3行 B列（项目名称）：与第2行是同一个项目（新吴区集成电路项目），一个项目每期只能有一行。"]
    assert counts()


def test_project_outside_the_uploaders_scope(world, counts):
    content = xlsx([HEADER, [XINWU, "新吴区集成电路项目", 100, 5000, "2022-02-01"],
                    ["2022-320281-55-01-000002", "江阴市港口项目", 100, 5000, "2022-02-01"]])
    errors = failed(world.users["xinwu"], content)
    assert errors == ["第3行 A列（项目代码）：在您的管辖范围内没有项目代码为 2022-320281-55-01-000002 的项目"
                      "（项目不存在或不归您管辖）。"]
    errors = failed(world.users["unit"], xlsx([["项目名称", "本年完成投资"], ["江阴市港口项目", 10]]))
    assert errors[0].startswith("第2行 A列（项目名称）：在您的管辖范围内没有名为“江阴市港口项目”的项目")
    assert counts()


def test_unknown_project(world, counts):
    errors = failed(world.users["admin"], xlsx([["项目名称", "本年完成投资"], ["不存在的项目", 10]]))
    assert "没有名为“不存在的项目”的项目" in errors[0]
    assert counts()


def test_one_bad_row_saves_nothing(world, counts):
    content = xlsx([HEADER, [XINWU, "新吴区集成电路项目", 100, 5000, "2022-02-01"],
                    ["2022-320281-55-01-000002", "江阴市港口项目", "abc", 5000, "2022-02-01"]])
    assert failed(world.users["admin"], content) == ["第3行 C列（1-6月完成投资）：应填写金额（数字），不是“abc”。"]
    assert counts()


def test_rule_errors_block_the_batch(world, counts):
    # Investment without a start (R06) and a start after the period (R07).
    content = xlsx([HEADER, [XINWU, "新吴区集成电路项目", 100, 5000, None],
                    ["2022-320281-55-01-000002", "江阴市港口项目", 10, 50, "2022-08-01"]])
    errors = failed(world.users["admin"], content)
    assert any(e.startswith("第2行") and "R06" in e for e in errors)
    assert any(e.startswith("第3行 E列（开工时间）：R07") for e in errors)
    assert counts()


def test_header_month_must_match_the_period(world, counts):
    content = xlsx([HEADER, [XINWU, "新吴区集成电路项目", 100, 5000, "2022-02-01"]])
    errors = failed(world.users["admin"], content, month=3)
    assert errors == ["C列（1-6月完成投资）：表头“1-6月完成投资”是6月的数据，"
                      "与导入的报送期 2022年3月 不一致；请核对报送期。"]
    assert counts()


def test_project_list_errors(world, counts):
    content = xlsx([["项目代码", "项目名称", "总投资(亿元)", "建设性质", "2022年计划投资"],
                    ["2022-320214-39-01-0001", "代码不对的项目", 1, "新建", 1000],
                    ["", "没有总投资的项目", None, "新建", 1000],
                    ["", "性质不明的项目", 2, "大概新建", 1000],
                    ["", "没有总投资的项目", 3, "续建", 1000]])
    errors = failed(world.users["admin"], content, kind="projects", region="320214")
    assert any(e.startswith("第2行 A列（项目代码）：投资项目统一代码格式应为") for e in errors)
    assert "第3行 C列（总投资(亿元)）：新项目须填写总投资。" in errors
    assert any(e.startswith("第4行 D列（建设性质）：“大概新建”不是有效的建设性质") for e in errors)
    assert any(e.startswith("第5行 B列（项目名称）：与第3行是同一个项目") for e in errors)
    assert counts()


def test_project_list_is_city_admins_only(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload(world.users["xinwu"], xlsx([["项目名称", "总投资"]]), kind="projects")


def test_gb18030_csv(world):
    content = "项目名称,本年完成投资,累计完成投资,开工时间\n新吴区集成电路项目,100,5000,2022/2/1\n".encode("gb18030")
    _batch, plan = commit(world.users["admin"], content, name="gbk.csv")
    assert plan.ok, plan.as_text()
    assert MonthlyReport.objects.get().ytd_investment == 100


def test_zip_that_is_not_a_workbook(world, counts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "已损坏" in failed(world.users["admin"], buffer.getvalue())[0]
    assert counts()
