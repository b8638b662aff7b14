"""Targets and quantitative tasks through the API: the targets pages' form, filters, services and scope."""

from decimal import Decimal

import pytest

from faims.core.models import ChangeLog
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_report
from faims.targets.choices import TargetPeriod, TargetScope
from faims.targets.models import QuantitativeTask, Target, TaskProgress

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def targets(world):
    return {
        "fai": Target.objects.create(kpi_key="annual_target", year=2022, value=Decimal("45000000"),
                                     description="全市固定资产投资"),
        "xinwu": Target.objects.create(kpi_key="project_count", scope=TargetScope.REGION, region=world.xinwu,
                                       year=2022, value=Decimal("25"), description="新吴区重大项目数"),
        "old": Target.objects.create(kpi_key="started_rate", year=2021, value=Decimal("0.8")),
    }


BODY = {"year": 2022, "kpi_key": "annual_target", "scope": TargetScope.REGION, "period": TargetPeriod.YEAR,
        "value": "3500000", "description": "新吴区投资目标"}


def test_targets_are_read_by_everyone_and_filtered_like_the_list(world, api_for, targets):
    leader = api_for("leader")
    assert len(_results(leader.get("/api/targets/"))) == 3
    rows = _results(leader.get("/api/targets/", {"year": 2022, "scope": "region"}))
    assert [row["id"] for row in rows] == [targets["xinwu"].pk]
    assert rows[0]["unit"] == "count" and rows[0]["value"] == "25.0000"
    assert leader.get("/api/targets/", {"year": "abc"}).status_code == 400


def test_the_admin_writes_targets_through_the_service(world, api_for, targets):
    admin = api_for("admin")
    created = admin.post("/api/targets/", {**BODY, "region": world.xinwu.pk, "change_reason": "按附件一录入"},
                         format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert ChangeLog.objects.filter(content_type__model="target", object_id=pk, reason="按附件一录入").exists()
    duplicate = admin.post("/api/targets/", {**BODY, "region": world.xinwu.pk}, format="json")
    assert duplicate.status_code == 400 and "已有目标任务" in duplicate.json()["detail"]
    patched = admin.patch(f"/api/targets/{pk}/", {"value": "3600000"}, format="json")
    assert patched.status_code == 200 and Target.objects.get(pk=pk).value == Decimal("3600000")
    assert admin.delete(f"/api/targets/{pk}/").status_code == 204
    assert not Target.objects.filter(pk=pk).exists()


def test_a_bad_target_names_the_field_and_saves_nothing(world, api_for):
    admin = api_for("admin")
    missing_region = admin.post("/api/targets/", BODY, format="json")
    assert missing_region.status_code == 400 and "region" in missing_region.json()["errors"]
    rate = admin.post("/api/targets/", {**BODY, "kpi_key": "started_rate", "scope": "city", "value": "75"},
                      format="json")
    assert rate.status_code == 400 and "value" in rate.json()["errors"]
    unknown = admin.post("/api/targets/", {**BODY, "colour": "red"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"] == {"colour": ["未知字段。"]}
    assert not Target.objects.exists()
    assert api_for("xinwu").post("/api/targets/", {**BODY, "region": world.xinwu.pk},
                                 format="json").status_code == 403
    assert not Target.objects.exists()


def test_attainment_is_the_pages(world, api_for, targets):
    make_report(world.projects["xinwu"], 2022, 6, status=ReportStatus.ACCEPTED, month_investment=200,
                ytd_investment=1200, cumulative_investment=3000)
    admin = api_for("admin")
    result = admin.get(f"/api/targets/{targets['xinwu'].pk}/attainment/", {"year": 2022, "month": 6})
    assert result.status_code == 200, result.content
    body = result.json()
    assert body["month"] == 6 and Decimal(body["expected"]) == Decimal("12.5") and Decimal(body["actual"]) == 1
    assert body["on_track"] is False
    bad = admin.get(f"/api/targets/{targets['xinwu'].pk}/attainment/", {"year": 2022, "month": 13})
    assert bad.status_code == 400


def test_task_progress_is_recorded_by_the_owning_department(world, api_for):
    admin = api_for("admin")
    created = admin.post("/api/quantitative-tasks/", {"year": 2022, "name": "棚户区改造", "quantity": "13900",
                                                      "unit": "套", "owner": world.department.pk}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"]["month"] is None
    department = api_for("department")
    recorded = department.post(f"/api/quantitative-tasks/{pk}/progress/", {"month": 6, "cumulative": "8000"},
                               format="json")
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["on_track"] is True
    lower = department.post(f"/api/quantitative-tasks/{pk}/progress/", {"month": 7, "cumulative": "7000"},
                            format="json")
    assert lower.status_code == 400 and "note" in lower.json()["errors"]
    bad = department.post(f"/api/quantitative-tasks/{pk}/progress/", {"month": 13, "cumulative": "x"},
                          format="json")
    assert bad.status_code == 400 and {"month", "cumulative"} <= set(bad.json()["errors"])
    task = QuantitativeTask.objects.get(pk=pk)
    task.owner = world.other_department
    task.save()
    assert department.post(f"/api/quantitative-tasks/{pk}/progress/", {"month": 8, "cumulative": "9000"},
                           format="json").status_code == 404
    assert list(TaskProgress.objects.values_list("month", flat=True)) == [6]
    rows = department.get(f"/api/quantitative-tasks/{pk}/progress/").json()
    assert [row["month"] for row in rows] == [6]
    assert department.patch(f"/api/quantitative-tasks/{pk}/", {"name": "改"}, format="json").status_code == 404
