from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("oc4ids/", views.oc4ids_package, name="oc4ids"),
]
