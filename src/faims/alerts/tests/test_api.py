"""Project warnings through the API: read only, scoped and filtered like the warning list."""

import datetime as dt

import pytest
from django.utils import timezone

from faims.alerts.models import ProjectWarning
from faims.alerts.services import refresh_warnings
from faims.projects.models import Project

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2022, 7, 25, 9, 0))


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def warned(world):
    """W01 (not started on time) for both projects in 2022-06, the jiangyin one cleared in 2022-07."""
    Project.objects.filter(pk__in=[p.pk for p in world.projects.values()]).update(
        planned_start_date=dt.date(2022, 3, 15))
    refresh_warnings(2022, 6, now=NOW)
    return world


def test_warnings_are_scoped_and_filtered_like_the_list(warned, api_for):
    admin = api_for("admin")
    rows = _results(admin.get("/api/warnings/", {"rule": "W01"}))
    assert len(rows) == 2 and rows[0]["period"] == "2022-06" and rows[0]["active"] is True
    jiangyin = _results(admin.get("/api/warnings/", {"region": warned.jiangyin.pk, "rule": "W01"}))
    assert [row["project"] for row in jiangyin] == [warned.projects["jiangyin"].pk]
    assert _results(admin.get("/api/warnings/", {"state": "cleared"})) == []
    assert len(_results(admin.get("/api/warnings/", {"period": "2022-06", "level": "red", "rule": "W01"}))) == 2
    assert admin.get("/api/warnings/", {"level": "purple"}).status_code == 400
    xinwu = api_for("xinwu")
    assert {row["project"] for row in _results(xinwu.get("/api/warnings/"))} == {warned.projects["xinwu"].pk}
    other = ProjectWarning.objects.get(project=warned.projects["jiangyin"], rule="W01")
    assert xinwu.get(f"/api/warnings/{other.pk}/").status_code == 404


def test_the_detail_has_the_rule_thresholds_and_timeline(warned, api_for):
    warning = ProjectWarning.objects.get(project=warned.projects["xinwu"], rule="W01")
    body = api_for("xinwu").get(f"/api/warnings/{warning.pk}/").json()
    assert body["rule_title"] and body["rule_description"]
    assert body["thresholds"] and all({"key", "label", "value"} <= set(row) for row in body["thresholds"])
    assert [row["id"] for row in body["timeline"]] == [warning.pk]


def test_warnings_cannot_be_written(warned, api_for):
    admin = api_for("admin")
    warning = ProjectWarning.objects.filter(rule="W01").first()
    assert admin.post("/api/warnings/", {"rule": "W01"}, format="json").status_code == 405
    assert admin.patch(f"/api/warnings/{warning.pk}/", {"level": "yellow"}, format="json").status_code == 405
    assert admin.delete(f"/api/warnings/{warning.pk}/").status_code == 405
    assert ProjectWarning.objects.get(pk=warning.pk).level == "red"
