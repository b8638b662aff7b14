"""faims export_oc4ids -o FILE [--pretty]"""
import io
import json

from django.core.management import call_command

from faims.core.choices import AuditKind
from faims.core.models import AuditEvent


def test_export_writes_the_package(published, tmp_path, validate, settings):
    settings.FAIMS_SITE_URL = "https://faims.example.gov.cn/"
    out, target = io.StringIO(), tmp_path / "oc4ids.json"
    call_command("export_oc4ids", "-o", str(target), stdout=out)
    assert "1 个公开项目" in out.getvalue()
    text = target.read_text(encoding="utf-8")
    package = json.loads(text)
    assert package["uri"] == "https://faims.example.gov.cn/api/open/oc4ids/"
    assert [p["title"] for p in package["projects"]] == ["新吴区集成电路项目"]
    assert "江阴市港口项目" not in text and published.projects["jiangyin"].code not in text
    assert "\n  " not in text.strip()
    findings = validate(package)
    assert not any(findings.values()), json.dumps(findings, ensure_ascii=False, indent=2, default=str)
    assert AuditEvent.objects.get(kind=AuditKind.EXPORT).detail["rows"] == 1


def test_pretty_and_uri(published, tmp_path):
    target = tmp_path / "oc4ids.json"
    call_command("export_oc4ids", "-o", str(target), "--pretty", "--uri", "https://data.example.cn/p.json",
                 stdout=io.StringIO())
    text = target.read_text(encoding="utf-8")
    assert "\n  " in text and json.loads(text)["uri"] == "https://data.example.cn/p.json"
