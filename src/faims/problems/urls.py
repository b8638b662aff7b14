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
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/add/", views.VisitAddView.as_view(), name="visit_add"),
    path("visits/<int:pk>/", views.VisitView.as_view(), name="visit"),
    path("visits/photos/<int:pk>/", views.VisitPhotoView.as_view(), name="visitphoto"),
    path("visits/compliance/", views.VisitComplianceView.as_view(), {"kind": "leader"}, name="visit_compliance"),
    path("visits/compliance/<slug:kind>/", views.VisitComplianceView.as_view(), name="visit_compliance"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/add/", views.MeetingAddView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("meetings/<int:pk>/decisions/", require_POST(views.DecisionAddView.as_view()), name="meetingdecision_add"),
    path(
        "decisions/<int:pk>/complete/",
        require_POST(views.DecisionCompleteView.as_view()),
        name="meetingdecision_complete",
    ),
    path("leaders/<int:pk>/briefing/", views.LeaderBriefingView.as_view(), name="leader_briefing"),
    *object_urls(
        EscalationLevel,
        list_view=views.EscalationLevelListView,
        view=views.EscalationLevelView,
        edit_view=views.EscalationLevelEditView,
        delete_view=views.EscalationLevelDeleteView,
        prefix="levels",
    ),
]
