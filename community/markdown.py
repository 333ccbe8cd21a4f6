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

import re
from html import escape, unescape

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
    # The box around a table (box_tables); its other attributes are fixed values.
    "div": {"class", "tabindex", "role", "aria-label"},
}
# The only values the fixed attributes of a table's box may have.
TABLE_BOX = {"class": "table-wrap", "tabindex": "0", "role": "region"}
TABLE_BOX_ATTRIBUTES = " ".join(f'{name}="{value}"' for name, value in TABLE_BOX.items())
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
    if element == "div" and attribute in TABLE_BOX and value != TABLE_BOX[attribute]:
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
    return box_tables(sanitize_html(html))


# What sanitize_html serializes: tags in lower case, and a table with no
# attributes (none are allowed on it); "<" in an attribute's value is escaped,
# so these strings are only ever tags. box_tables sanitizes what it made all the
# same, so that this never rests on how a later nh3 serializes.
TABLE_TAG = re.compile(r"(<table>|</table>)")
FIRST_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
HEADING_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.DOTALL)


def box_tables(html: str) -> str:
    """
    Put each table of sanitized HTML in a box of its own that scrolls sideways
    when the table is wider than the page (a phone), as the site's own tables
    are (static/css/site.css, .table-wrap): the keyboard can reach and scroll it,
    and a screen reader names it by the table's column headings.
    """
    if "<table>" not in html:
        return html
    parts = TABLE_TAG.split(html)
    for i, part in enumerate(parts):
        if part == "<table>":
            following = parts[i + 1] if i + 1 < len(parts) else ""
            parts[i] = f'<div {TABLE_BOX_ATTRIBUTES} aria-label="{table_label(following)}"><table>'
        elif part == "</table>":
            parts[i] = "</table></div>"
    return sanitize_html("".join(parts))


def table_label(table_html: str) -> str:
    """'표: ' and the column headings of the table's first row, for its box's aria-label."""
    row = FIRST_ROW.search(table_html)
    headings = [plain_text(cell) for cell in HEADING_CELL.findall(row.group(1))] if row else []
    headings = [heading for heading in headings if heading]
    label = f"표: {', '.join(headings)}" if headings else "표"
    return escape(label)


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
