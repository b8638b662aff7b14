from django import template
from django.db import models
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from faims.core import formatting
from faims.core.fields import MoneyField

register = template.Library()


@register.filter
def verbose_name_plural(model):
    return model._meta.verbose_name_plural


@register.filter
def wan(value):
    return formatting.format_wan(value)


@register.filter
def yi(value):
    return formatting.format_yi(value)


@register.filter
def rate(value):
    return formatting.format_rate(value)


@register.filter
def change_value(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return value


def _link(obj):
    try:
        url = obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return str(obj)
    return format_html('<a href="{}">{}</a>', url, obj)


def field_display(obj, field):
    if field.many_to_many:
        related = list(getattr(obj, field.name).all())
        return format_html_join("、", "{}", ((_link(r),) for r in related)) if related else "—"
    value = getattr(obj, field.name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(field, models.ForeignKey):
        return _link(value)
    if isinstance(field, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(field, MoneyField):
        return f"{formatting.format_wan(value)}（{formatting.format_yi(value)}亿元）"
    if isinstance(field, models.DateTimeField):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


@register.simple_tag
def object_fields(obj, exclude=""):
    """Every field of the object with its label, as a two-column table."""
    skip = set(filter(None, exclude.split(","))) | {"id", "password"}
    rows = [
        (field.verbose_name, field_display(obj, field))
        for field in [*obj._meta.concrete_fields, *obj._meta.many_to_many]
        if field.name not in skip
    ]
    return format_html(
        '<table class="table table-sm field-table mb-0"><tbody>{}</tbody></table>',
        format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
    )
