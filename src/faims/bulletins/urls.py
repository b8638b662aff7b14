from django.urls import path

from . import views

app_name = "bulletins"
urlpatterns = [
    path("", views.BulletinListView.as_view(), name="bulletin_list"),
    path("generate/", views.GenerateView.as_view(), name="bulletin_generate"),
    path("publish/", views.PublishView.as_view(), name="bulletin_publish"),
    path("<int:pk>/<str:file_format>/", views.DownloadView.as_view(), name="bulletin_file"),
]
