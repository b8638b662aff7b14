import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from faims.core.choices import ChangeAction
from faims.core.models import ChangeLog
from faims.targets import services
from faims.targets.choices import TargetPeriod, TargetScope
from faims.targets.models import Target
from faims.targets.tables import target_value_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(world):
    return {
        "fai": Target.objects.create(kpi_key="annual_target", year=2022, value=Decimal("45000000"),
                                     description="全市固定资产投资"),
        "start": Target.objects.create(kpi_key="new_start_rate", year=2022, period=TargetPeriod.H1,
                                       value=Decimal("0.75"), description="新建项目开工率"),
        "xinwu": Target.objects.create(kpi_key="project_count", scope=TargetScope.REGION, region=world.xinwu,
                                       year=2022, value=Decimal("25"), description="新吴区重大项目数"),
        "library": Target.objects.create(kpi_key="ytd_investment", scope=TargetScope.LIBRARY, library=world.library,
                                         year=2021, value=Decimal("13500000"), description="市级重大产业项目投资"),
    }


FORM = {"year": 2022, "kpi_key": "annual_target", "scope": TargetScope.REGION, "period": TargetPeriod.YEAR,
        "value": "3500000", "description": "市级政府投资项目", "change_reason": "按附件一录入"}


def test_value_is_shown_with_its_unit(targets):
    assert target_value_text(targets["fai"]) == "45,000,000万元（4,500.0亿元）"
    assert target_value_text(targets["start"]) == "75.0%"
    assert target_value_text(targets["xinwu"]) == "25个"


def test_pages_open_for_the_city_admin(admin_client, targets):
    target = targets["xinwu"]
    for url in (reverse("targets:target_list"), reverse("targets:target_add"),
                reverse("targets:target", args=[target.pk]), reverse("targets:target_edit", args=[target.pk]),
                reverse("targets:target_delete", args=[target.pk])):
        assert admin_client.get(url).status_code == 200, url
    body = admin_client.get(reverse("targets:target", args=[targets["fai"].pk])).content.decode()
    assert "4,500.0亿元" in body and 'data-testid="history"' in body
    listing = admin_client.get(reverse("targets:target_list")).content.decode()
    assert "75.0%" in listing and "新吴区" in listing


@pytest.mark.parametrize(("query", "expected"), [
    ({}, 4), ({"year": 2022}, 3), ({"scope": TargetScope.REGION}, 1), ({"kpi_key": "new_start_rate"}, 1),
    ({"period": TargetPeriod.H1}, 1), ({"q": "开工"}, 1), ({"sort": "-value"}, 4), ({"sort": "scope"}, 4),
])
def test_list_filters(admin_client, targets, query, expected):
    response = admin_client.get(reverse("targets:target_list"), query)
    assert response.context["table"].paginator.count == expected


def test_region_and_library_filters(admin_client, world, targets):
    response = admin_client.get(reverse("targets:target_list"), {"region": world.xinwu.pk})
    assert [row.record for row in response.context["table"].rows] == [targets["xinwu"]]
    response = admin_client.get(reverse("targets:target_list"), {"library": world.library.pk})
    assert [row.record for row in response.context["table"].rows] == [targets["library"]]


def test_export_keeps_numbers_and_units(admin_client, targets):
    response = admin_client.get(reverse("targets:target_list"), {"export": "xlsx", "year": 2022})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active.values)
    header, data = rows[0], rows[1:]
    assert len(data) == 3
    values = {row[header.index("说明")]: (row[header.index("目标值")], row[header.index("单位")]) for row in data}
    assert values["全市固定资产投资"] == (45000000, "万元")
    assert values["新建项目开工率"] == (0.75, "比率")


def test_create_edit_delete_leave_change_log_rows(admin_client, world):
    response = admin_client.post(reverse("targets:target_add"), {**FORM, "region": world.jiangyin.pk})
    target = Target.objects.get(description="市级政府投资项目")
    assert response.status_code == 302 and response["Location"] == target.get_absolute_url()
    admin_client.post(reverse("targets:target_edit", args=[target.pk]),
                      {**FORM, "region": world.jiangyin.pk, "value": "3600000", "change_reason": "年中调整"})
    admin_client.post(reverse("targets:target_delete", args=[target.pk]), {"change_reason": "重复录入"})
    logs = list(ChangeLog.objects.filter(content_type__model="target", object_id=target.pk).order_by("id"))
    assert [(log.action, log.reason) for log in logs] == [
        (ChangeAction.CREATE, "按附件一录入"), (ChangeAction.UPDATE, "年中调整"), (ChangeAction.DELETE, "重复录入")]
    assert Decimal(logs[1].before["value"]) == 3500000 and Decimal(logs[1].after["value"]) == 3600000
    assert not Target.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize(("data", "field"), [
    ({}, "region"),
    ({"scope": TargetScope.CITY, "region": "REGION"}, "region"),
    ({"scope": TargetScope.LIBRARY, "region": "REGION"}, "library"),
    ({"scope": TargetScope.CATEGORY}, "category"),
    ({"region": "REGION", "kpi_key": "new_start_rate", "value": "75"}, "value"),
])
def test_wrong_scope_fields_are_field_errors(admin_client, world, data, field):
    data = {**FORM, **data}
    if data.get("region") == "REGION":
        data["region"] = world.xinwu.pk
    response = admin_client.post(reverse("targets:target_add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Target.objects.exists()
    assert not ChangeLog.objects.filter(content_type__model="target").exists()


def test_duplicate_city_target_is_refused(admin_client, world, targets):
    response = admin_client.post(reverse("targets:target_add"), {
        **FORM, "scope": TargetScope.CITY, "value": "1", "description": "重复"})
    assert response.status_code == 200
    assert "已有目标任务" in " ".join(response.context["form"].non_field_errors())
    assert Target.objects.count() == 4


def test_service_checks_duplicates_with_empty_scope_fields(world, targets):
    with pytest.raises(ValidationError):
        services.save_target(Target(kpi_key="annual_target", year=2022, value=1), acting_user=world.users["admin"])
    other_year = services.save_target(Target(kpi_key="annual_target", year=2023, value=1),
                                      acting_user=world.users["admin"])
    assert other_year.pk


def test_supervisor_reads_but_cannot_write(client_for, targets):
    client = client_for("supervisor")
    target = targets["fai"]
    page = client.get(reverse("targets:target", args=[target.pk])).content.decode()
    assert reverse("targets:target_edit", args=[target.pk]) not in page
    assert reverse("targets:target_add") not in client.get(reverse("targets:target_list")).content.decode()
    assert client.get(reverse("targets:target_add")).status_code == 403
    assert client.get(reverse("targets:target_edit", args=[target.pk])).status_code == 404
    assert client.post(reverse("targets:target_delete", args=[target.pk])).status_code == 404
    assert Target.objects.filter(pk=target.pk).exists()


def test_region_officer_reads_targets(client_for, targets):
    assert client_for("xinwu").get(reverse("targets:target_list")).context["table"].paginator.count == 4
