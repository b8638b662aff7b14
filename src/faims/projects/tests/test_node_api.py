"""Node plans through the API: the node pages' form, filters, scope, the move with its coded reason, plan changes."""

import datetime as dt

import pytest

from faims.core.models import ChangeLog
from faims.projects import nodes
from faims.projects.choices import LibraryLevel, NodeKind
from faims.projects.models import Library, Membership, NodePlan, NodePlanChange

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _node(world, key="xinwu", kind=NodeKind.START, planned="2022-03-15", actual=None):
    plan = NodePlan(project=world.projects[key], kind=kind, planned_date=dt.date.fromisoformat(planned),
                    actual_date=dt.date.fromisoformat(actual) if actual else None)
    return nodes.save_node_plan(plan, acting_user=world.users["admin"])


def test_nodes_are_scoped_and_filtered_like_the_list(world, api_for):
    start = _node(world)
    other = _node(world, "jiangyin", kind=NodeKind.COMPLETION, planned="2030-06-30")
    admin = api_for("admin")
    assert len(_results(admin.get("/api/nodes/"))) == 2
    overdue = _results(admin.get("/api/nodes/", {"overdue": "true", "as_of": "2022-04-01"}))
    assert [row["id"] for row in overdue] == [start.pk] and overdue[0]["state"] == "overdue"
    assert [row["id"] for row in _results(admin.get("/api/nodes/", {"kind": "completion"}))] == [other.pk]
    assert [row["id"] for row in _results(admin.get("/api/nodes/", {"planned_month": "2022-03"}))] == [start.pk]
    xinwu = api_for("xinwu")
    assert [row["id"] for row in _results(xinwu.get("/api/nodes/"))] == [start.pk]
    assert xinwu.get(f"/api/nodes/{other.pk}/").status_code == 404


def test_create_update_and_delete_follow_the_form(world, api_for):
    unit = api_for("unit")
    body = {"project": world.projects["xinwu"].pk, "kind": "start", "planned_date": "2022-03-15"}
    created = unit.post("/api/nodes/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert ChangeLog.objects.filter(content_type__model="nodeplan", object_id=pk).count() == 1
    again = unit.post("/api/nodes/", body, format="json")
    assert again.status_code == 400 and "已有这一节点的计划" in again.json()["detail"]
    recorded = unit.patch(f"/api/nodes/{pk}/", {"actual_date": "2022-03-20", "note": "已开工"}, format="json")
    assert recorded.status_code == 200 and NodePlan.objects.get(pk=pk).actual_date == dt.date(2022, 3, 20)
    moved = unit.patch(f"/api/nodes/{pk}/", {"planned_date": "2022-05-01"}, format="json")
    assert moved.status_code == 400 and "planned_date" in moved.json()["errors"]
    future = unit.patch(f"/api/nodes/{pk}/", {"actual_date": "2999-01-01"}, format="json")
    assert future.status_code == 400 and "actual_date" in future.json()["errors"]
    outside = unit.post("/api/nodes/", {**body, "project": world.projects["jiangyin"].pk}, format="json")
    assert outside.status_code == 400 and "project" in outside.json()["errors"]
    assert NodePlan.objects.count() == 1
    assert unit.delete(f"/api/nodes/{pk}/").status_code == 404
    assert api_for("admin").delete(f"/api/nodes/{pk}/").status_code == 204
    assert api_for("leader").post("/api/nodes/", body, format="json").status_code == 403


def test_move_keeps_the_old_date_with_a_coded_reason(world, api_for):
    start = _node(world)
    xinwu = api_for("xinwu")
    unreasoned = xinwu.post(f"/api/nodes/{start.pk}/move/", {"new_date": "2022-05-01", "reason_code": "other"},
                            format="json")
    assert unreasoned.status_code == 400 and "reason" in unreasoned.json()["errors"]
    unknown_code = xinwu.post(f"/api/nodes/{start.pk}/move/", {"new_date": "2022-05-01", "reason_code": "whim"},
                              format="json")
    assert unknown_code.status_code == 400 and "reason_code" in unknown_code.json()["errors"]
    assert NodePlan.objects.get(pk=start.pk).planned_date == dt.date(2022, 3, 15)
    moved = xinwu.post(f"/api/nodes/{start.pk}/move/", {"new_date": "2022-05-01", "reason_code": "land"},
                       format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["planned_date"] == "2022-05-01" and moved.json()["old_dates"] == ["2022-03-15"]
    change = NodePlanChange.objects.get(node=start)
    assert change.old_date == dt.date(2022, 3, 15) and change.changed_by == world.users["xinwu"]
    assert ChangeLog.objects.filter(content_type__model="nodeplan", object_id=start.pk, reason="征地拆迁").exists()
    assert api_for("jiangyin").post(f"/api/nodes/{start.pk}/move/", {"new_date": "2022-06-01",
                                                                     "reason_code": "land"}).status_code == 404
    changes = _results(xinwu.get("/api/node-changes/", {"node": start.pk}))
    assert [row["new_date"] for row in changes] == ["2022-05-01"]
    assert _results(api_for("jiangyin").get("/api/node-changes/")) == []
    assert xinwu.post("/api/node-changes/", {}, format="json").status_code == 405
    done = _node(world, kind=NodeKind.CONSTRUCTION_PERMIT, planned="2022-04-01", actual="2022-04-02")
    refused = xinwu.post(f"/api/nodes/{done.pk}/move/", {"new_date": "2022-06-01", "reason_code": "land"},
                         format="json")
    assert refused.status_code == 400 and "new_date" in refused.json()["errors"]


def test_the_monthly_grid_of_a_library(world, api_for):
    library = Library.objects.create(name="省重大项目", level=LibraryLevel.PROVINCIAL, year=2022)
    for project in world.projects.values():
        Membership.objects.create(project=project, library=library)
    start = _node(world)
    xinwu = api_for("xinwu")
    rows = xinwu.get("/api/nodes/monthly/", {"year": 2022, "as_of": "2022-04-01"}).json()
    assert [row["project"] for row in rows] == [world.projects["xinwu"].pk]
    assert rows[0]["months"][2] == [{"node": start.pk, "kind": "start", "planned_date": "2022-03-15",
                                     "state": "overdue"}]
    assert xinwu.get("/api/nodes/monthly/", {"year": "x", "as_of": "soon"}).status_code == 400
    assert xinwu.get("/api/nodes/monthly/", {"library": 999999}).status_code == 404


def test_bulk_adds_nodes_all_or_nothing(world, api_for):
    unit = api_for("unit")
    project = world.projects["xinwu"].pk
    items = [{"project": project, "kind": "start", "planned_date": "2022-03-15"},
             {"project": project, "kind": "completion", "planned_date": "2024-12-31"}]
    bad = unit.post("/api/nodes/bulk/", {"items": [*items, {"project": project, "kind": "x"}]}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"2"}
    assert not NodePlan.objects.exists()
    done = unit.post("/api/nodes/bulk/", {"items": items}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["created"] == 2 and NodePlan.objects.count() == 2
    assert ChangeLog.objects.filter(content_type__model="nodeplan").count() == 2
    odd_ids = unit.post("/api/nodes/bulk/", {"items": [{"id": [1]}, {"id": True, "note": "x"}]}, format="json")
    assert odd_ids.status_code == 400 and set(odd_ids.json()["errors"]) == {"0", "1"}
