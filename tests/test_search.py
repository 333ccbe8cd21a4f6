"""Search, filters, tag pages and related posts."""

import re

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

from community import search
from community.models import Answer, Post, Synonym
from guide.models import FormatSoftware
from tests.factories import (
    make_answer,
    make_format,
    make_post,
    make_software,
    make_synonym,
    make_tag,
)


def found_slugs(client, **params):
    response = client.get("/community/", params)
    assert response.status_code == 200
    ids = [
        int(i)
        for i in re.findall(r'class="post-item" data-post-id="(\d+)"', response.content.decode())
    ]
    by_id = dict(Post.objects.filter(pk__in=ids).values_list("pk", "slug"))
    return [by_id[i] for i in ids]


def test_korean_substrings_find_posts_by_title_body_answer_and_reference(client, db):
    by_title = make_post(title="70B 모델 양자화 방법", body="본문")
    by_body = make_post(title="파인튜닝 질문", body="양자화된 모델로 학습해도 되나요?")
    by_answer = make_post(title="파일 고르기", body="어떤 파일을 받나요?")
    make_answer(by_answer, body="Q4_K_M 양자화 파일을 받으세요")
    fmt = make_format(name="가상포맷", features="맥북에서 돌리는 포맷")
    by_record = make_post(title="포맷 표", body="표가 있는 글")
    by_record.formats.add(fmt)
    make_post(title="상관없는 글", body="본문")

    assert found_slugs(client, q="양자화") == [by_title.slug, by_body.slug, by_answer.slug]
    assert found_slugs(client, q="맥") == [by_record.slug]  # inside 맥북, in a record


def test_each_hit_says_where_it_matched_highlighted(client, db):
    by_title = make_post(title="희귀어 제목", body="본문")
    by_body = make_post(title="둘째", body="여기 희귀어 본문")
    by_answer = make_post(title="셋째", body="본문")
    make_answer(by_answer, body="답변 속 희귀어 설명")
    make_answer(
        by_answer, body="틀린 희귀어 답변", status=Answer.Status.INCORRECT, editor_note="틀림"
    )
    fmt = make_format(name="희귀포맷", features="희귀어 특징")
    by_record = make_post(title="넷째", body="본문")
    by_record.formats.add(fmt)

    html = client.get("/community/", {"q": "희귀어"}).content.decode()
    items = dict(re.findall(r'data-post-id="(\d+)">(.*?)</article>', html, re.S))
    found = {
        pk: re.search(r'<p class="post-item__found">(.*?)</p>', item, re.S)[1]
        for pk, item in items.items()
    }
    assert found == {
        str(by_title.pk): "제목에서 찾음",
        str(by_body.pk): "본문에서 찾음",
        str(by_answer.pk): "답변에서 찾음",
        str(by_record.pk): "참조 기록에서 찾음: 희귀포맷",
    }
    assert "<mark>희귀어</mark> 제목" in items[str(by_title.pk)]
    assert "여기 <mark>희귀어</mark> 본문" in items[str(by_body.pk)]
    # The snippet is the matching answer's, never the wrong one's.
    assert "답변 속 <mark>희귀어</mark> 설명" in items[str(by_answer.pk)]
    assert "틀린" not in items[str(by_answer.pk)]
    assert "<mark>희귀어</mark> 특징" in items[str(by_record.pk)]


def test_synonyms_find_the_other_spelling_and_mark_it(client, db):
    make_synonym("라마", "Llama")
    make_synonym("Mac", "맥")
    llama = make_post(title="Llama-3 70B 질문", body="본문")
    korean = make_post(title="라마 3 질문", body="본문")
    ollama = make_post(title="올라마 설치", body="본문")  # 라마 inside 올라마: a substring
    assert found_slugs(client, q="라마") == [llama.slug, korean.slug, ollama.slug]
    html = client.get("/community/", {"q": "라마"}).content.decode()
    assert "<mark>Llama</mark>-3 70B 질문" in html and "<mark>라마</mark> 3 질문" in html
    # A synonym replaces a whole word of a longer query, whatever its case.
    on_mac = make_post(title="맥 설치 안내", body="본문")
    assert found_slugs(client, q="MAC 설치") == [on_mac.slug]
    assert found_slugs(client, q="MAC설치") == []  # one word, not in the table
    assert found_slugs(client, q="라마 3") == [korean.slug]  # "Llama 3" is in no title


def test_synonym_variants_of_a_query(db):
    make_synonym("라마", "Llama")
    make_synonym("맥", "Mac")
    variants = search.search_variants
    assert variants("양자화") == ("양자화",)
    assert variants("라마 맥") == ("라마 맥", "Llama 맥", "라마 Mac", "Llama Mac")
    assert variants("라마를") == ("라마를",)  # not a word of the table
    assert len(variants("라마 라마 라마 맥 맥")) == 4  # MAX_VARIANTS


def test_seeded_synonyms_are_editable_records(client, seeded):
    assert Synonym.objects.filter(term="라마", expansion="Llama").exists()
    assert {"맥", "큐웬"} <= set(Synonym.objects.values_list("term", flat=True))
    assert found_slugs(client, q="라마")  # the seed posts write Llama
    Synonym.objects.create(term="LLAMA", expansion="라마")
    with pytest.raises(IntegrityError), transaction.atomic():
        Synonym.objects.create(term="llama", expansion="라마")  # the same, in other case
    with pytest.raises(IntegrityError), transaction.atomic():
        Synonym.objects.create(term="라마 3", expansion="Llama 3")  # a term is one word


@pytest.mark.parametrize("name", ["Ollama", "LM Studio"])
def test_software_named_in_a_posts_tables_finds_the_post(client, db, name):
    fmt = make_format()
    FormatSoftware.objects.create(format=fmt, software=make_software(name=name))
    presenting = make_post(title="포맷 표", body="본문")
    presenting.formats.add(fmt)
    make_post(title="다른 글", body="본문")
    assert found_slugs(client, q=name) == [presenting.slug]


def test_an_editors_change_to_a_record_or_a_synonym_shows_on_the_next_search(client, db):
    # The synonyms and the records' texts are kept per content version
    # (search.editorial_tables); a save bumps it.
    fmt = make_format(name="가나포맷", features="특징")
    presenting = make_post(title="포맷 표", body="본문")
    presenting.formats.add(fmt)
    by_title = make_post(title="Qwen 질문", body="본문")
    assert found_slugs(client, q="희귀특징") == []
    assert found_slugs(client, q="큐웬") == []
    fmt.features = "희귀특징"
    fmt.save()
    assert found_slugs(client, q="희귀특징") == [presenting.slug]
    software = make_software(name="도구")
    FormatSoftware.objects.create(format=fmt, software=software)
    assert found_slugs(client, q="새이름도구") == []
    software.name = "새이름도구"
    software.save()
    assert found_slugs(client, q="새이름도구") == [presenting.slug]
    synonym = make_synonym("큐웬", "Qwen")
    assert found_slugs(client, q="큐웬") == [by_title.slug]
    synonym.delete()
    assert found_slugs(client, q="큐웬") == []


def test_search_reads_the_text_readers_see_not_the_markdown(client, db):
    emphasis = make_post(title="윈도우 학습", body="리눅스가 아니면 **WSL2**를 쓰세요")
    assert found_slugs(client, q="WSL2를") == [emphasis.slug]
    in_body = make_post(
        title="링크 글", body="**GGUF**로 [받은](https://example.com/zzqaddress) 파일"
    )
    assert found_slugs(client, q="GGUF로 받은")[0] == in_body.slug
    # A link's address is not part of what readers see.
    assert found_slugs(client, q="zzqaddress") == []
    page = client.get("/community/", {"q": "GGUF로 받은"}).content.decode()
    assert "<mark>GGUF로 받은</mark> 파일" in page


def test_a_reference_records_fields_are_searched_one_by_one(db):
    fmt = make_format(name="가나포맷", role="다라역할", features="**마바**사")
    assert search.matching_references(["마바사"])[type(fmt)] == [fmt.pk]
    assert search.matching_references(["가나포맷 다라역할"]) == {}


@pytest.mark.parametrize("spelling", ["gguf", "GGUF", "GgUf"])
def test_search_ignores_case(client, db, spelling):
    in_body = make_post(title="파일 질문", body="gguf 파일은 어떤 걸 받나요?")
    in_title = make_post(title="GGUF 정리", body="본문")
    assert found_slugs(client, q=spelling) == [in_title.slug, in_body.slug]


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
    make_answer(public, body="초안 고유어휘", status=Answer.Status.DRAFT)
    assert found_slugs(client, q="고유어휘") == []
    # Nor through a synonym.
    make_synonym("유일어", "고유어휘")
    assert found_slugs(client, q="유일어") == []
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

    seen, url, params = [], "/community/tags/serving/", {"q": "서빙", "kind": "question"}
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
        url, params = "/community/tags/serving/" + more.group(1).replace("&amp;", "&"), None
        assert "kind=question" in url and "q=" in url
    assert seen == wanted  # the factory dates each new post a minute earlier


def test_highlighting_is_safe(client, db):
    make_post(title="<b>굵게</b> 쓴 제목의 꼬리", body="본문의 꼬리 <script>alert(1)</script>")
    html = client.get("/community/", {"q": "꼬리"}).content.decode()
    assert "&lt;b&gt;굵게&lt;/b&gt; 쓴 제목의 <mark>꼬리</mark>" in html
    assert "<script>alert" not in html
    hostile = client.get("/community/", {"q": "<script>"}).content.decode()
    assert '<script>"' not in hostile and "&lt;script&gt;" in hostile


def test_snippets_show_characters_not_their_references(client, db):
    make_post(title="벡터 질문", body="여기서 `vector<int>` 와 Q4 & Q5 꼬리를 비교합니다")
    html = client.get("/community/", {"q": "꼬리"}).content.decode()
    assert "vector&lt;int&gt; 와 Q4 &amp; Q5 <mark>꼬리</mark>" in html
    assert "&amp;lt;" not in html and "&amp;amp;" not in html
    # "amp" is not found inside a character reference.
    assert "<mark>amp</mark>" not in client.get("/community/", {"q": "amp"}).content.decode()


def test_kind_filter_counts_and_bad_kinds(client, db):
    for kind in ("info", "info", "question"):
        make_post(kind=kind)
    html = client.get("/community/", {"kind": "info"}).content.decode()
    assert html.count('class="post-item"') == 2
    assert '정보 <span class="count">2</span>' in html
    response = client.get("/community/", {"kind": "spam"})
    assert response.status_code == 400 and "알 수 없는 글 종류" in response.content.decode()


@pytest.mark.parametrize("url", ["/community/tags/gguf/", "/community/?q=GGUF"])
def test_a_tags_or_a_searchs_kind_chips_promise_no_site_wide_counts(client, db, url):
    make_post(title="GGUF 정보", kind="info").tags.add(make_tag(name="GGUF", slug="gguf"))
    make_post(title="GGUF 질문", kind="question")
    # The counts are of every published post; the chips here lead to fewer.
    html = client.get(url).content.decode()
    chips = re.search(r'<ul class="chips">.*?</ul>', html, re.S).group()
    assert "정보" in chips and 'class="count"' not in chips


def test_every_tag_has_a_page(client, db):
    tag = make_tag(name="GGUF", slug="gguf")
    post = make_post()
    post.tags.add(tag)
    html = client.get("/community/tags/gguf/").content.decode()
    assert "<h1>#GGUF</h1>" in html
    assert f'data-post-id="{post.pk}"' in html
    assert client.get("/community/tags/no-such-tag/").status_code == 404
    assert client.get("/community/", {"tag": "no-such-tag"}).status_code == 404
    # /community/?tag= is the tag's page under another address: its chips and
    # search form would drop the tag there, so it sends readers to the page.
    moved = client.get("/community/", {"tag": "gguf", "kind": "question", "q": "양자화"})
    assert moved.status_code == 301
    assert moved["Location"] == "/community/tags/gguf/?kind=question&q=%EC%96%91%EC%9E%90%ED%99%94"
    assert client.get("/community/?tag=gguf")["Location"] == "/community/tags/gguf/"
    assert client.get("/community/?tag=gguf&tag=")["Location"] == "/community/tags/gguf/"
    assert 'href="/community/tags/gguf/"' in client.get(post.get_absolute_url()).content.decode()


def test_related_posts_are_the_newest_sharing_a_tag_or_a_format(db):
    tag, gguf = make_tag(), make_format()
    post = make_post(title="기준 글")
    post.tags.add(tag)
    post.formats.add(gguf)
    # The factory dates each new post a minute earlier than the last.
    both = make_post(title="둘 다")
    both.tags.add(tag)
    both.formats.add(gguf)
    by_format = make_post(title="포맷만")
    by_format.formats.add(gguf)
    by_tag = [make_post(title=f"태그만 {i}") for i in range(3)]
    for other in by_tag:
        other.tags.add(tag)
    oldest_by_format = make_post(title="오래된 포맷")
    oldest_by_format.formats.add(gguf)

    post = Post.objects.prefetch_related("tags", "formats").get(pk=post.pk)
    related = Post.objects.published().newest_related_to(post, 4)
    # Newest first across both kinds of link, each post once, four at most.
    assert [p.title for p in related] == ["둘 다", "포맷만", "태그만 0", "태그만 1"]


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


def search_query_budget():
    """
    The most queries a search page may run: the content version, the synonyms
    and reference records of the version if it is the first search since a
    save (1 + 6), tags and formats (2), the text of the page's answer hits (1)
    and the records its reference hits present (one query per kind of record:
    3), then for each of the four phases: on PostgreSQL the reset of the
    previous plan's settings before the sample, the sample (1, or 3 capped
    counts for reference records), the index plan's settings, its query in a
    savepoint (3), and the walk's settings (7, or 9); and every window of the
    list that the walks read (2 each: its rows, and where it ends). On
    PostgreSQL in a test's transaction the page is a savepoint (2), and the
    settings are reset once at its end.
    """
    windows = len(search.PHASES) + search.SCAN_WINDOWS_PER_PAGE
    found_in = 1 + 3
    base = 1 + 1 + 6 + 2 + found_in + 2 * windows
    if connection.vendor != "postgresql":
        return base
    return base + 3 * 7 + 9 + 2 + 1


def search_fixture():
    """Posts that match in every phase, some through a synonym."""
    make_synonym("라마", "Llama")
    fmt = make_format(name="양자화포맷", features="GGUF 양자화")
    for i in range(30):
        post = make_post(title=f"Llama 양자화 {i}" if i % 3 else f"질문 {i}", body=f"GGUF 본문 {i}")
        make_answer(post, body="양자화 답변")
        post.formats.add(fmt)
        post.tags.add(make_tag())


def test_a_search_page_has_a_bounded_query_count(client, db, django_assert_max_num_queries):
    search_fixture()
    client.get("/community/")  # facet counts cached
    for term in ("엑스라마없음", "양자화", "라마", "GGUF", "양자화포맷"):
        with django_assert_max_num_queries(search_query_budget()):
            assert client.get("/community/", {"q": term}).status_code == 200


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the scans' plans vary with the data")
def test_search_query_counts_are_pinned(client, db, django_assert_num_queries, settings):
    search_fixture()
    settings.COMMUNITY_PAGE_SIZE = 50
    client.get("/community/")  # facet counts cached
    # The first search of a content version reads the synonyms (1) and each
    # kind of reference record's text and software names (3 + 1 + 2); then the
    # version and the first three phases' window edge and rows (2 each).
    with django_assert_num_queries(1 + 6 + 1 + 3 * 2):
        client.get("/community/", {"q": "엑스"})
    # The version, each of the first three phases' window edge and rows (2
    # each), and the page's tags and formats (2).
    base = 1 + 3 * 2 + 2
    with django_assert_num_queries(base):
        client.get("/community/", {"q": "라마"})  # no record matches: no reference phase
    # + the reference phase's walk (2), and the answer hits' text (1)
    with django_assert_num_queries(base + 2 + 1):
        client.get("/community/", {"q": "양자화"})
    # + the reference phase's walk (2), and the matching formats the hits present (1)
    with django_assert_num_queries(base + 2 + 1):
        client.get("/community/", {"q": "양자화포맷"})


@pytest.mark.parametrize("cursor", ["9.", "x.1_1", "1.abc", "0." + "9" * 50, "².", "1.²_1"])
def test_a_bad_search_cursor_is_a_400(client, db, cursor):
    response = client.get("/community/", {"q": "양자화", "cursor": cursor})
    assert response.status_code == 400


def test_the_trigram_migration_runs_on_postgresql_and_does_nothing_on_sqlite(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
            assert {row[0] for row in cursor.fetchall()} == {
                "post_title_trgm",
                "post_text_trgm",
                "answer_text_trgm",
            }
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone()
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE '%trgm%'")
            assert cursor.fetchall() == []


def follow_search(client, params):
    """Every page of a search, following its "more" links: (slugs, page HTML) per page."""
    pages, url = [], "/community/"
    for _ in range(50):
        response = client.get(url, params)
        assert response.status_code == 200
        html = response.content.decode()
        ids = [int(i) for i in re.findall(r'class="post-item" data-post-id="(\d+)"', html)]
        by_id = dict(Post.objects.filter(pk__in=ids).values_list("pk", "slug"))
        pages.append(([by_id[i] for i in ids], html))
        more = re.search(r'href="(\?[^"]*cursor=[^"]*)"[^>]*>검색 결과 더 보기', html)
        if not more:
            return pages
        url, params = "/community/" + more.group(1).replace("&amp;", "&"), None
    raise AssertionError("the search never ended")


def test_a_search_that_scans_in_small_windows_finds_the_same_posts(
    client, db, settings, monkeypatch
):
    settings.COMMUNITY_PAGE_SIZE = 2
    # The same URLs are searched twice, each time anew.
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 0
    wanted_in_title = [make_post(title=f"드문낱말 제목 {i}").slug for i in range(3)]
    for i in range(7):
        make_post(title=f"다른 글 {i}")  # older than the title matches: windows with no match
    in_answer = make_post(title="답변에만", body="본문")
    make_answer(in_answer, body="드문낱말 답변")
    everything = [slug for slugs, _ in follow_search(client, {"q": "드문낱말"}) for slug in slugs]
    assert everything == [*wanted_in_title, in_answer.slug]

    # Windows of two posts, one window per page beyond each phase's first: pages
    # stop early and say so, and following them finds the same posts in order.
    monkeypatch.setattr(search, "SCAN_WINDOW", 2)
    monkeypatch.setattr(search, "SCAN_WINDOWS_PER_PAGE", 1)
    monkeypatch.setattr(search, "index_is_selective", lambda *args: False)
    cache.clear()  # the plans the first pass chose (search.PlanChoices)
    pages = follow_search(client, {"q": "드문낱말"})
    assert [slug for slugs, _ in pages for slug in slugs] == everything
    assert len(pages) > 3, [(slugs, re.findall(r'cursor=[^&"]*', html)) for slugs, html in pages]
    empty_but_unfinished = [html for slugs, html in pages if not slugs]
    assert empty_but_unfinished, "some window held no match"
    for html in empty_but_unfinished:
        assert "아직 “드문낱말”에 맞는 글을 찾지 못했습니다" in html
        assert "맞는 글이 없습니다" not in html
    partly = [html for slugs, html in pages if len(slugs) == 1 and "더 보기" in html]
    assert all("여기까지 찾았습니다" in html for html in partly)


def test_a_full_page_links_on_to_a_later_phase_past_an_empty_one(client, db, settings):
    settings.COMMUNITY_PAGE_SIZE = 2
    titles = [make_post(title=f"겹낱말 {i}").slug for i in range(2)]
    in_answer = make_post(title="답변 쪽", body="본문")  # no body match: the body phase is empty
    make_answer(in_answer, body="겹낱말")
    pages = follow_search(client, {"q": "겹낱말"})
    assert [slugs for slugs, _ in pages] == [titles, [in_answer.slug]]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigram indexes are PostgreSQL's"
)
def test_the_index_is_used_only_for_terms_it_narrows_down(db, monkeypatch):
    monkeypatch.setattr(search, "SAMPLE_PERCENT", 100)  # every row, so the test is exact
    for i in range(10):
        make_post(title=f"흔한낱말 {i}", body="본문")
    make_post(title="희귀한낱말 하나", body="본문")
    assert search.index_is_selective("title", ["희귀한낱말"], None)
    assert not search.index_is_selective("title", ["흔한낱말"], None)
    assert not search.index_is_selective("title", ["희귀한낱말", "흔한낱말"], None)
    assert not search.index_is_selective("title", ["희귀"], None)  # too short for a trigram
    assert search.index_is_selective("answer", ["흔한낱말"], None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL samples")
def test_the_index_choice_is_kept_until_content_changes(client, db, monkeypatch):
    sampled = []
    real = search.index_is_selective
    monkeypatch.setattr(
        search, "index_is_selective", lambda *args: sampled.append(args) or real(*args)
    )
    post = make_post(title="희귀한낱말 제목", body="본문")
    assert found_slugs(client, q="희귀한낱말") == [post.slug]
    once = len(sampled)
    assert once
    assert found_slugs(client, q="희귀한낱말") == [post.slug]
    assert len(sampled) == once
    newer = make_post(title="희귀한낱말 새 글", body="본문")  # a save: sampled again
    assert set(found_slugs(client, q="희귀한낱말")) == {newer.slug, post.slug}
    assert len(sampled) == 2 * once


def test_editors_add_synonyms_in_the_admin_and_search_uses_them_at_once(client, editor):
    post = make_post(title="Qwen2.5 7B 질문", body="본문")
    assert found_slugs(client, q="큐웬") == []
    client.force_login(editor)
    response = client.post("/admin/community/synonym/add/", {"term": "큐웬", "expansion": "Qwen"})
    assert response.status_code == 302, response.content.decode()
    duplicate = client.post("/admin/community/synonym/add/", {"term": "큐웬", "expansion": "QWEN"})
    assert "같은 검색어와 표기가 이미 있습니다." in duplicate.content.decode()
    client.logout()
    # The cached search page went with the content version the save bumped.
    assert found_slugs(client, q="큐웬") == [post.slug]
