"""Logins, failed logins and logouts go to the audit-event table."""
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import record_event
from .choices import AuditKind


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record_event(AuditKind.LOGIN, user=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(AuditKind.LOGOUT, user=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    record_event(AuditKind.LOGIN_FAILED, user_name=str(credentials.get("username", ""))[:150])
