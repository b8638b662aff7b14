"""The demo's open data: the coded government-investment projects of the programme, a valid package."""
import io
import json

from django.core.management import call_command

from faims.demo.reference import AS_OF
from faims.opendata import oc4ids
from faims.projects.choices import InvestmentType
from faims.projects.models import Project


def test_demo_package_validates(db, settings, validate):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", projects=300, seed=5, stdout=io.StringIO())
    public = Project.objects.filter(is_public=True)
    assert 10 <= public.count() < Project.objects.count() / 4
    assert not public.filter(is_synthetic=True).exists()
    assert not public.exclude(investment_type=InvestmentType.GOVERNMENT).exists()
    package = oc4ids.build_package("https://faims.example.gov.cn/api/open/oc4ids/", today=AS_OF)
    findings = validate(package)
    assert not any(findings.values()), json.dumps(findings, ensure_ascii=False, indent=2, default=str)[:20000]
    projects = {p["identifiers"][0]["id"]: p for p in package["projects"]}
    assert set(projects) == set(public.values_list("code", flat=True))
    text = oc4ids.package_json(package)
    for code in Project.objects.filter(is_public=False).exclude(code=None).values_list("code", flat=True)[:200]:
        assert code not in text
    metrics = [m["id"] for p in projects.values() for m in p.get("metrics", [])]
    assert "financialProgress" in metrics and "physicalProgress" in metrics
    assert any(p.get("milestones") for p in projects.values())
    sectors = {s for p in projects.values() for s in p["sector"]}
    assert {"transport.urban", "transport.rail", "transport.road", "education"} <= sectors
