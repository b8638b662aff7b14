"""The demo's visits and meetings: mostly compliant with some gaps, linked problems, deterministic."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faims.demo.problems import load_problems
from faims.demo.visits import load_visits
from faims.org.models import User
from faims.problems import services
from faims.problems.choices import DecisionStatus, Source, VisitKind
from faims.problems.models import Meeting, MeetingDecision, Problem, Visit

pytestmark = pytest.mark.django_db


def snapshot():
    return [
        (v.kind, v.person_id, v.date, v.findings, tuple(v.projects.values_list("pk", flat=True)))
        for v in Visit.objects.order_by("date", "person_id", "pk")
    ] + [(d.text, d.deadline, d.status) for d in MeetingDecision.objects.order_by("deadline", "text", "pk")]


def assert_lists_do_not_query_per_row(client):
    client.force_login(User.objects.get(username="admin"))
    for name in ("problems:visit_list", "problems:meeting_list"):
        counts = []
        for per_page in (5, 50):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name), {"per_page": per_page}).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], name


def wipe():
    Visit.objects.all().delete()
    Meeting.objects.all().delete()


def test_demo_visits(settings, client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", projects=400, seed=3, stdout=io.StringIO())
    wipe()  # whatever load_demo may already load
    if not Problem.objects.exists():
        load_problems(seed=3)
    lines = []
    assert load_visits(seed=3, log=lines.append) > 100 and lines
    assert all(v.date.year == 2022 and v.date.month <= 9 for v in Visit.objects.all())
    for kind, periods in ((VisitKind.LEADER, range(1, 4)), (VisitKind.COMMISSIONER, range(1, 10))):
        rows = [row for period in periods for row in services.visit_compliance(kind, 2022, period)]
        compliant = sum(row.compliant for row in rows)
        assert 0.7 * len(rows) < compliant < len(rows), kind
    visit_problems = Problem.objects.filter(source=Source.VISIT)
    assert visit_problems.filter(visit__isnull=False).exists()
    for problem in visit_problems.filter(visit__isnull=False).select_related("visit"):
        assert problem.visit.projects.filter(pk=problem.project_id).exists()
    assert Meeting.objects.count() == 10 and len({m.kind for m in Meeting.objects.all()}) == 4
    decisions = MeetingDecision.objects.all()
    assert decisions.filter(status=DecisionStatus.DONE).count() > decisions.count() / 2
    assert decisions.filter(status=DecisionStatus.OPEN).exists()
    assert_lists_do_not_query_per_row(client)
    first = snapshot()
    Problem.objects.update(visit=None, meeting=None)
    wipe()
    load_visits(seed=3)
    assert snapshot() == first
