"""The scope contract, checked for every model page and export at once.

For each model that has pages (app:model_list, app:model, …) and each role of the test world:
the list and its Excel export hold exactly the objects `restrict(user)` gives; a detail page outside
the scope answers 404; edit and delete pages outside the write scope answer 404 and an add page 403;
a POST outside the scope changes nothing.
"""
import io

import openpyxl
import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from faims.core.models import ChangeLog
from faims.core.permissions import ADD, CHANGE, DELETE, VIEW, can
from faims.core.testing import VISIBLE_PROJECTS

pytestmark = pytest.mark.django_db
ROLES = sorted(VISIBLE_PROJECTS)


def _url(model, suffix, *args):
    try:
        return reverse(f"{model._meta.app_label}:{model._meta.model_name}{suffix}", args=args)
    except NoReverseMatch:
        return None


def paged_models():
    return [m for m in apps.get_models() if m._meta.app_label in {"core", "org", "projects", "targets", "problems",
                                                                       "assessment"}
            and _url(m, "_list")]


def test_every_domain_model_has_pages():
    names = {m._meta.model_name for m in paged_models()}
    assert {"project", "library", "membership", "annualplan", "region", "department", "organisation",
            "person", "user", "target", "changelog"} <= names


@pytest.mark.parametrize("model", paged_models(), ids=lambda m: m._meta.label)
@pytest.mark.parametrize("role", ROLES)
def test_list_and_export_hold_exactly_the_scope(client_for, world, model, role):
    client = client_for(role)
    user = world.users[role]
    visible = model.objects.restrict(user, VIEW)
    response = client.get(_url(model, "_list"))
    if not can(user, model, VIEW):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    expected = visible.count()  # before the export, which itself adds an audit event
    export = client.get(_url(model, "_list"), {"export": "xlsx"})
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True).active
    assert sheet.max_row - 1 == expected


@pytest.mark.parametrize("model", paged_models(), ids=lambda m: m._meta.label)
@pytest.mark.parametrize("role", ROLES)
def test_object_pages_answer_by_scope(client_for, world, model, role):
    client = client_for(role)
    user = world.users[role]
    if _url(model, "", 1) is None:
        return
    for obj in model.objects.all()[:40]:
        seen = model.objects.restrict(user, VIEW).filter(pk=obj.pk).exists()
        assert client.get(_url(model, "", obj.pk)).status_code == (200 if seen else 404), obj
        edit = _url(model, "_edit", obj.pk)
        if edit:
            writable = model.objects.restrict(user, CHANGE).filter(pk=obj.pk).exists()
            assert client.get(edit).status_code == (200 if writable else 404), obj
        delete = _url(model, "_delete", obj.pk)
        if delete:
            deletable = model.objects.restrict(user, DELETE).filter(pk=obj.pk).exists()
            assert client.get(delete).status_code == (200 if deletable else 404), obj
    add = _url(model, "_add")
    if add:
        assert client.get(add).status_code == (200 if can(user, model, ADD) else 403)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_writes_outside_scope_change_nothing(client_for, world, role):
    client = client_for(role)
    project = world.projects["jiangyin"]
    changes = ChangeLog.objects.count()
    for url in (_url(type(project), "_edit", project.pk), _url(type(project), "_delete", project.pk)):
        assert client.post(url, {"name": "被篡改", "change_reason": "x"}).status_code == 404
    assert client.post(_url(type(project), "_add"), {"name": "越权新增"}).status_code == 403
    project.refresh_from_db()
    assert project.name == "江阴市港口项目"
    assert ChangeLog.objects.count() == changes
