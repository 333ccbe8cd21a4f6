"""Members ask and answer; editors review (검토 대기), approve or reject; trust after N approvals."""

import pytest
from django.core.exceptions import ValidationError

from community.models import Answer, Post
from members import services
from members.models import Contribution
from tests.factories import make_post
from tests.members.conftest import make_member

pytestmark = pytest.mark.django_db

QUESTION = {"title": "GGUF Q4_K_M 파일은 어디서 받나요?", "body": "**70B** 모델을 찾고 있습니다."}


def ask(client, **fields):
    return client.post("/members/ask/", {**QUESTION, **fields})


def test_a_new_members_question_waits_for_review(member_client, client, member):
    response = ask(member_client)
    assert response.status_code == 302
    assert response["Location"] == "/members/me/"
    contribution = Contribution.objects.get()
    post = contribution.post
    assert post.status == Post.Status.PENDING
    assert post.get_status_display() == "검토 대기"
    assert post.author_name == "민지"
    assert post.body_html == "<p><strong>70B</strong> 모델을 찾고 있습니다.</p>"
    assert not Post.objects.published().filter(pk=post.pk).exists()

    profile = member_client.get("/members/me/").content.decode()
    assert "검토 대기" in profile
    assert QUESTION["title"] in profile
    assert "편집자가 검토한 뒤 게시됩니다" in profile

    member_client.logout()
    assert QUESTION["title"] not in client.get("/community/").content.decode()
    assert client.get(post.get_absolute_url()).status_code == 404


def test_approval_publishes_and_tells_the_member(
    member, editor, mailoutbox, client, django_capture_on_commit_callbacks
):
    contribution = services.ask(member=member, **QUESTION)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(contribution=contribution, editor=editor)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.APPROVED
    assert contribution.post.status == Post.Status.PUBLISHED
    assert QUESTION["title"] in client.get("/community/").content.decode()
    found = client.get("/community/", {"q": "어디서 받나요"}).content.decode()
    assert contribution.post.get_absolute_url() in found
    [message] = mailoutbox
    assert message.to == [member.email]
    assert "승인됨" in message.subject
    assert contribution.post.get_absolute_url() in message.body


def test_rejection_needs_a_reason_and_the_member_sees_it(
    member, editor, mailoutbox, member_client, django_capture_on_commit_callbacks
):
    contribution = services.ask(member=member, **QUESTION)
    with pytest.raises(ValidationError):
        services.reject(contribution=contribution, editor=editor, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(
            contribution=contribution, editor=editor, reason="이미 같은 질문이 있습니다."
        )
    contribution.refresh_from_db()
    assert contribution.post.status == Post.Status.REJECTED
    assert not Post.objects.published().filter(pk=contribution.post_id).exists()
    profile = member_client.get("/members/me/").content.decode()
    assert "반려됨" in profile
    assert "이미 같은 질문이 있습니다." in profile
    [message] = mailoutbox
    assert "반려됨" in message.subject
    assert "이미 같은 질문이 있습니다." in message.body


def test_a_decided_contribution_cannot_be_decided_again(member, editor):
    contribution = services.ask(member=member, **QUESTION)
    services.approve(contribution=contribution, editor=editor)
    with pytest.raises(ValidationError):
        services.reject(contribution=contribution, editor=editor, reason="늦은 반려")
    with pytest.raises(ValidationError):
        services.approve(contribution=contribution, editor=editor)


def test_trust_after_the_set_number_of_approvals(member, editor, settings):
    settings.MEMBER_TRUST_AFTER = 3
    for n in range(3):
        assert not member.is_trusted()
        contribution = services.ask(member=member, title=f"질문 {n}번입니다", body="본문")
        assert contribution.status == Contribution.Status.PENDING
        services.approve(contribution=contribution, editor=editor)
    assert member.is_trusted()
    direct = services.ask(member=member, title="바로 게시되는 질문", body="본문")
    assert direct.status == Contribution.Status.PUBLISHED
    assert Post.objects.published().filter(pk=direct.post_id).exists()

    # An editor takes it down and the trust with it: the next one waits again.
    services.unpublish(contribution=direct, editor=editor, reason="광고", revoke_trust=True)
    assert not Post.objects.published().filter(pk=direct.post_id).exists()
    member.refresh_from_db()
    assert member.trust_revoked
    assert not member.is_trusted()
    assert services.ask(member=member, title="다시 검토받는 질문", body="본문").status == "pending"


def test_the_trust_threshold_is_a_setting(member, editor, settings):
    settings.MEMBER_TRUST_AFTER = 1
    services.approve(contribution=services.ask(member=member, **QUESTION), editor=editor)
    assert services.ask(member=member, title="두 번째 질문", body="본문").status == "published"


def test_members_answer_published_posts_and_answers_wait_too(member_client, member, editor):
    post = make_post(kind=Post.Kind.QUESTION)
    response = member_client.post(
        f"/members/questions/{post.slug}/answer/",
        {
            "body": "Q4_K_M이 무난합니다.",
            "source_label": "llama.cpp 문서",
            "source_url": "https://github.com/ggml-org/llama.cpp",
        },
    )
    assert response.status_code == 302
    answer = Answer.objects.get(post=post)
    assert answer.status == Answer.Status.PENDING
    assert not Answer.objects.public().filter(pk=answer.pk).exists()
    services.approve(contribution=answer.contribution, editor=editor)
    answer.refresh_from_db()
    assert answer.status == Answer.Status.PUBLISHED
    assert "Q4_K_M이 무난합니다." in member_client.get(post.get_absolute_url()).content.decode()


def test_no_answers_to_unpublished_posts(member_client):
    draft = make_post(status=Post.Status.DRAFT, published_at=None)
    assert member_client.get(f"/members/questions/{draft.slug}/answer/").status_code == 404
    pending = make_post(status=Post.Status.PENDING, published_at=None)
    response = member_client.post(f"/members/questions/{pending.slug}/answer/", {"body": "답"})
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_signed_out_readers_are_sent_to_log_in(client):
    post = make_post()
    for path in ("/members/ask/", f"/members/questions/{post.slug}/answer/", "/members/me/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert client.post("/members/ask/", QUESTION).status_code == 302
    assert not Contribution.objects.exists()


def test_raw_html_is_refused_and_the_text_is_kept(member_client):
    body = "설명입니다 <b>굵게</b> 끝."
    response = ask(member_client, body=body)
    assert response.status_code == 400
    page = response.content.decode()
    assert "HTML 태그는 쓸 수 없습니다" in page
    assert "설명입니다 &lt;b&gt;굵게&lt;/b&gt; 끝." in page
    assert not Post.objects.exists()
    # Angle brackets inside code are text, and fine.
    assert ask(member_client, body="`<b>`는 굵은 글씨입니다.").status_code == 302


def test_maximum_lengths(member_client):
    response = ask(member_client, title="가" * 201, body="나" * 20_001)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("최대") >= 2
    assert not Post.objects.exists()


def test_the_editor_approves_in_the_review_queue(
    editor_client, member, mailoutbox, django_capture_on_commit_callbacks
):
    contribution = services.ask(member=member, **QUESTION)
    queue = editor_client.get("/admin/members/contribution/?status__exact=pending")
    assert queue.status_code == 200
    assert QUESTION["title"] in queue.content.decode()
    path = f"/admin/members/contribution/{contribution.pk}/change/"
    page = editor_client.get(path).content.decode()
    assert "<strong>70B</strong>" in page  # the body as readers will see it
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(path, {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == "approved"
    assert contribution.decided_by.username == "editor"
    assert len(mailoutbox) == 1


def test_the_editor_must_give_a_reason_to_reject(editor_client, member):
    contribution = services.ask(member=member, **QUESTION)
    path = f"/admin/members/contribution/{contribution.pk}/change/"
    response = editor_client.post(path, {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert "이유를 적어 주세요" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == "pending"


def test_removing_a_member_is_an_explicit_choice(member, editor):
    kept = services.ask(member=member, **QUESTION)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        member.user.delete()  # never silently, with or without the contributions
    services.remove_members(members=[member], keep_contributions=True)
    kept.refresh_from_db()
    assert kept.member is None
    assert Post.objects.filter(pk=kept.post_id).exists()

    other = make_member()
    gone = services.ask(member=other, title="지워질 질문입니다", body="본문")
    services.remove_members(members=[other], keep_contributions=False)
    assert not Post.objects.filter(pk=gone.post_id).exists()


def test_preview_is_for_members_and_sanitized(client, member_client):
    from django.test import Client

    anonymous = Client()
    assert anonymous.post("/members/preview/", {"content": "**a**"}).status_code == 403
    response = member_client.post(
        "/members/preview/", {"content": "**굵게** [x](javascript:alert(1)) <script>x</script>"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>굵게</strong>" in html
    assert "javascript:" not in html
    assert "<script" not in html
    assert member_client.get("/members/preview/").status_code == 405


def test_preview_is_rate_limited(member_client, settings):
    settings.MEMBER_HOURLY_LIMITS = {**settings.MEMBER_HOURLY_LIMITS, "preview": 3}
    codes = [
        member_client.post("/members/preview/", {"content": "a"}).status_code for _ in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    refused = member_client.post("/members/preview/", {"content": "a"})
    assert "미리보기를 너무 자주" in refused.json()["error"]


def test_member_pages_query_budgets(member_client, member, editor, django_assert_num_queries):
    post = make_post()
    answer = Answer.objects.create(post=post, body="답", status=Answer.Status.PUBLISHED)
    for n in range(3):
        services.approve(
            contribution=services.ask(member=member, title=f"질문 {n}번입니다", body="본문"),
            editor=editor,
        )
        services.report(member=member, answer=answer, kind="incorrect", reason=f"틀림 {n}")
    services.answer(member=member, post=post, body="답변")
    # The session with its user, member, approved count, contributions, reports:
    # for any number of rows.
    with django_assert_num_queries(5):
        assert member_client.get("/members/me/").status_code == 200
    with django_assert_num_queries(1):
        assert member_client.get("/members/ask/").status_code == 200
    with django_assert_num_queries(2):
        assert member_client.get(f"/members/questions/{post.slug}/answer/").status_code == 200
    with django_assert_num_queries(2):
        assert member_client.get(f"/members/answers/{answer.uid}/report/").status_code == 200
    # The session with its user, member: the form shows the name the member has.
    with django_assert_num_queries(2):
        assert member_client.get("/members/me/name/").status_code == 200


def test_the_editor_unpublishes_and_takes_the_trust_away_in_the_admin(
    editor_client, member, editor, settings
):
    settings.MEMBER_TRUST_AFTER = 1
    services.approve(contribution=services.ask(member=member, **QUESTION), editor=editor)
    direct = services.ask(member=member, title="바로 게시된 광고 글", body="본문")
    assert direct.status == Contribution.Status.PUBLISHED
    path = f"/admin/members/contribution/{direct.pk}/change/"
    response = editor_client.post(
        path, {"decision": "unpublish", "reason": "광고입니다.", "revoke_trust": "on"}
    )
    assert response.status_code == 302
    direct.refresh_from_db()
    member.refresh_from_db()
    assert direct.status == Contribution.Status.UNPUBLISHED
    assert direct.post.status == Post.Status.REJECTED
    assert not Post.objects.published().filter(pk=direct.post_id).exists()
    assert member.trust_revoked
    # And gives it back from the members' list.
    editor_client.post(
        "/admin/members/member/",
        {"action": "restore_trust", "_selected_action": [member.pk]},
    )
    member.refresh_from_db()
    assert not member.trust_revoked


def test_a_member_renames_and_their_writing_shows_the_new_name(member_client, member, editor):
    question = services.ask(member=member, title="새 이름 질문입니다", body="본문")
    services.approve(contribution=question, editor=editor)
    other = make_post()
    reply = services.answer(member=member, post=other, body="답변")
    services.approve(contribution=reply, editor=editor)
    bystander = make_member("남의이름")
    services.ask(member=bystander, title="다른 회원의 질문", body="본문")
    revisions = question.post.history.count()

    form = member_client.get("/members/me/name/").content.decode()
    assert 'value="민지"' in form
    response = member_client.post("/members/me/name/", {"display_name": "  새이름  "})
    assert response.status_code == 302 and response["Location"] == "/members/me/"

    member.refresh_from_db()
    assert member.display_name == "새이름"
    assert Post.objects.get(pk=question.post_id).author_name == "새이름"
    assert Answer.objects.get(pk=reply.answer_id).author_name == "새이름"
    assert Post.objects.get(contribution__member=bystander).author_name == "남의이름"
    # A name is not an edit of the text: no revision in the public history.
    assert question.post.history.count() == revisions
    page = member_client.get(question.post.get_absolute_url()).content.decode()
    assert "새이름" in page and "민지" not in page


@pytest.mark.parametrize("name", ["", "   ", "가" * 41])
def test_a_bad_display_name_is_refused_and_kept(member_client, member, name):
    response = member_client.post("/members/me/name/", {"display_name": name})
    assert response.status_code == 400
    assert "field__error" in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "민지"


def test_renaming_is_limited_per_hour(member_client, member, settings):
    settings.MEMBER_HOURLY_LIMITS = {**settings.MEMBER_HOURLY_LIMITS, "rename": 2}
    for n in range(2):
        assert (
            member_client.post("/members/me/name/", {"display_name": f"이름{n}"}).status_code == 302
        )
    refused = member_client.post("/members/me/name/", {"display_name": "세번째"})
    assert refused.status_code == 429
    assert "세번째" in refused.content.decode()
    member.refresh_from_db()
    assert member.display_name == "이름1"
