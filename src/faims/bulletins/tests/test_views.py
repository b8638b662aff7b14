from django.urls import reverse

from faims.bulletins import services
from faims.bulletins.models import Bulletin
from faims.core.models import AuditEvent

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_list_and_the_generate_form(june, client_for):
    client = client_for("admin")
    assert client.get(reverse("bulletins:bulletin_list")).status_code == 200
    response = client.get(reverse("bulletins:bulletin_generate"), {"year": 2022, "month": 6, "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    response = client.get(reverse("bulletins:bulletin_generate"), {"year": 2022, "month": 6, "format": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_publish_and_download(june, client_for):
    client = client_for("admin")
    response = client.post(reverse("bulletins:bulletin_publish"), {"year": 2022, "month": 6, "format": "docx"})
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert AuditEvent.objects.filter(kind="publish").count() == 1
    page = client.get(reverse("bulletins:bulletin_list")).content.decode()
    assert bulletin.title in page
    response = client.get(reverse("bulletins:bulletin_file", args=[bulletin.pk, "docx"]))
    assert response.status_code == 200 and bytes(response.content) == bytes(bulletin.docx)


def test_out_of_scope_users_are_refused(june, client_for):
    city = services.publish_bulletin(year=2022, month=6, acting_user=june.users["admin"])
    client = client_for("xinwu")
    assert client.get(reverse("bulletins:bulletin_file", args=[city.pk, "docx"])).status_code == 404
    assert client.post(reverse("bulletins:bulletin_publish"), {"year": 2022, "month": 6}).status_code == 404
    response = client.get(
        reverse("bulletins:bulletin_generate"), {"year": 2022, "month": 6, "region": june.jiangyin.pk, "format": "docx"}
    )
    assert response.status_code == 404
    client = client_for("department")
    assert client.get(reverse("bulletins:bulletin_list")).status_code == 404
    assert Bulletin.objects.count() == 1
