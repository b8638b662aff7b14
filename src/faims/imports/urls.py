from django.urls import path

from . import views
from .models import ImportKind

app_name = "imports"

urlpatterns = [
    path("projects/", views.UploadView.as_view(kind=ImportKind.PROJECTS), name="project_import"),
    path("reports/", views.UploadView.as_view(kind=ImportKind.REPORTS), name="report_import"),
    path("batches/<int:pk>/", views.BatchView.as_view(), name="batch"),
    path("batches/<int:pk>/progress/", views.BatchProgressView.as_view(), name="batch_progress"),
    path("template/", views.ReportTemplateView.as_view(), name="report_template"),
    path("progress/", views.ProgressExportView.as_view(), name="progress_export"),
]
