import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent
from faims.core.testing import make_project
from faims.projects.choices import Category, LifecycleStatus
from faims.projects.models import Project

pytestmark = pytest.mark.django_db

LIST = reverse("projects:project_list")


def export_rows(client, params):
    response = client.get(LIST, {**params, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def listed_names(client, params):
    """Every row of the HTML list, page after page, as the user would read them."""
    names, page = [], 1
    while True:
        table = client.get(LIST, {**params, "page": page}).context["table"]
        names += [row.record.name for row in table.page.object_list]
        if not table.page.has_next():
            return names
        page += 1


@pytest.fixture
def many(world):
    for n in range(70):
        make_project(
            world.xinwu if n % 3 else world.jiangyin, name=f"批量项目{n:02d}", total=Decimal(5000 + n * 2500),
            category=Category.INFRASTRUCTURE if n % 2 else Category.INDUSTRY,
            status=LifecycleStatus.CONSTRUCTION if n % 5 else LifecycleStatus.PREPARATION,
        )
    return world


@pytest.mark.parametrize("params", [
    {},
    {"sort": "name"},
    {"region": "xinwu", "tier": "1", "sort": "-total_investment"},
    {"category": Category.INFRASTRUCTURE, "status": LifecycleStatus.CONSTRUCTION, "q": "批量"},
], ids=["all", "sorted", "region-tier", "category-status-search"])
def test_export_equals_the_filtered_list_across_pages(admin_client, many, params):
    if params.get("region"):
        params = {**params, "region": many.xinwu.pk}
    names = listed_names(admin_client, params)
    header, rows = export_rows(admin_client, params)
    assert [row["项目名称"] for row in rows] == names
    assert len(names) > 0


def test_export_has_every_column_and_raw_amounts(admin_client, world):
    Project.objects.filter(pk=world.projects["jiangyin"].pk).update(
        planned_start_date="2022-03-01")
    header, rows = export_rows(admin_client, {"sort": "-total_investment"})
    assert header == ["投资项目统一代码", "项目名称", "所在地区", "项目单位", "项目类别", "项目状态", "总投资（万元）",
                      "总投资（亿元）", "计划开工日期", "实际开工日期", "挂钩市领导", "所在项目库"]
    port = rows[0]
    assert port["投资项目统一代码"] == "2022-320281-55-01-000002"
    assert port["总投资（万元）"] == 1200000
    assert port["总投资（亿元）"] == 120
    assert port["所在项目库"] == "2022年市级重大产业项目"
    assert port["挂钩市领导"] == "李市长"
    assert port["项目类别"] == "产业"
    assert port["计划开工日期"] == "2022-03-01"
    assert port["实际开工日期"] is None


def test_export_with_every_filter(admin_client, world):
    params = {
        "q": "集成电路", "year": 2022, "library": world.library.pk, "region": world.city.pk,
        "category": Category.INDUSTRY, "nature": "new", "status": LifecycleStatus.PREPARATION, "tier": "1",
        "investment_type": "enterprise", "department": world.department.pk, "leader": world.leader.pk,
        "in_statistics": "false", "is_synthetic": "false",
    }
    _header, rows = export_rows(admin_client, params)
    assert [row["项目名称"] for row in rows] == ["新吴区集成电路项目"]
    event = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    assert event.detail["rows"] == 1
    assert "department" in event.detail["query"]


def test_export_keeps_to_the_users_scope(client_for, many):
    _header, rows = export_rows(client_for("jiangyin"), {})
    assert {row["所在地区"] for row in rows} == {"江阴市"}
    _header, rows = export_rows(client_for("jiangyin"), {"region": many.xinwu.pk})
    assert rows == []


@pytest.mark.parametrize("name", ["library_list", "membership_list", "annualplan_list", "projectperson_list"])
def test_other_registry_lists_export(admin_client, world, name):
    response = admin_client.get(reverse(f"projects:{name}"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sheet.max_row >= 2
