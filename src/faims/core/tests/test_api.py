"""The change log, the audit events and the inbox through the API: the pages' roles, filters and scope."""

from django.contrib.contenttypes.models import ContentType

from faims.core import services
from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.models import ChangeLog, Notification
from faims.projects.models import Project


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_change_log_is_read_by_the_city_admin_and_the_supervisor(world, api_for):
    project = world.projects["xinwu"]
    project.total_investment = 70000
    services.save_object(project, acting_user=world.users["admin"], reason="核定总投资")
    admin = api_for("admin")
    rows = _results(admin.get("/api/changes/", {"q": "核定总投资"}))
    assert len(rows) == 1 and rows[0]["object_type"] == "projects.project" and rows[0]["object_id"] == project.pk
    project_type = ContentType.objects.get_for_model(Project)
    typed = _results(admin.get("/api/changes/", {"content_type": project_type.pk, "action": "update"}))
    assert [row["id"] for row in typed] == [rows[0]["id"]]
    detail = admin.get(f"/api/changes/{rows[0]['id']}/").json()
    assert detail["changes"] == [{"field": "总投资（万元）", "before": "50000.00", "after": "70000.00"}]
    assert _results(api_for("supervisor").get("/api/changes/", {"q": "核定总投资"}))
    bad = admin.get("/api/changes/", {"time_after": "昨天"})
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["time_after"]
    for role in ("xinwu", "department", "unit", "leader"):
        assert api_for(role).get("/api/changes/").status_code == 403
        assert api_for(role).get(f"/api/changes/{rows[0]['id']}/").status_code == 403
    assert admin.post("/api/changes/", {}, format="json").status_code == 405
    assert admin.delete(f"/api/changes/{rows[0]['id']}/").status_code == 405
    assert ChangeLog.objects.filter(pk=rows[0]["id"]).exists()


def test_audit_events_are_filtered_by_kind(world, api_for):
    record_event(AuditKind.EXPORT, user=world.users["xinwu"], what="projects")
    record_event(AuditKind.PUBLISH, user=world.users["admin"], bulletin=1)
    admin = api_for("admin")
    exports = _results(admin.get("/api/audit-events/", {"kind": "export"}))
    assert [(row["kind"], row["user_name"], row["detail"]["what"]) for row in exports] == [
        ("export", "xinwu", "projects")]
    assert admin.get("/api/audit-events/", {"kind": "nonsense"}).status_code == 400
    assert api_for("xinwu").get("/api/audit-events/").status_code == 403


def _message(user, key, title):
    return Notification.objects.create(user=user, kind="reminder", key=key, title=title, body="请按时报送")


def test_the_inbox_is_the_callers_own(world, api_for):
    mine = _message(world.users["xinwu"], "a", "六月月报待报送")
    older = _message(world.users["xinwu"], "b", "五月月报已退回")
    theirs = _message(world.users["jiangyin"], "a", "江阴的消息")
    xinwu = api_for("xinwu")
    assert {row["id"] for row in _results(xinwu.get("/api/inbox/"))} == {mine.pk, older.pk}
    assert xinwu.get(f"/api/inbox/{theirs.pk}/").status_code == 404
    assert xinwu.post(f"/api/inbox/{theirs.pk}/read/").status_code == 404
    read = xinwu.post(f"/api/inbox/{mine.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    assert [row["id"] for row in _results(xinwu.get("/api/inbox/", {"unread": "true"}))] == [older.pk]
    assert xinwu.post("/api/inbox/read-all/").json() == {"count": 1}
    assert _results(xinwu.get("/api/inbox/", {"unread": "true"})) == []
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert xinwu.post("/api/inbox/", {"title": "x"}, format="json").status_code == 405
