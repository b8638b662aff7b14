"""The demo's problems: realistic, consistent with the flow, deterministic for a seed."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from faims.demo.problems import load_problems
from faims.demo.reference import AS_OF
from faims.problems import services
from faims.problems.choices import ActionKind, ProblemStatus
from faims.problems.models import EscalationLevel, Problem, ProblemAction

pytestmark = pytest.mark.django_db
AS_OF_END = timezone.make_aware(dt.datetime.combine(AS_OF, dt.time.max))


def snapshot():
    return [
        (
            p.project_id,
            p.category,
            p.title,
            p.status,
            p.raised_at,
            p.deadline,
            p.closed_at,
            p.rating,
            p.escalation_level,
            p.lead_department_id,
            tuple(a.kind for a in p.actions.all()),
        )
        for p in Problem.objects.order_by("raised_at", "project_id").prefetch_related("actions")
    ]


def test_demo_problems(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", projects=400, seed=3, stdout=io.StringIO())
    Problem.objects.all().delete()  # whatever load_demo may already load
    lines = []
    assert load_problems(seed=3, log=lines.append) == 120 and lines
    problems = list(Problem.objects.select_related("project").prefetch_related("actions", "co_departments"))
    assert len({p.category for p in problems}) == 9
    assert len({p.project.region_id for p in problems}) >= 8
    assert {timezone.localtime(p.raised_at).month for p in problems} == set(range(1, 10))
    statuses = Counter(p.status for p in problems)
    assert statuses[ProblemStatus.CLOSED] > 60 and statuses[ProblemStatus.CLOSED] < 120
    open_ = [p for p in problems if p.is_open]
    assert any(p.is_overdue(AS_OF) for p in open_) and any(p.escalation_level for p in open_)
    assert all(p.rating for p in problems if p.status == ProblemStatus.CLOSED)
    ladder = services.escalation_ladder()
    for p in problems:
        kinds = [a.kind for a in sorted(p.actions.all(), key=lambda a: (a.at, a.pk))]
        assert kinds[0] == ActionKind.RAISE and all(a.at <= AS_OF_END for a in p.actions.all())
        assert p.raised_at.year == 2022
        if p.status != ProblemStatus.RAISED:
            assert p.lead_department_id and p.deadline and p.assigned_at >= p.raised_at
            assert p.lead_department not in p.co_departments.all()
        if p.status == ProblemStatus.CLOSED:
            assert kinds[-1] == ActionKind.CONFIRM and p.closed_at >= p.first_answered_at
        assert kinds.count(ActionKind.ESCALATE) == p.escalation_level
        # The job, run on the demo date's next morning, finds nothing it should have done already.
        if p.is_open:
            assert services.next_level_due(p, ladder, AS_OF) is None
    assert ProblemAction.objects.filter(kind=ActionKind.ESCALATE, actor__isnull=False).count() == 0
    assert EscalationLevel.objects.count() == 3
    first = snapshot()
    Problem.objects.all().delete()
    load_problems(seed=3)
    assert snapshot() == first
