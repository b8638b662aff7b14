"""The pages of the core app: sign-in, the home page, the change log and the audit events."""
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from faims.projects.models import Library, Project

from .permissions import VIEW


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


class HomeView(View):
    def get(self, request):
        projects = Project.objects.restrict(request.user, VIEW)
        return render(request, "core/home.html", {
            "title": _("首页"),
            "project_count": projects.count(),
            "libraries": Library.objects.restrict(request.user, VIEW).order_by("-year", "name")[:12],
        })


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
