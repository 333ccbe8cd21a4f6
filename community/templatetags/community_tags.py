from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timeuntil

from community import structured_data
from guide.models import ScenarioSoftware

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
def duration(delta):
    """A timedelta in words of the site's language ("1시간"), not "1:00:00"."""
    now = timezone.now()
    return timeuntil(now + delta, now)


@register.simple_tag
def summary_software(scenario):
    """
    The summary matrix's software cell, written as the guide writes it: the
    first program in bold, others after a slash, and a framework, which runs on
    the program before it, in parentheses ("**PyTorch** (Unsloth)").
    """
    cell = []
    for link in scenario.summary_software:
        name = (
            format_html("<strong>{}</strong>", link.software.name)
            if not cell
            else link.software.name
        )
        if link.role == ScenarioSoftware.Role.FRAMEWORK and cell:
            cell.append(format_html(" ({})", name))
        else:
            cell.append(format_html("{}{}", " / " if cell else "", name))
    return format_html_join("", "{}", ((part,) for part in cell))


@register.simple_tag
def local_date(moment):
    """A <time> element showing the date in the site's time zone ("2026. 11. 23.")."""
    # Same output as the `date` filter twice ('c' and "Y. n. j."), at under half
    # its cost: it runs for every item of every list page.
    if moment is None:
        return ""  # as the filter; localtime(None) would be now
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{}. {}. {}.</time>',
        local.isoformat(),
        local.year,
        local.month,
        local.day,
    )


# The menu entry each page belongs to, named by the entry's own page.
MENU_SECTIONS = {
    "post_list": "post_list",
    "post_detail": "post_list",
    "tag_detail": "post_list",
    "guide": "guide",
    "advisor": "guide",
}


@register.simple_tag(takes_context=True)
def menu_current(context, entry):
    """aria-current for the menu entry whose page is `entry`: "page" on that page,
    "true" on the pages under it."""
    request = context.get("request")
    page = request.resolver_match.url_name if request and request.resolver_match else None
    if page == entry:
        return mark_safe(' aria-current="page"')
    if MENU_SECTIONS.get(page) == entry:
        return mark_safe(' aria-current="true"')
    return ""


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, for dictionaries keyed by a variable."""
    return mapping.get(key)


@register.inclusion_tag("includes/chips.html")
def post_chips(formats, tags):
    """
    A post's format and tag chips, one per thing: a format that a tag of the
    post also names ("GGUF" and "#GGUF") is shown once, as the tag, whose page
    lists the posts about it; the format's own entry is in the post's chart.
    """
    tag_names = {tag.name.casefold() for tag in tags} | {tag.slug for tag in tags}
    return {
        "formats": [
            f for f in formats if f.name.casefold() not in tag_names and f.slug not in tag_names
        ],
        "tags": tags,
    }


@register.simple_tag
def kind_chips(kinds, counts, active):
    """
    (kind, label, count) for the list's kind filters. With counts (None when
    there are none to show), a kind without posts gets no chip, unless it is
    the one chosen: a "토론 0" chip would lead to an empty list.
    """
    if counts is None:
        return [(value, label, None) for value, label in kinds.items()]
    return [
        (value, label, counts.get(value, 0))
        for value, label in kinds.items()
        if counts.get(value) or value == active
    ]


@register.simple_tag(takes_context=True)
def qa_page_json_ld(context, post):
    """The post's QAPage structured data, if it is a question with answers."""
    page_url = context["request"].build_absolute_uri(post.get_absolute_url())
    return structured_data.json_ld(structured_data.qa_page(post, page_url))
