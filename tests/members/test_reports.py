"""Members report answers; editors decide the reports per answer; reporters are told."""

import pytest

from community.models import Answer
from members import services
from members.models import Report
from tests.factories import make_answer, make_correction, make_post
from tests.members.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrong_answer(db):
    post = make_post(slug="which-quant")
    return make_answer(post, body="Q2_K가 가장 좋습니다.", is_accepted=True)


def report_path(answer):
    return f"/members/answers/{answer.uid}/report/"


def test_a_member_reports_an_answer_and_readers_see_nothing_different(
    member_client, client, wrong_answer
):
    from django.test import Client

    reader = Client()
    before = reader.get(wrong_answer.post.get_absolute_url()).content
    form = member_client.get(report_path(wrong_answer)).content.decode()
    assert "오답 신고" in form
    assert "기타 신고" in form
    response = member_client.post(
        report_path(wrong_answer),
        {
            "kind": "incorrect",
            "reason": "Q4_K_M이 품질과 크기의 균형이 낫습니다.",
            "source_url": "https://github.com/ggml-org/llama.cpp/discussions/2094",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.OPEN
    assert report.source_url.startswith("https://github.com/")
    assert reader.get(wrong_answer.post.get_absolute_url()).content == before
    profile = member_client.get("/members/me/").content.decode()
    assert "검토 중" in profile
    assert "오답 신고" in profile


def test_only_public_answers_can_be_reported(member_client, wrong_answer):
    draft = make_answer(wrong_answer.post, status=Answer.Status.DRAFT)
    assert member_client.get(report_path(draft)).status_code == 404
    assert member_client.get("/members/answers/not-a-uuid/report/").status_code == 404


def test_a_report_needs_a_reason_and_a_valid_url(member_client, wrong_answer):
    response = member_client.post(
        report_path(wrong_answer),
        {"kind": "incorrect", "reason": "", "source_url": "javascript:alert(1)"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "필수 항목입니다" in page
    assert "올바른 URL" in page
    assert not Report.objects.exists()


def test_reports_are_grouped_per_answer_in_the_queue(editor_client, wrong_answer):
    other = make_answer(make_post(), body="다른 답변")
    for n in range(3):
        services.report(
            member=make_member(), answer=wrong_answer, kind="incorrect", reason=f"이유 {n}"
        )
    services.report(member=make_member(), answer=other, kind="other", reason="광고 링크")
    queue = editor_client.get("/admin/members/reportedanswer/")
    assert queue.status_code == 200
    rows = queue.context["cl"].result_list
    assert [(row.pk, row.open_reports) for row in rows] == [(wrong_answer.pk, 3), (other.pk, 1)]
    page = editor_client.get(f"/admin/members/reportedanswer/{wrong_answer.pk}/change/")
    text = page.content.decode()
    for n in range(3):
        assert f"이유 {n}" in text


def test_resolving_as_incorrect_runs_the_correction_and_tells_the_reporters(
    editor_client, wrong_answer, mailoutbox, django_capture_on_commit_callbacks
):
    reporters = [make_member(), make_member()]
    for reporter in reporters:
        services.report(member=reporter, answer=wrong_answer, kind="incorrect", reason="틀렸습니다")
    correction = make_correction(wrong_answer.post, body="Q4_K_M을 권합니다.")
    path = f"/admin/members/reportedanswer/{wrong_answer.pk}/change/"
    page = editor_client.get(path)
    assert correction in page.context["adminform"].form.fields["correction"].queryset
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            path,
            {
                "decision": "incorrect",
                "note": "Q2_K는 품질 손실이 큽니다.",
                "correction": correction.pk,
                "reports-TOTAL_FORMS": 0,
                "reports-INITIAL_FORMS": 0,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    wrong_answer.refresh_from_db()
    correction.refresh_from_db()
    assert wrong_answer.status == Answer.Status.INCORRECT
    assert wrong_answer.editor_note == "Q2_K는 품질 손실이 큽니다."
    assert correction.corrects == wrong_answer
    assert correction.is_accepted
    assert set(Report.objects.values_list("status", flat=True)) == {"corrected"}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in reporters)
    assert "오답으로 정정됨" in mailoutbox[0].subject
    # The queue is empty now.
    assert list(editor_client.get("/admin/members/reportedanswer/").context["cl"].result_list) == []


def test_dismissing_leaves_the_answer_as_it_is(member, editor, wrong_answer, member_client):
    services.report(member=member, answer=wrong_answer, kind="other", reason="오타가 있어요")
    services.resolve_reports(
        answer=wrong_answer, editor=editor, incorrect=False, note="내용에는 문제가 없습니다."
    )
    wrong_answer.refresh_from_db()
    assert wrong_answer.status == Answer.Status.PUBLISHED
    profile = member_client.get("/members/me/").content.decode()
    assert "조치하지 않음" in profile
    assert "내용에는 문제가 없습니다." in profile


def test_an_invalid_correction_changes_nothing(member, editor, wrong_answer):
    from django.core.exceptions import ValidationError

    services.report(member=member, answer=wrong_answer, kind="incorrect", reason="틀림")
    no_source = make_answer(wrong_answer.post, status=Answer.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.resolve_reports(
            answer=wrong_answer, editor=editor, incorrect=True, note="틀림", correction=no_source
        )
    wrong_answer.refresh_from_db()
    assert wrong_answer.status == Answer.Status.PUBLISHED
    assert Report.objects.get().status == Report.Status.OPEN
