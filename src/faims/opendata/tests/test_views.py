"""GET /api/open/oc4ids/: anonymous, read-only JSON with validators for caches."""
import json

from django.test import Client
from django.urls import reverse

URL = "/api/open/oc4ids/"


def test_anonymous_get(client, published, validate):
    assert reverse("opendata:oc4ids") == URL
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age" in response["Cache-Control"] and response["ETag"] and response["Last-Modified"]
    package = json.loads(response.content)
    assert package["uri"] == "http://testserver/api/open/oc4ids/"
    assert [p["title"] for p in package["projects"]] == ["新吴区集成电路项目"]
    assert "江阴市港口项目" not in response.content.decode()
    findings = validate(package)
    assert not any(findings.values()), json.dumps(findings, ensure_ascii=False, indent=2, default=str)


def test_conditional_get(client, published):
    etag = client.get(URL)["ETag"]
    again = client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag
    assert client.get(URL, headers={"If-None-Match": '"other"'}).status_code == 200


def test_only_get(client, published):
    assert Client(enforce_csrf_checks=True).post(URL).status_code == 405
    assert client.post(URL).status_code == 405
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


def test_signed_in_users_get_the_same_package(client_for, published):
    package = json.loads(client_for("jiangyin").get(URL).content)
    assert [p["title"] for p in package["projects"]] == ["新吴区集成电路项目"]


def test_the_rest_still_needs_signing_in(client, world):
    assert client.get("/projects/").status_code == 302
