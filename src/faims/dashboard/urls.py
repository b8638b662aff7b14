from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("drilldown/", views.DrilldownView.as_view(), name="drilldown"),
]
