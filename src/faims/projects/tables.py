"""The registry lists; the same tables give the Excel exports (raw amounts there, formatted on screen)."""
import datetime as dt

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from faims.core.formatting import format_wan, format_yi, to_yi

from .models import AnnualPlan, Library, Membership, NodePlan, Project, ProjectPerson

MONEY_ATTRS = {"td": {"class": "money"}, "th": {"class": "money"}}


class WanColumn(tables.Column):
    """An amount in 万元: "1,200,000" on screen, the exact Decimal in the export."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", MONEY_ATTRS)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_wan(value)

    def value(self, value):
        return value


class YiColumn(WanColumn):
    """The same amount in 亿元 to one decimal, as bulletins state it."""

    def render(self, value):
        return format_yi(value)

    def value(self, value):
        return to_yi(value)


def then_pk(*fields):
    """Sort keys made total, so that pages never overlap or skip a row on PostgreSQL."""
    return (*fields, "pk")


class ProjectTable(tables.Table):
    code = tables.Column(verbose_name=_("投资项目统一代码"))
    name = tables.Column(linkify=True, order_by=then_pk("name"))
    region = tables.Column(order_by=then_pk("region__sort_order", "region__code"))
    unit = tables.Column(order_by=then_pk("unit__name"))
    category = tables.Column(order_by=then_pk("category"))
    status = tables.Column(order_by=then_pk("status"))
    total_investment = WanColumn(verbose_name=_("总投资（万元）"), order_by=then_pk("total_investment"))
    total_investment_yi = YiColumn(verbose_name=_("总投资（亿元）"), accessor="total_investment",
                                   order_by=then_pk("total_investment"))
    planned_start_date = tables.DateColumn(format="Y-m-d", order_by=then_pk("planned_start_date"))
    actual_start_date = tables.DateColumn(format="Y-m-d", order_by=then_pk("actual_start_date"))
    leader = tables.Column(order_by=then_pk("leader__name"))
    libraries = tables.Column(verbose_name=_("所在项目库"), accessor="current_memberships", orderable=False,
                              empty_values=(None, "", []))

    class Meta:
        model = Project
        fields = (
            "code", "name", "region", "unit", "category", "status", "total_investment", "total_investment_yi",
            "planned_start_date", "actual_start_date", "leader", "libraries",
        )
        attrs = {"data-testid": "project-table"}

    def render_leader(self, value):
        return value.name

    def value_leader(self, value):
        return value.name

    def render_libraries(self, value):
        return format_html_join("、", '<a href="{}">{}</a>', ((m.library.get_absolute_url(), m.library) for m in value))

    def value_libraries(self, value):
        return "、".join(str(m.library) for m in value)


class LibraryTable(tables.Table):
    name = tables.Column(linkify=True)
    member_count = tables.Column(verbose_name=_("在库项目数"), attrs=MONEY_ATTRS)

    class Meta:
        model = Library
        fields = ("year", "name", "level", "kind", "member_count", "description")


class MembershipTable(tables.Table):
    project_code = tables.Column(verbose_name=_("投资项目统一代码"), accessor="project__code")
    project = tables.Column(linkify=lambda record: record.project.get_absolute_url(), order_by=("project__name",))
    region = tables.Column(verbose_name=_("所在地区"), accessor="project__region",
                           order_by=("project__region__sort_order", "project__region__code"))
    total_investment = WanColumn(verbose_name=_("总投资（万元）"), accessor="project__total_investment")
    library = tables.Column(linkify=lambda record: record.library.get_absolute_url())
    status = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = Membership
        fields = (
            "project_code", "project", "region", "total_investment", "library", "status", "proposed_date",
            "admitted_date", "withdrawn_date", "reason",
        )


class LibraryMemberTable(MembershipTable):
    """A library's own page: its members, without repeating the library."""

    class Meta(MembershipTable.Meta):
        exclude = ("library",)
        attrs = {"data-testid": "library-members"}


class AnnualPlanTable(tables.Table):
    project = tables.Column(linkify=lambda record: record.project.get_absolute_url(), order_by=("project__name",))
    region = tables.Column(verbose_name=_("所在地区"), accessor="project__region",
                           order_by=("project__region__sort_order", "project__region__code"))
    year = tables.Column(linkify=True)
    planned_investment = WanColumn(verbose_name=_("年度计划投资（万元）"))

    class Meta:
        model = AnnualPlan
        fields = ("project", "region", "year", "planned_investment", "start_kind", "planned_start_quarter",
                  "planned_completion")


class ProjectPersonTable(tables.Table):
    project = tables.Column(linkify=lambda record: record.project.get_absolute_url(), order_by=("project__name",))
    person = tables.Column(order_by=("person__name",))
    role = tables.Column(linkify=True)
    phone = tables.Column(verbose_name=_("联系电话"), accessor="person__phone", orderable=False)

    class Meta:
        model = ProjectPerson
        fields = ("project", "role", "person", "phone")



NODE_STATE_LABELS = {"done": _("已完成"), "overdue": _("已逾期"), "upcoming": _("未到期")}
NODE_STATE_CLASSES = {"done": "text-success", "overdue": "text-danger fw-bold", "upcoming": "text-muted"}


class NodePlanTable(tables.Table):
    project_code = tables.Column(verbose_name=_("投资项目统一代码"), accessor="project__code")
    project = tables.Column(linkify=lambda record: record.project.get_absolute_url(),
                            order_by=then_pk("project__name"))
    region = tables.Column(verbose_name=_("所在地区"), accessor="project__region",
                           order_by=then_pk("project__region__sort_order", "project__region__code"))
    kind = tables.Column(linkify=True, order_by=then_pk("kind"))
    planned_date = tables.DateColumn(format="Y-m-d", order_by=then_pk("planned_date"))
    actual_date = tables.DateColumn(format="Y-m-d", order_by=then_pk("actual_date"))
    original_date = tables.Column(verbose_name=_("原计划日期"), accessor="pk", orderable=False)
    state = tables.Column(verbose_name=_("状态"), accessor="pk", orderable=False)

    class Meta:
        model = NodePlan
        fields = ("project_code", "project", "region", "kind", "planned_date", "actual_date", "original_date",
                  "state", "note")
        attrs = {"data-testid": "node-table"}

    def __init__(self, *args, on_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The state as of the date the list's filter names (its "overdue" filter uses the same), else today.
        request = kwargs.get("request")
        if on_date is None and request is not None:
            try:
                on_date = dt.date.fromisoformat(request.GET.get("as_of", ""))
            except ValueError:
                on_date = None
        self.on_date = on_date or timezone.localdate()

    def _state(self, record):
        if record.actual_date:
            return "done"
        return "overdue" if record.planned_date < self.on_date else "upcoming"

    def render_state(self, record):
        state = self._state(record)
        return format_html('<span class="{}">{}</span>', NODE_STATE_CLASSES[state], NODE_STATE_LABELS[state])

    def value_state(self, record):
        return str(NODE_STATE_LABELS[self._state(record)])

    def value_original_date(self, record):
        # The date first planned, before any move (the changes are prefetched in date order).
        changes = list(record.changes.all())
        return changes[0].old_date.isoformat() if changes else None

    def render_original_date(self, record):
        return format_html("<del>{}</del>", self.value_original_date(record) or "") if record.changes.all() else "—"
