"""Editors work in /admin/: an editor, not a superuser, corrects a wrong answer."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from community import services
from community.models import Post
from guide.models import FormatProfile
from tests.admin_pages import opened_form
from tests.factories import make_answer, make_correction, make_post


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
        "opened_at_version": answer.updated_at.isoformat(),
    }
    return {**data, **changes}


def test_the_editors_group_has_content_permissions_only(editor):
    perms = editor.get_all_permissions()
    assert "community.change_answer" in perms
    assert "guide.change_formatprofile" in perms
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
    correction = make_correction(post, body="하드웨어에 따라 다릅니다")

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

    # Readers get the correction first; the wrong answer follows, collapsed and marked.
    html = editor_client.get(post.get_absolute_url()).content.decode()
    corrected_at = html.index("하드웨어에 따라 다릅니다")
    collapsed_at = html.index(f'<details class="answer answer--incorrect" id="answer-{wrong.uid}">')
    assert corrected_at < collapsed_at < html.index("AWQ 4-bit를 추천드립니다")
    assert wrong.marked_incorrect_at is not None


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


def _change(answer):
    return f"/admin/community/answer/{answer.pk}/change/"


def test_a_correction_without_a_source_is_not_offered_and_not_taken(editor_client):
    post = make_post()
    wrong = make_answer(post, is_accepted=True)
    unsourced = make_correction(post, source_label="")
    page = editor_client.get(_change(wrong)).content.decode()
    assert f'<option value="{unsourced.pk}"' not in page
    response = editor_client.post(
        _change(wrong),
        answer_form_data(wrong, status="incorrect", editor_note="틀림", correction=unsourced.pk),
    )
    assert response.status_code == 200
    assert 'id="id_correction_error"' in response.content.decode()
    wrong.refresh_from_db()
    unsourced.refresh_from_db()
    assert wrong.status == "published" and wrong.is_accepted
    assert unsourced.status == "draft" and unsourced.corrects_id is None


def test_moving_an_accepted_answer_to_a_post_that_has_one_is_a_form_error(editor_client):
    accepted = make_answer(make_post(), is_accepted=True)
    other = make_post()
    make_answer(other, is_accepted=True)
    response = editor_client.post(_change(accepted), answer_form_data(accepted, post=other.pk))
    assert response.status_code == 200
    assert "한 게시글에는 채택된 답변이 하나만 있을 수 있습니다" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.post_id != other.pk


def test_a_correction_cannot_be_picked_while_moving_the_answer(editor_client):
    post = make_post()
    wrong = make_answer(post)
    correction = make_correction(post)
    response = editor_client.post(
        _change(wrong),
        answer_form_data(
            wrong,
            post=make_post().pk,
            status="incorrect",
            editor_note="틀림",
            correction=correction.pk,
        ),
    )
    assert response.status_code == 200
    assert "게시글을 바꾸는 저장에서는 정정 답변을 고를 수 없습니다" in response.content.decode()
    wrong.refresh_from_db()
    assert wrong.post_id == post.pk and wrong.status == "published"


def test_publishing_a_post_without_a_date_publishes_it_now(editor_client):
    response = editor_client.post(
        "/admin/community/post/add/",
        {
            "kind": "question",
            "title": "날짜 없이 게시",
            "slug": "published-without-a-date",
            "body": "본문",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "answers-TOTAL_FORMS": "0",
            "answers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Post.objects.get(slug="published-without-a-date")
    assert post.published_at <= timezone.now()
    assert post in Post.objects.published()


def test_a_page_left_open_does_not_put_a_corrected_answer_back(editor_client):
    post = make_post(title="처음 제목")
    wrong = make_answer(post, is_accepted=True, body="틀린 답변")
    correction = make_correction(post, body="정정한 답변")
    stale = opened_form(editor_client, f"/admin/community/post/{post.pk}/change/")
    assert stale["answers-0-status"] == "published"

    # Meanwhile another editor marks the answer incorrect.
    services.mark_answer_incorrect(answer=wrong, note="명백한 오답", correction=correction)

    response = editor_client.post(
        f"/admin/community/post/{post.pk}/change/", {**stale, "title": "고친 제목"}
    )
    assert response.status_code == 200
    assert "다른 편집자가 이 항목을 저장했습니다" in response.content.decode()
    wrong.refresh_from_db()
    post.refresh_from_db()
    assert wrong.status == "incorrect" and wrong.editor_note == "명백한 오답"
    assert post.title == "처음 제목"

    # Opened afresh, the same change saves.
    fresh = opened_form(editor_client, f"/admin/community/post/{post.pk}/change/")
    response = editor_client.post(
        f"/admin/community/post/{post.pk}/change/", {**fresh, "title": "고친 제목"}
    )
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^>]*>.*?</ul>', response.content.decode(), re.S
    )
    post.refresh_from_db()
    wrong.refresh_from_db()
    assert post.title == "고친 제목" and wrong.status == "incorrect"


def test_an_answer_page_left_open_does_not_overwrite_a_later_save(editor_client):
    answer = make_answer(make_post(), body="처음 답변")
    url = f"/admin/community/answer/{answer.pk}/change/"
    stale = opened_form(editor_client, url)
    answer.body = "다른 편집자가 고친 답변"
    answer.save()
    response = editor_client.post(url, {**stale, "author_name": "늦은 편집자"})
    assert response.status_code == 200
    assert "다른 편집자가 이 항목을 저장했습니다" in response.content.decode()
    answer.refresh_from_db()
    assert answer.body == "다른 편집자가 고친 답변" and answer.author_name == ""


def test_reverting_from_a_page_left_open_does_not_undo_a_later_correction(editor_client):
    post = make_post()
    wrong = make_answer(post, is_accepted=True, body="틀린 답변")
    revision = wrong.history.earliest()
    url = f"/admin/community/answer/{wrong.pk}/history/{revision.history_id}/"
    stale = opened_form(editor_client, url)
    services.mark_answer_incorrect(
        answer=wrong, note="명백한 오답", correction=make_correction(post)
    )

    response = editor_client.post(url, stale)
    assert response.status_code == 200
    assert "다른 편집자가 이 항목을 저장했습니다" in response.content.decode()
    wrong.refresh_from_db()
    assert wrong.status == "incorrect" and wrong.editor_note == "명백한 오답"

    # From a page opened afterwards the revert restores the text and keeps the
    # judgement: the old revision was the accepted answer, but a revert does
    # not change status or acceptance.
    response = editor_client.post(url, opened_form(editor_client, url))
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert wrong.status == "incorrect" and wrong.editor_note == "명백한 오답"
    assert not wrong.is_accepted


def test_an_editor_cannot_open_user_management(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    index = editor_client.get("/admin/").content.decode()
    assert "/admin/auth/user/" not in index
    assert "/admin/community/post/" in index


def test_every_admin_changelist_opens_with_search_and_filters(admin_client, seeded):
    for model in [
        "community/post",
        "community/answer",
        "community/tag",
        "guide/formatprofile",
        "guide/software",
        "guide/hardwaretier",
        "guide/scenario",
    ]:
        response = admin_client.get(f"/admin/{model}/", {"q": "GGUF"})
        assert response.status_code == 200, model


def test_the_admin_finds_a_phrase_that_emphasis_splits_in_the_source(admin_client, seeded):
    # The seed answer of "fine-tuning-on-windows" is written "**WSL2**를 쓰세요".
    response = admin_client.get("/admin/community/answer/", {"q": "WSL2를 쓰세요"})
    assert [a.post.slug for a in response.context["cl"].result_list] == ["fine-tuning-on-windows"]


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


def test_the_corrected_answer_is_set_only_by_marking_one_incorrect(editor_client):
    post = make_post()
    wrong = make_answer(post, is_accepted=True)
    sourceless = make_answer(post, status="published")
    url = f"/admin/community/answer/{sourceless.pk}/change/"
    page = opened_form(editor_client, url)
    assert "corrects" not in page
    response = editor_client.post(url, {**page, "corrects": str(wrong.pk)})
    assert response.status_code == 302
    sourceless.refresh_from_db()
    assert sourceless.corrects is None


@pytest.mark.parametrize(
    "path", ["answer/{pk}/history/abc/", "answer/x{pk}/history/1/", "answer/{pk}/history/999999/"]
)
def test_a_malformed_or_unknown_revision_is_not_found(editor_client, path):
    answer = make_answer(make_post())
    response = editor_client.get("/admin/community/" + path.format(pk=answer.pk))
    assert response.status_code == 404


def test_a_broken_rule_on_a_reference_record_reads_as_a_sentence(admin_client, seeded):
    from guide.models import ModelPreset

    preset = ModelPreset.objects.first()
    url = f"/admin/guide/modelpreset/{preset.pk}/change/"
    response = admin_client.post(url, {**opened_form(admin_client, url), "parameters_billion": "0"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "파라미터 수는 0보다 커야 합니다." in html
    assert "preset_parameters_positive" not in html


def test_a_reference_page_left_open_does_not_undo_a_fixed_figure(admin_client, seeded):
    from guide.models import HardwareTier

    tier = HardwareTier.objects.get(memory_gb=48)
    url = f"/admin/guide/hardwaretier/{tier.pk}/change/"
    stale = opened_form(admin_client, url)
    fixed = opened_form(admin_client, url)
    response = admin_client.post(url, {**fixed, "memory_estimate": "약 41~43GB"})
    assert response.status_code == 302

    response = admin_client.post(url, {**stale, "context_note": "8k"})
    assert response.status_code == 200
    assert "다른 편집자가 이 항목을 저장했습니다" in response.content.decode()
    tier.refresh_from_db()
    assert tier.memory_estimate == "약 41~43GB" and tier.context_note != "8k"


def test_a_format_page_left_open_does_not_undo_a_quantization_fixed_on_its_own_page(
    admin_client, seeded
):
    from guide.models import FormatProfile, Quantization

    gguf = FormatProfile.objects.get(name="GGUF")
    stale = opened_form(admin_client, f"/admin/guide/formatprofile/{gguf.pk}/change/")
    q5 = Quantization.objects.get(format=gguf, name="Q5_K_M")
    own_url = f"/admin/guide/quantization/{q5.pk}/change/"
    response = admin_client.post(own_url, {**opened_form(admin_client, own_url), "note": "고침"})
    assert response.status_code == 302

    response = admin_client.post(
        f"/admin/guide/formatprofile/{gguf.pk}/change/", {**stale, "tip": "늦은 팁"}
    )
    assert response.status_code == 200
    assert "다른 편집자가 이 항목을 저장했습니다" in response.content.decode()
    q5.refresh_from_db()
    gguf.refresh_from_db()
    assert q5.note == "고침" and gguf.tip != "늦은 팁"


def test_reverting_a_post_restores_its_tags_and_formats(editor_client, seeded):
    post = Post.objects.get(slug="which-gguf-file")
    seed_tags = sorted(post.tags.values_list("pk", flat=True))
    seed_formats = sorted(post.formats.values_list("pk", flat=True))
    seed_revision = post.history.earliest()
    url = f"/admin/community/post/{post.pk}/change/"
    changed = opened_form(editor_client, url)
    response = editor_client.post(
        url,
        {
            **changed,
            "title": "바뀐 제목",
            "tags": [seed_tags[0]],
            "formats": [f.pk for f in FormatProfile.objects.all()],
        },
    )
    assert response.status_code == 302
    assert post.tags.count() == 1

    revert_url = f"/admin/community/post/{post.pk}/history/{seed_revision.history_id}/"
    form = opened_form(editor_client, revert_url)
    assert sorted(map(int, form["tags"])) == seed_tags
    response = editor_client.post(revert_url, form)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title != "바뀐 제목"
    assert sorted(post.tags.values_list("pk", flat=True)) == seed_tags
    assert sorted(post.formats.values_list("pk", flat=True)) == seed_formats


def test_reverting_an_answer_keeps_which_answer_it_corrects(editor_client):
    post = make_post()
    wrong = make_answer(post, is_accepted=True)
    correction = make_correction(post)
    services.mark_answer_incorrect(answer=wrong, note="틀림", correction=correction)
    as_correction = correction.history.latest()
    # Later the link is taken off (as a shell edit or a future workflow would).
    correction.corrects = None
    correction.save()

    url = f"/admin/community/answer/{correction.pk}/history/{as_correction.history_id}/"
    response = editor_client.post(url, opened_form(editor_client, url))
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.corrects is None  # not restored past the workflow's checks


def test_saving_an_unchanged_page_does_not_refuse_another_editors_page(admin_client, seeded):
    from guide.models import HardwareTier

    tier = HardwareTier.objects.get(memory_gb=48)
    url = f"/admin/guide/hardwaretier/{tier.pk}/change/"
    other = opened_form(admin_client, url)
    unchanged = opened_form(admin_client, url)
    assert admin_client.post(url, {**unchanged, "_continue": "1"}).status_code == 302
    response = admin_client.post(url, {**other, "context_note": "8K~16K"})
    assert response.status_code == 302
    tier.refresh_from_db()
    assert tier.context_note == "8K~16K"


def test_the_correction_picker_offers_no_correction_in_korean(editor_client):
    answer = make_answer(make_post())
    html = editor_client.get(f"/admin/community/answer/{answer.pk}/change/").content.decode()
    assert '<option value="" selected>고르지 않음</option>' in html


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/community/formatprofile/", "/admin/guide/formatprofile/"),
        (
            "/admin/community/scenario/3/change/?_changelist_filters=q%3D1",
            "/admin/guide/scenario/3/change/?_changelist_filters=q%3D1",
        ),
        ("/admin/community/modelpreset/add/", "/admin/guide/modelpreset/add/"),
    ],
)
def test_the_reference_records_old_admin_addresses_lead_to_their_new_ones(admin_client, old, new):
    response = admin_client.get(old)
    assert response.status_code == 301 and response["Location"] == new
    # What stayed in community is still served there.
    assert admin_client.get("/admin/community/post/").status_code == 200
