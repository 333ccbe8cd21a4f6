from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def stars(rating):
    """A rating drawn as stars, read out as a number by screen readers."""
    if not rating:
        return ""
    return format_html(
        '<span class="stars" role="img" aria-label="별 {}개">{}</span>', rating, "★" * rating
    )


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, for dictionaries keyed by a variable."""
    return mapping.get(key)
