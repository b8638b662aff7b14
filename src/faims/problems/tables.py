"""The problem lists; the same tables give the Excel exports."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from faims.projects.tables import then_pk

from .models import EscalationLevel, Meeting, Problem, Visit


class ProblemTable(tables.Table):
    title = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=then_pk("title"))
    project = tables.Column(linkify=lambda record: record.project.get_absolute_url(), order_by=then_pk("project__name"))
    region = tables.Column(
        verbose_name=_("所在地区"),
        accessor="project__region",
        order_by=then_pk("project__region__sort_order", "project__region__code"),
    )
    category = tables.Column(order_by=then_pk("category"))
    status = tables.Column(order_by=then_pk("status"))
    lead_department = tables.Column(order_by=then_pk("lead_department__name"))
    deadline = tables.DateColumn(format="Y-m-d", order_by=then_pk("deadline"))
    overdue = tables.Column(verbose_name=_("逾期"), accessor="pk", orderable=False)
    escalation_level = tables.Column(order_by=then_pk("escalation_level"))
    raised_at = tables.DateTimeColumn(format="Y-m-d", order_by=then_pk("raised_at"))
    rating = tables.Column(order_by=then_pk("rating"))

    class Meta:
        model = Problem
        fields = (
            "raised_at",
            "title",
            "project",
            "region",
            "category",
            "status",
            "lead_department",
            "deadline",
            "overdue",
            "escalation_level",
            "rating",
        )
        attrs = {"data-testid": "problem-table"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self._levels = None

    def level_name(self, value):
        if self._levels is None:
            self._levels = dict(EscalationLevel.objects.values_list("order", "name"))
        return self._levels.get(value, str(value)) if value else "—"

    def render_escalation_level(self, value):
        return self.level_name(value)

    def value_escalation_level(self, value):
        return self.level_name(value) if value else ""

    def render_overdue(self, record):
        return _("是") if record.is_overdue(self.today) else "—"

    def value_overdue(self, record):
        return str(_("是")) if record.is_overdue(self.today) else ""


class EscalationLevelTable(tables.Table):
    order = tables.Column(linkify=lambda record: record.get_absolute_url())
    name = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = EscalationLevel
        fields = ("order", "name", "wait_days")
        attrs = {"data-testid": "escalationlevel-table"}


class VisitTable(tables.Table):
    date = tables.DateColumn(format="Y-m-d", linkify=lambda record: record.get_absolute_url(), order_by=then_pk("date"))
    kind = tables.Column(order_by=then_pk("kind"))
    person = tables.Column(order_by=then_pk("person__name"))
    projects = tables.Column(verbose_name=_("走访项目"), accessor="pk", orderable=False)
    findings = tables.Column(orderable=False)
    problem_count = tables.Column(verbose_name=_("发现问题"), accessor="problem_count", orderable=False)

    class Meta:
        model = Visit
        fields = ("date", "kind", "person", "projects", "findings", "problem_count")
        attrs = {"data-testid": "visit-table"}

    def render_projects(self, record):
        return "、".join(p.name for p in record.projects.all())

    def value_projects(self, record):
        return self.render_projects(record)

    def render_findings(self, value):
        return Truncator(value).chars(40)

    def value_findings(self, value):
        return value


class MeetingTable(tables.Table):
    date = tables.DateColumn(format="Y-m-d", order_by=then_pk("date"))
    title = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=then_pk("title"))
    kind = tables.Column(order_by=then_pk("kind"))
    chair = tables.Column(order_by=then_pk("chair__name"))
    open_decisions = tables.Column(verbose_name=_("未完成议定事项"), accessor="open_decisions", orderable=False)

    class Meta:
        model = Meeting
        fields = ("date", "title", "kind", "chair", "open_decisions")
        attrs = {"data-testid": "meeting-table"}
