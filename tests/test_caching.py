"""Public pages are cached, and any editor's save shows on the very next request."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.utils import timezone

from community import facets, services
from community.models import FacetCounts, Post
from guide.models import FormatProfile
from pagecache.models import ContentVersion
from tests.factories import make_answer, make_correction, make_post, make_tag
from tests.test_public_pages import FACET_QUERIES

# The real one: tests/conftest.py counts in the request in every other test.
COUNT_IN_A_THREAD = facets.in_background
PAGES = ["/", "/community/", "/guide/", "POST", "MODAL", "/sitemap.xml", "/sitemap-posts.xml"]


def url_of(page, post):
    return {"POST": post.get_absolute_url(), "MODAL": post.get_modal_url()}.get(page, page)


@pytest.mark.parametrize("page", PAGES)
def test_a_cached_page_costs_one_query(client, seeded, page, django_assert_num_queries):
    url = url_of(page, Post.objects.get(slug="llama-3-70b-quantization"))
    first = client.get(url)
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second.content == first.content


def test_caching_can_be_switched_off(client, seeded, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 0
    client.get("/community/")
    with django_assert_max_num_queries(10) as captured:
        client.get("/community/")
    # The page is rendered afresh (its posts are read again); only the facet
    # counts stay cached, keyed by the content version.
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert 'FROM "community_post"' in sql


def test_an_edited_post_shows_on_the_next_request(client, db):
    post = make_post(body="처음 본문")
    assert "처음 본문" in client.get(post.get_absolute_url()).content.decode()
    assert "처음 본문" in client.get(post.get_modal_url()).content.decode()
    post.body = "고친 본문"
    post.save()
    assert "고친 본문" in client.get(post.get_absolute_url()).content.decode()
    assert "고친 본문" in client.get(post.get_modal_url()).content.decode()


def test_a_correction_shows_on_the_next_request(client, db):
    post = make_post()
    wrong = make_answer(post, body="틀린 답변입니다", is_accepted=True)
    correction = make_correction(post, body="정정한 답변입니다")
    assert "틀린 답변입니다" in client.get(post.get_modal_url()).content.decode()
    services.mark_answer_incorrect(answer=wrong, note="오답", correction=correction)
    html = client.get(post.get_modal_url()).content.decode()
    # The wrong answer moves below the correction, into the collapsed 오답 section.
    assert (
        html.index("정정한 답변입니다")
        < html.index("answer--incorrect")
        < html.index("틀린 답변입니다")
    )
    assert "정정됨" in client.get("/community/").content.decode()


def test_a_scheduled_post_appears_when_its_time_comes(client, db, monkeypatch):
    make_post(title="이미 있던 글")
    due = timezone.now() + timedelta(minutes=5)
    scheduled = make_post(title="예약한 글", published_at=due)
    before = client.get("/community/")
    assert "예약한 글" not in before.content.decode()

    monkeypatch.setattr(timezone, "now", lambda: due + timedelta(seconds=1))
    after = client.get("/community/")
    assert "예약한 글" in after.content.decode()
    assert after["ETag"] != before["ETag"]
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    # Noticed once: the next request reads the page from the cache again.
    assert client.get("/community/")["ETag"] == after["ETag"]


def test_tags_reference_records_and_deletes_invalidate_too(client, seeded):
    post = Post.objects.get(slug="which-gguf-file")
    client.get("/community/")
    client.get("/guide/")

    post.tags.add(make_tag(name="새태그"))
    assert "#새태그" in client.get("/community/").content.decode()

    FormatProfile.objects.filter(name="ONNX").update(
        extension="*.onnx-x"
    )  # no signal: stays cached
    gguf = FormatProfile.objects.get(name="GGUF")
    gguf.role = "새 역할"
    gguf.save()
    html = client.get("/guide/").content.decode()
    assert "새 역할" in html

    post.delete()
    assert post.title not in client.get("/community/").content.decode()


def test_an_unpublished_post_disappears_from_the_cached_list(client, db):
    post = make_post(title="곧 내릴 글")
    assert "곧 내릴 글" in client.get("/community/").content.decode()
    post.status = Post.Status.ARCHIVED
    post.save()
    assert "곧 내릴 글" not in client.get("/community/").content.decode()
    assert client.get(post.get_absolute_url()).status_code == 404


def test_conditional_get_answers_304(client, db):
    post = make_post()
    first = client.get(post.get_absolute_url())
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get(post.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == 304
    post.body = "바뀜"
    post.save()
    changed = client.get(post.get_absolute_url(), headers={"If-None-Match": etag})
    assert changed.status_code == 200


def test_every_save_moves_the_version(db):
    before = ContentVersion.current()
    make_post()
    assert ContentVersion.current() > before


def test_pages_are_compressed_once_and_served_to_clients_that_accept_gzip(client, db):
    import gzip

    post = make_post(body="압축해서 보내는 본문")
    plain = client.get(post.get_absolute_url())
    packed = client.get(post.get_absolute_url(), headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] != plain["ETag"]
    assert "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) * 0.6


def test_canonical_links_are_absolute(client, db):
    post = make_post()
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{post.get_absolute_url()}">' in html


def test_stale_facet_counts_are_counted_again_by_one_request_only(
    db, monkeypatch, django_assert_num_queries
):
    counts = facets._count_facets
    waiting = []

    def counting():
        # Another request that arrives while this one counts does not wait for it.
        with django_assert_num_queries(0):
            waiting.append(facets.list_facets())
        return counts()

    monkeypatch.setattr(facets, "_count_facets", counting)
    make_post(kind="info")
    first = facets.list_facets()
    assert first["kinds"] == {"info": 1}
    assert waiting == [facets.NO_FACETS]  # no counts yet: the filters without numbers
    make_post(kind="question")
    with django_assert_num_queries(0):
        assert facets.list_facets() == first  # still fresh

    later = time.time() + facets.FACETS_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    with django_assert_num_queries(FACET_QUERIES):
        assert facets.list_facets()["kinds"] == {"info": 1, "question": 1}
    assert waiting[-1] == first  # the old counts, at once
    with django_assert_num_queries(0):
        assert facets.list_facets()["kinds"] == {"info": 1, "question": 1}


@pytest.mark.django_db(transaction=True)
def test_no_request_waits_for_the_facets_to_be_counted(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(facets, "in_background", COUNT_IN_A_THREAD)
    make_post(kind="info")
    counting, go_on = threading.Event(), threading.Event()
    counts = facets._count_facets

    def slow_count():
        counting.set()
        go_on.wait(10)
        return counts()

    monkeypatch.setattr(facets, "_count_facets", slow_count)
    with django_assert_num_queries(0):
        assert facets.list_facets() == facets.NO_FACETS  # at once: the count runs elsewhere
    assert counting.wait(10)
    assert facets.list_facets() == facets.NO_FACETS  # and only one count runs
    go_on.set()
    deadline = time.monotonic() + 10
    while facets.list_facets()["kinds"] is None:
        assert time.monotonic() < deadline, "the count in its thread never ended"
        time.sleep(0.02)
    assert facets.list_facets()["kinds"] == {"info": 1}


def test_a_process_without_counts_takes_those_another_counted(db, monkeypatch):
    make_post(kind="info").tags.add(make_tag(name="GGUF"))
    counted = facets.list_facets()
    cache.clear()  # as another process's local memory starts

    def count_again():
        raise AssertionError("counted again, though the shared counts are fresh")

    monkeypatch.setattr(facets, "_count_facets", count_again)
    shared = facets.list_facets()
    assert shared["kinds"] == counted["kinds"] == {"info": 1}
    assert shared["counted_at"] == counted["counted_at"]
    assert [(t.pk, t.slug, t.name, t.post_count) for t in shared["tags"]] == [
        (t.pk, t.slug, t.name, t.post_count) for t in counted["tags"]
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
@pytest.mark.django_db(transaction=True)
def test_processes_that_find_the_counts_stale_together_count_once(monkeypatch):
    make_post(kind="info")
    facets._shared_counts()
    FacetCounts.objects.update(recount=True)  # as a tag's change leaves them
    counts, counted, first_counting = facets._count_facets, [], threading.Event()

    def slow_count():
        counted.append(threading.current_thread().name)
        first_counting.set()
        time.sleep(0.5)  # the second process arrives meanwhile
        return counts()

    monkeypatch.setattr(facets, "_count_facets", slow_count)
    results = {}

    def process(name):
        try:
            results[name] = facets._shared_counts()
        finally:
            connection.close()

    first = threading.Thread(target=process, args=("first",), name="first")
    first.start()
    assert first_counting.wait(10)
    second = threading.Thread(target=process, args=("second",), name="second")
    second.start()
    first.join(10), second.join(10)
    assert counted == ["first"]
    assert results["second"] == results["first"]  # the first one's counts
    assert results["second"]["kinds"] == {"info": 1}


def test_the_list_before_the_first_count_is_not_kept_and_the_next_has_the_numbers(
    client, db, monkeypatch
):
    make_post(kind="info")
    waiting = []
    monkeypatch.setattr(facets, "in_background", waiting.append)
    before = client.get("/community/")
    assert 'class="count"' not in before.content.decode()  # the filters, without numbers
    assert "no-store" in before["Cache-Control"]
    assert len(waiting) == 1
    waiting.pop()()  # the count ends
    after = client.get("/community/").content.decode()
    assert '정보 <span class="count">1</span>' in after
    assert client.get("/community/").content.decode() == after  # kept from now on


def test_a_cached_page_is_served_before_url_dispatch_with_every_header(client, seeded):
    first = client.get("/guide/")
    second = client.get("/guide/")
    assert first.wsgi_request.resolver_match is not None  # rendered by the view
    assert second.wsgi_request.resolver_match is None  # served by CachedPageMiddleware
    assert second.content == first.content
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cache-Control",
        "ETag",
        "Vary",
    ):
        assert second[header] == first[header], header
    assert client.get("/guide/", HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


def test_sitemaps_are_cached_with_their_own_headers_and_list_a_new_post_at_once(client, db):
    make_post()
    first = client.get("/sitemap-posts.xml")
    second = client.get("/sitemap-posts.xml", headers={"Accept-Encoding": "gzip"})
    assert second.wsgi_request.resolver_match is None  # served by CachedPageMiddleware
    for response in (first, second):
        assert response["Content-Type"] == "application/xml"
        # Django's, for the sitemap file itself.
        assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    new = make_post()
    assert new.get_absolute_url() in client.get("/sitemap-posts.xml").content.decode()


def test_only_cached_pages_read_the_content_version(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):  # its own SELECT 1
        assert client.get("/healthz").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/no-such-page/").status_code == 404


def test_counting_facets_out_of_time_keeps_the_old_counts_or_shows_none(
    client, db, monkeypatch, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    make_post(kind="info")
    counts, tries = facets._count_facets, []

    def out_of_time():
        tries.append(time.time())
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(facets, "_count_facets", out_of_time)
    assert facets.list_facets() == facets.NO_FACETS
    html = client.get("/community/").content.decode()
    assert "정보" in html and 'class="count"' not in html  # the filters, without numbers
    assert len(tries) == 1  # nobody tries again for a while

    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + facets.FACETS_SECONDS + 1)
    monkeypatch.setattr(facets, "_count_facets", counts)
    counted = facets.list_facets()
    assert counted["kinds"] == {"info": 1}
    # With counts from before, a count out of time keeps those.
    monkeypatch.setattr(time, "time", lambda: now + 2 * (facets.FACETS_SECONDS + 1))
    monkeypatch.setattr(facets, "_count_facets", out_of_time)
    assert facets.list_facets() == counted
    assert len(tries) == 2


def test_a_renamed_tag_shows_its_new_name_in_the_filters_on_the_next_request(
    client, db, django_capture_on_commit_callbacks
):
    tag = make_tag(name="Llama-3")
    make_post().tags.add(tag)
    assert "#Llama-3 <span" in client.get("/community/").content.decode()
    tag.name = "라마-3"
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        tag.save()
        # Counted before the commit, the old name would be kept fresh.
        assert "#Llama-3 <span" in client.get("/community/?kind=info").content.decode()
    assert after_commit
    html = client.get("/community/").content.decode()
    assert "#라마-3 <span" in html and "#Llama-3" not in html


def test_a_query_parameter_no_view_reads_is_redirected_away_uncached(
    client, db, django_assert_num_queries
):
    make_post(kind="info")
    with django_assert_num_queries(0):  # no version read, no page rendered or stored
        response = client.get("/community/?utm_source=news&kind=info&fbclid=1")
    assert response.status_code == 301
    assert response["Location"] == "/community/?kind=info"
    assert client.get("/guide/?x=1")["Location"] == "/guide/"
    # The parameters a view reads are kept: the advisor's form fields, a sitemap's page.
    advisor = "/guide/advisor/?platform=nvidia_gpu&memory_gb=24&devices=1&context=4096"
    assert client.get(advisor).status_code == 200
    assert client.get("/sitemap-posts.xml?p=1").status_code == 200


def test_a_saved_guide_record_shows_on_the_next_request(client, seeded):
    # The guide app registers its own models with the page cache (guide.apps).
    from django.apps import apps
    from django.db.models.signals import post_save

    from guide.models import HardwareTier

    for model in apps.get_app_config("guide").get_models():
        if not model.__name__.startswith("Historical"):
            assert post_save.has_listeners(model), model

    client.get("/guide/")
    tier = HardwareTier.objects.order_by("order").first()
    tier.recommendation = "새로 고친 추천"
    tier.save()
    assert "새로 고친 추천" in client.get("/guide/").content.decode()
