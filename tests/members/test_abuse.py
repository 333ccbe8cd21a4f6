"""Floods are refused with a Korean 429, and nothing a member wrote is lost."""

import pytest
from django.contrib.auth import get_user_model

from community.models import Post
from members.models import Contribution, Report
from pagecache import backends
from tests.factories import make_answer, make_post
from tests.live import RedisServer
from tests.members.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_hundred_sign_ups_from_one_address(client, mailoutbox):
    codes = []
    for n in range(100):
        response = client.post(
            "/accounts/signup/",
            {
                "email": f"bot{n}@example.kr",
                "display_name": f"봇{n}",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            REMOTE_ADDR="203.0.113.9",
        )
        codes.append(response.status_code)
        client.cookies.clear()
    assert codes[:20] == [302] * 20
    assert codes[20:] == [429] * 80
    assert get_user_model().objects.count() == 20
    page = response.content.decode()
    assert "요청이 너무 많습니다" in page
    assert 'lang="ko"' in page
    # Another address is not held up.
    other = client.post(
        "/accounts/signup/",
        {
            "email": "person@example.kr",
            "display_name": "사람",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        REMOTE_ADDR="198.51.100.4",
    )
    assert other.status_code == 302


def test_fifty_questions_in_an_hour(member_client, member):
    responses = [
        member_client.post(
            "/members/ask/", {"title": f"같은 시간의 질문 {n}번", "body": f"본문 {n}번: 내용"}
        )
        for n in range(50)
    ]
    codes = [r.status_code for r in responses]
    assert codes == [302] * 10 + [429] * 40
    assert Contribution.objects.filter(member=member).count() == 10
    assert Post.objects.count() == 10
    refused = responses[-1].content.decode()
    assert "한 시간에 올릴 수 있는 질문 수를 넘었습니다" in refused
    # Nothing lost: the refused question is in the form, ready to send again.
    assert 'value="같은 시간의 질문 49번"' in refused
    assert "본문 49번: 내용</textarea>" in refused


def test_a_flood_of_reports(member_client, member):
    answer = make_answer(make_post())
    codes = [
        member_client.post(
            f"/members/answers/{answer.uid}/report/",
            {"kind": "other", "reason": f"신고 {n}번"},
        ).status_code
        for n in range(60)
    ]
    assert codes == [302] * 20 + [429] * 40
    assert Report.objects.count() == 20
    refused = member_client.post(
        f"/members/answers/{answer.uid}/report/", {"kind": "other", "reason": "마지막 신고"}
    )
    assert refused.status_code == 429
    assert "마지막 신고</textarea>" in refused.content.decode()


def test_answers_are_limited_too(member_client, settings):
    settings.MEMBER_HOURLY_LIMITS = {**settings.MEMBER_HOURLY_LIMITS, "answer": 2}
    post = make_post()
    codes = [
        member_client.post(
            f"/members/questions/{post.slug}/answer/", {"body": f"답 {n}"}
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]


def test_limits_are_per_member(client, settings):
    from tests.members.conftest import make_member

    settings.MEMBER_HOURLY_LIMITS = {**settings.MEMBER_HOURLY_LIMITS, "question": 1}
    for member in (make_member(), make_member()):
        client.force_login(member.user)
        assert (
            client.post("/members/ask/", {"title": "첫 질문입니다", "body": "본문"}).status_code
            == 302
        )
        assert (
            client.post("/members/ask/", {"title": "둘째 질문입니다", "body": "본문"}).status_code
            == 429
        )


def test_a_filled_honeypot_on_a_member_form_saves_nothing(member_client):
    response = member_client.post(
        "/members/ask/", {"title": "로봇의 질문입니다", "body": "본문", "website": "x"}
    )
    assert response.status_code == 400
    assert "자동 입력으로 보여" in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.skipif(RedisServer.BINARY is None, reason="redis-server not installed")
def test_a_member_can_still_ask_and_answer_while_redis_is_down(
    member_client, member, settings, tmp_path
):
    # The hourly limits are counted in Redis; while it is away nothing can be
    # counted, and the member's writing still goes to the review queue.
    post = make_post()
    backends.breaker_for.cache_clear()
    with RedisServer(tmp_path) as redis:
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "pagecache.backends.RedisCache", "LOCATION": redis.url},
        }
        redis.stop()
        asked = member_client.post(
            "/members/ask/", {"title": "레디스가 멈춘 동안의 질문", "body": "본문입니다"}
        )
        answered = member_client.post(
            f"/members/questions/{post.slug}/answer/", {"body": "레디스가 멈춘 동안의 답변"}
        )
    backends.breaker_for.cache_clear()
    assert (asked.status_code, answered.status_code) == (302, 302)
    assert Contribution.objects.filter(member=member).count() == 2
