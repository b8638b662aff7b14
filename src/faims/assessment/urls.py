from django.urls import path

from faims.core.views import object_urls

from . import views
from .models import AssessmentFlag, AssessmentIndicator, AssessmentScheme

app_name = "assessment"

urlpatterns = [path("", views.RankingView.as_view(), name="ranking")]
urlpatterns += object_urls(
    AssessmentScheme, prefix="schemes", list_view=views.AssessmentSchemeListView, view=views.AssessmentSchemeView,
    edit_view=views.AssessmentSchemeEditView, delete_view=views.AssessmentSchemeDeleteView,
)
urlpatterns += object_urls(
    AssessmentIndicator, prefix="indicators", list_view=views.AssessmentIndicatorListView,
    view=views.AssessmentIndicatorView, edit_view=views.AssessmentIndicatorEditView,
    delete_view=views.AssessmentIndicatorDeleteView,
)
urlpatterns += object_urls(
    AssessmentFlag, prefix="flags", list_view=views.AssessmentFlagListView, view=views.AssessmentFlagView,
    edit_view=views.AssessmentFlagEditView, delete_view=views.AssessmentFlagDeleteView,
)
