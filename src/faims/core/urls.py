from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import path

from . import inbox, pages
from .filtersets import AuditEventFilterSet, ChangeLogFilterSet
from .models import AuditEvent, ChangeLog
from .tables import AuditEventTable, ChangeLogTable
from .views import ObjectListView, ObjectView

app_name = "core"


class ChangeLogListView(ObjectListView):
    model, filterset_class, table_class = ChangeLog, ChangeLogFilterSet, ChangeLogTable

    def get_queryset(self):
        return super().get_queryset().select_related("content_type")


class ChangeLogView(ObjectView):
    model = ChangeLog
    template_name = "core/changelog.html"

    def get(self, request, pk):
        obj = self.get_object(pk)
        return render(request, self.template_name, {"object": obj, "title": str(obj)})


class AuditEventListView(ObjectListView):
    model, filterset_class, table_class = AuditEvent, AuditEventFilterSet, AuditEventTable


urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("accounts/login/", pages.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("changes/", ChangeLogListView.as_view(), name="changelog_list"),
    path("changes/<int:pk>/", ChangeLogView.as_view(), name="changelog"),
    path("audit/", AuditEventListView.as_view(), name="auditevent_list"),
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/", inbox.InboxMessageView.as_view(), name="inbox_message"),
    path("inbox/<int:pk>/read/", inbox.mark_read, name="inbox_read"),
    path("inbox/read-all/", inbox.mark_all_read, name="inbox_read_all"),
]
