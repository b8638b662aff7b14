"""{% raise_problem_link project %} / {% raise_problem_link report=report %}: the 提出问题 button of a
project's or a monthly report's page, shown to the roles that may raise problems."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext

from faims.core.permissions import ADD, can
from faims.problems.models import Problem

register = template.Library()


@register.simple_tag(takes_context=True)
def raise_problem_link(context, project=None, report=None):
    request = context.get("request")
    if request is None or not can(request.user, Problem, ADD):
        return ""
    query = {"report": report.pk} if report is not None else {"project": project.pk}
    return format_html(
        '<a class="btn btn-sm btn-outline-danger" href="{}?{}" data-testid="raise-problem">{}</a>',
        reverse("problems:problem_add"),
        urlencode(query),
        gettext("提出问题"),
    )
