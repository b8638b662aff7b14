import pytest
from django.urls import reverse

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent
from faims.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_need_a_signed_in_user(client, world):
    response = client.get(reverse("projects:project_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_login_and_failed_login_are_audited(client, world):
    assert client.post(reverse("core:login"), {"username": "xinwu", "password": "wrong"}).status_code == 200
    assert client.post(reverse("core:login"), {"username": "xinwu", "password": PASSWORD}).status_code == 302
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", "user_name"))
    assert (AuditKind.LOGIN_FAILED, "xinwu") in kinds
    assert (AuditKind.LOGIN, "xinwu") in kinds


def test_login_page_is_chinese_by_default_and_english_on_request(client, db):
    assert "登录" in client.get(reverse("core:login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in" in client.get(reverse("core:login")).content.decode()


def test_home_shows_the_users_scope(client_for, world):
    body = client_for("xinwu").get(reverse("core:home")).content.decode()
    assert "新吴区" in body


def test_exports_are_audited(admin_client):
    admin_client.get(reverse("projects:project_list"), {"export": "xlsx", "region": ""})
    event = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    assert event.user_name == "admin"
    assert event.detail["rows"] == 2


def test_change_log_pages_are_for_the_city_admin_and_the_supervisor(client_for, world):
    assert client_for("supervisor").get(reverse("core:changelog_list")).status_code == 200
    assert client_for("xinwu").get(reverse("core:changelog_list")).status_code == 404
    assert client_for("xinwu").get(reverse("core:auditevent_list")).status_code == 404


def test_every_response_carries_a_request_id(admin_client):
    assert admin_client.get(reverse("core:home"))["X-Request-Id"]


def test_after_adding_a_plan_from_the_project_page_the_user_returns_there(admin_client, world):
    project = world.projects["xinwu"]
    response = admin_client.post(
        reverse("projects:annualplan_add") + f"?next={project.get_absolute_url()}",
        {"project": project.pk, "year": 2023, "planned_investment": "8000", "start_kind": "continuing"},
    )
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()


def test_next_never_leads_off_the_site(admin_client, world):
    project = world.projects["xinwu"]
    response = admin_client.post(
        reverse("projects:annualplan_add") + "?next=https://example.org/",
        {"project": project.pk, "year": 2023, "planned_investment": "8000", "start_kind": "continuing"},
    )
    assert "example.org" not in response["Location"]


def test_chinese_even_when_the_browser_asks_for_english(client, db):
    body = client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in body
