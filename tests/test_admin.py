"""Editors work in /admin/: an editor, not a superuser, corrects a wrong answer."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from community.models import Answer, Post
from tests.factories import make_answer, make_post


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def answer_form_data(answer, **changes):
    data = {
        "post": answer.post_id,
        "body": answer.body,
        "author_name": answer.author_name,
        "published_at_0": answer.published_at.strftime("%Y-%m-%d"),
        "published_at_1": answer.published_at.strftime("%H:%M:%S"),
        "source_label": answer.source_label,
        "source_url": answer.source_url,
        "status": answer.status,
        "editor_note": answer.editor_note,
        "correction": "",
        "corrects": answer.corrects_id or "",
    }
    return {**data, **changes}


def test_the_editors_group_has_content_permissions_only(editor):
    perms = editor.get_all_permissions()
    assert "community.change_answer" in perms
    assert "community.change_formatprofile" in perms
    assert not any(p.startswith("auth.") for p in perms)


def test_an_editor_edits_an_answer_with_live_preview(editor_client):
    answer = make_answer(make_post(), body="처음 답변")
    page = editor_client.get(f"/admin/community/answer/{answer.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "markdownx-editor" in html and 'data-markdownx-urls-path="/markdownx/markdownify/"' in html
    )

    preview = editor_client.post(
        "/markdownx/markdownify/", {"content": "**굵게** <script>x</script>"}
    )
    assert preview.status_code == 200
    assert preview.content.decode() == "<p><strong>굵게</strong> </p>"

    response = editor_client.post(
        f"/admin/community/answer/{answer.pk}/change/",
        answer_form_data(answer, body="고친 **답변**"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    answer.refresh_from_db()
    assert answer.body_html == "<p>고친 <strong>답변</strong></p>"


def test_an_editor_marks_an_answer_incorrect_and_links_its_correction(editor_client):
    post = make_post()
    wrong = make_answer(post, is_accepted=True, body="AWQ 4-bit를 추천드립니다")
    correction = make_answer(post, status=Answer.Status.DRAFT, body="하드웨어에 따라 다릅니다")

    response = editor_client.post(
        f"/admin/community/answer/{wrong.pk}/change/",
        answer_form_data(
            wrong,
            status="incorrect",
            editor_note="여기까지 내용은 명백히 오답입니다.",
            correction=correction.pk,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    wrong.refresh_from_db()
    correction.refresh_from_db()
    assert wrong.status == "incorrect" and not wrong.is_accepted
    assert wrong.body == "AWQ 4-bit를 추천드립니다"
    assert correction.is_accepted and correction.corrects_id == wrong.pk
    # The change is in the history, with the editor who made it.
    assert wrong.history.first().history_user.username == "editor"

    page = editor_client.get(post.get_absolute_url())
    assert "하드웨어에 따라 다릅니다" in page.content.decode()
    assert "AWQ 4-bit를 추천드립니다" not in page.content.decode()


def test_marking_incorrect_without_a_note_is_a_form_error(editor_client):
    wrong = make_answer(make_post(), is_accepted=True)
    response = editor_client.post(
        f"/admin/community/answer/{wrong.pk}/change/",
        answer_form_data(wrong, status="incorrect", editor_note=""),
    )
    assert response.status_code == 200
    assert "오답으로 표시하려면 편집자 메모에 이유를 적어 주세요" in response.content.decode()
    wrong.refresh_from_db()
    assert wrong.status == "published" and wrong.is_accepted


def test_an_editor_cannot_open_user_management(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    index = editor_client.get("/admin/").content.decode()
    assert "/admin/auth/user/" not in index
    assert "/admin/community/post/" in index


def test_every_admin_changelist_opens_with_search_and_filters(admin_client, seeded):
    for model in ["post", "answer", "tag", "formatprofile", "software", "hardwaretier", "scenario"]:
        response = admin_client.get(f"/admin/community/{model}/", {"q": "GGUF"})
        assert response.status_code == 200, model


def test_the_post_change_page_has_answer_inlines_and_view_on_site(admin_client, seeded):
    post = Post.objects.get(slug="llama-3-70b-quantization")
    html = admin_client.get(f"/admin/community/post/{post.pk}/change/").content.decode()
    assert "answers-TOTAL_FORMS" in html
    assert "/admin/r/" in html  # "view on site"


def test_add_editor_creates_a_staff_account_in_the_editors_group(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", StringIO("a-long-enough-passphrase\n"))
    call_command("add_editor", "minji", "minji@example.kr", "--password-stdin", stdout=StringIO())
    user = get_user_model().objects.get(username="minji")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name="Editors").exists()
    assert user.check_password("a-long-enough-passphrase")
