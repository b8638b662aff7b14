from django.urls import include, path

from faims.api.views import TokenPageView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("faims.core.urls")),
    path("org/", include("faims.org.urls")),
    path("projects/", include("faims.projects.urls")),
    path("targets/", include("faims.targets.urls")),
    path("imports/", include("faims.imports.urls")),
    path("reporting/", include("faims.reporting.urls")),
    path("metrics/", include("faims.metrics.urls")),
    path("dashboard/", include("faims.dashboard.urls")),
    path("alerts/", include("faims.alerts.urls")),
    path("problems/", include("faims.problems.urls")),
    path("bulletins/", include("faims.bulletins.urls")),
    path("assessment/", include("faims.assessment.urls")),
    path("api/open/", include("faims.opendata.urls")),
    path("api/", include("faims.api.urls")),
    path("accounts/tokens/", TokenPageView.as_view(), name="api_tokens"),
]
