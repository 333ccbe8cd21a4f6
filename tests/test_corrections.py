"""Corrections readers can check, and editor tools that cannot undo them by accident."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from community import services
from community.models import Answer, Post
from tests.admin_pages import opened_form
from tests.factories import make_answer, make_correction, make_post
from tests.test_public_pages import BOUNDED_WALK


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def errors(response):
    return re.findall(r'class="errorlist[^>]*>.*?</ul>', response.content.decode(), re.S)


def corrected_post():
    """A question whose accepted answer was judged wrong and replaced, through the admin's
    service, as the seed question's was."""
    post = make_post(title="Llama-3 70B 양자화")
    wrong = make_answer(post, is_accepted=True, body="AWQ 4-bit를 추천드립니다. 1.5배 빠른 토큰")
    correction = make_correction(
        post, body="하드웨어에 따라 다릅니다", source_url="https://x.test/"
    )
    services.mark_answer_incorrect(answer=wrong, note="명백히 오답입니다", correction=correction)
    return post, wrong, correction


# --- Readers -----------------------------------------------------------------


def test_the_wrong_answer_follows_the_correction_collapsed_with_its_note(client, db):
    post, wrong, correction = corrected_post()
    for url in (post.get_absolute_url(), post.get_modal_url()):
        html = client.get(url).content.decode()
        correction_at = html.index(f'id="answer-{correction.uid}"')
        details_at = html.index(
            f'<details class="answer answer--incorrect" id="answer-{wrong.uid}">'
        )
        assert correction_at < details_at < html.index("1.5배 빠른 토큰")
        assert details_at < html.index("명백히 오답입니다")
        # Each side links to the other.
        assert f'href="#answer-{wrong.uid}">정정한 오답 보기' in html
        assert f'href="#answer-{correction.uid}">이 답변을 정정한 답변 보기' in html
        assert "답변 1개" in html and "오답으로 판정된 답변 1개" in html
        assert f'href="{post.get_history_url()}"' in html


def test_drafts_and_superseded_answers_never_show(client, db):
    post = make_post()
    make_answer(post, body="초안 답변", status=Answer.Status.DRAFT)
    make_answer(post, body="대체된 답변", status=Answer.Status.SUPERSEDED)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "초안 답변" not in html and "대체된 답변" not in html
    assert "아직 답변이 없습니다" in html


def test_search_never_finds_a_wrong_answer(client, db):
    post, _wrong, _correction = corrected_post()
    found = client.get("/community/", {"q": "1.5배 빠른 토큰"}).content.decode()
    assert post.title not in found
    assert post.title in client.get("/community/", {"q": "하드웨어에 따라"}).content.decode()


def test_the_post_page_costs_the_same_queries_with_wrong_answers(
    client, db, settings, django_assert_num_queries
):
    settings.FRAGMENT_CACHE_SECONDS = 0  # each request renders its article
    plain = make_post()
    make_answer(plain, is_accepted=True)
    corrected, _wrong, _correction = corrected_post()
    # The seed's richer posts take 11 (tests/test_public_pages.py): these have
    # no formats, so the formats' software is not looked up. PostgreSQL bounds
    # the related posts' walk in time (BOUNDED_WALK).
    for url in (plain, corrected, corrected.get_modal_url()):
        with django_assert_num_queries(9 + BOUNDED_WALK):
            client.get(url if isinstance(url, str) else url.get_absolute_url())


# --- The public history ------------------------------------------------------------


def test_the_history_lists_dated_public_revisions_with_a_word_diff(client, db):
    post, _wrong, correction = corrected_post()
    correction.body = "하드웨어와 용도에 따라 다릅니다"
    services.save_answer(answer=correction)
    draft = make_answer(post, body="아직 초안인 답변", status=Answer.Status.DRAFT)

    html = client.get(post.get_history_url()).content.decode()
    assert "수정 이력" in html and post.title in html
    assert "오답으로 판정" in html and "채택" in html and "오답을 정정하는 답변으로 연결" in html
    # The change, word by word: "하드웨어에" became "하드웨어와 용도에".
    assert re.search(r"<del><span[^>]*>\[삭제: </span>하드웨어에<", html)
    assert re.search(r"<ins><span[^>]*>\[추가: </span>하드웨어와 용도에<", html)
    assert html.count("<time datetime=") >= 5
    # Drafts and who edited stay in the admin.
    assert draft.body not in html and "editor" not in html


def test_a_draft_revision_is_not_public_history(client, db):
    post = make_post()
    answer = make_answer(post, body="처음 초안", status=Answer.Status.DRAFT)
    answer.body = "게시한 답변"
    answer.status = Answer.Status.PUBLISHED
    services.save_answer(answer=answer)
    html = client.get(post.get_history_url()).content.decode()
    assert "처음 초안" not in html
    assert html.count("답변 “게시한 답변”") == 1  # published once, never edited since


def test_the_history_page_has_a_fixed_query_budget(client, db, django_assert_num_queries):
    post, _wrong, correction = corrected_post()
    client.get("/")
    # The version, the post, its answers, and the two histories.
    with django_assert_num_queries(5):
        client.get(post.get_history_url())
    for n in range(5):
        correction.body = f"고친 답변 {n}"
        services.save_answer(answer=correction)
        make_answer(post)
    with django_assert_num_queries(5):
        client.get(post.get_history_url())


def test_an_unpublished_post_has_no_public_history(client, db):
    post = make_post(status=Post.Status.DRAFT)
    assert client.get(post.get_history_url()).status_code == 404


# --- Reverts restore content, not workflow -------------------------------------------


def corrected_through_the_admin(editor_client):
    post = make_post()
    wrong = make_answer(post, is_accepted=True, body="틀린 답변")
    correction = make_correction(post, body="출처 있는 정정 답변")
    url = f"/admin/community/answer/{wrong.pk}/change/"
    form = opened_form(editor_client, url)
    form.update(status="incorrect", editor_note="명백한 오답", correction=str(correction.pk))
    response = editor_client.post(url, form)
    assert response.status_code == 302, errors(response)
    correction.refresh_from_db()
    assert correction.is_accepted and correction.history.count() >= 2
    return post, correction


def revert_url(answer):
    first = answer.history.earliest()
    return f"/admin/community/answer/{answer.pk}/history/{first.history_id}/"


def test_reverting_a_correction_to_its_first_draft_keeps_it_published_and_accepted(
    editor_client, client
):
    post, correction = corrected_through_the_admin(editor_client)
    correction.body = "나중에 고친 정정 답변"
    services.save_answer(answer=correction)

    url = revert_url(correction)
    form = opened_form(editor_client, url)
    assert form["status"] == "published"  # the workflow as it is now, not the draft's
    response = editor_client.post(url, form)
    assert response.status_code == 302, errors(response)

    correction.refresh_from_db()
    assert correction.body == "출처 있는 정정 답변"  # the content came back
    assert correction.status == "published" and correction.is_accepted
    assert correction.corrects is not None
    html = client.get(post.get_absolute_url()).content.decode()
    assert "채택된 답변" in html and "출처 있는 정정 답변" in html
    assert "아직 답변이 없습니다" not in html


def test_a_revert_that_would_unpublish_asks_first_and_can_be_cancelled(editor_client, client):
    post, correction = corrected_through_the_admin(editor_client)
    url = revert_url(correction)
    form = {**opened_form(editor_client, url), "status": "draft"}

    asked = editor_client.post(url, form)
    assert asked.status_code == 200
    page = unescape(asked.content.decode())
    assert "저장하면 채택된 이 답변이 독자에게서 사라집니다" in page
    assert "'아직 답변이 없습니다'가 보입니다" in page
    assert 'type="checkbox" name="confirm_reader_impact"' in page
    # Cancelling is not saving: nothing changed.
    correction.refresh_from_db()
    assert correction.status == "published" and correction.is_accepted

    confirmed = editor_client.post(url, {**form, "confirm_reader_impact": "on"})
    assert confirmed.status_code == 302, errors(confirmed)
    correction.refresh_from_db()
    assert correction.status == "draft" and not correction.is_accepted
    assert "아직 답변이 없습니다" in client.get(post.get_absolute_url()).content.decode()


def test_unpublishing_a_post_asks_first(editor_client):
    post = make_post()
    url = f"/admin/community/post/{post.pk}/change/"
    form = {**opened_form(editor_client, url), "status": "draft"}
    asked = editor_client.post(url, form)
    assert asked.status_code == 200
    assert "저장하면 이 글이 목록과 검색에서 빠지고" in asked.content.decode()
    post.refresh_from_db()
    assert post.status == "published"
    assert editor_client.post(url, {**form, "confirm_reader_impact": "on"}).status_code == 302
    post.refresh_from_db()
    assert post.status == "draft"


# --- The post page's answer inline -----------------------------------------------------


def test_an_answer_added_under_a_post_is_published_by_default_and_says_so(editor_client, client):
    post = make_post()
    url = f"/admin/community/post/{post.pk}/change/"
    page = editor_client.get(url).content.decode()
    empty_form = page[page.index('id="answers-empty"') :]
    assert re.search(r'<option value="published" selected>', empty_form)
    assert "게시됨: 저장하는 즉시 독자에게 보입니다" in page

    form = opened_form(editor_client, url)
    form.update(
        {
            "answers-TOTAL_FORMS": "1",
            "answers-0-body": "인라인으로 쓴 답변",
            "answers-0-status": "published",
            "answers-0-published_at_0": timezone.localdate().isoformat(),
            "answers-0-published_at_1": "09:00:00",
        }
    )
    response = editor_client.post(url, form)
    assert response.status_code == 302, errors(response)
    assert "인라인으로 쓴 답변" in client.get(post.get_absolute_url()).content.decode()


def test_the_inline_marks_an_answer_incorrect_through_the_service(editor_client):
    post = make_post()
    answer = make_answer(post, is_accepted=True, body="틀린 답변")
    url = f"/admin/community/post/{post.pk}/change/"
    form = opened_form(editor_client, url)
    form.update({"answers-0-status": "incorrect", "answers-0-editor_note": "틀렸습니다"})
    response = editor_client.post(url, form)
    assert response.status_code == 302, errors(response)
    answer.refresh_from_db()
    assert answer.status == "incorrect" and not answer.is_accepted
    assert answer.marked_incorrect_at is not None


# --- Editors' other guards -----------------------------------------------------------------


def test_a_form_without_its_version_field_is_refused(editor_client):
    answer = make_answer(make_post(), body="처음 답변")
    url = f"/admin/community/answer/{answer.pk}/change/"
    for version in ("", None):
        form = opened_form(editor_client, url)
        if version is None:
            del form["opened_at_version"]
        else:
            form["opened_at_version"] = version
        response = editor_client.post(url, {**form, "body": "덮어쓰기"})
        assert response.status_code == 200
        assert "다른 편집자가 이 항목을 저장했습니다" in response.content.decode()
    answer.refresh_from_db()
    assert answer.body == "처음 답변"


def test_answers_of_one_post_have_names_an_editor_can_tell_apart(db):
    post = make_post()
    first = make_answer(post, body="AWQ 4-bit를 추천드립니다. vLLM과 함께 쓰세요.")
    second = make_answer(
        post,
        body="하드웨어에 따라 다릅니다.",
        published_at=timezone.now() - timedelta(days=3),
    )
    assert str(first) != str(second)
    assert "AWQ 4-bit를 추천드립니다." in str(first) and "하드웨어에 따라" in str(second)
    assert timezone.localtime(second.published_at).strftime("%Y-%m-%d") in str(second)


def test_a_save_that_changed_nothing_logs_no_change(editor_client):
    post = make_post()
    answer = make_answer(post)
    for url, row in (
        (f"/admin/community/answer/{answer.pk}/change/", answer),
        (f"/admin/community/post/{post.pk}/change/", post),
    ):
        revisions, logged = row.history.count(), LogEntry.objects.count()
        assert editor_client.post(url, opened_form(editor_client, url)).status_code == 302
        assert row.history.count() == revisions
        assert LogEntry.objects.count() == logged


def test_editing_an_answer_does_not_log_its_date_as_changed(editor_client):
    answer = make_answer(make_post())
    assert answer.published_at.microsecond  # timezone.now() has them; the form does not
    url = f"/admin/community/answer/{answer.pk}/change/"
    response = editor_client.post(url, {**opened_form(editor_client, url), "body": "고친 답변"})
    assert response.status_code == 302, errors(response)
    latest, previous = answer.history.all()[:2]
    changed = {change.field for change in latest.diff_against(previous).changes}
    assert "published_at" not in changed and "body" in changed


# --- Editors preview drafts and scheduled posts --------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Post.Status.DRAFT, "published_at": None},
        {"published_at": timezone.now() + timedelta(days=2)},
    ],
    ids=["draft", "scheduled"],
)
def test_an_editor_previews_an_unpublished_post_that_readers_cannot_find(client, editor, fields):
    post = make_post(title="아직 안 보이는 글", slug="preview-me", **fields)
    assert client.get(post.get_absolute_url()).status_code == 404

    client.force_login(editor)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "미리보기" in page and "아직 안 보이는 글" in page
    assert 'name="robots" content="noindex"' in page
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # Nowhere a reader looks.
    for url in (
        "/",
        "/community/",
        "/community/?q=아직 안 보이는",
        "/sitemap-posts.xml",
        "/community/feed/",
        "/community/feed/question/",
    ):
        assert "preview-me" not in client.get(url).content.decode(), url

    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 404  # nothing was cached
    assert client.get(post.get_modal_url()).status_code == 404


def test_a_member_who_is_not_staff_gets_the_404(client, django_user_model, db):
    post = make_post(status=Post.Status.DRAFT, published_at=None)
    client.force_login(django_user_model.objects.create_user("reader", password="x-y-z-w"))
    assert client.get(post.get_absolute_url()).status_code == 404
