"""The demo's June 2022 bulletin: it reads like a real one and its figures are the dashboard's."""

import io
import re

import pytest
from django.core.management import call_command
from docx import Document

from faims.bulletins import content, services
from faims.bulletins.content import OVERVIEW_KEYS, monthly
from faims.org.models import User

pytestmark = pytest.mark.django_db
ZERO_COUNT = re.compile(r"(?<![\d.])0个")


def test_the_june_bulletin_of_the_demo(settings, client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    bulletin = monthly(admin, 2022, 6)
    text = "".join(s for _heading, sentences in bulletin.paragraphs for s in sentences)
    headings = [heading for heading, _sentences in bulletin.paragraphs]
    assert headings[:3] == ["一、总体情况", "二、开工情况", "三、各项目库推进情况"]
    assert "1–6月，全市" in text and "个重大项目已完成投资" in text and "亿元，完成年度计划的" in text
    assert re.search(r"[高低]于时序进度\d+\.\d个百分点|与时序进度持平", text)
    # Each library with a half-year start-rate target is held to it (市级重大产业项目 75%, 省重大项目 85%).
    assert re.search(r"市级重大产业项目：计划新开工项目\d+个.*?(已完成|尚未完成)二季度末（半年）目标（75\.0%）", text)
    assert "年度目标（80个）" in text
    assert not ZERO_COUNT.search(text), text
    # The figures are the overview's, to the cent and the exact fraction.
    client.force_login(admin)
    cards = client.get("/dashboard/", {"year": 2022, "month": 6}).context["cards"]
    shared = [key for key in OVERVIEW_KEYS if key in cards]
    assert {"ytd_investment", "completion_rate"} <= set(shared)
    for key in shared:
        assert bulletin.figures["total"][key] == content._json(cards[key]["value"]), key
    # June is locked in the demo: the bulletin says so, and regenerating it gives the same figures.
    assert bulletin.locked
    assert monthly(admin, 2022, 6).figures == bulletin.figures
    # The three files are written; the Word file opens with the title.
    document = Document(io.BytesIO(services.render(bulletin, "docx")))
    assert document.paragraphs[0].text == bulletin.title
    assert services.render(bulletin, "pdf")[:5] == b"%PDF-"
    assert services.render(bulletin, "xlsx")[:2] == b"PK"
