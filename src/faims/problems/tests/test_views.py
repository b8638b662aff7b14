import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from faims.core.permissions import ADD, CHANGE, DELETE, VIEW, can
from faims.core.testing import VISIBLE_PROJECTS
from faims.problems.choices import ProblemStatus
from faims.problems.models import EscalationLevel, Problem

from .conftest import in_days

pytestmark = pytest.mark.django_db
ROLES = sorted(VISIBLE_PROJECTS)
LIST = reverse("problems:problem_list")


def act(client, problem, step, **data):
    return client.post(
        reverse("problems:problem_act", args=[problem.pk, step]),
        {f"{step}-{key}": value for key, value in data.items()},
    )


def test_whole_flow_through_the_pages(world, client_for):
    client = client_for("unit")
    project = world.projects["xinwu"]
    page = client.get(project.get_absolute_url())
    assert 'data-testid="raise-problem"' in page.content.decode()
    response = client.post(
        reverse("problems:problem_add"),
        {
            "project": project.pk,
            "source": "visit",
            "category": "energy",
            "title": "能耗指标不足",
            "description": "二期能评需新增能耗指标。",
            "file": SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response.url == problem.get_absolute_url()
    assert problem.attachments.count() == 1 and problem.source == "visit"

    client = client_for("xinwu")
    page = client.get(problem.get_absolute_url()).content.decode()
    assert 'data-testid="form-assign"' in page and 'data-testid="form-answer"' not in page
    response = act(client, problem, "assign", lead_department=world.department.pk, deadline=in_days(-3).isoformat())
    assert response.status_code == 400
    assert "当前状态为“待交办”，可执行的操作：交办、上传附件" in response.content.decode()
    response = act(
        client,
        problem,
        "assign",
        lead_department=world.department.pk,
        deadline=in_days(7).isoformat(),
        co_departments=world.other_department.pk,
    )
    assert response.status_code == 302

    client = client_for("department")
    page = client.get(problem.get_absolute_url()).content.decode()
    assert 'data-testid="form-answer"' in page and 'data-testid="form-confirm"' not in page
    assert act(client, problem, "answer", note="已协调发改委调剂指标。").status_code == 302
    response = act(client, problem, "confirm", rating="satisfied")
    assert response.status_code == 400 and "您不能对该问题执行“确认销号”" in response.content.decode()

    client = client_for("unit")
    assert act(client, problem, "reject", note="").status_code == 400  # the reason is required
    assert act(client, problem, "confirm", rating="satisfied").status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "已协调发改委调剂指标。" in page and 'data-testid="step-forms"' not in page
    response = act(client_for("department"), problem, "answer", note="补充")
    assert response.status_code == 400 and "可执行的操作：无" in response.content.decode()


def test_raise_from_a_monthly_report_page(world, client_for):
    import datetime as dt

    from faims.reporting.models import MonthlyReport, ReportingPeriod

    period = ReportingPeriod.objects.create(year=2022, month=6, deadline=dt.date(2022, 7, 20))
    report = MonthlyReport.objects.create(project=world.projects["xinwu"], period=period, problems_text="缺少用电指标")
    client = client_for("xinwu")
    page = client.get(report.get_absolute_url()).content.decode()
    assert f"?report={report.pk}" in page
    form = client.get(reverse("problems:problem_add"), {"report": report.pk}).content.decode()
    assert "缺少用电指标" in form
    response = client.post(
        f"{reverse('problems:problem_add')}?report={report.pk}",
        {
            "report": report.pk,
            "project": world.projects["xinwu"].pk,
            "category": "utilities",
            "title": "用电",
            "description": "缺少用电指标",
        },
    )
    assert response.status_code == 302
    assert Problem.objects.get().report == report
    assert 'data-testid="raise-problem"' not in client_for("supervisor").get(report.get_absolute_url()).content.decode()


def test_list_filters_and_export_follow_scope(world, problems, client_for):
    client = client_for("department")
    page = client.get(LIST).content.decode()
    assert problems["xinwu"].title in page and problems["jiangyin"].title not in page
    assert problems["raised"].title not in page
    export = client.get(LIST, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True).active
    assert sheet.max_row == 2
    assert client.get(problems["jiangyin"].get_absolute_url()).status_code == 404
    assert client.get(problems["raised"].get_absolute_url()).status_code == 404
    assert act(client, problems["jiangyin"], "answer", note="x").status_code == 404

    admin = client_for("admin")
    for query, expected in [
        ({"status": "raised"}, {"raised"}),
        ({"category": "environment"}, {"raised"}),
        ({"region": world.jiangyin.pk}, {"jiangyin"}),
        ({"lead_department": world.department.pk}, {"xinwu"}),
        ({"overdue": "true"}, set()),
        ({"overdue": "false"}, {"xinwu", "jiangyin", "raised"}),
        ({"escalation_level": "0"}, {"xinwu", "jiangyin", "raised"}),
        ({"escalation_level": "1"}, set()),
        ({"q": "供电"}, {"jiangyin"}),
    ]:
        page = admin.get(LIST, query).content.decode()
        shown = {key for key, p in problems.items() if f'href="{p.get_absolute_url()}"' in page}
        assert shown == expected, query
    Problem.objects.filter(pk=problems["xinwu"].pk).update(deadline=in_days(-2), escalation_level=1)
    page = admin.get(LIST, {"overdue": "true", "escalation_level": "1", "sort": "-deadline"}).content.decode()
    assert problems["xinwu"].get_absolute_url() in page and "双专班" in page
    agenda = admin.get(reverse("problems:agenda", args=[1])).content.decode()
    assert problems["xinwu"].title in agenda
    assert (
        problems["xinwu"].title not in client_for("jiangyin").get(reverse("problems:agenda", args=[1])).content.decode()
    )


def test_escalation_levels_page_admin_edits(world, client_for):
    level = EscalationLevel.objects.get(order=2)
    admin = client_for("admin")
    assert admin.get(reverse("problems:escalationlevel_list")).status_code == 200
    response = admin.post(
        reverse("problems:escalationlevel_edit", args=[level.pk]), {"order": 2, "name": level.name, "wait_days": 45}
    )
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.wait_days == 45
    assert client_for("xinwu").get(reverse("problems:escalationlevel_edit", args=[level.pk])).status_code == 404


def _url(model, suffix, *args):
    from django.urls import NoReverseMatch

    try:
        return reverse(f"problems:{model._meta.model_name}{suffix}", args=args)
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("model", [Problem, EscalationLevel], ids=lambda m: m._meta.label)
@pytest.mark.parametrize("role", ROLES)
def test_scope_contract(client_for, world, problems, model, role):
    """The shared contract of core/tests/test_scope_contract.py, for this app's pages."""
    client = client_for(role)
    user = world.users[role]
    response = client.get(_url(model, "_list"))
    if not can(user, model, VIEW):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    expected = model.objects.restrict(user, VIEW).count()
    export = client.get(_url(model, "_list"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True).active
    assert sheet.max_row - 1 == expected
    for obj in model.objects.all():
        seen = model.objects.restrict(user, VIEW).filter(pk=obj.pk).exists()
        assert client.get(_url(model, "", obj.pk)).status_code == (200 if seen else 404), obj
        for suffix, action in (("_edit", CHANGE), ("_delete", DELETE)):
            if url := _url(model, suffix, obj.pk):
                allowed = model.objects.restrict(user, action).filter(pk=obj.pk).exists()
                assert client.get(url).status_code == (200 if allowed else 404), obj
    assert client.get(_url(model, "_add")).status_code == (200 if can(user, model, ADD) else 403)


def test_list_does_not_query_per_row(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import raise_one

    client = client_for("admin")
    counts = []
    for n in (3, 30):
        while Problem.objects.count() < n:
            raise_one(world)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
