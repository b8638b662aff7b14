"""{% node_timeline project %}: the 节点计划 section of the project page."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from faims.core.permissions import ADD, can

from ..models import NodePlan
from ..nodes import project_timeline

register = template.Library()


@register.inclusion_tag("projects/node_timeline.html", takes_context=True)
def node_timeline(context, project):
    user = context["request"].user
    today = timezone.localdate()
    query = urlencode({"project": project.pk, "next": project.get_absolute_url()})
    return {
        "project": project,
        "timeline": project_timeline(project, user, today),
        "today": today,
        "add_url": f"{reverse('projects:nodeplan_add')}?{query}" if can(user, NodePlan, ADD) else "",
        "list_url": f"{reverse('projects:nodeplan_list')}?{urlencode({'q': project.code or project.name})}",
    }
