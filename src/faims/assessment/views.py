from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from faims.core.audit import record_event
from faims.core.choices import AuditKind
from faims.core.exports import xlsx_response
from faims.core.permissions import VIEW, can
from faims.core.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView
from faims.dashboard.views import latest_period
from faims.org.choices import Role

from . import filtersets, forms, services, tables
from .choices import FlagKind, SchemeKind, Subject
from .export import assessment_xlsx
from .models import AssessmentFlag, AssessmentIndicator, AssessmentScheme
from .scoring import assess


def subjects_for(user) -> list:
    """The kinds of subject a user may see assessed: a region officer regions, a department officer departments."""
    if user.role == Role.REGION_OFFICER:
        return [(Subject.REGION.value, Subject.REGION.label)]
    if user.role == Role.DEPARTMENT_OFFICER:
        return [(Subject.DEPARTMENT.value, Subject.DEPARTMENT.label)]
    return list(Subject.choices)


class RankingView(View):
    """/assessment/: a year's quarter or year end, regions or departments → the ranked table with explanations."""

    template_name = "assessment/ranking.html"

    def get(self, request):
        if not can(request.user, AssessmentScheme, VIEW):
            raise Http404
        subjects = subjects_for(request.user)
        latest = latest_period() or (timezone.localdate().year, 12)
        initial = {"year": latest[0], "period": "year", "subject": subjects[0][0]}
        form = forms.RankingForm({**initial, **request.GET.dict()}, subjects=subjects)
        context = {"title": _("考核排名"), "form": form, "assessment": None, "scheme": None,
                   "schemes_url": "assessment:assessmentscheme_list"}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400 if request.GET else 200)
        data = form.cleaned_data
        year, period = data["year"], data["period"]
        if period == "year":
            kind = SchemeKind.ANNUAL
            month = data["month"] or (latest[1] if latest[0] == year else 12)
        else:
            kind, month = SchemeKind.QUARTERLY, int(period) * 3
        scheme = AssessmentScheme.objects.restrict(request.user, VIEW).filter(
            kind=kind, subject=data["subject"], year=year, active=True).prefetch_related("indicators", "flags").first()
        context["scheme"] = scheme
        if scheme is None:
            return render(request, self.template_name, context)
        try:
            assessment = assess(request.user, scheme, year, month)
        except PermissionDenied:
            raise Http404 from None
        if request.GET.get("export") == "xlsx":
            title = f"{scheme.name}-{assessment.period_label}"
            record_event(AuditKind.EXPORT, user=request.user, what=title, rows=len(assessment.subjects),
                         query=request.GET.urlencode())
            return xlsx_response(assessment_xlsx(assessment), f"{title}.xlsx")
        query = request.GET.copy()
        query["export"] = "xlsx"
        context.update(assessment=assessment, export_query=query.urlencode(), reward=FlagKind.REWARD)
        return render(request, self.template_name, context)


class AssessmentSchemeListView(ObjectListView):
    model, filterset_class, table_class = (
        AssessmentScheme, filtersets.AssessmentSchemeFilterSet, tables.AssessmentSchemeTable)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("indicators")


class AssessmentSchemeView(ObjectView):
    model = AssessmentScheme
    template_name = "assessment/assessmentscheme.html"

    def get_extra_context(self, scheme):
        indicators = list(scheme.indicators.all())
        return {
            "indicators": indicators,
            "flags": list(scheme.flags.all()),
            "weight_total": sum((i.weight for i in indicators), 0),
            "can_edit_parts": can(self.request.user, AssessmentIndicator, "change"),
        }


class AssessmentSchemeEditView(ObjectEditView):
    model, form_class = AssessmentScheme, forms.AssessmentSchemeForm
    save_service = staticmethod(services.save_scheme)


class AssessmentSchemeDeleteView(ObjectDeleteView):
    model = AssessmentScheme
    delete_service = staticmethod(services.delete_scheme)


class AssessmentIndicatorListView(ObjectListView):
    model, filterset_class, table_class = (
        AssessmentIndicator, filtersets.AssessmentIndicatorFilterSet, tables.AssessmentIndicatorTable)

    def get_queryset(self):
        return super().get_queryset().select_related("scheme")


class AssessmentIndicatorView(ObjectView):
    model = AssessmentIndicator


class AssessmentIndicatorEditView(ObjectEditView):
    model, form_class = AssessmentIndicator, forms.AssessmentIndicatorForm
    save_service = staticmethod(services.save_indicator)


class AssessmentIndicatorDeleteView(ObjectDeleteView):
    model = AssessmentIndicator
    delete_service = staticmethod(services.delete_indicator)


class AssessmentFlagListView(ObjectListView):
    model, filterset_class, table_class = AssessmentFlag, filtersets.AssessmentFlagFilterSet, tables.AssessmentFlagTable

    def get_queryset(self):
        return super().get_queryset().select_related("scheme")


class AssessmentFlagView(ObjectView):
    model = AssessmentFlag


class AssessmentFlagEditView(ObjectEditView):
    model, form_class = AssessmentFlag, forms.AssessmentFlagForm
    save_service = staticmethod(services.save_flag)


class AssessmentFlagDeleteView(ObjectDeleteView):
    model = AssessmentFlag
    delete_service = staticmethod(services.delete_flag)
