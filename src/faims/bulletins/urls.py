from django.urls import path

from . import views

app_name = "bulletins"
urlpatterns = [
    path("", views.BulletinListView.as_view(), name="bulletin_list"),
    path("generate/", views.GenerateView.as_view(), name="bulletin_generate"),
    path("publish/", views.PublishView.as_view(), name="bulletin_publish"),
    path("builds/", views.BuildStartView.as_view(), name="build_start"),
    path("builds/<int:pk>/", views.BuildView.as_view(), name="build"),
    path("builds/<int:pk>/progress/", views.BuildProgressView.as_view(), name="build_progress"),
    path("builds/<int:pk>/file/", views.BuildFileView.as_view(), name="build_file"),
    path("<int:pk>/<str:file_format>/", views.DownloadView.as_view(), name="bulletin_file"),
]
