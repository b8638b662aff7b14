from django.urls import path

from . import views

app_name = "alerts"

# Warnings are written only by refresh_warnings: a list and a detail page, no forms.
urlpatterns = [
    path("warnings/", views.ProjectWarningListView.as_view(), name="projectwarning_list"),
    path("warnings/<int:pk>/", views.ProjectWarningView.as_view(), name="projectwarning"),
]
