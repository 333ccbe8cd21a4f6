"""Markup every reader shares is rendered once per content version, also where the
page cache does not serve (signed-in members, the page cache turned off): a
post's article (community/article.py) and a page of the newest posts
(community/listing.py)."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.test import Client

from community.models import Answer, Post
from pagecache.models import ContentVersion
from tests.factories import make_answer, make_format, make_post, make_rich_post, make_tag
from tests.members.conftest import make_member, signed_in
from tests.test_public_pages import DETAIL_QUERIES, LIST_QUERIES, build_posts

# The content version: the post's row is kept beside its article.
ARTICLE_CACHED_QUERIES = 1


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0


def article(client, post):
    response = client.get(post.get_modal_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_and_the_dialog_share_one_rendered_article(
    client, seeded, django_assert_num_queries
):
    post = build_posts(2)[-1]
    with django_assert_num_queries(DETAIL_QUERIES):
        page = client.get(post.get_absolute_url())
    with django_assert_num_queries(ARTICLE_CACHED_QUERIES):
        dialog = client.get(post.get_modal_url())
    with django_assert_num_queries(ARTICLE_CACHED_QUERIES):
        again = client.get(post.get_absolute_url())
    assert dialog.content.decode().strip() in page.content.decode()
    assert again.content == page.content


def test_a_preview_is_never_kept_for_readers_and_a_withdrawn_post_is_gone_at_once(
    client, editor, db
):
    draft = make_post(title="아직 초안", status=Post.Status.DRAFT, published_at=None)
    as_editor = Client()
    as_editor.force_login(editor)
    assert "아직 초안" in as_editor.get(draft.get_absolute_url()).content.decode()
    # The editor's preview left nothing a reader could be served from.
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_modal_url()).status_code == 404

    live = make_post(title="곧 내릴 글")
    assert client.get(live.get_absolute_url()).status_code == 200  # its row kept
    live.status = Post.Status.DRAFT
    live.save()
    assert client.get(live.get_absolute_url()).status_code == 404
    assert client.get(live.get_modal_url()).status_code == 404
    assert "곧 내릴 글" in as_editor.get(live.get_absolute_url()).content.decode()


def test_a_member_is_served_the_same_article_with_their_own_menu(client, seeded):
    post = build_posts(1)[0]
    member = make_member("서연")
    reader_page = client.get(post.get_absolute_url()).content.decode()
    member_page = signed_in(member).get(post.get_absolute_url()).content.decode()
    assert member.email in member_page and member.email not in reader_page
    assert article(Client(), post).strip() in member_page


def test_an_editors_change_shows_on_the_next_request(client, db):
    """An answer, a tag, a reference record and a related post: each is part of the
    article, and each change moves the content version its fragment is keyed by."""
    fmt = make_format(name="GGUF-T")
    tag = make_tag(name="양자화")
    post = make_rich_post(formats=[fmt], tags=[tag], answers=1)
    related = make_post(title="관련 글 처음 제목")
    related.tags.set([tag])
    before = article(client, post)
    assert "관련 글 처음 제목" in before and "#양자화" in before and "GGUF-T" in before

    answer = post.answers.get()
    answer.body = "고친 답변 본문"
    answer.save()
    assert "고친 답변 본문" in article(client, post)

    tag.name = "양자화기법"
    tag.save()
    assert "#양자화기법" in article(client, post)

    fmt.name = "GGUF-U"
    fmt.save()
    assert "GGUF-U" in article(client, post)

    related.title = "관련 글 새 제목"
    related.save()
    assert "관련 글 새 제목" in article(client, post)

    newest = make_post(title="가장 새로운 관련 글")
    newest.tags.add(tag)
    assert "가장 새로운 관련 글" in article(client, post)


def test_an_editors_preview_is_never_kept(editor, db):
    post = make_post(status=Post.Status.DRAFT, published_at=None)
    make_answer(post, body="초안의 답변")
    as_editor = Client()
    as_editor.force_login(editor)
    assert "초안의 답변" in article(as_editor, post)
    # Changed without a save, so no new version: only a fragment kept would hide it.
    Answer.objects.filter(post=post).update(body_html="<p>바뀐 답변</p>")
    assert "바뀐 답변" in article(as_editor, post)
    assert Client().get(post.get_modal_url()).status_code == 404


@pytest.fixture
def fragment_calls(monkeypatch):
    """Every call to the default cache for a kept fragment's key ({% cache %})."""
    from django.core.cache import caches

    calls = []
    default = caches["default"]
    for name in ("get", "set", "delete"):
        method = getattr(default, name)

        def spy(key, *args, _method=method, _name=name, **kwargs):
            if key.startswith("template.cache."):
                calls.append((_name, key))
            return _method(key, *args, **kwargs)

        monkeypatch.setattr(default, name, spy)
    return calls


def test_markup_that_is_not_kept_costs_no_trip_to_the_cache(
    client, editor, db, settings, fragment_calls
):
    make_post(title="검색되는 글", body="본문")
    draft = make_post(status=Post.Status.DRAFT, published_at=None)
    as_editor = Client()
    as_editor.force_login(editor)
    as_editor.get(draft.get_absolute_url())  # an editor's preview
    settings.FRAGMENT_CACHE_SECONDS = 0
    listed(client, "/community/?q=검색되는")
    assert fragment_calls == []
    # What is kept still goes to the cache.
    settings.FRAGMENT_CACHE_SECONDS = 600
    listed(client)
    assert ("set", fragment_calls[-1][1]) in fragment_calls


def test_turned_off_every_request_renders_the_article(client, settings, db):
    settings.FRAGMENT_CACHE_SECONDS = 0
    post = make_rich_post(answers=1)
    article(client, post)
    Answer.objects.filter(post=post).update(body_html="<p>저장 없이 바뀐 답변</p>")
    assert "저장 없이 바뀐 답변" in article(client, post)


# --- Pages of the list -------------------------------------------------------------


def listed(client, url="/community/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_of_the_list_is_rendered_once_per_version(client, seeded, django_assert_num_queries):
    build_posts(3)
    with django_assert_num_queries(LIST_QUERIES):
        first = listed(client)
    with django_assert_num_queries(1):  # the content version; the facets are kept apart
        again = listed(client)
    assert again == first


def test_a_kept_tag_page_reads_only_the_version_and_a_renamed_tag_shows_at_once(
    client, db, django_assert_num_queries
):
    tag = make_tag(name="서빙")
    make_post(title="서빙 이야기").tags.add(tag)
    first = listed(client, tag.get_absolute_url())
    with django_assert_num_queries(1):  # the tag's row is kept with the page
        assert listed(client, tag.get_absolute_url()) == first
    tag.name = "서빙-엔진"
    tag.save()
    html = listed(client, tag.get_absolute_url())
    assert "<h1>#서빙-엔진</h1>" in html and "#서빙<" not in html


def test_a_member_gets_the_list_readers_get_with_their_own_menu(client, db):
    make_post(title="모두가 보는 글")
    member = make_member("하은")
    reader_page, member_page = listed(client), listed(signed_in(member))
    assert "모두가 보는 글" in member_page and member.email in member_page
    assert member.email not in reader_page


def test_a_new_post_an_edit_and_a_new_answer_show_on_the_next_request(client, db):
    tag = make_tag(name="서빙")
    post = make_post(title="처음 올린 글")
    post.tags.add(tag)
    assert "처음 올린 글" in listed(client) and "처음 올린 글" in listed(client, "/")
    assert "처음 올린 글" in listed(client, tag.get_absolute_url())

    newer = make_post(title="새로 올린 글", published_at=post.published_at + timedelta(minutes=1))
    assert "새로 올린 글" in listed(client) and "새로 올린 글" in listed(client, "/")
    newer.tags.add(tag)
    assert "새로 올린 글" in listed(client, tag.get_absolute_url())

    post.title = "고친 제목"
    post.save()
    assert "고친 제목" in listed(client)
    make_answer(post)
    assert "답변 1" in listed(client)


def test_every_page_of_the_list_is_kept_apart(client, db, settings):
    settings.COMMUNITY_PAGE_SIZE = 2
    posts = [make_post(title=f"글 {n}번") for n in range(5)]  # newest first
    first = listed(client)
    older = re.search(r'href="(\?before=[^"]+)"', first).group(1).replace("&amp;", "&")
    second = listed(client, "/community/" + older)
    assert posts[0].title in first and posts[0].title not in second
    assert posts[2].title in second
    assert listed(client) == first


def test_a_bad_cursor_is_still_a_400(client, db):
    listed(client)
    assert client.get("/community/?before=nonsense").status_code == 400


def test_a_search_is_kept_per_version_apart_from_the_pages(client, db, django_assert_num_queries):
    post = make_post(title="검색되는 글", body="본문")
    listed(client)  # the facets counted
    first = listed(client, "/community/?q=검색되는")
    assert post.get_absolute_url() in first
    with django_assert_num_queries(1):  # the content version
        assert listed(client, "/community/?q=검색되는") == first
    path = client.get("/community/?q=검색되는").wsgi_request.get_full_path()
    key = make_template_fragment_key("post_list_page", [path, ContentVersion.current()])
    assert caches["searches"].get(key) is not None  # kept apart from the pages
    assert caches["default"].get(key) is None
    # Changed without a save, the kept page stands; a save shows on the next request.
    Post.objects.filter(pk=post.pk).update(title="바뀐 글", search_text="바뀐 글")
    assert post.get_absolute_url() in listed(client, "/community/?q=검색되는")
    newer = make_post(title="새로 검색되는 글")
    html = listed(client, "/community/?q=검색되는")
    assert newer.get_absolute_url() in html and post.get_absolute_url() not in html


def test_a_search_never_gets_the_filter_chips_kept_for_the_list(client, db):
    make_post(title="양자화 이야기", kind=Post.Kind.DISCUSSION)
    listed(client)  # keeps the list's chips, with their counts
    html = listed(client, "/community/?q=양자화")
    assert 'href="?kind=discussion&amp;q=' in html
    assert 'href="?kind=discussion"' not in html
