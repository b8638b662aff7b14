"""Pages: 导入项目清单, 导入进度表 (upload → preview → commit), 下载报送模板, 导出进展情况表."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.exports import xlsx_response
from faims.core.permissions import VIEW, can
from faims.projects.filtersets import ProjectFilterSet
from faims.projects.models import Project
from faims.reporting import services as reporting
from faims.reporting.models import MonthlyReport

from . import exports, services
from .forms import CommitForm, ProgressPeriodForm, ProjectImportForm, ReportImportForm, TemplateForm
from .models import BatchStatus, ImportBatch, ImportKind
from .plans import NEW, SKIPPED, UPDATED

TITLES = {ImportKind.PROJECTS: _("导入项目清单"), ImportKind.REPORTS: _("导入进度表")}


class UploadView(View):
    kind = ImportKind.PROJECTS
    template_name = "imports/upload.html"

    def form_class(self):
        return ProjectImportForm if self.kind == ImportKind.PROJECTS else ReportImportForm

    def make_form(self, data=None, files=None):
        cls = self.form_class()
        return cls(data, files, user=self.request.user) if cls is ProjectImportForm else cls(data, files)

    def dispatch(self, request, *args, **kwargs):
        if not services.may_import(request.user, self.kind):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form):
        recent = ImportBatch.objects.restrict(self.request.user).filter(kind=self.kind).defer("content")[:10]
        return render(self.request, self.template_name, {
            "form": form, "title": TITLES[self.kind], "kind": self.kind, "recent": recent,
        })

    def get(self, request):
        return self.render_form(self.make_form())

    def post(self, request):
        form = self.make_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form)
        upload = form.cleaned_data["file"]
        if self.kind == ImportKind.PROJECTS:
            fields = {"year": form.cleaned_data["year"], "options": form.options()}
        else:
            year, month = form.cleaned_data["period"]
            fields = {"year": year, "month": month, "options": {"submit": form.cleaned_data["submit"]}}
        batch = services.create_batch(acting_user=request.user, kind=self.kind, file_name=upload.name,
                                      content=upload.read(), **fields)
        services.preview(batch)
        return redirect(batch.get_absolute_url())


class BatchView(View):
    """The preview of an uploaded sheet and its commit button; afterwards, what was imported."""

    template_name = "imports/batch.html"

    def get_batch(self, pk):
        return get_object_or_404(ImportBatch.objects.restrict(self.request.user), pk=pk)

    def render_batch(self, batch, form, summary=None):
        summary = summary or batch.summary or {}
        rows = [r for r in summary.get("rows", []) if r["status"] != "unchanged"]
        counts = summary.get("counts", {})
        return render(self.request, self.template_name, {
            "batch": batch, "summary": summary, "rows": rows, "counts": counts, "form": form,
            "title": f"{TITLES[batch.kind]} · {batch.file_name}",
            "changed": counts.get(NEW, 0) + counts.get(UPDATED, 0), "skipped": counts.get(SKIPPED, 0),
            "can_commit": batch.status == BatchStatus.PREVIEWED and not summary.get("errors"),
            "upload_url": _upload_url(batch.kind),
        })

    def get(self, request, pk):
        return self.render_batch(self.get_batch(pk), CommitForm())

    def post(self, request, pk):
        batch = self.get_batch(pk)
        form = CommitForm(request.POST)
        if not form.is_valid():
            return self.render_batch(batch, form)
        try:
            plan = services.start_commit(batch, acting_user=request.user,
                                         warning_note=form.cleaned_data["warning_note"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            return redirect(batch.get_absolute_url())
        if plan is None:
            batch.refresh_from_db(fields=["status", "progress_total", "summary"])
        counts = (batch.summary or {}).get("counts", {})
        if batch.in_progress:
            messages.info(request, _("共 %(n)s 行，已转入后台导入；本页显示进度，完成后自动刷新。") % {
                "n": batch.progress_total})
        elif batch.status == BatchStatus.COMMITTED:
            messages.success(request, _("已导入：新增 %(new)s 行，修改 %(updated)s 行。") % {
                "new": counts.get(NEW, 0), "updated": counts.get(UPDATED, 0)})
        else:
            messages.error(request, _("导入失败，未保存任何数据：请按下列错误修改文件后重新上传。"))
        return redirect(batch.get_absolute_url())


class BatchProgressView(View):
    """The progress of a commit running in the job worker, polled by the batch page every second."""

    def get(self, request, pk):
        batch = get_object_or_404(ImportBatch.objects.restrict(request.user).defer("content"), pk=pk)
        response = render(request, "imports/_progress.html", {"batch": batch})
        if not batch.in_progress and request.htmx:
            # Finished: the whole page shows the result (and the messages) again.
            response["HX-Refresh"] = "true"
        return response


def _upload_url(kind):
    from django.urls import reverse

    return reverse("imports:project_import" if kind == ImportKind.PROJECTS else "imports:report_import")


class ReportTemplateView(View):
    template_name = "imports/template.html"

    def get(self, request):
        if not can(request.user, MonthlyReport, "add"):
            raise Http404
        form = TemplateForm(request.GET or None)
        if form.is_bound and form.is_valid():
            year, month = form.cleaned_data["period"]
            period = reporting.get_period(year, month, create=False) or reporting.get_period(year, month)
            content = exports.report_template(period, request.user, protect=form.cleaned_data["protect"])
            record_event(AuditKind.EXPORT, user=request.user, what="report_template", period=period.label)
            return xlsx_response(content, f"月度报送模板-{period.label}.xlsx")
        return render(request, self.template_name, {"form": form, "title": _("下载报送模板")})


class ProgressExportView(View):
    """重大项目进展情况表 for the projects the project list's filters choose."""

    template_name = "imports/progress.html"

    def get(self, request):
        if not can(request.user, Project, VIEW):
            raise Http404
        period_form = ProgressPeriodForm(request.GET or None)
        query = request.GET.copy()
        if period_form.is_bound and period_form.is_valid() and not query.get("year"):
            query["year"] = str(period_form.cleaned_data["period"][0])
        filterset = ProjectFilterSet(query, queryset=Project.objects.restrict(request.user, VIEW), request=request)
        if request.GET.get("download") and period_form.is_valid() and filterset.is_valid():
            year, month = period_form.cleaned_data["period"]
            period = reporting.get_period(year, month, create=False) or reporting.get_period(year, month)
            title = exports.progress_title(exports.scope_label(request.user), period)
            content = exports.progress_table(filterset.qs, period, title=title)
            record_event(AuditKind.EXPORT, user=request.user, what="progress_table", period=period.label,
                         query=request.GET.urlencode())
            return xlsx_response(content, f"{title}.xlsx")
        count = filterset.qs.count() if filterset.is_valid() else 0
        return render(request, self.template_name, {
            "period_form": period_form, "filterset": filterset, "count": count, "title": _("导出进展情况表"),
        })
