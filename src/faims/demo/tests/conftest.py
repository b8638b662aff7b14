import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from faims.core.models import AuditEvent, ChangeLog
from faims.demo import programme

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The default demo programme, loaded once for a module and removed after it; the command's output."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        programme.reset()
        ChangeLog.objects.all().delete()
        AuditEvent.objects.all().delete()
