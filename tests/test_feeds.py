"""Atom feeds: newest posts, per kind and per tag, with the corrected answer."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from community import services
from community.models import Answer, Post
from tests.factories import make_answer, make_correction, make_post, make_tag

ATOM = "{http://www.w3.org/2005/Atom}"
# The content version, the posts, their tags and their accepted answers.
FEED_QUERIES = 4


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    # Well-formed XML, or this raises; the test server's own output, not untrusted input.
    feed = ET.fromstring(response.content)  # noqa: S314
    assert feed.tag == f"{ATOM}feed"
    return {entry.findtext(f"{ATOM}title"): entry for entry in feed.iter(f"{ATOM}entry")}, feed


def test_the_newest_feed_holds_published_posts_with_their_corrected_answer(client, db):
    post = make_post(title="정정된 질문", body="질문 **본문**")
    wrong = make_answer(post, body="틀린 숫자 99GB", is_accepted=True)
    right = make_correction(post, body="맞는 숫자 42GB")
    services.mark_answer_incorrect(answer=wrong, note="숫자가 틀렸습니다", correction=right)
    plain = make_post(title="채택 답변 질문")
    make_answer(plain, body="채택된 내용", is_accepted=True)
    make_answer(plain, body="채택되지 않은 초안", status=Answer.Status.DRAFT)
    make_post(title="초안", status=Post.Status.DRAFT, published_at=None)
    make_post(title="예약 글", published_at=timezone.now() + timedelta(days=1))

    found, feed = entries(client, "/community/feed/")
    assert list(found) == ["정정된 질문", "채택 답변 질문"]  # newest first
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href").endswith("/community/")
    corrected = found["정정된 질문"]
    content = corrected.findtext(f"{ATOM}content")
    assert "<strong>본문</strong>" in content and "정정 답변" in content
    assert "맞는 숫자 42GB" in content and "99GB" not in content
    assert "<p>출처: 공식 문서</p>" in content
    assert (
        corrected.find(f"{ATOM}link").get("href") == f"http://testserver{post.get_absolute_url()}"
    )
    assert "채택된 내용" in found["채택 답변 질문"].findtext(f"{ATOM}content")


def test_kind_and_tag_feeds_hold_only_their_posts(client, db):
    tag = make_tag(name="서빙", slug="serving")
    question = make_post(title="질문 글", kind="question")
    question.tags.add(tag)
    make_post(title="정보 글", kind="info")
    found, _ = entries(client, "/community/feed/info/")
    assert list(found) == ["정보 글"]
    found, feed = entries(client, "/community/tags/serving/feed/")
    assert list(found) == ["질문 글"]
    assert feed.findtext(f"{ATOM}title") == "AiNex #서빙"
    assert [c.get("term") for c in found["질문 글"].iter(f"{ATOM}category")] == ["서빙"]
    assert client.get("/community/feed/spam/").status_code == 404
    assert client.get("/community/tags/no-such-tag/feed/").status_code == 404


@pytest.mark.parametrize("url", ["/feed/", "/rss/"])
def test_the_usual_feed_addresses_lead_to_the_feed(client, db, url):
    response = client.get(url)
    assert response.status_code == 301 and response["Location"] == "/community/feed/"


def test_pages_name_their_feeds(client, db):
    tag = make_tag(name="서빙", slug="serving")
    post = make_post()
    post.tags.add(tag)
    site_feed = '<link rel="alternate" type="application/atom+xml" title="AiNex 최신 글" href="/community/feed/">'
    for url in ("/", "/community/", post.get_absolute_url(), "/guide/"):
        assert site_feed in client.get(url).content.decode()
    tag_page = client.get("/community/tags/serving/").content.decode()
    assert 'href="/community/tags/serving/feed/"' in tag_page
    kind_page = client.get("/community/", {"kind": "question"}).content.decode()
    assert 'title="AiNex 최신 질문 글" href="/community/feed/question/"' in kind_page


@pytest.mark.parametrize("n", [1, 30])
def test_feeds_have_a_fixed_query_count_and_are_cached(client, db, n, django_assert_num_queries):
    tag = make_tag()
    for _ in range(n):
        post = make_post()
        post.tags.add(tag, make_tag())
        make_answer(post, is_accepted=True)
    with django_assert_num_queries(FEED_QUERIES):
        assert client.get("/community/feed/").status_code == 200
    with django_assert_num_queries(FEED_QUERIES + 1):  # + the tag
        assert client.get(f"/community/tags/{tag.slug}/feed/").status_code == 200
    with django_assert_num_queries(1):  # the content version: served from the page cache
        assert client.get("/community/feed/").status_code == 200


def test_feed_is_a_reserved_slug(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_post(slug="feed")
