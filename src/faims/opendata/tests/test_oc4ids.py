"""The OC4IDS package: valid against the standard's schema and codelists, and only the flagged projects."""
import csv
import datetime as dt
import json

import pytest

from faims.opendata import oc4ids
from faims.projects.choices import Category, LifecycleStatus, Nature, NodeKind
from faims.projects.models import Project

from .conftest import SCHEMA_DIR

URI = "https://faims.example.gov.cn/api/open/oc4ids/"
TODAY = dt.date(2022, 7, 10)


def codes(name: str) -> set:
    with open(SCHEMA_DIR / "codelists" / f"{name}.csv", encoding="utf-8") as f:
        return {row["Code"] for row in csv.DictReader(f)}


def findings_are_empty(findings: dict) -> bool:
    return not any(findings.values())


def test_package_of_the_world_validates(published, validate):
    package = oc4ids.build_package(URI, today=TODAY)
    findings = validate(package)
    assert findings_are_empty(findings), json.dumps(findings, ensure_ascii=False, indent=2, default=str)
    assert len(package["projects"]) == 1


def test_the_validator_does_find_errors(published, validate):
    package = oc4ids.build_package(URI, today=TODAY)
    package["projects"][0]["status"] = "underway"
    package["projects"][0]["budget"]["amount"]["amount"] = "many"
    findings = validate(package)
    assert findings["validation_errors"]
    assert "projects/status" in findings["additional_closed_codelist_values"]


def test_the_project_as_published(published, settings):
    settings.FAIMS_OC4IDS_PREFIX = "oc4ids-abc123"
    package = oc4ids.build_package(URI, today=TODAY)
    assert package["uri"] == URI and package["version"] == "0.9"
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["publisher"]["name"]
    (project,) = package["projects"]
    code = published.projects["xinwu"].code
    assert project["id"] == f"oc4ids-abc123-{code}"
    assert project["identifiers"] == [{"id": code, "scheme": "CN-TZXMDM"}]
    assert project["title"] == "新吴区集成电路项目"
    assert project["description"] == "12英寸集成电路生产线。"
    assert project["status"] == "implementation"
    assert project["type"] == "construction"
    assert project["sector"] == ["economy"]
    assert project["budget"] == {"amount": {"amount": 500_000_000, "currency": "CNY"}}
    (location,) = project["locations"]
    assert location["gazetteer"] == {"scheme": "CN-GBT2260", "identifiers": ["320214"]}
    assert location["geometry"] == {"type": "Point", "coordinates": [120.351, 31.49]}
    assert location["address"] == {"streetAddress": "新吴区新华路5号", "locality": "新吴区", "region": "无锡市",
                                   "countryName": "中国"}
    roles = {party["name"]: party["roles"] for party in project["parties"]}
    assert roles == {"无锡测试建设有限公司": ["publicAuthority", "funder"],
                     "市自然资源规划局": ["administrativeEntity"]}
    assert project["publicAuthority"]["name"] == "无锡测试建设有限公司"
    assert project["period"] == {"startDate": "2022-02-20T00:00:00+08:00", "endDate": "2024-12-31T00:00:00+08:00"}
    milestones = {m["id"]: m for m in project["milestones"]}
    assert milestones["start"]["status"] == "met" and milestones["start"]["dateMet"] == "2022-03-01T00:00:00+08:00"
    assert milestones["start"]["code"] == "commencement" and milestones["start"]["type"] == "delivery"
    assert milestones["eia"]["status"] == "notMet" and milestones["eia"]["type"] == "approval"
    assert milestones["topping_out"]["status"] == "scheduled"
    assert milestones["completion"]["status"] == "scheduled"  # the project's own planned completion
    metrics = {m["id"]: m["observations"] for m in project["metrics"]}
    assert [(o["id"], o["value"]["amount"], o["measure"]) for o in metrics["financialProgress"]] == [
        ("2022-05", 50_000_000, 50.0), ("2022-06", 60_000_000, 60.0)]
    assert metrics["physicalProgress"] == [{
        "id": "2022-06", "period": {"startDate": "2022-06-01T00:00:00+08:00", "endDate": "2022-06-30T00:00:00+08:00"},
        "measure": "主体结构完成60%。", "notes": "月度报送的形象进度。"}]


def test_nothing_private_and_nothing_unflagged(published):
    text = oc4ids.package_json(oc4ids.build_package(URI, today=TODAY))
    for secret in ("江阴市港口项目", published.projects["jiangyin"].code, "码头桩基施工", "用地指标未落实", "内部说明",
                   "张市长", "王专员"):
        assert secret not in text


@pytest.mark.parametrize("change", [
    {"is_public": False}, {"status": LifecycleStatus.WITHDRAWN}, {"code": None},
])
def test_unpublished_projects(published, change):
    Project.objects.filter(pk=published.projects["xinwu"].pk).update(**change)
    assert oc4ids.build_package(URI, today=TODAY)["projects"] == []


def test_status_type_and_sector_mappings(world):
    project = Project(name="地铁5号线", category=Category.INFRASTRUCTURE, status=LifecycleStatus.SUSPENDED,
                      nature=Nature.RELOCATION)
    assert oc4ids.project_status(project) == "preparation"
    project.actual_start_date = dt.date(2022, 1, 1)
    assert oc4ids.project_status(project) == "implementation"
    assert oc4ids.project_sectors(project) == ["transport", "transport.urban"]
    assert oc4ids.PROJECT_TYPE.get(project.nature) == "replacement"
    assert oc4ids.project_sectors(Project(name="东南大学无锡校区", category=Category.LIVELIHOOD)) == ["education"]
    assert oc4ids.project_sectors(Project(name="太湖湾公园产业园", category=Category.INDUSTRY)) == ["economy"]
    assert oc4ids.project_sectors(Project(name="某某工程", category=Category.ECOLOGY)) == ["naturalResources"]


def test_every_mapped_value_is_in_its_codelist():
    assert set(oc4ids.PROJECT_STATUS.values()) <= codes("projectStatus")
    assert set(LifecycleStatus) == set(oc4ids.PROJECT_STATUS)
    assert set(oc4ids.PROJECT_TYPE.values()) <= codes("projectType")
    sectors = {s for _p, found in oc4ids.SECTOR_KEYWORDS for s in found}
    sectors |= {s for found in oc4ids.CATEGORY_SECTOR.values() for s in found}
    assert sectors <= codes("projectSector")
    assert set(Category) == set(oc4ids.CATEGORY_SECTOR)
    for _pattern, found in oc4ids.SECTOR_KEYWORDS:
        assert all(s.split(".")[0] in found for s in found)  # a sub-sector comes with its parent
    assert {*oc4ids.MILESTONE_TYPE.values(), "delivery"} <= codes("milestoneType")
    assert set(oc4ids.MILESTONE_CODE.values()) <= codes("milestoneCode")
    assert {"met", "notMet", "scheduled"} <= codes("milestoneStatus")
    roles = {r for found in oc4ids.PARTY_ROLES.values() for r in found} | set(oc4ids.DEPARTMENT_ROLES)
    assert roles <= codes("partyRole")
    assert {"financialProgress", "physicalProgress"} <= codes("metricID")
    assert oc4ids.CURRENCY in codes("currency")
    assert set(oc4ids.STAGE_KINDS.values()) <= set(NodeKind)


def test_the_default_prefix_follows_the_identifier_rule():
    assert oc4ids.PREFIX_PATTERN.match(oc4ids.identifier_prefix())


def test_a_malformed_prefix_is_reported(settings):
    from faims.opendata.checks import oc4ids_prefix

    assert oc4ids_prefix(None) == []
    settings.FAIMS_OC4IDS_PREFIX = "oc4ids-wuxi"
    assert [w.id for w in oc4ids_prefix(None)] == ["faims.opendata.W001"]
