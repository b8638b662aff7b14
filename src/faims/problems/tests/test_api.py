"""Problems, visits and meetings through the API: the pages' forms, services, scope and refusals."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from faims.core.models import ChangeLog
from faims.problems import services
from faims.problems.choices import ActionKind, DecisionStatus, MeetingKind, ProblemStatus, Source, VisitKind
from faims.problems.models import EscalationLevel, Meeting, MeetingDecision, Problem, ProblemAttachment, Visit

from .conftest import in_days

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _titles(response):
    return {row["title"] for row in _results(response)}


def test_problem_lists_are_scoped_and_filtered(world, problems, api_for):
    admin = api_for("admin")
    assert _titles(admin.get("/api/problems/")) == {"用地指标未落实", "港区供电线路迁改", "环评批复进度慢"}
    assert _titles(admin.get("/api/problems/", {"status": "raised"})) == {"环评批复进度慢"}
    assert _titles(admin.get("/api/problems/", {"region": world.jiangyin.pk})) == {"港区供电线路迁改"}
    assert _titles(admin.get("/api/problems/", {"q": "环评"})) == {"环评批复进度慢"}
    bad = admin.get("/api/problems/", {"status": "nonsense"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    # A department officer sees the problems assigned to its department, not every problem of its projects.
    department = api_for("department")
    assert _titles(department.get("/api/problems/")) == {"用地指标未落实"}
    assert department.get(f"/api/problems/{problems['raised'].pk}/").status_code == 404
    xinwu = api_for("xinwu")
    assert _titles(xinwu.get("/api/problems/")) == {"用地指标未落实", "环评批复进度慢"}
    assert xinwu.get(f"/api/problems/{problems['jiangyin'].pk}/").status_code == 404
    detail = department.get(f"/api/problems/{problems['xinwu'].pk}/").json()
    assert detail["allowed_actions"] == ["answer", "attach"]
    assert detail["lead_department"] == world.department.pk


def test_raise_validates_like_the_page_and_nothing_is_saved_on_error(world, api_for):
    unit = api_for("unit")
    bad = unit.post("/api/problems/", {"project": world.projects["jiangyin"].pk, "title": ""}, format="json")
    assert bad.status_code == 400
    assert {"project", "title", "category", "description"} <= set(bad.json()["errors"])
    assert bad.json()["detail"].startswith("项目：")
    unknown = unit.post("/api/problems/", {"colour": "red"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"] == {"colour": ["未知字段。"]}
    wrong_type = unit.post("/api/problems/", {"title": {"a": 1}, "project": [1]}, format="json")
    assert wrong_type.status_code == 400 and {"title", "project"} <= set(wrong_type.json()["errors"])
    assert unit.post("/api/problems/", ["x"], format="json").status_code == 400
    assert not Problem.objects.exists()
    body = {"project": world.projects["xinwu"].pk, "category": "land", "title": "用地", "description": "未落实"}
    assert api_for("department").post("/api/problems/", body, format="json").status_code == 403
    created = unit.post("/api/problems/", body, format="json")
    assert created.status_code == 201, created.content
    problem = Problem.objects.get(pk=created.json()["id"])
    assert problem.raised_by == world.users["unit"] and problem.source == Source.DIRECT
    assert created.json()["allowed_actions"] == ["attach"]
    assert ChangeLog.objects.filter(object_id=str(problem.pk), content_type__model="problem").exists()


def test_raise_with_an_attachment_in_one_multipart_request(world, api_for):
    body = {
        "project": world.projects["xinwu"].pk,
        "category": "land",
        "title": "用地",
        "description": "未落实",
        "file": SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
    }
    created = api_for("xinwu").post("/api/problems/", body, format="multipart")
    assert created.status_code == 201, created.content
    assert ProblemAttachment.objects.get().problem_id == created.json()["id"]
    body["file"] = SimpleUploadedFile("病毒.exe", b"MZ" * 40)
    refused = api_for("xinwu").post("/api/problems/", body, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()["errors"]
    assert Problem.objects.count() == 1


def test_the_whole_flow_and_its_timeline(world, problems, api_for):
    problem = problems["raised"]
    xinwu, department, unit = api_for("xinwu"), api_for("department"), api_for("unit")
    url = f"/api/problems/{problem.pk}"
    body = {"lead_department": world.department.pk, "co_departments": [world.other_department.pk]}
    assigned = xinwu.post(
        f"{url}/assign/", {**body, "deadline": in_days(5).isoformat(), "note": "请尽快"}, format="json"
    )
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["status"] == ProblemStatus.ASSIGNED
    assert assigned.json()["co_departments"] == [world.other_department.pk]
    answered = department.post(f"{url}/answer/", {"note": "已协调"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == ProblemStatus.ANSWERED
    assert xinwu.post(f"{url}/remind/", {}, format="json").status_code == 200
    assert xinwu.post(f"{url}/supervise/", {"note": "督办"}, format="json").status_code == 200
    rejected = unit.post(f"{url}/reject/", {"note": "未解决"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == ProblemStatus.ASSIGNED
    department.post(f"{url}/answer/", {"note": "已解决"}, format="json")
    confirmed = unit.post(f"{url}/confirm/", {"rating": "satisfied"}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == ProblemStatus.CLOSED and confirmed.json()["allowed_actions"] == []
    timeline = unit.get(f"{url}/timeline/").json()
    assert [row["kind"] for row in timeline] == [
        "raise", "assign", "answer", "remind", "supervise", "reject", "answer", "confirm",
    ]  # fmt: skip
    assert timeline[1]["note"] == "请尽快" and timeline[1]["actor_name"] == "xinwu"
    assert ChangeLog.objects.filter(object_id=str(problem.pk), reason="确认销号").exists()


def test_refused_steps_name_the_allowed_ones_and_change_nothing(world, problems, api_for):
    problem = problems["xinwu"]
    url = f"/api/problems/{problem.pk}"
    # The raiser cannot confirm before an answer: the message says what can be done now.
    refused = api_for("xinwu").post(f"{url}/confirm/", {"rating": "satisfied"}, format="json")
    assert refused.status_code == 400
    assert "可执行的操作：重新交办、提醒、督办、上传附件" in refused.json()["detail"]
    past = api_for("admin").post(
        f"{url}/assign/", {"lead_department": world.department.pk, "deadline": "2000-01-01"}, format="json"
    )
    assert past.status_code == 400 and "deadline" in past.json()["errors"]
    assert "办理期限" in past.json()["detail"]
    empty = api_for("department").post(f"{url}/answer/", {"note": ""}, format="json")
    assert empty.status_code == 400 and empty.json()["detail"].startswith("反馈内容：")
    bad_rating = api_for("admin").post(f"{url}/confirm/", {"rating": "great"}, format="json")
    assert bad_rating.status_code == 400 and "rating" in bad_rating.json()["errors"]
    # Out of scope, or a role that never acts on problems: 404, as on the page.
    assert api_for("jiangyin").post(f"{url}/answer/", {"note": "x"}, format="json").status_code == 404
    assert api_for("supervisor").post(f"{url}/remind/", {}, format="json").status_code == 404
    assert api_for("admin").post("/api/problems/999999/remind/", {}, format="json").status_code == 404
    stored = Problem.objects.get(pk=problem.pk)
    assert stored.status == ProblemStatus.ASSIGNED and stored.actions.count() == 2


def test_attachments_upload_list_and_download(world, problems, api_for):
    problem = problems["xinwu"]
    department = api_for("department")
    url = f"/api/problems/{problem.pk}/attachments/"
    upload = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    created = department.post(url, {"file": upload}, format="multipart")
    assert created.status_code == 201, created.content
    assert created.json()["content_type"] == "image/png" and created.json()["size"] == len(PNG)
    assert problem.actions.filter(kind=ActionKind.ATTACH).exists()
    listed = department.get(url).json()
    assert [row["name"] for row in listed] == ["现场.png"]
    pk = listed[0]["id"]
    download = department.get(f"/api/problem-attachments/{pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert b"".join(download) == PNG if download.streaming else download.content == PNG
    assert api_for("jiangyin").get(f"/api/problem-attachments/{pk}/download/").status_code == 404
    refused = department.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ" * 40)}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()["errors"]
    missing = department.post(url, {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["errors"]
    assert ProblemAttachment.objects.count() == 1


def test_escalation_levels_are_read_by_all_and_edited_by_the_city_admin(world, problems, api_for):
    levels = _results(api_for("department").get("/api/escalation-levels/"))
    assert [row["order"] for row in levels] == sorted(row["order"] for row in levels) and levels
    level = EscalationLevel.objects.order_by("order").first()
    url = f"/api/escalation-levels/{level.pk}/"
    assert api_for("xinwu").patch(url, {"wait_days": 3}, format="json").status_code == 404
    bad = api_for("admin").patch(url, {"wait_days": "soon"}, format="json")
    assert bad.status_code == 400 and "wait_days" in bad.json()["errors"]
    changed = api_for("admin").patch(url, {"wait_days": 3, "change_reason": "提速"}, format="json")
    assert changed.status_code == 200 and changed.json()["wait_days"] == 3
    assert ChangeLog.objects.filter(object_id=str(level.pk), reason="提速").exists()
    assert api_for("admin").delete(url).status_code == 405
    Problem.objects.filter(pk=problems["jiangyin"].pk).update(escalation_level=level.order)
    agenda = api_for("admin").get(f"{url}agenda/").json()
    assert [row["title"] for row in agenda] == ["港区供电线路迁改"]
    assert api_for("xinwu").get(f"{url}agenda/").json() == []


def test_visits_are_recorded_with_a_problem_and_photos(world, api_for):
    commissioner = api_for("commissioner")
    body = {
        "date": "2022-05-10",
        "projects": [world.projects["jiangyin"].pk],
        "findings": "现场施工正常。",
        "problem_project": world.projects["jiangyin"].pk,
        "problem_category": "land",
        "problem_title": "码头岸线审批慢",
        "problem_description": "岸线使用审批尚未批复。",
        "photos": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    }
    created = commissioner.post("/api/visits/", body, format="multipart")
    assert created.status_code == 201, created.content
    visit = Visit.objects.get(pk=created.json()["id"])
    assert visit.kind == VisitKind.COMMISSIONER and visit.person == world.commissioner
    assert created.json()["projects"] == [world.projects["jiangyin"].pk]
    assert len(created.json()["problems"]) == 1 and len(created.json()["photos"]) == 1
    assert Problem.objects.get(visit=visit).source == Source.VISIT
    photo = created.json()["photos"][0]["id"]
    assert commissioner.get(f"/api/visit-photos/{photo}/download/").content == PNG
    # More photos later; a file that is not a photo is refused and nothing is added.
    url = f"/api/visits/{visit.pk}/photos/"
    more = commissioner.post(url, {"photos": [SimpleUploadedFile("b.png", PNG)]}, format="multipart")
    assert more.status_code == 201 and len(commissioner.get(url).json()) == 2
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"x" * 64)
    refused = commissioner.post(url, {"photos": [SimpleUploadedFile("c.png", PNG), pdf]}, format="multipart")
    assert refused.status_code == 400 and "photos" in refused.json()["errors"]
    assert visit.photos.count() == 2
    assert (
        api_for("leader").post(url, {"photos": [SimpleUploadedFile("d.png", PNG)]}, format="multipart").status_code
        == 404
    )


def test_visit_refusals_and_scope(world, api_for):
    leader = api_for("leader")
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    bad = leader.post("/api/visits/", {"date": future, "projects": [], "findings": ""}, format="json")
    assert bad.status_code == 400 and {"projects", "findings"} <= set(bad.json()["errors"])
    # A leader records its own visits: the visitor is not its to choose.
    chosen = leader.post("/api/visits/", {"person": world.commissioner.pk}, format="json")
    assert chosen.status_code == 400 and chosen.json()["errors"]["person"] == ["未知字段。"]
    other = leader.post(
        "/api/visits/", {"date": "2022-05-10", "projects": [world.projects["jiangyin"].pk], "findings": "x"},
        format="json",
    )  # fmt: skip
    assert other.status_code == 400 and "projects" in other.json()["errors"]
    huge = leader.post("/api/visits/", {"projects": [2**70]}, format="json")
    assert huge.status_code == 400 and "projects" in huge.json()["errors"]
    assert api_for("unit").post("/api/visits/", {}, format="json").status_code == 403
    assert not Visit.objects.exists()
    ok = leader.post(
        "/api/visits/", {"date": "2022-05-10", "projects": [world.projects["xinwu"].pk], "findings": "正常"},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 201, ok.content
    assert len(_results(api_for("xinwu").get("/api/visits/"))) == 1
    assert _results(api_for("jiangyin").get("/api/visits/")) == []
    assert api_for("jiangyin").get(f"/api/visits/{ok.json()['id']}/").status_code == 404
    assert api_for("department").get("/api/visits/").status_code == 403
    assert len(_results(api_for("admin").get("/api/visits/", {"kind": "commissioner"}))) == 0


def test_visit_compliance(world, api_for):
    services.record_visit(
        acting_user=world.users["leader"], date=dt.date(2022, 5, 10), projects=[world.projects["xinwu"]], findings="x"
    )
    admin = api_for("admin")
    body = admin.get("/api/visits/compliance/", {"kind": "leader", "year": 2022, "period": 2}).json()
    assert body["unit"] == "quarter" and body["start"] == "2022-04-01" and body["end"] == "2022-06-30"
    rows = {row["person_name"]: row for row in body["rows"]}
    assert rows["张市长"]["done"] == 1 and rows["张市长"]["compliant"]
    assert not rows["李市长"]["compliant"] and body["people"] == 2 and body["compliant"] == 1
    assert {group["label"]: group["rate"] for group in body["by_region"]} == {"新吴区": 1.0, "江阴市": 0.0}
    monthly = admin.get("/api/visits/compliance/", {"kind": "commissioner", "year": 2022, "period": 5}).json()
    assert monthly["unit"] == "month" and [row["done"] for row in monthly["rows"]] == [0]
    bad = admin.get("/api/visits/compliance/", {"kind": "leader", "period": 7})
    assert bad.status_code == 400 and "period" in bad.json()["errors"]
    assert admin.get("/api/visits/compliance/", {"kind": "x"}).status_code == 400
    # A region officer counts the people of its region's projects only.
    xinwu = api_for("xinwu").get("/api/visits/compliance/", {"year": 2022, "period": 2}).json()
    assert [row["person_name"] for row in xinwu["rows"]] == ["张市长"]


@pytest.fixture
def meeting(world):
    return services.record_meeting(
        acting_user=world.users["admin"],
        kind=MeetingKind.DISPATCH,
        date=dt.date(2022, 9, 1),
        title="9月重大项目调度会",
        chair=world.leader,
        level=EscalationLevel.objects.order_by("order").first(),
    )


def test_meetings_decisions_and_agenda(world, problems, meeting, api_for):
    admin = api_for("admin")
    body = {"kind": "promotion", "date": "2022-10-01", "title": "推进会", "chair": world.leader.pk}
    assert api_for("xinwu").post("/api/meetings/", body, format="json").status_code == 403
    bad = admin.post("/api/meetings/", {**body, "kind": "party", "chair": 999999}, format="json")
    assert bad.status_code == 400 and {"kind", "chair"} <= set(bad.json()["errors"])
    created = admin.post("/api/meetings/", body, format="json")
    assert created.status_code == 201 and Meeting.objects.count() == 2
    assert {row["title"] for row in _results(api_for("department").get("/api/meetings/"))} == {"推进会", meeting.title}
    assert [row["title"] for row in _results(admin.get("/api/meetings/", {"kind": "promotion"}))] == ["推进会"]
    assert api_for("unit").get("/api/meetings/").status_code == 403

    url = f"/api/meetings/{meeting.pk}/decisions/"
    early = admin.post(url, {"text": "落实用地", "owner_department": world.department.pk, "deadline": "2022-08-01"},
                       format="json")  # fmt: skip
    assert early.status_code == 400 and "deadline" in early.json()["errors"]
    decision = {"text": "落实用地", "owner_department": world.department.pk, "deadline": "2022-09-30"}
    assert api_for("department").post(url, decision, format="json").status_code == 404
    added = admin.post(url, decision, format="json")
    assert added.status_code == 201, added.content
    admin.post(url, {**decision, "owner_department": world.other_department.pk}, format="json")
    assert len(api_for("department").get(url).json()) == 1
    pk = added.json()["id"]
    assert api_for("xinwu").post(f"/api/meeting-decisions/{pk}/complete/", {}, format="json").status_code == 404
    done = api_for("department").post(f"/api/meeting-decisions/{pk}/complete/", {"note": "已完成"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == DecisionStatus.DONE
    again = api_for("department").post(f"/api/meeting-decisions/{pk}/complete/", {}, format="json")
    assert again.status_code == 400 and "已完成" in again.json()["detail"]
    assert MeetingDecision.objects.get(pk=pk).note == "已完成"
    assert ChangeLog.objects.filter(object_id=str(pk), content_type__model="meetingdecision").count() == 2

    Problem.objects.filter(pk=problems["jiangyin"].pk).update(escalation_level=meeting.level.order)
    agenda = admin.get(f"/api/meetings/{meeting.pk}/agenda/").json()
    assert [row["title"] for row in agenda["problems"]] == ["港区供电线路迁改"] and agenda["warnings"] == []
    assert api_for("xinwu").get(f"/api/meetings/{meeting.pk}/agenda/").json()["problems"] == []


def test_a_problem_raised_at_a_meeting_or_from_a_visit(world, meeting, api_for):
    body = {"project": world.projects["xinwu"].pk, "category": "land", "title": "会上提出", "description": "x"}
    created = api_for("admin").post("/api/problems/", {**body, "meeting": meeting.pk}, format="json")
    assert created.status_code == 201 and created.json()["source"] == Source.MEETING
    outside = api_for("unit").post("/api/problems/", {**body, "meeting": meeting.pk}, format="json")
    assert outside.status_code == 400 and "meeting" in outside.json()["errors"]
    visit = services.record_visit(
        acting_user=world.users["leader"], date=dt.date(2022, 5, 10), projects=[world.projects["xinwu"]], findings="x"
    )
    from_visit = api_for("leader").post("/api/problems/", {**body, "visit": visit.pk}, format="json")
    assert from_visit.status_code == 201 and from_visit.json()["visit"] == visit.pk
    assert from_visit.json()["source"] == Source.VISIT


def test_the_schema_documents_the_actions(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/problems/{id}/assign/",
        "/api/problems/{id}/confirm/",
        "/api/problems/{id}/attachments/",
        "/api/problems/{id}/timeline/",
        "/api/problem-attachments/{id}/download/",
        "/api/visits/compliance/",
        "/api/visits/{id}/photos/",
        "/api/meetings/{id}/agenda/",
        "/api/meeting-decisions/{id}/complete/",
        "/api/escalation-levels/{id}/agenda/",
    ):
        assert path in paths, path
    assert "multipart/form-data" in paths["/api/problems/{id}/attachments/"]["post"]["requestBody"]["content"]


def test_a_leaders_briefing_pack(world, problems, api_for):
    url = "/api/visits/briefing/"
    body = api_for("department").get(url, {"person": world.leader.pk, "year": 2022, "month": 6})
    assert body.status_code == 200, body.content
    pack = body.json()
    assert [row["name"] for row in pack["rows"]] == ["新吴区集成电路项目"]
    assert {row["title"] for row in pack["problems"]} == {"用地指标未落实"}
    assert pack["overdue"] == [] and pack["last_visit"] is None
    Problem.objects.filter(pk=problems["xinwu"].pk).update(deadline=dt.date(2022, 1, 1))
    pack = api_for("admin").get(url, {"person": world.leader.pk}).json()
    assert pack["overdue"] == [problems["xinwu"].pk] and "用地指标未落实" in pack["agenda"][0]
    # A leader none of whose projects the caller sees, or a person who is no leader: 404.
    assert api_for("jiangyin").get(url, {"person": world.leader.pk}).status_code == 404
    assert api_for("admin").get(url, {"person": world.commissioner.pk}).status_code == 404
    assert api_for("admin").get(url, {"person": "x"}).status_code == 400
