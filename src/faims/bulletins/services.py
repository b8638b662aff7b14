"""Publishing a bulletin: generate it for the period and scope, keep its files and figures, record the event."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.permissions import can
from faims.core.services import save_object

from . import content, docx, xlsx
from .models import Bulletin


def generate(user, year: int, month: int, region=None, *, kind="monthly", version=None) -> content.Bulletin:
    if kind != "monthly":
        raise ValueError(f"unknown bulletin kind {kind}")
    return content.monthly(user, year, month, region, version=version)


def render(bulletin: content.Bulletin, file_format: str) -> bytes:
    return {"docx": docx.render, "xlsx": xlsx.render}[file_format](bulletin)


@transaction.atomic
def publish_bulletin(*, year: int, month: int, region=None, kind="monthly", acting_user) -> Bulletin:
    """Generate, store (with both files) and record the publication of a bulletin; city admin only."""
    if not can(acting_user, Bulletin, "add"):
        raise PermissionDenied(_("只有市重大办管理员可以发布通报。"))
    document = generate(acting_user, year, month, region, kind=kind)
    stored = Bulletin(
        kind=kind,
        year=year,
        month=month,
        region=region,
        title=document.title,
        version_number=document.version,
        data_locked=document.locked,
        figures=document.figures,
        docx=render(document, "docx"),
        xlsx=render(document, "xlsx"),
        published_at=timezone.now(),
        published_by=acting_user,
    )
    save_object(stored, acting_user=acting_user, reason=_("发布通报"))
    record_event(
        AuditKind.PUBLISH,
        user=acting_user,
        bulletin=stored.pk,
        bulletin_kind=kind,
        period=stored.period_label,
        region=region.code if region else "",
        version=document.version,
        data_locked=document.locked,
    )
    return stored
