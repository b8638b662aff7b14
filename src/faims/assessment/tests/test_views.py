import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from faims.assessment.models import AssessmentScheme
from faims.core.models import ChangeLog

pytestmark = pytest.mark.django_db
RANKING = {"year": 2022, "period": "year", "month": 6, "subject": "region"}


def test_ranking_page_and_export(june, client_for):
    client = client_for("admin")
    response = client.get(reverse("assessment:ranking"), RANKING)
    assert response.status_code == 200
    page = response.content.decode()
    assert "新吴区" in page and "江阴市" in page and "得分说明" in page and "dashboard/drilldown" in page
    export = client.get(reverse("assessment:ranking"), {**RANKING, "export": "xlsx"})
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    sheet = book.worksheets[0]
    assert {sheet.cell(3, 2).value, sheet.cell(4, 2).value} == {"新吴区", "江阴市"}
    assert sheet.cell(2, 3).value == "总分"


def test_ranking_by_scope(june, client_for):
    page = client_for("xinwu").get(reverse("assessment:ranking"), RANKING).content.decode()
    assert "新吴区" in page and "江阴市" not in page
    assert client_for("unit").get(reverse("assessment:ranking"), RANKING).status_code == 404
    missing = client_for("admin").get(reverse("assessment:ranking"), {**RANKING, "year": 2029})
    assert 'data-testid="no-scheme"' in missing.content.decode()


def test_scheme_pages_edit_by_admin_only(world, client_for):
    scheme = AssessmentScheme.objects.get(kind="annual", subject="region", year=2022)
    indicator = scheme.indicators.get(kpi_key="target_completion_rate")
    assert "目标完成率" in client_for("supervisor").get(scheme.get_absolute_url()).content.decode()
    assert client_for("supervisor").get(reverse("assessment:assessmentindicator_edit", args=[indicator.pk])
                                        ).status_code == 404
    assert client_for("supervisor").get(reverse("assessment:assessmentindicator_add")).status_code == 403
    assert client_for("unit").get(scheme.get_absolute_url()).status_code == 404
    admin = client_for("admin")
    data = {"scheme": scheme.pk, "kpi_key": "target_completion_rate", "weight": "25", "method": "higher",
            "goal_source": "fixed", "goal": "1", "sort_order": 1, "note": "", "change_reason": "调整权重"}
    response = admin.post(reverse("assessment:assessmentindicator_edit", args=[indicator.pk]), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.weight == 25
    assert ChangeLog.objects.filter(reason="调整权重").exists()
    bad = admin.post(reverse("assessment:assessmentindicator_edit", args=[indicator.pk]), {**data, "weight": "0"})
    assert "权重必须大于零" in bad.content.decode()


def test_command(june):
    out = io.StringIO()
    call_command("assess", "--year", "2022", "--month", "6", "--subject", "region", "--format", "json", stdout=out)
    figures = json.loads(out.getvalue())
    assert [s["label"] for s in figures["subjects"]] and figures["scheme"].startswith("2022年度")
    out = io.StringIO()
    call_command("assess", "--year", "2022", "--quarter", "2", "--subject", "department", stdout=out)
    assert "季度督查" in out.getvalue() and "市自然资源规划局" in out.getvalue()


def test_department_officer_sees_its_department(june, client_for):
    response = client_for("department").get(reverse("assessment:ranking"), {"year": 2022, "period": "2"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "市自然资源规划局" in page and "市交通运输局" not in page
    assert client_for("department").get(reverse("assessment:ranking"), {**RANKING}).status_code == 400
