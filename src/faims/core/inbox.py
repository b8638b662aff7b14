"""The in-app inbox: a user's own messages, newest first; marking them read."""
import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST

from . import services
from .models import Notification
from .permissions import VIEW
from .views import _safe_next

# A message line may end with the path of the page it speaks of ("· 某项目 /reporting/…").
_LINE = re.compile(r"^(?P<text>.*?)\s+(?P<url>/\S*)$")


def message_lines(body: str) -> list[tuple[str, str]]:
    """The body's lines as (text, link) pairs; the link is "" where a line names no page."""
    lines = []
    for line in body.splitlines():
        match = _LINE.match(line)
        lines.append((match["text"], match["url"]) if match else (line, ""))
    return lines


def _own(request):
    return Notification.objects.restrict(request.user, VIEW)


class InboxView(View):
    per_page = 30
    # A reminder may list a whole region's projects; the list shows the first lines, the message page all.
    lines_shown = 5

    def get(self, request):
        notifications = _own(request)
        unread_only = request.GET.get("unread") == "1"
        if unread_only:
            notifications = notifications.filter(read_at__isnull=True)
        page = Paginator(notifications, self.per_page).get_page(request.GET.get("page"))
        return render(request, "core/inbox.html", {
            "title": _("站内消息"),
            "page": page,
            "items": [self.item(n) for n in page],
            "unread_only": unread_only,
            "has_unread": _own(request).filter(read_at__isnull=True).exists(),
        })

    def item(self, notification):
        lines = message_lines(notification.body)
        return notification, lines[:self.lines_shown], max(len(lines) - self.lines_shown, 0)


class InboxMessageView(View):
    def get(self, request, pk):
        notification = get_object_or_404(_own(request), pk=pk)
        return render(request, "core/inbox.html", {
            "title": notification.title,
            "notification": notification,
            "lines": message_lines(notification.body),
        })


@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(_own(request), pk=pk)
    services.mark_read(notification, acting_user=request.user)
    return redirect(_safe_next(request) or "core:inbox")


@require_POST
def mark_all_read(request):
    count = services.mark_all_read(acting_user=request.user)
    messages.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
    return redirect(_safe_next(request) or "core:inbox")
