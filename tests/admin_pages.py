"""Reading an admin page's form the way a browser would submit it."""

from html.parser import HTMLParser


class FormValues(HTMLParser):
    """What a browser would submit from the page's admin form, as the page was served."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = {}, None, None
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox", "file"):
            self.values[name] = attrs.get("value") or ""
        elif tag == "input" and name and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.values[name] = attrs.get("value") or "on"
        elif tag == "select":
            self._select, self._multiple = name, "multiple" in attrs
            self.values.setdefault(name, [] if self._multiple else "")
        elif tag == "option" and self._select and "selected" in attrs:
            if self._multiple:
                self.values[self._select].append(attrs.get("value") or "")
            else:
                self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def opened_form(client, url):
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    return {k: v for k, v in parser.values.items() if k != "csrfmiddlewaretoken"}
