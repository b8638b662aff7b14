"""Bulletins through the API: the published list as on the page, the files, publishing, and builds."""

import io

from docx import Document

from faims.bulletins import services, tasks
from faims.bulletins.choices import BuildStatus
from faims.bulletins.models import Bulletin, BulletinBuild
from faims.core.models import AuditEvent, ChangeLog

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_published_list_is_scoped_and_filtered(june, api_for):
    city = services.publish_bulletin(year=2022, month=6, acting_user=june.users["admin"])
    region = services.publish_bulletin(year=2022, month=6, region=june.xinwu, acting_user=june.users["admin"])
    admin = api_for("admin")
    listed = admin.get("/api/bulletins/").json()["results"]
    assert {row["id"] for row in listed} == {city.pk, region.pk}
    assert listed[0]["files"] == ["docx", "xlsx", "pdf"] and "figures" in listed[0]
    assert [row["id"] for row in admin.get("/api/bulletins/", {"region": june.xinwu.pk}).json()["results"]] == [
        region.pk]
    assert admin.get("/api/bulletins/", {"year": 2021}).json()["results"] == []
    xinwu = api_for("xinwu")
    assert [row["id"] for row in xinwu.get("/api/bulletins/").json()["results"]] == [region.pk]
    assert xinwu.get(f"/api/bulletins/{city.pk}/").status_code == 404
    assert xinwu.get(f"/api/bulletins/{city.pk}/files/docx/").status_code == 404
    assert api_for("department").get("/api/bulletins/").status_code == 403


def test_each_file_downloads_as_its_bytes(june, api_for):
    bulletin = services.publish_bulletin(year=2022, month=6, acting_user=june.users["admin"])
    admin = api_for("admin")
    response = admin.get(f"/api/bulletins/{bulletin.pk}/files/docx/")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert bytes(response.content) == bytes(bulletin.docx)
    assert admin.get(f"/api/bulletins/{bulletin.pk}/files/xlsx/").content[:2] == b"PK"
    assert admin.get(f"/api/bulletins/{bulletin.pk}/files/odt/").status_code == 404
    Bulletin.objects.filter(pk=bulletin.pk).update(pdf=b"")
    assert admin.get(f"/api/bulletins/{bulletin.pk}/files/pdf/").status_code == 404
    assert admin.get(f"/api/bulletins/{bulletin.pk}/").json()["files"] == ["docx", "xlsx"]


def test_publishing_is_the_city_admins_and_audited(june, api_for):
    refused = api_for("xinwu").post("/api/bulletins/publish/", {"year": 2022, "month": 6}, format="json")
    assert refused.status_code == 403
    admin = api_for("admin")
    bad = admin.post("/api/bulletins/publish/", {"year": 2022, "month": 13, "colour": "red"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"] == {"colour": ["未知字段。"]}
    bad = admin.post("/api/bulletins/publish/", {"year": 2022, "month": 5, "kind": "quarterly"}, format="json")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["month"]
    bad = admin.post("/api/bulletins/publish/", {"year": "二〇二二", "month": 6}, format="json")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["year"] and "年度" in bad.json()["detail"]
    assert not Bulletin.objects.exists()
    response = admin.post("/api/bulletins/publish/", {"year": 2022, "month": 6, "region": june.xinwu.pk},
                          format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"] == june.xinwu.pk and body["title"] and body["version_number"] == 1
    assert AuditEvent.objects.filter(kind="publish", detail__bulletin=body["id"]).exists()
    assert ChangeLog.objects.filter(content_type__model="bulletin", object_id=body["id"]).exists()


def test_a_build_is_queued_followed_and_downloaded_by_its_requester(june, api_for):
    xinwu = api_for("xinwu")
    refused = xinwu.post("/api/bulletin-builds/", {"year": 2022, "month": 6, "format": "docx",
                                                   "region": june.jiangyin.pk}, format="json")
    assert refused.status_code == 403
    bad = xinwu.post("/api/bulletin-builds/", {"year": 2022, "month": 6, "format": "odt"}, format="json")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["format"]
    assert not BulletinBuild.objects.exists()
    response = xinwu.post("/api/bulletin-builds/", {"year": 2022, "month": 6, "format": "docx"}, format="json")
    assert response.status_code == 202, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == BuildStatus.QUEUED and response.json()["in_progress"] is True
    assert xinwu.get(f"/api/bulletin-builds/{pk}/file/").status_code == 404
    # The job worker writes it.
    assert tasks.build_bulletin(pk) == BuildStatus.DONE
    progress = xinwu.get(f"/api/bulletin-builds/{pk}/").json()
    assert progress["status"] == "done" and progress["progress"] == progress["progress_total"] > 0
    file = xinwu.get(f"/api/bulletin-builds/{pk}/file/")
    assert file.status_code == 200 and file["Content-Type"] == DOCX
    assert Document(io.BytesIO(file.content)).paragraphs[0].text == progress["title"]
    assert AuditEvent.objects.filter(kind="export", detail__what="bulletin").count() == 1
    # Another user's build does not exist for the caller.
    admin = api_for("admin")
    assert admin.get(f"/api/bulletin-builds/{pk}/").status_code == 404
    assert admin.get("/api/bulletin-builds/").json()["results"] == []
    assert [b["id"] for b in xinwu.get("/api/bulletin-builds/").json()["results"]] == [pk]
