"""
The one Markdown pipeline: Markdown to HTML, then an allow-list sanitizer.

Published HTML and the admin's live preview both come from `render_markdown`
(settings.MARKDOWNX_MARKDOWNIFY_FUNCTION), so what an editor previews is what
readers get; `render_inline_markdown` is the same pipeline for short fields shown
inside a sentence or a table cell, with only inline markup allowed. Everything not
on the allow-lists below is dropped by nh3: script and style elements, event-handler
attributes, inline styles, and any URL whose scheme is not http, https or mailto
(so javascript:, data: and vbscript: links lose their href). Images are not
allowed: uploads are switched off and pages make no request to other hosts, so an
image could only ever be a tracking pixel or a broken picture.
"""

from html import unescape

import markdown
import nh3
from django.utils.html import strip_tags

MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
# Column alignment as the align attribute, which the sanitizer keeps; the
# default style="text-align: …" would be stripped with every other style.
MARKDOWN_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# Inside a sentence or a table cell: no paragraphs, lists or headings.
INLINE_TAGS = {"a", "abbr", "b", "br", "code", "del", "em", "i", "kbd", "mark", "s", "small"}
INLINE_TAGS |= {"strong", "sub", "sup"}


def sanitize_html(html: str, tags=ALLOWED_TAGS) -> str:
    """Keep only allow-listed markup; links get rel=noopener noreferrer nofollow."""
    return nh3.clean(
        html,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Render editor Markdown to HTML that is safe to show to every reader."""
    if not text:
        return ""
    html = markdown.markdown(
        text,
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    return sanitize_html(html)


def render_inline_markdown(text: str) -> str:
    """
    Render a short Markdown field shown inside a sentence or a table cell (a
    hardware list, an OS, a note): its emphasis, code and links, each line
    break kept as <br>, and no paragraph around it.
    """
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["nl2br"], output_format="html")
    return sanitize_html(html, tags=INLINE_TAGS).strip()


def plain_text(html: str) -> str:
    """The text a reader sees in `html`, on one line: for excerpts and search snippets."""
    # strip_tags leaves character references as they are ("&lt;"); a template
    # escapes the text again, so they are turned back into characters here.
    return " ".join(unescape(strip_tags(html)).split())
