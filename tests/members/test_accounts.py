"""Members' accounts: sign-up with e-mail confirmation, login, logout, password reset."""

import re

import pytest
from django.contrib.auth import get_user_model

from members.models import Member
from tests.members.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db


def sign_up(client, email="new@example.kr", name="새회원", **extra):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": name,
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
    )


def link_in(message):
    return re.search(r"http://\S+", message.body).group(0)


def test_sign_up_confirm_the_address_and_log_in(client, mailoutbox):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "메일함을 확인해 주세요" in client.get(response["Location"]).content.decode()

    # Not confirmed yet: no login.
    assert not client.session.get("_auth_user_id")
    [message] = mailoutbox
    assert message.to == ["new@example.kr"]
    assert message.subject == "[AiNex] 이메일 주소를 확인해 주세요"
    link = link_in(message)
    path = link.split("testserver", 1)[1]
    confirm = client.get(path)
    assert confirm.status_code == 200
    assert "new@example.kr" in confirm.content.decode()
    client.post(path)

    login = client.post("/accounts/login/", {"login": "new@example.kr", "password": PASSWORD})
    assert login.status_code == 302
    assert login["Location"] == "/members/me/"
    profile = client.get("/members/me/").content.decode()
    assert "새회원" in profile
    assert Member.objects.get(user__email="new@example.kr").display_name == "새회원"


def test_an_unconfirmed_member_cannot_log_in(client, mailoutbox):
    sign_up(client)
    client.logout()
    response = client.post("/accounts/login/", {"login": "new@example.kr", "password": PASSWORD})
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/members/me/").status_code == 302


def test_the_account_pages_are_korean_in_the_sites_layout(client):
    for path, heading in (
        ("/accounts/login/", "<h1>로그인</h1>"),
        ("/accounts/signup/", "<h1>회원 가입</h1>"),
        ("/accounts/password/reset/", "비밀번호"),
    ):
        page = client.get(path).content.decode()
        assert heading in page
        assert 'class="site-header"' in page
        assert 'href="/static/css/site.css"' in page


def test_a_filled_honeypot_signs_nobody_up(client, mailoutbox):
    response = sign_up(client, website="https://spam.example")
    assert response.status_code == 200
    assert "자동 입력으로 보여" in response.content.decode()
    assert not get_user_model().objects.filter(email="new@example.kr").exists()
    assert mailoutbox == []


def test_a_filled_honeypot_logs_nobody_in_or_mails_nobody(client, member, mailoutbox):
    login = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD, "website": "x"}
    )
    assert login.status_code == 200
    assert "자동 입력으로 보여" in login.content.decode()
    assert client.get("/members/me/").status_code == 302
    reset = client.post("/accounts/password/reset/", {"email": member.email, "website": "x"})
    assert reset.status_code == 200
    assert mailoutbox == []


def test_the_honeypot_is_out_of_sight(client):
    page = client.get("/accounts/signup/").content.decode()
    honeypot = re.search(r'<div class="honeypot" aria-hidden="true">.*?</div>', page, re.S)
    assert 'tabindex="-1"' in honeypot.group(0)
    assert page.count('name="website"') == 1


def test_log_out(client, member):
    client.force_login(member.user)
    page = client.get("/members/me/").content.decode()
    assert 'action="/accounts/logout/"' in page
    client.post("/accounts/logout/")
    assert client.get("/members/me/").status_code == 302


def test_password_reset_by_e_mail(client, member, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    [message] = mailoutbox
    assert message.subject == "[AiNex] 비밀번호 재설정"
    path = link_in(message).split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    new = "another-passphrase-77"
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": new, "password2": new},
    )
    assert done.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password(new)


def test_a_member_has_no_admin_access(client, member):
    client.force_login(member.user)
    assert not member.user.is_staff
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/community/post/").status_code == 302


def test_member_logins_are_locked_out_per_address_too(client, settings):
    """django-axes counts failed member logins by e-mail address, as allauth's own limit does."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False}
    target = make_member()
    for _ in range(3):
        client.post("/accounts/login/", {"login": target.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": target.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "로그인이 잠시 잠겼습니다" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "queries"),
    # Login and sign-up list the social login apps, which allauth also reads from its table.
    [
        ("/accounts/login/", 1),
        ("/accounts/signup/", 1),
        ("/accounts/password/reset/", 0),
        ("/accounts/confirm-email/", 0),
    ],
)
def test_account_pages_query_budget(client, django_assert_num_queries, path, queries):
    client.get(path)  # the first request of a process fills caches (content types)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200
