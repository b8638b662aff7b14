"""Background work of the imports, run by the job worker (`faims qcluster`, django-q2)."""
from django.utils.translation import gettext as _

from faims.core.audit import request_id_var

from . import services
from .models import BatchStatus, ImportBatch
from .plans import Issue


def commit_batch(batch_id: int, warning_note: str = "", request_id: str = "") -> dict:
    """Commit a large batch that services.start_commit queued; the change log carries the request
    id of the page that started it. Returns the counts (kept in django-q's task result)."""
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    if batch.status != BatchStatus.QUEUED:
        return {}
    token = request_id_var.set(request_id)
    progress = services.progress_recorder(batch)
    try:
        progress(0, batch.progress_total)
        plan = services.commit(batch, acting_user=batch.user, warning_note=warning_note, progress=progress)
    except Exception:
        # Nothing was saved (the commit is one transaction); the page must not wait for ever.
        failure = Issue(_("导入过程中出现系统错误，未保存任何数据；请稍后重新上传，或联系系统管理员。"))
        summary = dict(batch.summary or {}, errors=[failure.as_dict()])
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, summary=summary)
        raise
    finally:
        request_id_var.reset(token)
    return plan.counts()
