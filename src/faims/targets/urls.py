from django.urls import path

from faims.core.views import object_urls

from . import views
from .models import QuantitativeTask, Target

app_name = "targets"

urlpatterns = object_urls(
    Target, prefix="targets", list_view=views.TargetListView, view=views.TargetView,
    edit_view=views.TargetEditView, delete_view=views.TargetDeleteView,
)
urlpatterns += object_urls(
    QuantitativeTask, prefix="tasks", list_view=views.QuantitativeTaskListView, view=views.QuantitativeTaskView,
    edit_view=views.QuantitativeTaskEditView, delete_view=views.QuantitativeTaskDeleteView,
)
urlpatterns.append(path("tasks/<int:pk>/progress/", views.TaskProgressView.as_view(), name="taskprogress_add"))
