"""The assessment through the API: schemes as data (city admin), a scheme's scores with explanations (scoped)."""

from faims.assessment.models import AssessmentIndicator, AssessmentScheme
from faims.core.models import ChangeLog

from .conftest import make_scheme


def _scheme(year=2022):
    # In place of the seeded 2022 scheme of the same kind and subject.
    AssessmentScheme.objects.filter(year=year, kind="annual", subject="region").delete()
    return make_scheme(
        year=year,
        indicators=[
            ("completion_rate", "60", "higher", "fixed", "0.8"),
            ("new_start_rate", "40", "higher", "fixed", "1"),
        ],
        flags=[("reward", "top", "1"), ("penalty", "bottom", "1")],
    )


def test_scores_rank_and_explain_every_point(june, api_for):
    scheme = _scheme()
    body = api_for("admin").get(f"/api/assessment-schemes/{scheme.pk}/scores/", {"month": 6})
    assert body.status_code == 200, body.content
    data = body.json()
    assert data["year"] == 2022 and data["month"] == 6 and data["version"] == 1
    xinwu, jiangyin = data["subjects"]
    assert (xinwu["label"], xinwu["total"], xinwu["rank"]) == ("新吴区", "85.0", 1)
    assert xinwu["indicators"][0]["explanation"] == "年度计划完成率60.0%，目标80.0%，得45.0分（权重60）"
    assert xinwu["indicators"][0]["value"] == "3/5" and xinwu["indicators"][0]["url"]
    assert [flag["kind"] for flag in xinwu["flags"]] == ["reward"]
    assert jiangyin["indicators"][1]["points"] is None and "折算为百分制" in jiangyin["explanation"][-1]
    # A region officer sees its own region's scores only.
    mine = api_for("xinwu").get(f"/api/assessment-schemes/{scheme.pk}/scores/", {"month": 6}).json()
    assert [s["label"] for s in mine["subjects"]] == ["新吴区"]
    assert api_for("admin").get(f"/api/assessment-schemes/{scheme.pk}/scores/", {"month": 13}).status_code == 400


def test_schemes_are_data_the_city_admin_edits(june, api_for):
    scheme = _scheme()
    admin = api_for("admin")
    listed = admin.get("/api/assessment-schemes/", {"year": 2022}).json()["results"]
    assert scheme.pk in [row["id"] for row in listed]
    bad = admin.post(
        "/api/assessment-indicators/", {"scheme": scheme.pk, "kpi_key": "no_such_kpi", "weight": 0}, format="json"
    )
    assert bad.status_code == 400 and {"kpi_key", "weight"} <= set(bad.json()["errors"])
    indicator = AssessmentIndicator.objects.filter(scheme=scheme).first()
    changed = admin.patch(f"/api/assessment-indicators/{indicator.pk}/", {"weight": "50"}, format="json")
    assert changed.status_code == 200, changed.content
    assert ChangeLog.objects.filter(content_type__model="assessmentindicator", object_id=indicator.pk).exists()
    other = api_for("xinwu")
    assert other.patch(f"/api/assessment-schemes/{scheme.pk}/", {"name": "改"}, format="json").status_code == 404
    assert AssessmentScheme.objects.get(pk=scheme.pk).name == scheme.name
