"""
The one Markdown pipeline: Markdown to HTML, then an allow-list sanitizer.

Published HTML and the admin's live preview both come from `render_markdown`
(settings.MARKDOWNX_MARKDOWNIFY_FUNCTION), so what an editor previews is what
readers get; `render_inline_markdown` is the same pipeline for short fields shown
inside a sentence or a table cell, with only inline markup allowed. Everything not
on the allow-lists below is dropped by nh3: script and style elements, event-handler
attributes, inline styles, and any URL whose scheme is not http, https or mailto
(so javascript:, data: and vbscript: links lose their href). Images are not
allowed only as pictures this site stored (community/images.py), with their width and
height and lazy loading; pages make no request to other hosts, so any other image
becomes its description.
"""

from html import unescape

import markdown
import nh3
from django.utils.html import strip_tags
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from community.images import size_from_url

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
    "img",
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
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# Inside a sentence or a table cell: no paragraphs, lists or headings.
INLINE_TAGS = {"a", "abbr", "b", "br", "code", "del", "em", "i", "kbd", "mark", "s", "small"}
INLINE_TAGS |= {"strong", "sub", "sup"}


class UploadedImages(Treeprocessor):
    """A picture this site stored gets its width and height (no layout shift while it
    loads) and loads lazily; any other picture is replaced by its description."""

    def run(self, root):
        for image in root.iter("img"):
            size = size_from_url(image.get("src", ""))
            if size is None:
                description = image.get("alt", "")
                image.attrib.clear()
                image.tag, image.text = "span", description
                continue
            image.set("width", str(size[0]))
            image.set("height", str(size[1]))
            image.set("loading", "lazy")
            image.set("decoding", "async")


class UploadedImagesExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(UploadedImages(md), "uploaded_images", 0)


def _keep_attribute(element, attribute, value):
    # The Markdown above never lets another picture through; raw HTML could.
    if element == "img" and attribute == "src" and size_from_url(value) is None:
        return None
    if element == "img" and attribute in ("width", "height") and not value.isdecimal():
        return None
    return value


def sanitize_html(html: str, tags=ALLOWED_TAGS) -> str:
    """Keep only allow-listed markup; links get rel=noopener noreferrer nofollow."""
    return nh3.clean(
        html,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
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
        extensions=[*MARKDOWN_EXTENSIONS, UploadedImagesExtension()],
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
