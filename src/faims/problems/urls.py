from django.urls import path
from django.views.decorators.http import require_POST

from faims.core.views import object_urls

from . import views
from .models import EscalationLevel

app_name = "problems"

urlpatterns = [
    path("", views.ProblemListView.as_view(), name="problem_list"),
    path("add/", views.ProblemRaiseView.as_view(), name="problem_add"),
    path("<int:pk>/", views.ProblemView.as_view(), name="problem"),
    path("<int:pk>/<slug:step>/", require_POST(views.ProblemActView.as_view()), name="problem_act"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="problemattachment"),
    path("agenda/<int:order>/", views.AgendaView.as_view(), name="agenda"),
    *object_urls(
        EscalationLevel,
        list_view=views.EscalationLevelListView,
        view=views.EscalationLevelView,
        edit_view=views.EscalationLevelEditView,
        delete_view=views.EscalationLevelDeleteView,
        prefix="levels",
    ),
]
