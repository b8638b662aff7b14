"""Thresholds are data: versions, the service, the page and the command."""
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from faims.core.models import ChangeLog
from faims.metrics import services
from faims.metrics.engine import evaluate
from faims.metrics.models import KpiDefinitionVersion
from faims.metrics.registry import DEFINITIONS, REGISTRY
from faims.projects.models import Project


def test_registry_holds_the_catalogue():
    keys = [d.key for d in DEFINITIONS]
    assert len(keys) == len(set(keys))
    for key in ("project_count", "on_time_report_rate", "forecast_year_end", "filed_100yi_count",
                "problem_closure_rate", "capacity_rate"):
        assert key in REGISTRY
    assert REGISTRY["behind_schedule_count"].thresholds == ("behind_schedule_points",)


def test_a_new_threshold_is_a_new_version(small):
    admin = small.users["admin"]
    version = services.change_thresholds({"behind_schedule_points": 5}, acting_user=admin, note="按季度考核口径")
    assert version.number == 2
    assert version.thresholds["behind_schedule_points"] == "5"
    assert version.thresholds["over_half_percent"] == "50"
    assert ChangeLog.objects.filter(object_repr=str(version), reason="按季度考核口径").exists()
    projects = Project.objects.restrict(admin)
    # At 5 points P2 (10%) is still behind 45%; at the first version's 10 points too; at 45 points it is not.
    assert evaluate(projects, 2022, 6).version.number == 2
    services.change_thresholds({"behind_schedule_points": "45"}, acting_user=admin, note="试算")
    assert evaluate(projects, 2022, 6).total.values["behind_schedule_count"] == 0
    first = KpiDefinitionVersion.objects.get(number=1)
    assert evaluate(projects, 2022, 6, version=first).total.values["behind_schedule_count"] == 1


def test_only_the_city_admin_changes_thresholds(world):
    with pytest.raises(PermissionDenied):
        services.change_thresholds({"over_half_percent": 60}, acting_user=world.users["xinwu"], note="x")
    with pytest.raises(ValidationError) as error:
        services.change_thresholds({"over_half_percent": -1}, acting_user=world.users["admin"], note="x")
    assert "over_half_percent" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.change_thresholds({"over_half_percent": 60}, acting_user=world.users["admin"], note=" ")
    assert KpiDefinitionVersion.objects.count() == 1


def test_page_lists_definitions_for_every_user(client_for):
    response = client_for("unit").get(reverse("metrics:definitions"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "按时报送率" in text and "第1版" in text and "threshold-form" not in text
    assert client_for("unit").post(reverse("metrics:definitions"), {}).status_code == 403


def test_admin_changes_a_threshold_on_the_page(admin_client):
    url = reverse("metrics:definitions")
    assert "threshold-form" in admin_client.get(url).content.decode()
    data = {"behind_schedule_points": "15", "over_half_percent": "50", "stats_entry_min_wanyuan": "500",
            "note": "市里调整考核口径"}
    assert admin_client.post(url, data).status_code == 302
    assert services.current_version().number == 2
    assert services.thresholds_of(services.current_version())["behind_schedule_points"] == Decimal("15")
    response = admin_client.post(url, {**data, "note": ""})
    assert response.status_code == 400 and services.current_version().number == 2


def test_command_json(small, capsys):
    call_command("metrics", "--year", "2022", "--month", "6", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1 and data["period"] == "2022-06"
    assert data["project_count"] == 3
    assert data["total_investment"] == 1250300
    assert data["annual_target"] == 80000
    assert data["completion_rate"] == pytest.approx(7 / 40)
    assert data["filing_rate"] is None


def test_command_json_by_library_and_region(small, capsys):
    call_command("metrics", "--year", "2022", "--month", "6", "--by", "library", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["project_count"] == 3
    counts = {g["label"]: g["project_count"] for g in data["groups"]}
    assert counts == {"2022年市级重大产业项目": 3, "2022年省重大项目": 1}
    call_command("metrics", "--year", "2022", "--month", "6", "--region", "320281", "--format", "json",
                 "--user", "jiangyin")
    data = json.loads(capsys.readouterr().out)
    assert data["project_count"] == 2 and data["ytd_investment"] == 1000 and data["annual_target"] is None


def test_command_table_and_xlsx(small, capsys, tmp_path):
    call_command("metrics", "--year", "2022", "--month", "6", "--library", "省重大项目", "--format", "table")
    text = capsys.readouterr().out
    assert "项目数" in text and "第1版" in text
    target = tmp_path / "m.xlsx"
    call_command("metrics", "--year", "2022", "--month", "6", "--by", "region", "--format", "xlsx", "-o", str(target))
    assert target.read_bytes()[:2] == b"PK"
