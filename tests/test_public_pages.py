import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from community.models import Post
from community.pagination import Cursor
from community.templatetags.community_tags import local_date
from guide.models import FormatProfile, HardwareTier, Scenario
from tests.factories import make_format, make_post, make_rich_post, make_tag

# Queries per page on a cache miss, the same for 1 post as for 50 with answers
# and tags. Each starts with the content version that keys the page cache.
# The list also counts posts per kind and per tag (2), in a transaction that
# holds the shared counts' row (5: savepoint, insert if missing, lock, update,
# release) and on PostgreSQL the time limit around the counts (4); kept apart
# from the page and counted in a thread outside tests (tests/conftest.py). Then
# the posts with their counts, tags and formats (3).
FACET_QUERIES = 2 + 5 + (4 if connection.vendor == "postgresql" else 0)
LIST_QUERIES = 1 + FACET_QUERIES + 3
HOME_QUERIES = 1 + 3
# post, tags, formats + their software (2), hardware tiers, scenarios + their
# formats and software (3), answers
# On PostgreSQL: a savepoint and a time limit around walks of the list's index
# that may meet only old posts (postgres.first_rows).
BOUNDED_WALK = 4 if connection.vendor == "postgresql" else 0
# ... and the related posts, by tag and by format: two walks under one limit
DETAIL_QUERIES = 1 + 9 + 2 + BOUNDED_WALK
GUIDE_QUERIES = 1 + 6  # formats + software (2), tiers, scenarios + their links (3)


def build_posts(n):
    """n published posts with answers and tags, presenting the seeded reference records."""
    tags = [make_tag(), make_tag()]
    formats = list(FormatProfile.objects.all()[:3])
    posts = [make_rich_post(formats=formats, tags=tags, answers=3) for _ in range(n)]
    for post in posts:
        post.hardware_tiers.set(HardwareTier.objects.all())
        post.scenarios.set(Scenario.objects.all())
    return posts


@pytest.mark.parametrize("n", [1, 50])
def test_list_and_home_query_counts_do_not_grow_with_posts(
    client, seeded, n, django_assert_num_queries
):
    Post.objects.all().delete()
    build_posts(n)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/community/").status_code == 200
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("n", [1, 50])
def test_post_page_and_partial_query_counts_are_fixed(client, seeded, n, django_assert_num_queries):
    Post.objects.all().delete()
    post = build_posts(n)[-1]
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(post.get_absolute_url()).status_code == 200
    # The article and the post's row kept for the page: the version alone
    # (tests/test_fragments.py).
    with django_assert_num_queries(1):
        assert client.get(post.get_modal_url()).status_code == 200
    # Served from the page cache: only the content version is read.
    with django_assert_num_queries(1):
        assert client.get(post.get_absolute_url()).status_code == 200


def test_guide_query_count_is_fixed(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(GUIDE_QUERIES):
        assert client.get("/guide/").status_code == 200
    for i in range(20):
        make_format(name=f"EXTRA{i}", comparison_order=10 + i)
    with django_assert_num_queries(GUIDE_QUERIES):
        assert client.get("/guide/").status_code == 200


def test_list_items_show_what_a_reader_needs(client, seeded):
    html = client.get("/community/").content.decode()
    question = Post.objects.get(slug="llama-3-70b-quantization")
    item = re.search(
        rf'<article class="post-item" data-post-id="{question.pk}">(.*?)</article>', html, re.S
    )
    assert item, "the question is not on the first page"
    item = item.group(1)
    assert f'href="{question.get_absolute_url()}"' in item
    assert "질문" in item and "정정됨" in item and "답변 1" in item
    # Its formats EXL2, GGUF and AWQ are also its tags: one chip each, the tag's.
    for name in ("EXL2", "GGUF", "AWQ"):
        assert item.count(f">#{name}</a>") == 1 and f">{name}</a>" not in item
    assert "2026. 11. 20." in item


def test_one_chip_per_thing_and_no_empty_counts(client, db):
    gguf, gptq = make_format(name="GGUF", slug="gguf"), make_format(name="GPTQ", slug="gptq")
    post = make_post(kind="info")
    post.formats.set([gguf, gptq])
    post.tags.set([make_tag(name="GGUF", slug="gguf"), make_tag(name="서빙", slug="serving")])
    for html in (
        client.get("/community/").content.decode(),
        client.get(post.get_absolute_url()).content.decode(),
    ):
        chips = re.search(r'<ul class="chips" aria-label="포맷과 태그">(.*?)</ul>', html, re.S)[1]
        names = re.findall(r">([^<]+)</a>", chips)
        assert names == ["GPTQ", "#GGUF", "#서빙"]
    html = client.get("/community/").content.decode()
    # An information post without answers says nothing about answers, and a
    # kind without posts has no filter chip.
    assert "답변 0" not in html
    filters = re.search(r'<nav class="filters".*?</nav>', html, re.S).group()
    assert '정보 <span class="count">1</span>' in filters
    assert "토론" not in filters and "질문" not in filters
    # Unless it is the one chosen.
    chosen = client.get("/community/", {"kind": "discussion"}).content.decode()
    assert 'aria-current="true">토론</a>' in chosen


def test_dates_are_shown_in_seoul_time(client, db):
    # 20:30 UTC on 30 October is already 31 October in Seoul.
    moment = datetime(2026, 10, 30, 20, 30, tzinfo=UTC)
    post = make_post(published_at=moment)
    expected = '<time datetime="2026-10-31T05:30:00+09:00">2026. 10. 31.</time>'
    assert expected in client.get("/community/").content.decode()
    assert expected in client.get(post.get_absolute_url()).content.decode()
    assert local_date(None) == ""  # no date, no element (not today's)


def test_list_is_newest_first_with_a_stable_tie_break(client, db, settings):
    settings.COMMUNITY_PAGE_SIZE = 2
    from django.utils import timezone

    same_time = timezone.now().replace(microsecond=0)
    posts = [make_post(published_at=same_time) for _ in range(5)]
    seen = []
    url = "/community/"
    while url:
        response = client.get(url)
        page = response.context["page"]
        seen += [p.pk for p in page.items]
        url = f"/community/?before={page.older}" if page.older else None
    assert seen == sorted((p.pk for p in posts), reverse=True)

    # and back again from the oldest page
    last = client.get(f"/community/?before={seen[-2]}_0")
    assert last.status_code == 400  # a malformed cursor: two fields, the first a timestamp


def test_newer_link_returns_to_the_previous_page(client, db, settings):
    settings.COMMUNITY_PAGE_SIZE = 2
    posts = [make_post() for _ in range(5)]  # newest first: posts[0]
    first = client.get("/community/").context["page"]
    second = client.get(f"/community/?before={first.older}").context["page"]
    back = client.get(f"/community/?after={second.newer}").context["page"]
    assert [p.pk for p in back.items] == [p.pk for p in first.items] == [posts[0].pk, posts[1].pk]
    assert back.newer is None


def test_a_page_of_newer_posts_is_always_full(client, db, settings, django_assert_num_queries):
    settings.COMMUNITY_PAGE_SIZE = 3
    posts = [make_post() for _ in range(7)]  # newest first: posts[0]
    # Only two posts are newer than the third: the newest page, not two posts.
    with django_assert_num_queries(LIST_QUERIES + 1):  # + finding where the page starts
        page = client.get(f"/community/?after={Cursor.of(posts[2])}").context["page"]
    assert [p.pk for p in page.items] == [p.pk for p in posts[:3]]
    assert page.newer is None and page.older == Cursor.of(posts[2])
    # A post unpublished meanwhile does not shorten the way back either.
    second = client.get(f"/community/?before={Cursor.of(posts[2])}").context["page"]
    posts[1].status = Post.Status.DRAFT
    posts[1].save()
    back = client.get(f"/community/?after={second.newer}").context["page"]
    assert [p.pk for p in back.items] == [posts[0].pk, posts[2].pk, posts[3].pk]
    assert back.newer is None
    # Deeper down, the page just above the cursor.
    page = client.get(f"/community/?after={Cursor.of(posts[6])}").context["page"]
    assert [p.pk for p in page.items] == [p.pk for p in posts[3:6]]
    assert page.newer == Cursor.of(posts[3])


@pytest.mark.parametrize(
    "query", ["before=abc", "before=1_2_3", "after=-5_1", "before=" + "9" * 60]
)
def test_a_malformed_cursor_is_a_400_with_a_reason(client, db, query):
    response = client.get(f"/community/?{query}")
    assert response.status_code == 400
    assert "페이지 위치(cursor) 값이 올바르지 않습니다" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["page=abc", "page=-1", "page=99999999", "before=99999999999999999_1"]
)
def test_odd_page_parameters_give_a_sensible_page(client, seeded, query):
    # page= is not the list's: its address without it.
    response = client.get(f"/community/?{query}", follow=True)
    assert response.status_code in (200, 400)


def test_post_page_shows_the_corrected_answer_first_and_the_wrong_one_marked(client, seeded):
    post = Post.objects.get(slug="llama-3-70b-quantization")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "채택된 답변" in html and "정정 답변" in html
    assert "https://gemini.google.com/app/6bbcb4fb898ae6eb?hl=ko" in html
    # The wrong answer's text follows the correction, collapsed, marked and explained.
    wrong_section = html.index("오답으로 판정된 답변 1개")
    assert html.index("이전에 올라온 답변이 틀린 것으로 확인되어") < wrong_section
    assert wrong_section < html.index('<details class="answer answer--incorrect"')
    assert wrong_section < html.index("GPTQ 대비 약 1.5배 빠른")
    assert wrong_section < html.index("여기까지 내용은 명백히 오답입니다")
    assert '오답 판정 <time datetime="2026-11-20T16:45:00+09:00">2026. 11. 20.</time>' in html
    assert f'href="{post.get_history_url()}"' in html
    assert "이전에 올라온 답변이 틀린 것으로 확인되어" in html
    assert (
        'class="badge badge--corrected" title="틀린 답변이 출처 있는 답변으로 정정되었습니다">정정됨</span>'
        in html
    )
    uncorrected = Post.objects.get(slug="which-gguf-file")
    assert "badge--corrected" not in client.get(uncorrected.get_absolute_url()).content.decode()
    # reference tables from records
    assert "기법별 비교 요약" in html and "NVIDIA GPU (Hardcore)" in html
    assert "Q4_K_M 약 43GB" in html and "IQ2_XXS" in html


def test_the_partial_for_each_post_holds_only_that_post(client, seeded):
    posts = list(Post.objects.published().for_detail())
    own_text = {}
    for post in posts:
        # Reference records (tiers, formats, scenarios) are shared, not another post's text.
        html = [post.body_html, *(a.body_html for a in post.answers_on_record)]
        html += [t.rationale_html for t in post.hardware_tiers.all()]
        for fmt in post.formats.all():
            html += [fmt.tip_html, fmt.features_html]
        for scenario in post.scenarios.all():
            html += [scenario.caveat_html, scenario.run_method_why_html, scenario.os_note_html]
        own_text[post.pk] = {post.title, *(s for h in html for s in _sentences(h))}

    for post in posts:
        html = client.get(post.get_modal_url()).content.decode()
        assert html.lstrip().startswith(f'<article class="post" data-post-id="{post.pk}"')
        # Links to related posts name other posts by title; they are not its content.
        html = re.sub(r'<aside class="related".*?</aside>', "", html, flags=re.S)
        assert escape(post.title) in html
        text = _text_of(html)
        for other in posts:
            if other.pk == post.pk:
                continue
            for sentence in own_text[other.pk] - own_text[post.pk]:
                assert sentence not in text, (post.slug, other.slug, sentence)


def test_the_partial_is_the_same_markup_as_the_page_article(client, seeded):
    post = Post.objects.get(slug="llm-model-formats")
    page = client.get(post.get_absolute_url()).content.decode()
    partial = client.get(post.get_modal_url()).content.decode().strip()
    assert partial in page


def test_the_guide_shows_every_chart_row_and_scenario(client, seeded):
    html = client.get("/guide/").content.decode()
    for fmt in FormatProfile.objects.all():
        assert f'id="format-{fmt.slug}"' in html
        assert fmt.extension in html
    for scenario in Scenario.objects.all():
        assert f'id="scenario-{scenario.code.lower()}"' in html
        for value in (
            scenario.situation,
            scenario.core_goal,
            scenario.os_html,
            scenario.run_method,
            scenario.summary_label,
            scenario.summary_run_method_html,
        ):
            assert value in html, value
    for section in ("format-chart", "format-comparison", "hardware", "scenarios", "summary-matrix"):
        assert f'id="{section}"' in html


def test_a_record_changed_once_changes_the_guide_and_the_post(client, seeded):
    gguf = FormatProfile.objects.get(name="GGUF")
    gguf.tip = "새로 고친 팁: `Q6_K`도 괜찮습니다."
    gguf.save()
    scenario = Scenario.objects.get(code="A")
    scenario.summary_os = "Linux (필수)"
    scenario.save()
    assert "새로 고친 팁" in client.get("/guide/").content.decode()
    assert "Linux (필수)" in client.get("/guide/").content.decode()
    info = Post.objects.get(slug="llm-model-formats")
    assert "새로 고친 팁" in client.get(info.get_absolute_url()).content.decode()


def test_unknown_and_unpublished_posts_are_404_on_page_and_partial(client, db):
    draft = make_post(status=Post.Status.DRAFT, published_at=None)
    for url in (
        draft.get_absolute_url(),
        draft.get_modal_url(),
        "/community/no-such-post/",
        "/community/no-such-post/modal/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "페이지를 찾을 수 없습니다" in response.content.decode()
    assert draft.title not in client.get("/community/").content.decode()
    assert draft.title not in client.get("/").content.decode()


def test_the_menu_marks_the_section_of_every_page(client, db):
    post = make_post()
    tag = make_tag()
    community = 'href="/community/" aria-current="{}"'
    assert community.format("page") in client.get("/community/").content.decode()
    for url in (post.get_absolute_url(), tag.get_absolute_url()):
        assert community.format("true") in client.get(url).content.decode()
    guide = 'href="/guide/" aria-current="{}"'
    assert guide.format("page") in client.get("/guide/").content.decode()
    assert guide.format("true") in client.get("/guide/advisor/").content.decode()


def test_head_is_answered_like_get_without_a_body(client, db):
    post = make_post()
    for url in ("/", "/community/", post.get_absolute_url(), post.get_modal_url(), "/guide/"):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b""


def test_a_wrong_method_is_a_405(client, db):
    post = make_post()
    for url in ("/", "/community/", post.get_absolute_url(), post.get_modal_url(), "/guide/"):
        assert client.post(url).status_code == 405


def test_home_links_to_the_list_and_the_guide(client, seeded):
    html = client.get("/").content.decode()
    assert f'href="{reverse("community:post_list")}"' in html
    assert f'href="{reverse("guide:guide")}"' in html
    assert html.count('class="post-item"') == 5


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def _text_of(html):
    collector = _TextCollector()
    collector.feed(html)
    return " ".join(" ".join(collector.parts).split())


def _sentences(html):
    """Distinctive sentences of some HTML (long enough not to be shared words)."""
    text = _text_of(html)
    return {s.strip() for s in re.split(r"(?<=[.?!])\s+", text) if len(s.strip()) >= 25}


def test_a_post_without_a_security_token_is_a_403_in_the_sites_style(db):
    from django.test import Client

    browser_like = Client(enforce_csrf_checks=True)
    for url in ("/community/", "/admin/login/"):
        response = browser_like.post(url, {"q": "x"})
        html = response.content.decode()
        assert response.status_code == 403
        assert '<html lang="ko"' in html and "보안 토큰(CSRF)이 없거나 맞지 않아" in html


def test_no_emoji_in_the_sites_own_markup(client, seeded):
    # A pictograph needs an emoji font, which many systems lack (a blank box
    # instead); the site's own headings and labels use words.
    emoji = re.compile("[\U0001f000-\U0001faff]")
    templates = Path(__file__).resolve().parent.parent / "templates"
    for template in templates.rglob("*.html"):
        assert not emoji.search(template.read_text()), template
    assert not emoji.search(client.get("/guide/").content.decode())


def test_the_hardware_heading_names_the_model_from_the_records(client, seeded):
    post = Post.objects.get(slug="70b-on-24gb-vram")
    heading = "Llama-3 70B 기준 하드웨어별 'Sweet Spot' 권장"
    for url in ("/guide/", post.get_absolute_url()):
        assert heading in client.get(url).content.decode()
    preset = HardwareTier.objects.first().sized_for
    preset.name = "Llama-3 70B Instruct"
    preset.save()
    for url in ("/guide/", post.get_absolute_url()):
        assert "Llama-3 70B Instruct 기준 하드웨어별" in client.get(url).content.decode()
    for tier in HardwareTier.objects.all():
        tier.sized_for = None
        tier.save()
    assert "<h2 id=\"hardware-title\">하드웨어별 'Sweet Spot' 권장</h2>" in (
        client.get("/guide/").content.decode()
    )
