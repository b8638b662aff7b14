"""No list page runs a query per row: showing 50 rows costs as many queries as showing 5."""
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_scope_contract import _url, paged_models

pytestmark = pytest.mark.django_db


def test_list_pages_do_not_query_per_row(client):
    from faims.org.models import User

    call_command("load_demo", projects=720, seed=1, stdout=io.StringIO())
    client.force_login(User.objects.get(username="admin"))
    for model in paged_models():
        counts = []
        for per_page in (5, 50):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(_url(model, "_list"), {"per_page": per_page}).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], f"{model._meta.label}: {counts[0]} queries for 5 rows, {counts[1]} for 50"
