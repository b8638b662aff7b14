"""Personal tokens: created and listed by their user, the key shown once and stored hashed, expiring, revocable."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from faims.api.models import ApiToken, hash_key
from faims.api.tokens import create_token
from faims.core.models import ChangeLog


def _client(key=None, scheme="Bearer"):
    client = APIClient()
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    return client


def test_the_key_works_and_only_its_hash_is_kept(world):
    token, key = create_token(user=world.users["xinwu"], name="省平台同步", days=30)
    assert key.startswith("faims_") and len(key) > 40
    assert token.key_hash == hash_key(key) and key not in str(ApiToken.objects.values_list().get())
    assert ChangeLog.objects.filter(object_id=token.pk, content_type__model="apitoken").exists()
    for scheme in ("Bearer", "Token", "bearer"):
        response = _client(key, scheme).get("/api/projects/")
        assert response.status_code == 200, response.content
    # The region officer's token sees what the region officer sees.
    names = {row["name"] for row in _client(key).get("/api/projects/").json()["results"]}
    assert names == {"新吴区集成电路项目"}
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer faims_wrong", "Bearer", "Bearer a b", "Token \u00e9t\u00e9"])
def test_a_bad_token_is_401_with_a_reason(world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/projects/")
    assert response.status_code == 401
    assert response.json()["detail"] in ("令牌无效或已过期。", "Authorization 请求头格式应为“Bearer 令牌”。")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_or_revoked_token_stops_working(world):
    token, key = create_token(user=world.users["admin"], name="临时", days=1)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=2)):
        assert _client(key).get("/api/projects/").status_code == 401
    assert _client(key).delete(f"/api/tokens/{token.pk}/").status_code == 204
    assert _client(key).get("/api/projects/").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_without_credentials_the_api_answers_401_not_a_login_page(world):
    response = APIClient().get("/api/projects/")
    assert response.status_code in (401, 403) and "detail" in response.json()


def test_tokens_through_the_api_are_the_caller_s_own(world):
    _mine, key = create_token(user=world.users["xinwu"], name="我的")
    other, _other_key = create_token(user=world.users["jiangyin"], name="别人的")
    client = _client(key)
    listed = client.get("/api/tokens/").json()["results"]
    assert [row["name"] for row in listed] == ["我的"] and "key_hash" not in listed[0]
    assert client.get(f"/api/tokens/{other.pk}/").status_code == 404
    assert client.delete(f"/api/tokens/{other.pk}/").status_code == 404
    created = client.post("/api/tokens/", {"name": "新的", "days": 7}, format="json")
    assert created.status_code == 201 and created.json()["key"].startswith("faims_")
    bad = client.post("/api/tokens/", {"name": "", "days": 999}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"name", "days"}
    other.refresh_from_db()
    assert other.revoked_at is None


def test_the_tokens_page_shows_a_new_key_once(client_for):
    client = client_for("unit")
    page = client.post(reverse("api_tokens"), {"name": "企业系统", "days": 90})
    assert page.status_code == 200
    key = page.context["key"]
    assert key in page.content.decode()
    again = client.get(reverse("api_tokens")).content.decode()
    assert key not in again and "企业系统" in again
    token = ApiToken.objects.get()
    client.post(reverse("api_tokens"), {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.post(reverse("api_tokens"), {"name": "", "days": 0}).status_code == 400


def test_an_unknown_api_address_is_a_json_404(world):
    for path in ("/api/nothing/", "/api/projects/1.5/", "/api/projects/x/y/z/"):
        response = APIClient().get(path)
        assert response.status_code == 404 and response.json()["detail"].startswith("未找到"), path
