"""Writing targets and quantitative tasks; every caller (pages, imports, commands) goes through these."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from faims.core.services import delete_object, save_object

from .models import PROGRESS, QuantitativeTask, Target, TaskProgress

IDENTITY_FIELDS = ("kpi_key", "scope", "region", "library", "category", "year", "period")


def check_unique(target: Target) -> None:
    """One value per KPI, scope, year and period.

    The database constraint cannot see duplicates whose region or library is empty (NULL never
    equals NULL), which is exactly the city-wide case, so the rule is checked here.
    """
    identity = {name: getattr(target, name) for name in IDENTITY_FIELDS if name not in ("region", "library")}
    identity.update(region_id=target.region_id, library_id=target.library_id)
    if Target.objects.filter(**identity).exclude(pk=target.pk).exists():
        raise ValidationError(_("该年度、该范围、该时点的这一指标已有目标任务，请修改原有目标而不要重复录入。"))


def save_target(target: Target, *, acting_user, reason: str = "", m2m: dict | None = None) -> Target:
    check_unique(target)
    return save_object(target, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_target(target: Target, *, acting_user, reason: str = "") -> None:
    delete_object(target, acting_user=acting_user, reason=reason)


def save_task(task: QuantitativeTask, *, acting_user, reason: str = "", m2m: dict | None = None) -> QuantitativeTask:
    return save_object(task, acting_user=acting_user, reason=reason, m2m=m2m)


def delete_task(task: QuantitativeTask, *, acting_user, reason: str = "") -> None:
    delete_object(task, acting_user=acting_user, reason=reason)


def record_progress(task: QuantitativeTask, *, month: int, cumulative, note: str = "", acting_user,
                    reason: str = "") -> TaskProgress:
    """Set the cumulative actual of `task` at the end of `month`, adding the month or correcting it.

    Only a user who may record the task's progress (the admin, or an officer of the owning
    department) gets here; anyone else gets PermissionDenied and nothing is written.
    """
    if not QuantitativeTask.objects.restrict(acting_user, PROGRESS).filter(pk=task.pk).exists():
        raise PermissionDenied(_("您无权填报该任务的进度：它不属于您的部门。"))
    progress = TaskProgress.objects.filter(task=task, month=month).first() or TaskProgress(task=task, month=month)
    progress.cumulative, progress.note = cumulative, note
    return save_object(progress, acting_user=acting_user, reason=reason)


def delete_progress(progress: TaskProgress, *, acting_user, reason: str = "") -> None:
    delete_object(progress, acting_user=acting_user, reason=reason)
