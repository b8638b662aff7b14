"""The bulletins by period, the generate form (returns the file) and publishing (city admin)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from faims.core.permissions import VIEW, can

from . import services
from .forms import BulletinForm
from .models import Bulletin

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _file(data: bytes, file_format: str, name: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{file_format}")
    return response


def _allowed(user, action):
    if not can(user, Bulletin, action):
        raise Http404


class BulletinListView(View):
    def get(self, request):
        _allowed(request.user, VIEW)
        bulletins = Bulletin.objects.restrict(request.user, VIEW).select_related("region", "published_by")
        periods = {}
        for bulletin in bulletins:
            periods.setdefault(bulletin.period_label, []).append(bulletin)
        return render(
            request,
            "bulletins/bulletin_list.html",
            {
                "title": _("通报"),
                "periods": sorted(periods.items(), reverse=True),
                "form": BulletinForm(),
                "can_publish": can(request.user, Bulletin, "add"),
            },
        )


class GenerateView(View):
    """The document straight away, not stored: what publishing would issue."""

    def get(self, request):
        _allowed(request.user, "generate")
        form = BulletinForm(request.GET)
        if not form.is_valid():
            return render(request, "bulletins/bulletin_list.html", {"title": _("通报"), "form": form, "periods": []})
        data = form.cleaned_data
        try:
            document = services.generate(request.user, data["year"], data["month"], data["region"])
        except PermissionDenied as exc:
            raise Http404 from exc
        return _file(services.render(document, data["format"]), data["format"], document.title)


class PublishView(View):
    def post(self, request):
        _allowed(request.user, "add")
        form = BulletinForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写正确的年度和月份。"))
            return redirect("bulletins:bulletin_list")
        data = form.cleaned_data
        bulletin = services.publish_bulletin(
            year=data["year"], month=data["month"], region=data["region"], acting_user=request.user
        )
        messages.success(request, _("已发布：%(title)s") % {"title": bulletin.title})
        return redirect("bulletins:bulletin_list")


class DownloadView(View):
    def get(self, request, pk, file_format):
        if file_format not in CONTENT_TYPES:
            raise Http404
        bulletin = get_object_or_404(Bulletin.objects.restrict(request.user, VIEW), pk=pk)
        return _file(getattr(bulletin, file_format), file_format, bulletin.title)
