import pytest

from faims.core.testing import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users["admin"])
    return client


@pytest.fixture
def client_for(client, world):
    """client_for("xinwu") — a test client signed in as one of the world's users."""

    def sign_in(key):
        client.force_login(world.users[key])
        return client

    return sign_in


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that build many users need not pay for it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_for(world):
    """api_for("xinwu") — an API client holding a fresh personal token of that user of the world."""
    from rest_framework.test import APIClient

    from faims.api.tokens import create_token

    def api_client(key):
        _token, secret = create_token(user=world.users[key], name="测试")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return api

    return api_client
