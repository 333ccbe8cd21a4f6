"""Search, filters, tag pages and related posts."""

import re

import pytest
from django.db import connection

from community.models import Answer, Post
from tests.factories import make_answer, make_post, make_tag


def found_slugs(client, **params):
    response = client.get("/community/", params)
    assert response.status_code == 200
    ids = [
        int(i)
        for i in re.findall(r'class="post-item" data-post-id="(\d+)"', response.content.decode())
    ]
    by_id = dict(Post.objects.filter(pk__in=ids).values_list("pk", "slug"))
    return [by_id[i] for i in ids]


def test_korean_substrings_find_the_expected_seed_posts(client, seeded):
    quantization = found_slugs(client, q="양자화")
    assert quantization[0] == "llama-3-70b-quantization"  # its title says 양자화
    assert "qlora-base-model" in quantization

    mac = found_slugs(client, q="맥")  # scenario B: "내 맥북이나 집 PC에서 ..."
    assert set(mac) == {"serving-and-training-scenarios", "which-gguf-file"}

    assert set(found_slugs(client, q="4090")) >= {"llama-3-70b-quantization", "70b-on-24gb-vram"}


@pytest.mark.parametrize("spelling", ["gguf", "GGUF", "GgUf"])
def test_search_ignores_case(client, seeded, spelling):
    slugs = found_slugs(client, q=spelling)
    assert slugs[0] == "which-gguf-file"  # the title match comes first
    assert {"llama-3-70b-quantization", "llm-model-formats"} <= set(slugs)


def test_title_matches_come_first_then_body_then_answers(client, db):
    in_answer = make_post(title="질문 하나", body="본문")
    make_answer(in_answer, body="엑스라마 답변")
    in_body = make_post(title="질문 둘", body="엑스라마 본문")
    in_title = make_post(title="엑스라마 제목", body="본문")
    # Newest first alone would put in_answer first (the factory dates each new
    # post a minute earlier); the phases come first.
    slugs = found_slugs(client, q="엑스라마")
    assert slugs == [in_title.slug, in_body.slug, in_answer.slug]


def test_drafts_and_incorrect_answers_are_never_hits(client, db):
    make_post(title="초안 고유어휘", status=Post.Status.DRAFT, published_at=None)
    public = make_post(title="공개 글", body="본문")
    make_answer(public, body="틀린 고유어휘", status=Answer.Status.INCORRECT, editor_note="오답")
    make_answer(public, body="대체된 고유어휘", status=Answer.Status.SUPERSEDED)
    assert found_slugs(client, q="고유어휘") == []
    html = client.get("/community/", {"q": "고유어휘"}).content.decode()
    assert "“고유어휘”에 맞는 글이 없습니다" in html


def test_search_combines_with_kind_tag_and_pagination(client, db, settings):
    settings.COMMUNITY_PAGE_SIZE = 2
    tag = make_tag(slug="serving", name="서빙")
    wanted = []
    for i in range(5):
        post = make_post(title=f"서빙 질문 {i}", kind="question")
        post.tags.add(tag)
        wanted.append(post.slug)
    make_post(title="서빙 정보", kind="info").tags.add(tag)
    make_post(title="서빙 질문 태그 없음", kind="question")

    seen, url, params = [], "/community/", {"q": "서빙", "kind": "question", "tag": "serving"}
    for _ in range(10):
        response = client.get(url, params)
        html = response.content.decode()
        ids = [int(i) for i in re.findall(r'class="post-item" data-post-id="(\d+)"', html)]
        seen += list(
            Post.objects.filter(pk__in=ids).order_by("-published_at").values_list("slug", flat=True)
        )
        more = re.search(r'href="(\?[^"]*cursor=[^"]*)"[^>]*>검색 결과 더 보기', html)
        if not more:
            break
        url, params = "/community/" + more.group(1).replace("&amp;", "&"), None
        assert "kind=question" in url and "tag=serving" in url and "q=" in url
    assert seen == wanted  # the factory dates each new post a minute earlier


def test_highlighting_is_safe(client, db):
    make_post(title="<b>굵게</b> 쓴 제목의 꼬리", body="본문의 꼬리 <script>alert(1)</script>")
    html = client.get("/community/", {"q": "꼬리"}).content.decode()
    assert "&lt;b&gt;굵게&lt;/b&gt; 쓴 제목의 <mark>꼬리</mark>" in html
    assert "<script>alert" not in html
    hostile = client.get("/community/", {"q": "<script>"}).content.decode()
    assert '<script>"' not in hostile and "&lt;script&gt;" in hostile


def test_kind_filter_counts_and_bad_kinds(client, seeded):
    html = client.get("/community/", {"kind": "info"}).content.decode()
    assert html.count('class="post-item"') == Post.objects.published().filter(kind="info").count()
    info_count = Post.objects.published().filter(kind="info").count()
    assert re.search(rf'정보 <span class="count">{info_count}</span>', html)
    response = client.get("/community/", {"kind": "spam"})
    assert response.status_code == 400 and "알 수 없는 글 종류" in response.content.decode()


def test_every_tag_has_a_page(client, seeded):
    html = client.get("/community/tags/gguf/").content.decode()
    assert "<h1>#GGUF</h1>" in html
    assert "data-post-id" in html
    assert client.get("/community/tags/no-such-tag/").status_code == 404
    assert client.get("/community/", {"tag": "no-such-tag"}).status_code == 404
    post = Post.objects.get(slug="which-gguf-file")
    assert 'href="/community/tags/gguf/"' in client.get(post.get_absolute_url()).content.decode()


def test_related_posts_share_a_tag_or_a_format(client, db):
    tag = make_tag()
    post = make_post(title="기준 글")
    post.tags.add(tag)
    sibling = make_post(title="같은 태그의 글")
    sibling.tags.add(tag)
    draft = make_post(title="태그 같은 초안", status=Post.Status.DRAFT, published_at=None)
    draft.tags.add(tag)
    make_post(title="관계 없는 글")
    for url in (post.get_absolute_url(), post.get_modal_url()):
        html = client.get(url).content.decode()
        related = re.search(r'<aside class="related".*?</aside>', html, re.S).group(0)
        assert "같은 태그의 글" in related
        assert "기준 글" not in related and "초안" not in related and "관계 없는 글" not in related


# The content version, the reference records a term matches (3), tags and
# formats (2), and per phase (4) one query, or on PostgreSQL at most nine: two
# savepoints, the time budget and the indexed query, then a walk with its two
# settings, releases and rollback (community.search.fetch_newest).
SEARCH_QUERIES = 1 + 3 + 2 + 4 * (9 if connection.vendor == "postgresql" else 1)


def test_a_search_page_has_a_bounded_query_count(client, seeded, django_assert_max_num_queries):
    client.get("/community/")  # facet counts cached
    for term in ("엑스라마없음", "양자화", "맥", "GGUF"):
        with django_assert_max_num_queries(SEARCH_QUERIES):
            assert client.get("/community/", {"q": term}).status_code == 200


@pytest.mark.parametrize("cursor", ["9.", "x.1_1", "1.abc", "0." + "9" * 50])
def test_a_bad_search_cursor_is_a_400(client, db, cursor):
    response = client.get("/community/", {"q": "양자화", "cursor": cursor})
    assert response.status_code == 400


def test_the_trigram_migration_runs_on_postgresql_and_does_nothing_on_sqlite(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
            assert {row[0] for row in cursor.fetchall()} == {
                "post_title_trgm",
                "post_body_trgm",
                "answer_body_trgm",
            }
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone()
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE '%trgm%'")
            assert cursor.fetchall() == []
