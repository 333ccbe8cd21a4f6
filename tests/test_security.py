import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from community.models import Answer, Post
from community.sitemaps import PostSitemap
from tests.factories import make_answer, make_post
from tests.html_safety import region, script_problems
from tests.xss_corpus import PAYLOADS

# ----- every path that shows editor Markdown ---------------------------------------------


def test_the_corpus_is_large_and_varied():
    categories = {category for category, _ in PAYLOADS}
    assert len(PAYLOADS) >= 100
    assert {
        "script",
        "event-handler",
        "javascript-url",
        "data-url",
        "vbscript-url",
        "svg",
        "mathml",
        "markdown-trick",
        "comment-cdata",
    } <= categories


@pytest.mark.parametrize(
    ("category", "payload"), PAYLOADS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(PAYLOADS)]
)
def test_the_sanitizer_makes_each_payload_inert(category, payload):
    assert script_problems(render_markdown(payload)) == []


def test_payloads_saved_as_posts_and_answers_are_inert_on_every_page(client, admin_client, db):
    posts = []
    for i, (_category, payload) in enumerate(PAYLOADS):
        post = make_post(slug=f"xss-{i}", title=f"XSS 시험 {i}", body=f"질문입니다.\n\n{payload}")
        make_answer(post, body=f"답변입니다.\n\n{payload}", is_accepted=True)
        posts.append(post)

    for post in posts:
        page = client.get(post.get_absolute_url()).content.decode()
        article = region(page, '<article class="post"', "</main>")
        assert script_problems(article) == [], post.slug
        partial = client.get(post.get_modal_url()).content.decode()
        assert script_problems(partial) == [], post.slug

    listing = client.get("/community/").content.decode()
    assert script_problems(region(listing, '<div class="post-list"', "<dialog")) == []

    for _category, payload in PAYLOADS:
        preview = admin_client.post("/markdownx/markdownify/", {"content": payload})
        assert preview.status_code == 200
        assert script_problems(preview.content.decode()) == [], payload


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_sanitized_html_only_ever_holds_allow_listed_markup(text):
    from html.parser import HTMLParser

    html = render_markdown(text)
    assert script_problems(html) == []

    class AllowList(HTMLParser):
        def handle_starttag(self, tag, attrs):
            assert tag in ALLOWED_TAGS, tag
            for name, _value in attrs:
                assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)

    AllowList().feed(html)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [p for _, p in PAYLOADS] + ["**굵게**", "| a |\n| - |\n| b |", "<", "&", "`x`", "\n\n"]
        ),
        max_size=6,
    )
)
def test_mixtures_of_payloads_stay_inert(parts):
    assert script_problems(render_markdown("\n".join(parts))) == []


# ----- the editor's endpoints are staff only -------------------------------------------


def test_anonymous_preview_and_upload_are_refused_and_store_nothing(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    before = (Post.objects.count(), Answer.objects.count())
    preview = client.post("/markdownx/markdownify/", {"content": "**x**"})
    image = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    upload = client.post("/markdownx/upload/", {"image": image})
    assert preview.status_code == 403 and upload.status_code == 403
    assert "<strong>" not in preview.content.decode()
    assert list(tmp_path.iterdir()) == []
    assert (Post.objects.count(), Answer.objects.count()) == before


def test_a_logged_in_non_staff_user_is_refused_too(client, db):
    user = get_user_model().objects.create_user("reader", password="x-long-password-1")
    client.force_login(user)
    assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 403


def test_preview_needs_content_and_post(admin_client):
    assert admin_client.post("/markdownx/markdownify/", {}).status_code == 400
    assert admin_client.get("/markdownx/markdownify/").status_code == 405


# ----- headers --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/community/", "PARTIAL", "/guide/", "/admin/login/"])
def test_every_page_carries_the_csp_and_security_headers(client, db, path):
    if path == "PARTIAL":
        path = make_post().get_modal_url()
    response = client.get(path)
    assert response.status_code == 200
    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_page_has_an_inline_script(client, seeded):
    for path in ("/", "/community/", "/guide/", Post.objects.first().get_absolute_url()):
        html = client.get(path).content.decode()
        assert "<script>" not in html
        # Structured data is a data block, which browsers never run (no CSP exception).
        data_blocks = html.count('<script type="application/ld+json">')
        modules = html.count('<script type="module" src="/static/')
        assert html.count("<script") == modules + data_blocks


# ----- the admin login locks out ----------------------------------------------------------


def test_admin_login_locks_out_after_repeated_failures(client, db, settings):
    from axes.models import AccessAttempt

    get_user_model().objects.create_superuser("boss", "boss@example.kr", "the-right-password-9")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "boss", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    last_try = client.post("/admin/login/", {"username": "boss", "password": "wrong"})
    assert last_try.status_code == 429
    locked = client.post("/admin/login/", {"username": "boss", "password": "the-right-password-9"})
    assert locked.status_code == 429
    assert "잠겼습니다" in locked.content.decode()
    assert "1시간 뒤에 다시 시도" in locked.content.decode()  # not "1:00:00"
    assert AccessAttempt.objects.filter(username="boss").exists()

    from django.core.management import call_command

    call_command("axes_reset_username", "boss", verbosity=0)
    unlocked = client.post(
        "/admin/login/", {"username": "boss", "password": "the-right-password-9"}
    )
    assert unlocked.status_code == 302


def test_behind_a_proxy_the_lockout_is_per_client_address(client, db, settings):
    # AXES_IP_HEADERS=HTTP_X_FORWARDED_FOR: every request comes from the proxy's address.
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    get_user_model().objects.create_superuser("boss", "boss@example.kr", "the-right-password-9")

    def login(password, client_address):
        return client.post(
            "/admin/login/",
            {"username": "boss", "password": password},
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("wrong", "203.0.113.7")
    assert login("the-right-password-9", "203.0.113.7").status_code == 429
    # The editor at another address can still sign in.
    assert login("the-right-password-9", "198.51.100.20").status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, db, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    get_user_model().objects.create_superuser("boss", "boss@example.kr", "the-right-password-9")
    # The client forges the left part; the proxy appends the address it saw.
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": "boss", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
        )
    locked = client.post(
        "/admin/login/",
        {"username": "boss", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7",
    )
    assert locked.status_code == 429


# ----- revision history ---------------------------------------------------------------------


def test_an_answer_reverts_to_an_earlier_revision_in_the_admin(admin_client, db):
    answer = make_answer(make_post(), body="처음 쓴 답변")
    answer.body = "잘못 고친 답변"
    answer.save()
    first = answer.history.earliest()

    page = admin_client.get(f"/admin/community/answer/{answer.pk}/history/")
    assert page.status_code == 200 and "admin" in page.content.decode()
    revert_url = f"/admin/community/answer/{answer.pk}/history/{first.history_id}/"
    form = admin_client.get(revert_url)
    assert form.status_code == 200
    data = {
        "post": answer.post_id,
        "body": "처음 쓴 답변",
        "author_name": "",
        "published_at_0": first.published_at.strftime("%Y-%m-%d"),
        "published_at_1": first.published_at.strftime("%H:%M:%S"),
        "source_label": "",
        "source_url": "",
        "status": "published",
        "editor_note": "",
        "correction": "",
        "corrects": "",
        "opened_at_version": answer.updated_at.isoformat(),
    }
    response = admin_client.post(revert_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    answer.refresh_from_db()
    assert answer.body == "처음 쓴 답변"
    assert answer.body_html == "<p>처음 쓴 답변</p>"
    assert answer.history.count() == 3
    assert answer.history.first().history_user.username == "admin"


# ----- bad input ------------------------------------------------------------------------


def test_an_overlong_query_string_is_a_400_with_a_reason(client, db):
    response = client.get("/community/", {"q": "가" * 2000})
    assert response.status_code == 400
    assert "너무 깁니다" in response.content.decode()


def test_the_400_page_never_links_to_another_site(client, db):
    response = client.get("/\\evil.example/", {"q": "가" * 2000})
    assert response.status_code == 400
    assert 'href="/"' in response.content.decode()
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/community/?q=%00",
        "/community/?tag=%00",
        "/community/a%00b/",
        "/community/tags/%00/",
        "/guide/advisor/?preset=%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_400_with_a_reason(client, db, url):
    # PostgreSQL cannot hold NUL in text: it must never reach a query.
    response = client.get(url)
    assert response.status_code == 400
    assert "쓸 수 없는 문자(NUL)" in response.content.decode()


def test_a_nul_character_never_reaches_an_admin_search(admin_client):
    assert admin_client.get("/admin/community/post/", {"q": "a\x00"}).status_code == 400


def test_a_malformed_fixture_writes_nothing(db, tmp_path):
    from django.core.management import call_command

    broken = tmp_path / "broken.json"
    broken.write_text(
        '[{"model": "community.tag", "fields": {"name": "새 태그", "slug": "new-tag"}},'
        ' {"model": "community.answer", "fields": {"uid": "1b9f6c1e-0000-4000-8000-000000000001",'
        ' "post": ["no-such-post"], "body": "x", "status": "published"}}]',
        encoding="utf-8",
    )
    from community.models import Tag

    with pytest.raises(Exception, match="Problem installing fixture"):
        call_command("loaddata", str(broken), verbosity=0)
    assert not Tag.objects.filter(slug="new-tag").exists()

    not_json = tmp_path / "not_json.json"
    not_json.write_text('[{"model": "community.tag", "fields": {"name": "x"', encoding="utf-8")
    with pytest.raises(Exception, match="Problem installing fixture"):
        call_command("loaddata", str(not_json), verbosity=0)


def test_robots_and_sitemap_list_only_published_posts(client, db):
    public = make_post()
    draft = make_post(status=Post.Status.DRAFT, published_at=None)
    robots = client.get("/robots.txt")
    assert (
        robots.status_code == 200
        and "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    )
    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-posts.xml" in index
    posts = client.get("/sitemap-posts.xml").content.decode()
    assert public.get_absolute_url() in posts
    assert draft.get_absolute_url() not in posts
    assert "/guide/" in client.get("/sitemap-pages.xml").content.decode()


def test_the_sitemap_lists_every_published_post_once_on_pages_by_id(
    client, db, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(PostSitemap, "limit", 2)
    posts = [make_post() for _ in range(5)]
    posts[2].status, posts[2].published_at = Post.Status.DRAFT, None
    posts[2].save()
    index = client.get("/sitemap.xml").content.decode()
    pages = re.findall(r"<loc>http://testserver(/sitemap-posts\.xml[^<]*)</loc>", index)
    # Pages by ranges of ids: as many as the highest id needs, whatever the count.
    last_id = max(p.pk for p in posts)
    assert len(pages) == -(-last_id // 2)
    listed = []
    for page in pages:
        # The content version (the page cache's key), the last id, one range of posts
        with django_assert_max_num_queries(3):
            response = client.get(page.replace("&amp;", "&"))
        assert response.status_code == 200
        listed += re.findall(
            r"<loc>http://testserver(/community/[^<]*)</loc>", response.content.decode()
        )
    assert sorted(listed) == sorted(p.get_absolute_url() for p in posts if p != posts[2])
    assert client.get(f"/sitemap-posts.xml?p={len(pages) + 1}").status_code == 404
    assert client.get("/sitemap-posts.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.head("/sitemap.xml").status_code == 200
