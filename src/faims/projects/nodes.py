"""Node plans (项目节点计划): writing them, moving a planned date with its coded reason, the overdue
nodes (the KPI engine's warning W07), a project's timeline and the month-by-month grid of a library.

A node's planned date changes only through `move_planned_date`, which keeps the old date in a
NodePlanChange row; `NodePlan.clean` refuses any other change of it, whichever path saves it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from faims.core.permissions import CHANGE, VIEW
from faims.core.services import delete_object, save_object, save_objects

from .choices import LibraryLevel, MembershipStatus, NodeChangeReason, NodeKind
from .models import Library, Membership, NodePlan, NodePlanChange, Project

KIND_ORDER = {kind.value: position for position, kind in enumerate(NodeKind)}
DONE, OVERDUE, UPCOMING = "done", "overdue", "upcoming"


def save_node_plan(node: NodePlan, *, acting_user, reason: str = "", m2m: dict | None = None) -> NodePlan:
    return save_object(node, acting_user=acting_user, reason=reason, m2m=m2m)


def save_node_plans(nodes, *, acting_user, reason: str = "") -> list[NodePlan]:
    """save_node_plan for many nodes at once (imports, generated plans): all or nothing, raises BatchError."""
    return save_objects(nodes, acting_user=acting_user, reason=reason)


def delete_node_plan(node: NodePlan, *, acting_user, reason: str = "") -> None:
    delete_object(node, acting_user=acting_user, reason=reason)


@transaction.atomic
def move_planned_date(
    node: NodePlan, new_date: dt.date, *, reason_code: str, reason: str = "", acting_user
) -> NodePlanChange:
    """Move the node's planned date to `new_date`; the old date and the reason are kept in a NodePlanChange.

    Raises ValidationError (keys new_date, reason_code, reason) or PermissionDenied; nothing is saved then.
    """
    stored = NodePlan.objects.restrict(acting_user, CHANGE).select_related("project").filter(pk=node.pk).first()
    if stored is None:
        raise PermissionDenied(_("您无权对该对象执行此操作。"))
    if stored.actual_date:
        raise ValidationError(
            {"new_date": _("该节点已于 %(date)s 完成，不能再调整计划日期。") % {"date": stored.actual_date.isoformat()}}
        )
    change = NodePlanChange(
        node=stored,
        old_date=stored.planned_date,
        new_date=new_date,
        reason_code=reason_code,
        reason=(reason or "").strip(),
        changed_by=acting_user if acting_user.pk else None,
    )
    # The reason is checked before anything is written, so that a refused move leaves no trace.
    change.full_clean()
    stored.planned_date = new_date
    stored._moving_planned_date = True
    label = NodeChangeReason(reason_code).label
    log_reason = (f"{label}：{change.reason}" if change.reason else str(label))[:500]
    try:
        save_object(stored, acting_user=acting_user, reason=log_reason)
    except ValidationError as exc:
        raise ValidationError({"new_date": exc.message_dict.get("planned_date", exc.messages)}) from exc
    save_object(change, acting_user=acting_user, reason=log_reason)
    node.planned_date = new_date
    return change


def overdue_nodes(projects, on_date: dt.date) -> QuerySet:
    """The nodes of `projects` (a queryset or ids) whose planned date is before `on_date` and that have no
    actual date: the engine's warning W07. Not scoped: pass projects the caller may see."""
    if isinstance(projects, QuerySet):
        projects = projects.values("pk")
    return NodePlan.objects.filter(project__in=projects).overdue(on_date)


def node_state(node: NodePlan, on_date: dt.date) -> str:
    if node.actual_date:
        return DONE
    return OVERDUE if node.planned_date < on_date else UPCOMING


def with_changes(queryset):
    return queryset.prefetch_related(Prefetch("changes", queryset=NodePlanChange.objects.order_by("changed_at", "pk")))


@dataclass
class TimelineNode:
    node: NodePlan
    state: str
    old_dates: list = field(default_factory=list)


def project_timeline(project: Project, user, on_date: dt.date) -> list[TimelineNode]:
    """The project's nodes in the order they are reached, each with its state and its former planned dates."""
    nodes = with_changes(NodePlan.objects.restrict(user, VIEW).filter(project=project))
    return [
        TimelineNode(node, node_state(node, on_date), [change.old_date for change in node.changes.all()])
        for node in sorted(nodes, key=lambda n: KIND_ORDER.get(n.kind, len(KIND_ORDER)))
    ]


def default_library(year: int) -> Library | None:
    """The 省重大项目 library of the year (the policy's 逐项逐月 plan), else the year's first provincial library."""
    libraries = Library.objects.filter(year=year, level=LibraryLevel.PROVINCIAL)
    return libraries.filter(name="省重大项目").first() or libraries.order_by("name", "pk").first()


@dataclass
class GridRow:
    project: Project
    months: list  # 12 lists of (node, state), January first


def monthly_grid(projects, year: int, on_date: dt.date) -> list[GridRow]:
    """One row per project, each month the nodes planned in it (two queries whatever the number of projects)."""
    projects = list(projects)
    rows = {project.pk: GridRow(project, [[] for _month in range(12)]) for project in projects}
    nodes = NodePlan.objects.filter(project__in=list(rows), planned_date__year=year).order_by("planned_date", "pk")
    for node in nodes:
        rows[node.project_id].months[node.planned_date.month - 1].append((node, node_state(node, on_date)))
    return [rows[project.pk] for project in projects]


def library_projects(library: Library, user):
    """The library's current members that the user may see, the largest first."""
    members = Membership.objects.filter(library=library).exclude(status=MembershipStatus.WITHDRAWN).values("project")
    return Project.objects.restrict(user, VIEW).filter(pk__in=members).select_related("region")
