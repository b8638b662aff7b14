"""The Wuxi 2022 demo: the annual region assessment ranks every region, and the quarterly report runs."""
import io

import pytest
from django.core.management import call_command

from faims.assessment.models import AssessmentScheme
from faims.assessment.scoring import assess
from faims.bulletins.periodic import quarterly
from faims.metrics.engine import evaluate
from faims.org.models import User
from faims.projects.models import Project

pytestmark = pytest.mark.django_db


def test_demo_assessment_and_quarterly_report():
    call_command("load_demo", stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    scheme = AssessmentScheme.objects.get(kind="annual", subject="region", year=2022)
    result = assess(admin, scheme, 2022, 9)
    regions = evaluate(Project.objects.all(), 2022, 9, keys=["project_count"], by="region").rows
    expected = {row.label for row in regions if row.values["project_count"]} - {"无锡市"}
    assert {s.label for s in result.subjects} == expected and len(expected) >= 8
    for subject in result.subjects:
        assert subject.total is not None and subject.rank is not None
        assert len(subject.explanation) == len(scheme.indicators.all()) + 1
        assert all("分" in line for line in subject.explanation)
    assert result.subjects[0].rank == 1
    assert any(s.flags for s in result.subjects)
    bulletin = quarterly(admin, 2022, 6)
    assert bulletin.title == "关于2022年第二季度重大项目督查情况的报告"
    assert len(bulletin.figures["assessment"]["region"]["subjects"]) == len(expected)
    assert "各地区督查评分" in "".join(heading for heading, _s in bulletin.paragraphs)
