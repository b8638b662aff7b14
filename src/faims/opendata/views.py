"""The open-data endpoint: anonymous, read-only, plain JSON."""
import datetime as dt
import hashlib

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, quote_etag
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from .oc4ids import build_package, package_json

# Public caches (the city's proxy, the readers' tools) may keep the package this long.
MAX_AGE_SECONDS = 300


# Nothing here writes: other methods get 405 (not the CSRF refusal, which would suggest a form is missing).
@csrf_exempt
@require_GET
def oc4ids_package(request):
    """The OC4IDS project package of the projects flagged 公开; answers 304 to a matching If-None-Match."""
    package = build_package(request.build_absolute_uri())
    body = package_json(package).encode()
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    offered = {tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")}
    response = HttpResponseNotModified() if etag in offered else HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    response["Last-Modified"] = http_date(dt.datetime.fromisoformat(package["publishedDate"]).timestamp())
    return response
