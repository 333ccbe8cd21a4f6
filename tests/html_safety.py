"""What 'contains no executable script' means, checked the way a browser parses HTML."""

import html
import re
from html.parser import HTMLParser

FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "form",
    "meta",
    "base",
    "link",
    "input",
    "button",
    "textarea",
    "select",
    "template",
    "applet",
}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# A browser drops ASCII tabs and newlines anywhere in a URL and C0 controls and
# spaces around it before it reads the scheme.
_URL_NOISE_INSIDE = re.compile(r"[\t\n\r]")


def url_scheme_is_dangerous(value: str) -> bool:
    url = _URL_NOISE_INSIDE.sub("", html.unescape(value)).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    return url.lower().startswith(DANGEROUS_SCHEMES)


class _Auditor(HTMLParser):
    def __init__(self, region_tags=None):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")
            if name in URL_ATTRIBUTES and value and url_scheme_is_dangerous(value):
                self.problems.append(f"{tag}[{name}={value!r}]")

    handle_startendtag = handle_starttag


def script_problems(markup: str) -> list[str]:
    """Everything in `markup` that could run script or restyle the page; [] when it is inert."""
    auditor = _Auditor()
    auditor.feed(markup)
    auditor.close()
    return auditor.problems


def region(page_html: str, start_marker: str, end_marker: str) -> str:
    """The part of a page that shows user content (the site's own chrome has a script tag)."""
    start = page_html.index(start_marker)
    return page_html[start : page_html.index(end_marker, start)]
