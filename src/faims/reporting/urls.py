from django.urls import path
from django.views.decorators.http import require_POST

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.MonthlyReportListView.as_view(), name="monthlyreport_list"),
    path("add/", views.MonthlyReportEditView.as_view(), name="monthlyreport_add"),
    path("check/", views.ReportCheckView.as_view(), name="monthlyreport_check"),
    path("due/", views.MyDueView.as_view(), name="my_due"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("<int:pk>/", views.MonthlyReportView.as_view(), name="monthlyreport"),
    path("<int:pk>/edit/", views.MonthlyReportEditView.as_view(), name="monthlyreport_edit"),
    path("<int:pk>/submit/", require_POST(views.SubmitView.as_view()), name="monthlyreport_submit"),
    path("<int:pk>/accept/", require_POST(views.AcceptView.as_view()), name="monthlyreport_accept"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="monthlyreport_return"),
    path("<int:pk>/amend/", views.AmendView.as_view(), name="monthlyreport_amend"),
    path("<int:pk>/attachments/add/", views.AttachmentAddView.as_view(), name="reportattachment_add"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="reportattachment"),
    path("attachments/<int:pk>/delete/", require_POST(views.AttachmentDeleteView.as_view()),
         name="reportattachment_delete"),
    path("periods/", views.ReportingPeriodListView.as_view(), name="reportingperiod_list"),
    path("periods/add/", views.ReportingPeriodAddView.as_view(), name="reportingperiod_add"),
    path("periods/<int:pk>/", views.ReportingPeriodView.as_view(), name="reportingperiod"),
    path("periods/<int:pk>/deadline/", views.DeadlineView.as_view(), name="reportingperiod_deadline"),
    path("periods/<int:pk>/lock/", views.LockView.as_view(), name="reportingperiod_lock"),
    path("periods/<int:pk>/missing/", views.PeriodProjectsView.as_view(kind="missing"), name="reportingperiod_missing"),
    path("periods/<int:pk>/late/", views.PeriodProjectsView.as_view(kind="late"), name="reportingperiod_late"),
]
