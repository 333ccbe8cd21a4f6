"""Share cards (Open Graph, Twitter) on every public page; QAPage structured data."""

import json
import re
from html.parser import HTMLParser

import pytest

from community import services
from community.models import Answer, Post
from tests.factories import make_answer, make_correction, make_post, make_tag


class HeadReader(HTMLParser):
    """The <meta property|name> values and the JSON-LD scripts of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.json_ld, self._in_json_ld = {}, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        self._in_json_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        self._in_json_ld = False


def read_head(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


@pytest.fixture
def question(db):
    tag = make_tag(slug="serving")
    post = make_post(title="70B는 몇 GB?", body="질문 **본문** <3", author_name="민지")
    post.tags.add(tag)
    return post


def test_every_public_page_has_a_share_card(client, question):
    pages = [
        "/",
        "/community/",
        "/community/?q=GB",
        "/community/tags/serving/",
        question.get_absolute_url(),
        question.get_history_url(),
        "/guide/",
        "/guide/advisor/",
    ]
    for url in pages:
        meta = read_head(client, url).meta
        for name in ("og:title", "og:type", "og:url", "og:image", "og:site_name"):
            assert meta.get(name), (url, name)
        assert meta["og:url"] == f"http://testserver{url}"
        assert re.fullmatch(r"http://testserver/static/img/share\.png", meta["og:image"])
        assert meta["twitter:card"] == "summary_large_image"
    not_found = read_head(client, "/no-such-page/", status=404).meta
    assert not_found["og:title"] and not_found["og:url"] == "http://testserver/"

    post_meta = read_head(client, question.get_absolute_url()).meta
    assert post_meta["og:type"] == "article" and post_meta["og:title"] == "70B는 몇 GB?"
    assert post_meta["og:description"] == question.excerpt
    assert read_head(client, "/community/tags/serving/").meta["og:title"].startswith("#")


def mark_wrong_and_correct(post):
    wrong = make_answer(post, body="틀린 답: 99GB", is_accepted=True, author_name="지나가던 사람")
    right = make_correction(post, body="맞는 답: 42GB", author_name="편집자")
    services.mark_answer_incorrect(answer=wrong, note="숫자가 틀렸습니다", correction=right)
    return wrong, right


def test_a_question_is_a_qapage_with_the_correction_as_accepted_answer(client, question):
    mark_wrong_and_correct(question)
    other = make_answer(question, body="다른 답")
    make_answer(question, body="대체된 답", status=Answer.Status.SUPERSEDED)

    (data,) = read_head(client, question.get_absolute_url()).json_ld
    assert data["@context"] == "https://schema.org" and data["@type"] == "QAPage"
    entity = data["mainEntity"]
    # schema.org's (and Google's) required properties for a question and its answers.
    assert entity["@type"] == "Question"
    assert entity["name"] == "70B는 몇 GB?"
    assert entity["text"] == "질문 본문 <3"
    assert entity["answerCount"] == 2  # the correction and the other public answer
    assert entity["dateCreated"] == question.published_at.isoformat()
    assert entity["author"] == {"@type": "Person", "name": "민지"}
    accepted = entity["acceptedAnswer"]
    assert accepted["text"] == "맞는 답: 42GB"
    assert accepted["author"]["name"] == "편집자"
    for answer in [accepted, *entity["suggestedAnswer"]]:
        assert answer["@type"] == "Answer"
        assert answer["text"] and answer["dateCreated"] and answer["author"]["name"]
        assert answer["url"].startswith(f"http://testserver{question.get_absolute_url()}#answer-")
    assert [a["text"] for a in entity["suggestedAnswer"]] == [other.search_text]
    # The wrong and the replaced answers are on the page for readers, never in the data.
    assert "99GB" not in json.dumps(data, ensure_ascii=False)
    assert "대체된" not in json.dumps(data, ensure_ascii=False)


def test_only_live_questions_with_answers_carry_a_qapage(client, db, editor):
    unanswered = make_post(kind=Post.Kind.QUESTION)
    info = make_post(kind=Post.Kind.INFO)
    make_answer(info)
    for post in (unanswered, info):
        assert read_head(client, post.get_absolute_url()).json_ld == []
    draft = make_post(status=Post.Status.DRAFT, published_at=None)
    make_answer(draft)
    client.force_login(editor)
    assert read_head(client, draft.get_absolute_url()).json_ld == []  # the editor's preview


def test_structured_data_cannot_end_its_script_element(client, db):
    hostile = "</script><script>alert(1)</script><!-- & 끝"
    post = make_post(title=hostile, body=hostile)
    make_answer(post, body=hostile, is_accepted=True)
    page = client.get(post.get_absolute_url()).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert data["mainEntity"]["name"] == hostile
    assert "<script>alert(1)" not in page
