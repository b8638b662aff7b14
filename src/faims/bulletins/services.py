"""Bulletins: generate one (now, or in the job worker with its progress), keep a published one with its files."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.permissions import can
from faims.core.services import save_object

from . import content, docx, xlsx
from .choices import QUARTER_END_MONTHS, BuildStatus, BulletinFormat, BulletinKind
from .models import Bulletin, BulletinBuild

FORMATS = tuple(BulletinFormat.values)


def check_request(kind: str, month: int) -> None:
    """Refuse what no bulletin can be written for, naming the field."""
    if kind not in BulletinKind.values:
        raise ValidationError({"kind": _("通报类型 %(kind)s 不存在。") % {"kind": kind}})
    if kind == BulletinKind.QUARTERLY and month not in QUARTER_END_MONTHS:
        raise ValidationError({"month": _("季度督查报告的月份须为 3、6、9 或 12 月。")})


def generate(user, year: int, month: int, region=None, *, kind=BulletinKind.MONTHLY, version=None, progress=None):
    """The content of the bulletin of the kind for the period and scope (PermissionDenied outside the user's scope)."""
    check_request(kind, month)
    if kind == BulletinKind.MONTHLY:
        return content.monthly(user, year, month, region, version=version, progress=progress)
    from . import periodic

    write = periodic.quarterly if kind == BulletinKind.QUARTERLY else periodic.annual
    return write(user, year, month, region, version=version, progress=progress)


def render(bulletin: content.Bulletin, file_format: str) -> bytes:
    if file_format == "pdf":
        # WeasyPrint loads its libraries on import: only when a PDF is asked for.
        from . import pdf

        return pdf.render(bulletin)
    return {"docx": docx.render, "xlsx": xlsx.render}[file_format](bulletin)


@transaction.atomic
def publish_bulletin(*, year: int, month: int, region=None, kind=BulletinKind.MONTHLY, acting_user) -> Bulletin:
    """Generate, store (with its files) and record the publication of a bulletin; city admin only."""
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
        **{file_format: render(document, file_format) for file_format in FORMATS},
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


# ---------------------------------------------------------------------------------------------
# Builds: a bulletin written by the job worker while its page shows the progress


def start_build(*, user, kind: str, year: int, month: int, region=None, file_format: str) -> BulletinBuild:
    """Check the request, record the build and hand it to the job worker (`faims qcluster`)."""
    from django_q.tasks import async_task

    if not can(user, Bulletin, "generate"):
        raise PermissionDenied(_("您无权生成通报。"))
    check_request(kind, month)
    if file_format not in FORMATS:
        raise ValidationError({"format": _("格式 %(format)s 不存在。") % {"format": file_format}})
    # Out of scope: refused now, not after the wait.
    content.scope_projects(user, region)
    build = BulletinBuild.objects.create(
        user=user, kind=kind, year=year, month=month, region=region, file_format=file_format
    )
    async_task(
        "faims.bulletins.tasks.build_bulletin", build.pk, task_name=f"bulletin-build-{build.pk}", group="bulletins"
    )
    build.refresh_from_db()
    return build


def run_build(build: BulletinBuild) -> BulletinBuild:
    """Write the bulletin of a queued build, storing each step's progress for its page; the file at the end."""

    def progress(done: int, total: int, step: str) -> None:
        BulletinBuild.objects.filter(pk=build.pk).update(
            status=BuildStatus.RUNNING, progress=done, progress_total=total + 1, step=str(step)[:100]
        )

    progress(0, 1, _("准备数据"))
    try:
        document = generate(build.user, build.year, build.month, build.region, kind=build.kind, progress=progress)
        data = render(document, build.file_format)
    except (PermissionDenied, ValidationError, ValueError) as exc:
        return _finish(build, status=BuildStatus.FAILED, error="；".join(getattr(exc, "messages", [str(exc)])))
    except Exception:
        _finish(build, status=BuildStatus.FAILED, error=_("生成过程中出现系统错误，请稍后重试，或联系系统管理员。"))
        raise
    return _finish(build, status=BuildStatus.DONE, title=document.title, content=data)


def _finish(build: BulletinBuild, **values) -> BulletinBuild:
    if values["status"] == BuildStatus.DONE:
        build.refresh_from_db(fields=["progress_total"])
        values["progress"] = values["progress_total"] = max(build.progress_total, 1)
    BulletinBuild.objects.filter(pk=build.pk).update(finished_at=timezone.now(), **values)
    build.refresh_from_db()
    return build


def download_build(build: BulletinBuild, user) -> bytes:
    """The built file, its download recorded like every export."""
    record_event(
        AuditKind.EXPORT,
        user=user,
        what="bulletin",
        bulletin_kind=build.kind,
        period=f"{build.year}-{build.month:02d}",
        region=build.region.code if build.region_id else "",
        format=build.file_format,
    )
    return bytes(build.content)
