from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from .audit import client_ip_var, new_request_id, request_id_var

# Paths served without signing in: the login page, static files, the language switch, and the API, which answers
# 401/403 itself (a session or a token; the open data and the API's documentation need neither).
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/i18n/", "/healthz", "/api/")


class RequestIdMiddleware:
    """Gives each request an id that the change log and audit events carry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request.headers.get("X-Request-Id", "")[:36] or new_request_id()
        ip = request.META.get("REMOTE_ADDR") or None
        tokens = (request_id_var.set(request.id), client_ip_var.set(ip))
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(tokens[0])
            client_ip_var.reset(tokens[1])
        response["X-Request-Id"] = request.id
        return response


class LoginRequiredMiddleware:
    """Every page but the public ones needs a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}")
        return self.get_response(request)


class LanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user chose another language with the switch.

    Offices' browsers often announce English; the system's language follows the user's explicit
    choice (the language cookie), never the browser's Accept-Language header.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
