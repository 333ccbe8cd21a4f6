"""Headers, logs of wrong hosts, request body limits and the per-account login cap."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from community import lockout
from tests.factories import make_post


@pytest.mark.parametrize("path", ["/", "POST", "/static/css/site.css", "/admin/login/", "/healthz"])
def test_every_response_sends_permissions_and_resource_policies(client, db, settings, path):
    if path == "POST":
        path = make_post().get_absolute_url()
    for _ in range(2):  # rendered, then from the cache
        response = client.get(path)
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_a_wrong_host_is_one_warning_a_minute_without_a_traceback(client, db, caplog):
    logger = logging.getLogger("django.security.DisallowedHost")
    for rate_limit in logger.filters:  # a minute may not have passed since another test
        rate_limit.quiet_until = 0
    with caplog.at_level(logging.DEBUG, logger="django.security"):
        for n in range(50):
            assert client.get("/", HTTP_HOST=f"scanner-{n}.example").status_code == 400
    records = [r for r in caplog.records if r.name == logger.name]
    assert len(records) == 1
    assert records[0].levelname == "WARNING"
    assert records[0].exc_info is None and "Traceback" not in caplog.text
    assert "scanner-0.example" in records[0].getMessage()


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, db, settings):
    # 60 MB declared, 1 byte sent: reading it would fail, so nothing reads it.
    response = client.generic(
        "POST",
        "/admin/login/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "요청 본문이 너무 큽니다" in response.content.decode()
    within = client.post("/admin/login/", {"username": "a", "password": "b"})
    assert within.status_code == 200


def log_in(client, password, address):
    return client.post(
        "/admin/login/", {"username": "boss", "password": password}, REMOTE_ADDR=address
    )


def test_failures_from_many_addresses_make_the_account_wait_with_a_bounded_delay(
    client, db, settings, monkeypatch
):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    get_user_model().objects.create_superuser("boss", "boss@example.kr", "the-right-password-9")
    # An attacker with many addresses stays under the per-address lockout (5).
    for n in range(8):
        assert log_in(client, "wrong", f"198.51.100.{n // 4}").status_code == 200
    assert 0 < lockout.seconds_to_wait("boss") <= settings.LOGIN_ACCOUNT_DELAY
    refused = log_in(client, "the-right-password-9", "203.0.113.9")  # the editor, elsewhere
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.LOGIN_ACCOUNT_DELAY
    assert "1분 뒤에 다시 시도" in refused.content.decode()
    # Tries while waiting are not counted: they cannot make the wait longer.
    for n in range(20):
        assert log_in(client, "wrong", f"192.0.2.{n}").status_code == 429
    assert lockout.seconds_to_wait("boss") <= settings.LOGIN_ACCOUNT_DELAY

    later = timezone.now() + timedelta(seconds=settings.LOGIN_ACCOUNT_DELAY + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert lockout.seconds_to_wait("boss") == 0
    assert log_in(client, "wrong", "192.0.2.200").status_code == 200  # counted: doubles
    # Counted from that failure: twice the first wait.
    assert 30 < lockout.seconds_to_wait("boss") <= 2 * settings.LOGIN_ACCOUNT_DELAY
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 1
    assert lockout.seconds_to_wait("boss") == settings.LOGIN_ACCOUNT_MAX_DELAY  # never more


def test_the_per_account_cap_leaves_other_accounts_alone(client, db, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    user_model = get_user_model()
    user_model.objects.create_superuser("boss", "boss@example.kr", "the-right-password-9")
    user_model.objects.create_superuser("minji", "minji@example.kr", "the-right-password-9")
    for n in range(3):
        log_in(client, "wrong", f"198.51.100.{n}")
    assert log_in(client, "the-right-password-9", "203.0.113.9").status_code == 429
    other = client.post("/admin/login/", {"username": "minji", "password": "the-right-password-9"})
    assert other.status_code == 302
