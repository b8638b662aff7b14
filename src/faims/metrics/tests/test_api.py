"""The KPIs through the API: the engine's figures for the caller's slice, exact rates, drill-down, the catalogue."""

import datetime as dt
from decimal import Decimal

import pytest

from faims.core.models import ChangeLog
from faims.metrics.models import KpiDefinitionVersion
from faims.projects.models import Project
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_report


@pytest.fixture
def june(world):
    """June 2022: xinwu's new project started and 60% done (accepted), jiangyin's continuing one 30% (submitted)."""
    Project.objects.filter(pk=world.projects["xinwu"].pk).update(actual_start_date=dt.date(2022, 3, 1))
    Project.objects.filter(pk=world.projects["jiangyin"].pk).update(actual_start_date=dt.date(2021, 3, 1))
    make_report(world.projects["xinwu"], status=ReportStatus.ACCEPTED, ytd_investment=Decimal("6000"),
                month_investment=Decimal("1000"))
    make_report(world.projects["jiangyin"], status=ReportStatus.SUBMITTED, ytd_investment=Decimal("3000"),
                month_investment=Decimal("500"))
    return world


def _get(api, path, **params):
    response = api.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_totals_give_rates_as_exact_fractions_and_decimals(june, api_for):
    body = _get(api_for("admin"), "/api/metrics/", year=2022, month=6,
                keys="ytd_investment,completion_rate,time_progress,project_count,annual_target")
    assert (body["period"], body["version"], body["status"], body["by"]) == ("2022-06", 1, "submitted", None)
    assert [kpi["key"] for kpi in body["kpis"]][:2] == ["ytd_investment", "completion_rate"]
    assert body["kpis"][1]["label"] == "年度计划完成率"
    values = body["total"]["values"]
    assert values["completion_rate"] == {"value": 0.45, "decimal": "0.45", "fraction": "9/20", "display": "45.0%",
                                         "numerator_count": 2, "denominator_count": 2}
    assert values["time_progress"]["fraction"] == "1/2"
    assert values["ytd_investment"]["decimal"] == "9000.00" and values["ytd_investment"]["fraction"] is None
    assert values["project_count"]["value"] == 2
    # No target for the city: no value, never 0.
    assert values["annual_target"]["value"] is None and values["annual_target"]["display"] == "—"
    assert body["rows"] == []


def test_groups_statuses_and_the_latest_period_by_default(june, api_for):
    admin = api_for("admin")
    body = _get(admin, "/api/metrics/", by="region", keys="ytd_investment,completion_rate")
    assert (body["year"], body["month"]) == (2022, 6)
    rows = {row["label"]: row for row in body["rows"]}
    assert set(rows) == {"新吴区", "江阴市"}
    assert rows["新吴区"]["key"] == str(june.xinwu.pk)
    assert rows["江阴市"]["values"]["completion_rate"]["fraction"] == "3/10"
    accepted = _get(admin, "/api/metrics/", year=2022, month=6, status="accepted", keys="ytd_investment")
    assert accepted["total"]["values"]["ytd_investment"]["decimal"] == "6000.00"
    months = _get(admin, "/api/metrics/", year=2022, month=6, by="month", keys="ytd_investment")
    assert [row["label"] for row in months["rows"]] == [f"{m}月" for m in range(1, 7)]


def test_the_slice_is_the_callers_scope_and_the_project_filters(june, api_for):
    xinwu = _get(api_for("xinwu"), "/api/metrics/", year=2022, month=6, keys="project_count,ytd_investment")
    assert xinwu["total"]["values"]["project_count"]["value"] == 1
    assert xinwu["total"]["values"]["ytd_investment"]["decimal"] == "6000.00"
    admin = api_for("admin")
    region = _get(admin, "/api/metrics/", year=2022, month=6, region=june.jiangyin.pk, keys="ytd_investment")
    assert region["total"]["values"]["ytd_investment"]["decimal"] == "3000.00"
    searched = _get(admin, "/api/metrics/", year=2022, month=6, q="集成电路", keys="project_count")
    assert searched["total"]["values"]["project_count"]["value"] == 1
    by_status = _get(admin, "/api/metrics/", year=2022, month=6, project_status="completed", keys="project_count")
    assert by_status["total"]["values"]["project_count"]["value"] == 0
    # A region officer asking for another region's slice gets nothing of it.
    other = _get(api_for("xinwu"), "/api/metrics/", year=2022, month=6, region=june.jiangyin.pk, keys="project_count")
    assert other["total"]["values"]["project_count"]["value"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"keys": "completion_rate,colour"}, "keys"),
        ({"by": "week"}, "by"),
        ({"month": 13}, "month"),
        ({"year": "abc"}, "year"),
        ({"status": "draft"}, "status"),
        ({"region": 999999}, "region"),
        ({"tier": "huge"}, "tier"),
    ],
)
def test_bad_parameters_are_named(june, api_for, params, field):
    response = api_for("admin").get("/api/metrics/", {"year": 2022, "month": 6, **params})
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == [field] and body["detail"]


def test_the_drilldown_lists_the_projects_behind_a_figure(june, api_for):
    admin = api_for("admin")
    denominator = _get(admin, "/api/metrics/projects/", key="new_start_rate", part="denominator", year=2022, month=6)
    assert [p["name"] for p in denominator["results"]] == ["新吴区集成电路项目"]
    started = _get(admin, "/api/metrics/projects/", key="started_rate", year=2022, month=6)
    assert started["count"] == 2
    group = _get(admin, "/api/metrics/projects/", key="started_rate", year=2022, month=6, group_by="region",
                 group=june.jiangyin.pk)
    assert [p["name"] for p in group["results"]] == ["江阴市港口项目"]
    scoped = _get(api_for("xinwu"), "/api/metrics/projects/", key="started_rate", year=2022, month=6)
    assert [p["name"] for p in scoped["results"]] == ["新吴区集成电路项目"]
    for params, field in [({"key": "nope"}, "key"), ({"key": "started_rate", "part": "half"}, "part"),
                          ({"key": "started_rate", "group_by": "region", "group": "x"}, "group"),
                          ({"key": "started_rate", "group_by": "month"}, "group_by")]:
        response = admin.get("/api/metrics/projects/", {"year": 2022, "month": 6, **params})
        assert response.status_code == 400 and list(response.json()["errors"]) == [field]


def test_the_catalogue_and_a_new_threshold_version(june, api_for):
    definitions = _get(api_for("leader"), "/api/metrics/definitions/")
    assert definitions["version"]["number"] == 1
    kpis = {kpi["key"]: kpi for kpi in definitions["kpis"]}
    assert kpis["completion_rate"]["unit"] == "rate" and kpis["completion_rate"]["drilldown"] is True
    thresholds = {t["key"]: t["value"] for t in definitions["thresholds"]}
    assert thresholds["behind_schedule_points"] == "10.00"
    assert definitions["seasonal_profile"][0] == "0.050"
    assert len(definitions["seasonal_profile"]) == 12
    refused = api_for("xinwu").post("/api/metrics/versions/", {"note": "试", "behind_schedule_points": 5},
                                    format="json")
    assert refused.status_code == 403
    admin = api_for("admin")
    bad = admin.post("/api/metrics/versions/", {"note": "", "behind_schedule_points": -1, "colour": 1}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"] == {"colour": ["未知字段。"]}
    bad = admin.post("/api/metrics/versions/", {"note": "", "behind_schedule_points": -1}, format="json")
    assert bad.status_code == 400 and {"note", "behind_schedule_points"} <= set(bad.json()["errors"])
    assert KpiDefinitionVersion.objects.count() == 1
    created = admin.post("/api/metrics/versions/", {"note": "按通知调整", "behind_schedule_points": 5}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["number"] == 2 and created.json()["thresholds"]["behind_schedule_points"] == "5"
    assert ChangeLog.objects.filter(content_type__model="kpidefinitionversion", reason="按通知调整").exists()
    versions = _get(admin, "/api/metrics/versions/")
    assert [v["number"] for v in versions] == [2, 1]
    assert _get(admin, "/api/metrics/", year=2022, month=6, keys="project_count")["version"] == 2


@pytest.mark.parametrize("by", ["region", "library", "category", "tier", "department", "leader", "month"])
def test_every_grouping_gives_every_kpi(june, api_for, by):
    body = _get(api_for("admin"), "/api/metrics/", year=2022, month=6, by=by)
    assert body["by"] == by and body["rows"]
    assert set(body["total"]["values"]) == {kpi["key"] for kpi in body["kpis"]}
    for row in body["rows"]:
        assert set(row["values"]) == set(body["total"]["values"]) and row["label"]
