"""/api/: the REST API, its OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/ (served from the package)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from faims.alerts import api as alerts_api
from faims.assessment import api as assessment_api
from faims.bulletins import api as bulletins_api
from faims.core import api as core_api
from faims.metrics import api as metrics_api
from faims.org import api as org_api
from faims.problems import api as problems_api
from faims.projects import api as projects_api
from faims.projects import node_api
from faims.reporting import api as reporting_api
from faims.targets import api as targets_api

from . import views

# Each app's api module lists its ROUTES; the router publishes them all.
MODULES = [
    projects_api,
    org_api,
    problems_api,
    metrics_api,
    bulletins_api,
    core_api,
    reporting_api,
    targets_api,
    node_api,
    alerts_api,
    assessment_api,
]

router = DefaultRouter()
router.register("tokens", views.TokenViewSet, basename="apitoken")
for module in MODULES:
    for prefix, viewset in module.ROUTES:
        router.register(prefix, viewset, basename=viewset.model._meta.model_name)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
    # Anything else under /api/ is a JSON 404, not the site's page.
    re_path(r"^", views.not_found),
]
