import pytest
from django.core.exceptions import PermissionDenied

from faims.bulletins import services
from faims.bulletins.content import monthly
from faims.bulletins.models import Bulletin
from faims.core.choices import AuditKind
from faims.core.models import AuditEvent, ChangeLog
from faims.reporting import services as reporting
from faims.reporting.testing import make_period


def test_publishing_is_audited_and_keeps_the_files(june):
    admin = june.users["admin"]
    bulletin = services.publish_bulletin(year=2022, month=6, acting_user=admin)
    assert bulletin.docx and bulletin.xlsx
    assert bulletin.data_locked is False
    event = AuditEvent.objects.get(kind=AuditKind.PUBLISH)
    assert event.user == admin
    assert event.detail["bulletin"] == bulletin.pk and event.detail["period"] == "2022-06"
    assert ChangeLog.objects.filter(object_id=bulletin.pk, content_type__model="bulletin").exists()
    with pytest.raises(PermissionDenied):
        services.publish_bulletin(year=2022, month=6, acting_user=june.users["supervisor"])


def test_a_locked_period_regenerates_identical_figures(june):
    admin = june.users["admin"]
    reporting.lock_period(make_period(2022, 6), acting_user=admin)
    published = services.publish_bulletin(year=2022, month=6, acting_user=admin)
    assert published.data_locked is True
    again = monthly(admin, 2022, 6)
    assert again.locked is True
    assert again.version == published.version_number
    assert again.figures == Bulletin.objects.get(pk=published.pk).figures


def test_who_sees_which_bulletins(june):
    admin = june.users["admin"]
    city = services.publish_bulletin(year=2022, month=6, acting_user=admin)
    xinwu = services.publish_bulletin(year=2022, month=6, region=june.xinwu, acting_user=admin)
    jiangyin = services.publish_bulletin(year=2022, month=6, region=june.jiangyin, acting_user=admin)
    everything = {city.pk, xinwu.pk, jiangyin.pk}
    assert set(Bulletin.objects.restrict(admin).values_list("pk", flat=True)) == everything
    assert set(Bulletin.objects.restrict(june.users["supervisor"]).values_list("pk", flat=True)) == everything
    assert list(Bulletin.objects.restrict(june.users["xinwu"]).values_list("pk", flat=True)) == [xinwu.pk]
    for role in ("department", "unit", "leader", "commissioner"):
        assert not Bulletin.objects.restrict(june.users[role]).exists()
