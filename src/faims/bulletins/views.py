"""The bulletins by period, the generate form (returns the file) and publishing (city admin)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from faims.core.permissions import VIEW, can

from . import services
from .choices import BuildStatus
from .forms import BulletinForm
from .models import Bulletin, BulletinBuild

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
RECENT_BUILDS = 5


def _file(data: bytes, file_format: str, name: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{file_format}")
    return response


def _allowed(user, action):
    if not can(user, Bulletin, action):
        raise Http404


def _list_page(request, form, status=200):
    _allowed(request.user, VIEW)
    bulletins = Bulletin.objects.restrict(request.user, VIEW).select_related("region", "published_by")
    periods = {}
    for bulletin in bulletins:
        periods.setdefault(bulletin.period_label, []).append(bulletin)
    builds = BulletinBuild.objects.restrict(request.user).select_related("region").defer("content")
    return render(
        request,
        "bulletins/bulletin_list.html",
        {
            "title": _("通报"),
            "periods": sorted(periods.items(), reverse=True),
            "form": form,
            "builds": builds[:RECENT_BUILDS],
            "can_publish": can(request.user, Bulletin, "add"),
        },
        status=status,
    )


class BulletinListView(View):
    def get(self, request):
        return _list_page(request, BulletinForm())


class GenerateView(View):
    """The document straight away, not stored: what publishing would issue."""

    def get(self, request):
        _allowed(request.user, "generate")
        form = BulletinForm(request.GET)
        if not form.is_valid():
            return _list_page(request, form, status=400)
        data = form.cleaned_data
        try:
            document = services.generate(request.user, data["year"], data["month"], data["region"], kind=data["kind"])
        except PermissionDenied as exc:
            raise Http404 from exc
        return _file(services.render(document, data["format"]), data["format"], document.title)


class PublishView(View):
    def post(self, request):
        _allowed(request.user, "add")
        form = BulletinForm(request.POST)
        if not form.is_valid():
            return _list_page(request, form, status=400)
        data = form.cleaned_data
        bulletin = services.publish_bulletin(
            year=data["year"], month=data["month"], region=data["region"], kind=data["kind"], acting_user=request.user
        )
        messages.success(request, _("已发布：%(title)s") % {"title": bulletin.title})
        return redirect("bulletins:bulletin_list")


def published_file(user, pk, file_format) -> HttpResponse:
    """A published bulletin's file in the format, for whoever may read the bulletin (the page and the API)."""
    if file_format not in CONTENT_TYPES:
        raise Http404
    bulletin = get_object_or_404(Bulletin.objects.restrict(user, VIEW), pk=pk)
    data = getattr(bulletin, file_format)
    if not data:
        # Published before PDF files were kept.
        raise Http404
    return _file(data, file_format, bulletin.title)


class DownloadView(View):
    def get(self, request, pk, file_format):
        return published_file(request.user, pk, file_format)


class BuildStartView(View):
    """Hand the bulletin to the job worker; its page shows the progress and offers the file when done."""

    def post(self, request):
        _allowed(request.user, "generate")
        form = BulletinForm(request.POST)
        if not form.is_valid():
            return _list_page(request, form, status=400)
        data = form.cleaned_data
        try:
            build = services.start_build(
                user=request.user,
                kind=data["kind"],
                year=data["year"],
                month=data["month"],
                region=data["region"],
                file_format=data["format"],
            )
        except PermissionDenied as exc:
            form.add_error("region", str(exc))
            return _list_page(request, form, status=403)
        except ValidationError as exc:
            form.add_error(None, exc)
            return _list_page(request, form, status=400)
        return redirect(build)


def _build(request, pk) -> BulletinBuild:
    return get_object_or_404(BulletinBuild.objects.restrict(request.user).select_related("region"), pk=pk)


class BuildView(View):
    def get(self, request, pk):
        build = _build(request, pk)
        return render(request, "bulletins/build.html", {"title": _("生成通报"), "build": build})


class BuildProgressView(View):
    """The build's progress, polled by its page every second; the whole page again once it has finished."""

    def get(self, request, pk):
        build = _build(request, pk)
        response = render(request, "bulletins/_build_progress.html", {"build": build})
        if not build.in_progress and request.htmx:
            response["HX-Refresh"] = "true"
        return response


class BuildFileView(View):
    def get(self, request, pk):
        build = _build(request, pk)
        if build.status != BuildStatus.DONE:
            raise Http404
        return _file(services.download_build(build, request.user), build.file_format, build.title)
