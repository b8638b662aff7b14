"""/api/: the REST API, its OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/ (served from the package)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from faims.projects import api as projects_api

from . import views

# Each app's api module lists its ROUTES; the router publishes them all.
MODULES = [projects_api]

router = DefaultRouter()
router.register("tokens", views.TokenViewSet, basename="apitoken")
for module in MODULES:
    for prefix, viewset in module.ROUTES:
        router.register(prefix, viewset, basename=viewset.model._meta.model_name)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
