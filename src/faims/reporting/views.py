"""Pages of monthly reporting: periods, reports and their workflow, the web form, missing and late reports."""
import datetime as dt
from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from faims.core.audit import history_for
from faims.core.formatting import format_wan
from faims.core.permissions import ADD, CHANGE, VIEW, can
from faims.core.templatetags.faims import field_display
from faims.core.views import ObjectListView, _add_errors
from faims.metrics.engine import evaluate
from faims.projects.choices import MembershipStatus
from faims.projects.models import AnnualPlan, Membership, Project

from . import deadlines, rules, services
from .choices import ReportStatus, RuleLevel, StartStatus
from .filtersets import MonthlyReportFilterSet, ReportingPeriodFilterSet
from .forms import (
    REPORT_FIELDS,
    AmendmentForm,
    AttachmentForm,
    Basis,
    DeadlineForm,
    MonthlyReportForm,
    ReportingPeriodForm,
    ReturnForm,
    SubmitForm,
    last_month,
    parse_period,
)
from .models import MonthlyReport, ReportAmendment, ReportAttachment, ReportingPeriod, default_deadline
from .tables import STATUS_COUNTS, MonthlyReportTable, ReportingPeriodTable

EDITABLE = services.EDITABLE
# Attachments shown in the page itself; anything else (PDF) is a download link.
INLINE_IMAGES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
SERVED_TYPES = INLINE_IMAGES | {"application/pdf"}
GROUP_LABELS = {"region": _("地区"), "unit": _("项目单位"), "library": _("项目库")}
GROUPINGS = OrderedDict([("region", _("按地区")), ("unit", _("按项目单位")), ("library", _("按项目库"))])


def _errors_text(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


def _in_scope(queryset, user, action, pk):
    return get_object_or_404(queryset.restrict(user, action), pk=pk)


def _projects_in_scope(user):
    return Project.objects.restrict(user, VIEW)


# Periods ---------------------------------------------------------------------------------------------

class ReportingPeriodListView(ObjectListView):
    model, filterset_class, table_class = ReportingPeriod, ReportingPeriodFilterSet, ReportingPeriodTable

    def get_queryset(self):
        # Each user counts only the reports it may see.
        scoped = MonthlyReport.objects.restrict(self.request.user, VIEW).values("pk")
        return super().get_queryset().annotate(**{
            name: Count("reports", filter=Q(reports__status=status, reports__in=scoped))
            for (name, _label), status in zip(STATUS_COUNTS, ReportStatus, strict=True)
        })

    def add_url(self):
        return reverse("reporting:reportingperiod_add")


def period_summary(period, user) -> dict:
    """Counts of the period within the user's scope: by status, due, missing, late, the on-time rate."""
    reports = MonthlyReport.objects.restrict(user, VIEW).filter(period=period)
    by_status = dict(reports.values_list("status").annotate(n=Count("pk")))
    projects = _projects_in_scope(user)
    # The period's KPIs come from the KPI engine (the same figures as the dashboard's).
    figures = evaluate(projects, period.year, period.month, keys=["missing_report_count", "on_time_report_rate"])
    return {
        "status_counts": [(status.label, status.value, by_status.get(status.value, 0)) for status in ReportStatus],
        "report_count": sum(by_status.values()),
        "missing_count": figures.total.values["missing_report_count"],
        "late_count": deadlines.late(period, projects).count(),
        "due_count": figures.total.parts["on_time_report_rate"][1],
        "on_time_rate": figures.total.values["on_time_report_rate"],
        "rate_rows": deadlines.on_time_rate(period, projects, by="region"),
    }


class ReportingPeriodView(View):
    def get(self, request, pk):
        period = _in_scope(ReportingPeriod.objects, request.user, VIEW, pk)
        admin = can(request.user, ReportingPeriod, CHANGE)
        return render(request, "reporting/reportingperiod.html", {
            "object": period, "title": str(period),
            "history": history_for(period)[:200],
            "can_change_deadline": admin and not period.is_locked,
            "can_lock": can(request.user, ReportingPeriod, "lock") and not period.is_locked,
            "reports_url": f"{reverse('reporting:monthlyreport_list')}?{urlencode({'period': period.pk})}",
            **period_summary(period, request.user),
        })


class ReportingPeriodAddView(View):
    """The city admin opens a period ahead of time (otherwise the first report opens it)."""

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, ReportingPeriod, ADD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form):
        return render(self.request, "reporting/form.html", {
            "form": form, "title": _("新增报送期"), "cancel_url": reverse("reporting:reportingperiod_list"),
            "submit_label": _("保存"),
            "intro": _("截止日期默认为次月20日，新增后可调整。"),
        })

    def get(self, request):
        year, month = last_month(timezone.localdate())
        return self.render_form(ReportingPeriodForm(initial={"year": year, "month": month}))

    def post(self, request):
        form = ReportingPeriodForm(request.POST)
        if form.is_valid():
            period = services.get_period(form.cleaned_data["year"], form.cleaned_data["month"])
            return redirect(period.get_absolute_url())
        return self.render_form(form)


class DeadlineView(View):
    def get_object(self, pk):
        period = _in_scope(ReportingPeriod.objects, self.request.user, CHANGE, pk)
        if period.is_locked:
            raise PermissionDenied
        return period

    def render_form(self, form, period):
        return render(self.request, "reporting/form.html", {
            "form": form, "object": period, "title": _("调整截止日期：%(period)s") % {"period": period},
            "cancel_url": period.get_absolute_url(), "submit_label": _("保存"),
            "intro": _("默认截止日期为 %(date)s。调整会记入变更历史。") % {
                "date": default_deadline(period.year, period.month).isoformat()},
        })

    def get(self, request, pk):
        period = self.get_object(pk)
        return self.render_form(DeadlineForm(initial={"deadline": period.deadline}), period)

    def post(self, request, pk):
        period = self.get_object(pk)
        form = DeadlineForm(request.POST)
        if form.is_valid():
            try:
                services.set_deadline(period, form.cleaned_data["deadline"], acting_user=request.user,
                                      reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("截止日期已调整为 %(date)s。") % {"date": form.cleaned_data["deadline"]})
                return redirect(period.get_absolute_url())
        return self.render_form(form, period)


class LockView(View):
    """A confirmation page: locking is final; later changes are amendments."""

    def get_object(self, pk):
        return _in_scope(ReportingPeriod.objects, self.request.user, "lock", pk)

    def render_page(self, period, errors=()):
        return render(self.request, "reporting/lock.html", {
            "object": period, "title": _("锁定本期：%(period)s") % {"period": period}, "errors": errors,
            **period_summary(period, self.request.user),
        })

    def get(self, request, pk):
        return self.render_page(self.get_object(pk))

    def post(self, request, pk):
        period = self.get_object(pk)
        try:
            services.lock_period(period, acting_user=request.user)
        except ValidationError as exc:
            return self.render_page(period, _errors_text(exc))
        messages.success(request, _("已锁定 %(period)s，此后的修改须以更正方式进行。") % {"period": period})
        return redirect(period.get_absolute_url())


def group_projects(projects, by: str):
    """[(group label, [project …])] of a list of projects, by region, unit or library (a project in two
    libraries is listed under both)."""
    groups: dict[str, list] = {}
    for project in projects:
        if by == "library":
            keys = [str(m.library) for m in project.current_memberships] or [str(_("未入库"))]
        elif by == "unit":
            keys = [str(project.unit) if project.unit else str(_("未填写项目单位"))]
        else:
            keys = [str(project.region)]
        for key in keys:
            groups.setdefault(key, []).append(project)
    # Regions keep the city's order, in which the projects come; units and libraries go by name.
    return list(groups.items()) if by == "region" else sorted(groups.items())


class PeriodProjectsView(View):
    """The missing or the late reports of a period within the user's scope, grouped, with on-time rates."""

    kind = "missing"

    def get(self, request, pk):
        period = _in_scope(ReportingPeriod.objects, request.user, VIEW, pk)
        by = request.GET.get("by") if request.GET.get("by") in GROUPINGS else "region"
        scoped = _projects_in_scope(request.user)
        found = deadlines.missing(period, scoped) if self.kind == "missing" else deadlines.late(period, scoped)
        projects = Project.objects.filter(pk__in=found.values("pk")).select_related("region", "unit").prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.exclude(status=MembershipStatus.WITHDRAWN)
                     .select_related("library"), to_attr="current_memberships")
        ).order_by("region__sort_order", "name")
        reports = {
            r.project_id: r for r in MonthlyReport.objects.restrict(request.user, VIEW)
            .filter(period=period, project__in=found.values("pk"))
        }
        for project in projects:
            project.period_report = reports.get(project.pk)
        title = _("未报送：%(period)s") if self.kind == "missing" else _("逾期报送：%(period)s")
        return render(request, "reporting/period_projects.html", {
            "object": period, "title": title % {"period": period}, "kind": self.kind, "by": by,
            "groupings": GROUPINGS.items(), "groupings_label": GROUP_LABELS[by],
            "groups": group_projects(projects, by), "count": len(projects),
            "rate_rows": deadlines.on_time_rate(period, scoped, by=by),
            "can_file": can(request.user, MonthlyReport, ADD) and not period.is_locked,
        })


# Reports ---------------------------------------------------------------------------------------------

def report_queryset(user, action=VIEW):
    return MonthlyReport.objects.restrict(user, action).select_related(
        "period", "project", "project__region", "project__unit", "submitted_by", "reviewed_by"
    )


class MonthlyReportListView(ObjectListView):
    model, filterset_class, table_class = MonthlyReport, MonthlyReportFilterSet, MonthlyReportTable
    template_name = "reporting/monthlyreport_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("period", "project", "project__region", "project__unit")

    def add_url(self):
        return reverse("reporting:monthlyreport_add")


def _allowed(user, report, action) -> bool:
    return MonthlyReport.objects.restrict(user, action).filter(pk=report.pk).exists()


def report_actions(user, report) -> dict:
    """Which workflow buttons the user sees: the steps the flow allows the role, within the user's scope.

    The services decide again on every POST.
    """
    steps = set(services.allowed_actions(report, user))
    changeable = bool(steps & {"save", "submit"}) and _allowed(user, report, CHANGE)
    reviewable = bool(steps & {"return", "accept"}) and _allowed(user, report, "review")
    return {
        "edit": changeable and "save" in steps,
        "submit": changeable and "submit" in steps,
        "return": reviewable and "return" in steps,
        "accept": reviewable and "accept" in steps,
        "amend": "amend" in steps and _allowed(user, report, "amend"),
        "attach": changeable and "save" in steps,
    }


def _display(name, value):
    """A stored value (as kept in an amendment's JSON) the way the report page shows it."""
    field = MonthlyReport._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if name.endswith("_investment"):
        return f"{format_wan(value)} 万元"
    return value


def amendment_rows(amendment) -> list:
    """(label, original, amended) of each field the amendment changed, in the form's order."""
    return [
        (MonthlyReport._meta.get_field(name).verbose_name, _display(name, amendment.before.get(name)),
         _display(name, amendment.after.get(name)))
        for name in REPORT_FIELDS
        if (name in amendment.before or name in amendment.after)
        and amendment.before.get(name) != amendment.after.get(name)
    ]


class MonthlyReportView(View):
    def get(self, request, pk):
        return render_report(request, get_object_or_404(report_queryset(request.user), pk=pk))


def render_report(request, report, *, submit_form=None, status=200):
    user = request.user
    project, period = report.project, report.period
    plan = AnnualPlan.objects.restrict(user, VIEW).filter(project=project, year=period.year).first()
    findings = services.check_report(report)
    amendments = ReportAmendment.objects.restrict(user, VIEW).filter(report=report).select_related("user")
    attachments = ReportAttachment.objects.restrict(user, VIEW).filter(report=report).without_content().select_related(
        "uploaded_by")
    figures = [
        (_("本月完成投资"), report.month_investment),
        (_("本年累计完成投资（1–%(month)s月）") % {"month": period.month}, report.ytd_investment),
        (_("自开工累计完成投资"), report.cumulative_investment),
        (_("%(year)s年计划投资") % {"year": period.year}, plan.planned_investment if plan else None),
        (_("项目总投资"), project.total_investment),
    ]
    rate = (report.ytd_investment / plan.planned_investment
            if plan and plan.planned_investment and report.ytd_investment is not None else None)
    field_names = ["status", "start_status", "actual_start_date", "stats_status", "stats_date",
                   "construction_status", "production_status", "capacity_reached", "progress_text", "problems_text",
                   "status_change_reason", "warning_note", "return_reason", "first_submitted_at", "submitted_at",
                   "submitted_by", "reviewed_at", "reviewed_by"]
    fields = [(MonthlyReport._meta.get_field(n).verbose_name, field_display(report, MonthlyReport._meta.get_field(n)))
              for n in field_names]
    warnings = [f for f in findings if f.level == RuleLevel.WARNING]
    return render(request, "reporting/monthlyreport.html", {
        "object": report, "title": str(report), "project": project, "period": period,
        "figures": figures, "plan_rate": rate, "fields": fields,
        "errors": [f for f in findings if f.level == RuleLevel.ERROR], "warnings": warnings,
        "attachments": [(a, a.content_type in INLINE_IMAGES) for a in attachments],
        "amendments": [(a, amendment_rows(a)) for a in amendments],
        "history": history_for(report)[:200],
        "actions": report_actions(user, report),
        "submit_form": submit_form or SubmitForm(initial={"warning_note": report.warning_note}),
        "on_time": (report.first_submitted_at is not None
                    and timezone.localdate(report.first_submitted_at) <= period.deadline),
    }, status=status)


PREFILLED = ("start_status", "actual_start_date", "stats_status", "stats_date", "construction_status",
             "cumulative_investment", "production_status", "capacity_reached", "progress_text")


def prefill(project, previous) -> dict:
    """The form's starting values: the previous report of the year, else what the registry knows."""
    if previous is not None:
        return {name: getattr(previous, name) for name in PREFILLED}
    return {
        "start_status": StartStatus.STARTED if project.actual_start_date else StartStatus.NOT_STARTED,
        "actual_start_date": project.actual_start_date,
        "construction_status": project.status,
    }


class MonthlyReportEditView(View):
    """The web report (add without pk, edit with pk): save as draft, or save and submit at once."""

    template_name = "reporting/monthlyreport_edit.html"

    def get_object(self, pk):
        if pk is None:
            if not can(self.request.user, MonthlyReport, ADD):
                raise PermissionDenied
            return MonthlyReport()
        return get_object_or_404(report_queryset(self.request.user, CHANGE), pk=pk)

    def not_editable(self, report):
        """Where to send the user instead of the form (a locked or submitted report), or None."""
        if report.pk is None:
            return None
        if report.period.is_locked:
            messages.info(self.request, _("本期已锁定，修改须以更正方式进行。"))
            return redirect("reporting:monthlyreport_amend", report.pk)
        if "save" not in services.allowed_actions(report, self.request.user):
            messages.info(self.request, _("报送状态为“%(status)s”，不能修改。") % {
                "status": report.get_status_display()})
            return redirect(report.get_absolute_url())
        return None

    def initial(self):
        """Project and period from the query (a link on 我的待报项目), else last month; prefilled figures."""
        user = self.request.user
        year, month = parse_period(self.request.GET.get("period", "")) or last_month(timezone.localdate())
        initial = {"period": f"{year}-{month:02d}"}
        project, previous = None, None
        if self.request.GET.get("project", "").isdigit():
            project = _projects_in_scope(user).filter(pk=self.request.GET["project"]).first()
        if project is not None:
            # previous_report reads only the period's year and month: a period not opened yet will do.
            period = ReportingPeriod(year=year, month=month)
            previous = services.previous_report(project, period)
            initial["project"] = project.pk
            initial.update(prefill(project, previous))
            # Without last month's report the month's amount cannot give the year-to-date figure.
            initial["basis"] = Basis.MONTH if month == 1 or rules.is_immediately_before(previous, period) else Basis.YTD
        return initial, project, (year, month), previous

    def render_form(self, form, report, previous=None, status=200):
        if previous is None and report.pk:
            previous = services.previous_report(report.project, report.period)
        return render(self.request, self.template_name, {
            "form": form, "object": report, "previous": previous,
            "title": _("填报：%(obj)s") % {"obj": report} if report.pk else _("填报月度报送"),
            "cancel_url": report.get_absolute_url() if report.pk else reverse("reporting:monthlyreport_list"),
            "check_url": reverse("reporting:monthlyreport_check"),
            "add_url": reverse("reporting:monthlyreport_add"),
            "can_submit": report.status in EDITABLE,
        }, status=status)

    def get(self, request, pk=None):
        report = self.get_object(pk)
        if (elsewhere := self.not_editable(report)) is not None:
            return elsewhere
        if pk is not None:
            return self.render_form(MonthlyReportForm(instance=report, user=request.user), report)
        initial, project, (year, month), previous = self.initial()
        if project is not None:
            existing = report_queryset(request.user).filter(
                project=project, period__year=year, period__month=month).first()
            if existing is not None:
                # One report per project and period: continue the one that exists.
                editable = "save" in services.allowed_actions(existing, request.user) and _allowed(
                    request.user, existing, CHANGE)
                url = reverse("reporting:monthlyreport_edit" if editable else "reporting:monthlyreport",
                              args=[existing.pk])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        form = MonthlyReportForm(instance=report, initial=initial, user=request.user)
        return self.render_form(form, report, previous)

    def post(self, request, pk=None):
        report = self.get_object(pk)
        if (elsewhere := self.not_editable(report)) is not None:
            return elsewhere
        form = MonthlyReportForm(request.POST, instance=report, user=request.user)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            creating = report.pk is None
            try:
                with transaction.atomic():
                    if creating:
                        report.period = services.get_period(*form.cleaned_data["period"])
                    warnings = services.save_report(report, acting_user=request.user,
                                                    reason=form.cleaned_data.get("change_reason", ""))
                    if submit:
                        services.submit_report(report, acting_user=request.user,
                                               warning_note=form.cleaned_data.get("warning_note", ""))
            except ValidationError as exc:
                if creating:  # the save was rolled back with the rest
                    report.pk = None
                _add_errors(form, exc)
            except PermissionDenied:
                if creating:
                    report.pk = None
                form.add_error(None, _("您无权填报该项目：它超出了您的管辖范围。"))
            else:
                if submit:
                    messages.success(request, _("已报送：%(obj)s") % {"obj": report})
                else:
                    messages.success(request, _("已保存草稿：%(obj)s") % {"obj": report})
                    for finding in warnings:
                        messages.warning(request, f"{finding.code} {finding.message}")
                return redirect(report.get_absolute_url())
        previous = None
        if report.pk is None and form.cleaned_data.get("project") and form.cleaned_data.get("period"):
            year, month = form.cleaned_data["period"]
            previous = services.previous_report(form.cleaned_data["project"], ReportingPeriod(year=year, month=month))
        return self.render_form(form, report, previous)


class ReportCheckView(View):
    """htmx: the rule check of the form as it stands, saving nothing."""

    def post(self, request):
        user = request.user
        if not can(user, MonthlyReport, ADD):
            raise Http404
        report = MonthlyReport()
        if request.POST.get("report", "").isdigit():
            report = get_object_or_404(report_queryset(user, CHANGE), pk=request.POST["report"])
        form = MonthlyReportForm(request.POST, instance=report, user=user)
        errors, warnings, derived = [], [], None
        if form.is_valid():
            errors, warnings, derived = dry_run(report, form, user)
        else:
            errors = [(form.fields[name].label if name in form.fields else "", message)
                      for name, messages_ in form.errors.items() for message in messages_]
        return render(request, "reporting/_check.html", {
            "errors": errors, "warnings": warnings, "derived": derived, "checked_at": timezone.localtime(),
        })


def dry_run(report, form, user):
    """The check the save would make (derived amounts, every rule), on the unsaved form; nothing is written."""
    if report.pk is None:
        year, month = form.cleaned_data["period"]
        report.period = services.get_period(year, month, create=False) or ReportingPeriod(
            year=year, month=month, deadline=default_deadline(year, month))
    errors = []
    if report.period.is_locked:
        errors.append(("", str(_("%(period)s已锁定，不能再修改报送；如需修改请提交更正并说明原因。") % {
            "period": report.period})))
    stored = MonthlyReport.objects.get(pk=report.pk) if report.pk else None
    previous, earlier = services.neighbours(report)
    services.derive_amounts(report, previous, stored)
    findings = services.check_report(report)
    errors += [(_field_label(f.field), f.message) for f in rules.errors(findings)]
    warnings = [(f.code, f.message) for f in rules.warnings(findings)]
    derived = {"month": report.month_investment, "ytd": report.ytd_investment,
               "cumulative": report.cumulative_investment}
    # The cumulative figure comes prefilled with last month's: remind the filer to add this month's.
    if (earlier is not None and rules.is_immediately_before(earlier, report.period)
            and earlier.cumulative_investment is not None and report.month_investment):
        suggested = earlier.cumulative_investment + report.month_investment
        if suggested != report.cumulative_investment:
            derived["suggested_cumulative"] = suggested
            derived["earlier_cumulative"] = earlier.cumulative_investment
    return errors, warnings, derived


def _field_label(name):
    if not name:
        return ""
    try:
        return MonthlyReport._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return ""


class ReportActionView(View):
    """A POST that moves a report along the workflow; the restricted queryset decides who may."""

    action = CHANGE

    def get_object(self, pk):
        return get_object_or_404(report_queryset(self.request.user, self.action), pk=pk)


class SubmitView(ReportActionView):
    def post(self, request, pk):
        report = self.get_object(pk)
        form = SubmitForm(request.POST)
        if form.is_valid():
            try:
                services.submit_report(report, acting_user=request.user,
                                       warning_note=form.cleaned_data["warning_note"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已报送：%(obj)s") % {"obj": report})
                return redirect(report.get_absolute_url())
        report = self.get_object(pk)
        return render_report(request, report, submit_form=form, status=400)


class AcceptView(ReportActionView):
    action = "review"

    def post(self, request, pk):
        report = self.get_object(pk)
        try:
            services.accept_report(report, acting_user=request.user)
        except ValidationError as exc:
            for message in _errors_text(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("已审核通过：%(obj)s") % {"obj": report})
        return redirect(report.get_absolute_url())


class ReturnView(ReportActionView):
    action = "review"

    def render_form(self, form, report):
        return render(self.request, "reporting/form.html", {
            "form": form, "object": report, "title": _("退回：%(obj)s") % {"obj": report},
            "cancel_url": report.get_absolute_url(), "submit_label": _("退回"), "danger": True,
            "intro": _("退回后项目单位可修改并重新报送；请写明需要更正的内容。"),
        })

    def get(self, request, pk):
        return self.render_form(ReturnForm(), self.get_object(pk))

    def post(self, request, pk):
        report = self.get_object(pk)
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.return_report(report, acting_user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已退回：%(obj)s") % {"obj": report})
                return redirect(report.get_absolute_url())
        return self.render_form(form, report)


class AmendView(ReportActionView):
    action = "amend"

    def render_form(self, form, report):
        return render(self.request, "reporting/form.html", {
            "form": form, "object": report, "title": _("更正：%(obj)s") % {"obj": report},
            "cancel_url": report.get_absolute_url(), "submit_label": _("提交更正"),
            "intro": _("本期已锁定。更正会保留原报送数据，与更正后的数据并列显示。"),
        })

    def get_object(self, pk):
        report = super().get_object(pk)
        if not report.period.is_locked:
            raise Http404
        return report

    def get(self, request, pk):
        report = self.get_object(pk)
        return self.render_form(AmendmentForm(instance=MonthlyReport.objects.get(pk=report.pk)), report)

    def post(self, request, pk):
        report = self.get_object(pk)
        # The form works on a copy, so that the report itself changes only through the service.
        form = AmendmentForm(request.POST, instance=MonthlyReport.objects.get(pk=report.pk))
        if form.is_valid():
            changes = form.changes(report)
            if not changes:
                form.add_error(None, _("没有任何数据变化，无需更正。"))
            else:
                try:
                    services.amend_report(report, acting_user=request.user, reason=form.cleaned_data["reason"],
                                          changes=changes)
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, _("已更正：%(obj)s") % {"obj": report})
                    return redirect(report.get_absolute_url())
        return self.render_form(form, report)


class AttachmentAddView(ReportActionView):
    def render_form(self, form, report):
        return render(self.request, "reporting/form.html", {
            "form": form, "object": report, "title": _("上传附件：%(obj)s") % {"obj": report},
            "cancel_url": report.get_absolute_url(), "submit_label": _("上传"), "multipart": True,
            "intro": _("照片或 PDF，单个文件不超过 %(mb)s MB。") % {"mb": settings.FAIMS_MAX_UPLOAD_MB},
        })

    def get(self, request, pk):
        return self.render_form(AttachmentForm(), self.get_object(pk))

    def post(self, request, pk):
        report = self.get_object(pk)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.add_attachment(report, acting_user=request.user, name=upload.name,
                                        content_type=upload.content_type or "", content=upload.read())
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                messages.success(request, _("已上传附件：%(name)s") % {"name": upload.name})
                return redirect(f"{report.get_absolute_url()}#attachments")
        return self.render_form(form, report)


class AttachmentView(View):
    """The file itself, to whoever may see its report; images and PDF shown inline, the rest downloaded."""

    def get(self, request, pk):
        attachment = get_object_or_404(ReportAttachment.objects.restrict(request.user, VIEW), pk=pk)
        inline = attachment.content_type in SERVED_TYPES and "download" not in request.GET
        response = HttpResponse(
            bytes(attachment.content),
            content_type=attachment.content_type if attachment.content_type in SERVED_TYPES
            else "application/octet-stream",
        )
        response["Content-Disposition"] = content_disposition_header(not inline, attachment.name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
        return response


class AttachmentDeleteView(View):
    def post(self, request, pk):
        attachment = get_object_or_404(ReportAttachment.objects.restrict(request.user, CHANGE).without_content()
                                       .select_related("report"), pk=pk)
        report = attachment.report
        try:
            services.delete_attachment(attachment, acting_user=request.user)
        except ValidationError as exc:
            for message in _errors_text(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("已删除附件：%(name)s") % {"name": attachment.name})
        return redirect(f"{report.get_absolute_url()}#attachments")


# Due projects and rules ----------------------------------------------------------------------------

class MyDueView(View):
    """我的待报项目: the projects due this period without a submitted report, one click to the form."""

    def get(self, request):
        user = request.user
        if not can(user, MonthlyReport, ADD):
            raise Http404
        year, month = parse_period(request.GET.get("period", "")) or last_month(timezone.localdate())
        period = services.get_period(year, month, create=False)
        scoped = _projects_in_scope(user)
        rows = []
        if period is not None:
            missing = deadlines.missing(period, scoped)
            reports = {r.project_id: r for r in report_queryset(user).filter(period=period, project__in=missing)}
            projects = Project.objects.filter(pk__in=missing.values("pk"))
        else:
            reports = {}
            # No report of the period yet: every due project is missing.
            projects = deadlines.due_projects(ReportingPeriod(year=year, month=month)).filter(
                pk__in=scoped.values("pk"))
        add_url = reverse("reporting:monthlyreport_add")
        for project in projects.select_related("region", "unit").order_by("region__sort_order", "name"):
            report = reports.get(project.pk)
            if report is not None and report.status in EDITABLE:
                url = reverse("reporting:monthlyreport_edit", args=[report.pk])
            elif report is not None:
                url = report.get_absolute_url()
            else:
                url = f"{add_url}?{urlencode({'project': project.pk, 'period': f'{year}-{month:02d}'})}"
            rows.append((project, report, url))
        deadline = period.deadline if period else default_deadline(year, month)
        return render(request, "reporting/my_due.html", {
            "title": _("我的待报项目"), "rows": rows, "period_label": f"{year}-{month:02d}",
            "period_name": f"{year}年{month}月", "period": period, "deadline": deadline,
            "days_left": (deadline - timezone.localdate()).days,
            "previous": _shift(year, month, -1), "next": _shift(year, month, 1),
        })


def _shift(year, month, delta):
    first = dt.date(year, month, 1)
    moved = (first + dt.timedelta(days=32)).replace(day=1) if delta > 0 else (first - dt.timedelta(days=1))
    return f"{moved.year}-{moved.month:02d}"


class RulesView(View):
    def get(self, request):
        return render(request, "reporting/rules.html", {"title": _("校验规则"), "rules": rules.RULES})
