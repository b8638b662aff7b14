"""Background work of the bulletins, run by the job worker (`faims qcluster`, django-q2)."""

from . import services
from .choices import BuildStatus
from .models import BulletinBuild


def build_bulletin(build_id: int) -> str:
    """Write the bulletin of a queued build; returns its status (kept in django-q's task result)."""
    build = BulletinBuild.objects.select_related("user", "region").get(pk=build_id)
    if build.status != BuildStatus.QUEUED:
        return build.status
    return services.run_build(build).status
