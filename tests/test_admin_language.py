"""The admin speaks Korean on every page an editor uses, history and revert pages included."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin

from community.models import Answer, Post

# What editors met in English before (django-simple-history ships no Korean).
ENGLISH = [
    "Note: Enter times",
    "Object",
    "Comment",
    "Changed by",
    "Change reason",
    "None",
    "Changed",
    "Created",
    "Deleted",
    "pk=None",
    "Revert",
    "Historical",
    "historical",
    "Choose a date",
    "Press the",
    "entries",
    "Change history",
]


class VisibleText(HTMLParser):
    """The text a person reads on the page: text nodes, and the labels of buttons,
    titles and placeholders, without scripts and styles."""

    SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")
        self.parts += [attrs[name] or "" for name in self.SHOWN_ATTRIBUTES if name in attrs]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def english_on(page):
    parser = VisibleText()
    parser.feed(page)
    text = " ".join(parser.parts)
    return [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", text)]


def editor_pages():
    """Every admin page of the community and guide apps an editor works in, for one row of each model."""
    yield "/admin/"
    for model in (
        *apps.get_app_config("community").get_models(),
        *apps.get_app_config("guide").get_models(),
    ):
        if not admin.site.is_registered(model):
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        yield base
        yield base + "add/"
        for row in {model.objects.order_by("pk").first(), model.objects.order_by("pk").last()}:
            if row is None:
                continue
            yield f"{base}{row.pk}/change/"
            if hasattr(model, "history"):
                yield f"{base}{row.pk}/history/"
                for revision in row.history.order_by("history_id")[:2]:
                    yield f"{base}{row.pk}/history/{revision.history_id}/"


@pytest.fixture
def edited(seeded, editor, client):
    """The seed content after an editor's day: edits, a correction link, an inline answer."""
    client.force_login(editor)
    answer = Answer.objects.filter(corrects__isnull=False).get()
    answer.body += "\n\n추가한 문단"
    answer.save()
    post = Post.objects.get(slug="which-gguf-file")
    post.title += " (수정)"
    post.save()
    return client


def test_no_english_on_any_admin_page_an_editor_uses(edited):
    pages = list(editor_pages())
    assert len(pages) > 40
    found = {}
    for url in pages:
        response = edited.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        if english := english_on(page):
            found[url] = english
        assert 'style="' not in page or "/history/" not in url, url  # CSP: no inline style
    assert found == {}


def test_the_date_widgets_time_zone_note_is_korean(edited):
    catalog = edited.get("/admin/jsi18n/").content.decode()
    # The catalog is JSON inside the script, non-ASCII escaped.
    assert json.dumps("참고: 시간은 %(timezone)s 기준으로 입력하세요.")[1:-1] in catalog


def test_the_history_page_shows_what_changed_in_korean(edited):
    answer = Answer.objects.filter(corrects__isnull=False).get()
    page = edited.get(f"/admin/community/answer/{answer.pk}/history/").content.decode()
    assert "<strong>답변:</strong>" in page  # the field's Korean name
    assert "검색용 본문" not in page and "Body html" not in page  # derived fields left out
    assert "이 판으로 되돌리기" in page
